"""Benchmark of the supervision sweep (issue 5): 100,000 open items and 20,000 problems under 30 s.

    .venv/bin/python benchmarks/supervision_bench.py                 # SQLite: benchmarks/out/supervision_bench.sqlite3
    .venv/bin/python benchmarks/supervision_bench.py --postgres      # PostgreSQL: a fresh database bench_supervision
    .venv/bin/python benchmarks/supervision_bench.py --items 10000 --problems 2000   # smaller

Data (fixed seed): 300 units (100 headquarters and departments, 200 street offices), one account with an
e-mail address per unit, 10 leaders and 3 supervision-office accounts; 2,000 projects with one indicator each; N open supervision
items (default 100,000) with deadlines spread from 60 days before to 120 days after the sweep day, one or
two assignee units each, half of them on a project; 20,000 closed items; M open problems (default
20,000) on all ladder levels, entered in the 40 days before the sweep day. No weekly reports (so the
progress app finds many projects behind their linear plan and the project-warning step has work to do).

Measured, with the real code in this process (supervision.services.sweep, as `manage.py supervision_sweep`
runs it; e-mail to Django's in-memory backend, no webhooks):
1. the first sweep at the sweep day 07:00 — the worst case: every overdue item gets its warning at once
   (one event and one notification each, digested per person), problems climb the ladder, project warnings;
2. the same moment again — must change and send nothing (idempotence) and is the cost of a quiet day;
3. the next working day 07:00 — a typical daily run.
Results also go to benchmarks/out/supervision_results_<sqlite|postgresql>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

SWEEP_DAY = datetime.date(2026, 11, 25)  # a Wednesday
PG_URL = "postgres://postgres@127.0.0.1:5432/bench_supervision"
TARGET_SECONDS = 30


def setup_database(postgres: bool) -> str:
    if postgres:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS bench_supervision")
            conn.execute("CREATE DATABASE bench_supervision")
        url = PG_URL
    else:
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / "supervision_bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["NOTIFY_WEBHOOK_URLS"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def generate(n_items: int, n_problems: int, seed: int = 20261125) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from tiaodu.orgs.models import Person, Role, Unit, UnitType, User
    from tiaodu.projects.models import Category, Indicator, Project, ProjectStatus, ProjectType
    from tiaodu.supervision.models import Problem, SupervisionItem

    rng = random.Random(seed)
    t0 = time.perf_counter()
    password = make_password(None)
    now = timezone.now()
    with transaction.atomic():
        gov = Unit.objects.create(name="区委区政府", type=UnitType.GOVERNMENT, sort_order=1)
        sup_unit = Unit.objects.create(name="区委督查室", type=UnitType.SUPERVISION, parent=gov, sort_order=2)
        units = Unit.objects.bulk_create(
            [
                Unit(name=f"第{i + 1}指挥部", type=UnitType.HEADQUARTERS, parent=gov, sort_order=10 + i)
                for i in range(100)
            ]
            + [
                Unit(name=f"第{i + 1}街道", type=UnitType.STREET, parent=gov, sort_order=200 + i)
                for i in range(200)
            ]
        )
        hqs, streets = units[:100], units[100:]
        people = Person.objects.bulk_create(
            [Person(name=f"负责人{i + 1}", post="主任", unit=u) for i, u in enumerate(units)]
            + [Person(name=f"副区长{i + 1}", post="副区长", unit=gov) for i in range(10)]
            + [Person(name=f"督查专员{i + 1}", post="督查专员", unit=sup_unit) for i in range(3)]
        )
        leaders = people[300:310]
        User.objects.bulk_create(
            [
                User(
                    username=f"u{i}", password=password, role=Role.UNIT, person=p, email=f"u{i}@bench.example"
                )
                for i, p in enumerate(people[:300])
            ]
            + [
                User(
                    username=f"leader{i}",
                    password=password,
                    role=Role.LEADER,
                    person=p,
                    email=f"leader{i}@bench.example",
                )
                for i, p in enumerate(leaders)
            ]
            + [
                User(
                    username=f"sup{i}",
                    password=password,
                    role=Role.SUPERVISOR,
                    person=p,
                    email=f"sup{i}@bench.example",
                )
                for i, p in enumerate(people[310:])
            ]
        )
        category = Category.objects.get(name="道路")
        projects = Project.objects.bulk_create(
            [
                Project(
                    code=f"B-{i:05d}",
                    name=f"基准项目{i}",
                    type=ProjectType.KEY_CONSTRUCTION if i % 3 else ProjectType.REMEDIATION,
                    category=category,
                    lead_unit=hqs[i % 100],
                    supervising_leader=leaders[i % 10],
                    status=ProjectStatus.UNDER_CONSTRUCTION,
                    planned_start=SWEEP_DAY - datetime.timedelta(days=200 + i % 100),
                    planned_finish=SWEEP_DAY + datetime.timedelta(days=200 + i % 150),
                    deadline=SWEEP_DAY + datetime.timedelta(days=300),
                )
                for i in range(2000)
            ],
            batch_size=2000,
        )
        Indicator.objects.bulk_create(
            [Indicator(project=p, name="拆迁面积", unit_of_measure="m²", target=10000) for p in projects],
            batch_size=2000,
        )
        Project.territorial_units.through.objects.bulk_create(
            [
                Project.territorial_units.through(project_id=p.pk, unit_id=streets[i % 200].pk)
                for i, p in enumerate(projects)
            ],
            batch_size=5000,
        )
        through = SupervisionItem.assignee_units.through
        for status, count in ((SupervisionItem.Status.OPEN, n_items), (SupervisionItem.Status.CLOSED, 20000)):
            for start in range(0, count, 10000):
                batch = []
                for i in range(start, min(count, start + 10000)):
                    project = projects[i % 2000] if i % 2 == 0 else None
                    batch.append(
                        SupervisionItem(
                            title=f"督办事项{i}",
                            content="按期完成",
                            source="other",
                            project=project,
                            supervising_leader=leaders[i % 10] if i % 3 == 0 else None,
                            deadline=SWEEP_DAY + datetime.timedelta(days=rng.randint(-60, 120)),
                            status=status,
                            created_at=now,
                            closed_at=now if status == SupervisionItem.Status.CLOSED else None,
                        )
                    )
                created = SupervisionItem.objects.bulk_create(batch, batch_size=2000)
                links = []
                for item in created:
                    first = rng.randrange(300)
                    links.append(through(supervisionitem_id=item.pk, unit_id=units[first].pk))
                    if rng.random() < 0.3:
                        links.append(through(supervisionitem_id=item.pk, unit_id=units[(first + 7) % 300].pk))
                through.objects.bulk_create(links, batch_size=5000)
        problems = []
        for i in range(n_problems):
            project = projects[i % 2000]
            problems.append(
                Problem(
                    project=project,
                    type="funding",
                    title=f"难题{i}",
                    description="资金缺口",
                    owner_unit=project.lead_unit,
                    level=1 + i % 4,
                    level_entered_on=SWEEP_DAY - datetime.timedelta(days=rng.randint(0, 40)),
                    created_at=now,
                )
            )
        Problem.objects.bulk_create(problems, batch_size=2000)
    return {"generate_s": round(time.perf_counter() - t0, 2)}


def timed_sweep(day: datetime.date) -> tuple[float, dict]:
    from django.utils import timezone

    from tiaodu.supervision.services import sweep

    now = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 7, 0))
    t0 = time.perf_counter()
    summary = sweep(now=now).as_json()
    return time.perf_counter() - t0, summary


def brief(summary: dict) -> dict:
    return {k: (len(v) if isinstance(v, list) else v) for k, v in summary.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--problems", type=int, default=20_000)
    args = parser.parse_args()
    url = setup_database(args.postgres)
    from django.db import connection

    results = {
        "database": connection.vendor,
        "url": url.split("@")[-1],
        "items": args.items,
        "problems": args.problems,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    results.update(generate(args.items, args.problems))
    print(
        f"generated {args.items} open items, 20000 closed, {args.problems} problems in {results['generate_s']} s"
    )
    from tiaodu.supervision.models import ItemEvent, Notification

    steps = [("first", SWEEP_DAY), ("again", SWEEP_DAY), ("next_day", SWEEP_DAY + datetime.timedelta(days=1))]
    for name, day in steps:
        seconds, summary = timed_sweep(day)
        results[f"{name}_s"] = round(seconds, 2)
        results[f"{name}_summary"] = brief(summary)
        print(f"{name:9} {day} 07:00  {seconds:6.2f} s  {json.dumps(brief(summary), ensure_ascii=False)}")
    again = results["again_summary"]
    assert all(v == 0 for k, v in again.items() if k != "now"), f"second run not idempotent: {again}"
    results["warning_events"] = ItemEvent.objects.filter(kind="warning").count()
    results["notifications"] = Notification.objects.count()
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    results["target_s"] = TARGET_SECONDS
    results["passed"] = results["first_s"] < TARGET_SECONDS and results["next_day_s"] < TARGET_SECONDS
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"supervision_results_{connection.vendor}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2)
    )
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if not results["passed"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
