"""Benchmark of the weekly-reporting overview (issue 4): progress_status and the dashboard at scale.

    .venv/bin/python benchmarks/progress_bench.py                      # SQLite: benchmarks/out/progress_bench.sqlite3
    .venv/bin/python benchmarks/progress_bench.py --postgres           # PostgreSQL: a fresh database bench_progress
    .venv/bin/python benchmarks/progress_bench.py --projects 2000 --weeks 20   # smaller

Data (fixed seed): 50 units (20 headquarters, 30 street offices), N projects (default 20,000) of both
types and all statuses, 3 indicators each, led by a headquarters with one to three street offices; 5%
of the projects have a small schedule (3 tasks linked to an indicator, FS links) so the early-schedule
path is exercised; every project has W weekly reports (default 52, each Thursday back from the as-of
date; not-started projects report zero progress) with a figure for each indicator — 20,000 × 52 =
1,040,000 reports and 3,120,000 figures.
Reports and figures are written with plain INSERTs (executemany on SQLite, COPY on PostgreSQL).

Measured (each with the real code, in this process):
1. progress_status(user=None, fresh=True): everything computed from the database (target < 10 s; issue 16:
   < 1.5 s on SQLite), beside its reference in turn (median of 3): the SQL floor, the same queries executed
   with the cursor and fetched (`--fresh-only`: just this, median of 5, nothing written);
2. snapshots_refresh (what the refresh job does), then progress_status(user=None): from the stored snapshot;
3. GET /dashboard/ as a leader (sees everything) and as a street office (its projects), Django test
   Client, median of 10 after one warm-up (target < 500 ms);
4. GET /dashboard/projects/?level=severe, GET /api/v1/progress (the full JSON), manage.py progress_status --json.
Results also go to benchmarks/out/progress_results_<sqlite|postgresql>.json.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

AS_OF = datetime.date(2026, 11, 26)  # a Thursday
PG_URL = "postgres://postgres@127.0.0.1:5432/bench_progress"
INDICATORS = [("拆迁面积", "m²"), ("道路长度", "m"), ("绿化面积", "m²"), ("清淤量", "m³"), ("改造栋数", "栋")]


def setup_database(postgres: bool, reuse: bool = False) -> str:
    if reuse:
        url = PG_URL if postgres else f"sqlite:///{OUT / 'progress_bench.sqlite3'}"
    elif postgres:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS bench_progress")
            conn.execute("CREATE DATABASE bench_progress")
        url = PG_URL
    else:
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / "progress_bench.sqlite3"
        url = f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def insert_rows(table: str, columns: list[str], rows, batch: int = 20000) -> None:
    """Plain INSERTs: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    chunk = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


def generate(n_projects: int, weeks: int, seed: int = 20261126) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from tiaodu.orgs.models import Person, Role, Unit, UnitType, User
    from tiaodu.progress.models import Report, ReportFigure
    from tiaodu.projects.models import Category, Indicator, Project, ProjectStatus, ProjectType
    from tiaodu.scheduling.models import Dependency, Task

    rng = random.Random(seed)
    ops = connection.ops
    pg = connection.vendor == "postgresql"
    t0 = time.perf_counter()
    with transaction.atomic():
        gov = Unit.objects.create(name="区委区政府", type=UnitType.GOVERNMENT, sort_order=1)
        hqs = [
            Unit.objects.create(
                name=f"第{i + 1}指挥部", type=UnitType.HEADQUARTERS, parent=gov, sort_order=10 + i
            )
            for i in range(20)
        ]
        streets = [
            Unit.objects.create(name=f"第{i + 1}街道", type=UnitType.STREET, parent=gov, sort_order=40 + i)
            for i in range(30)
        ]
        leader = User.objects.create_user(
            "bench-leader",
            password=None,
            role=Role.LEADER,
            person=Person.objects.create(name="张书记", post="区委书记", unit=gov),
        )
        street_user = User.objects.create_user(
            "bench-street",
            password=None,
            role=Role.UNIT,
            person=Person.objects.create(name="钱主任", post="街道主任", unit=streets[0]),
        )
        categories = list(Category.objects.all())
        statuses = [ProjectStatus.UNDER_CONSTRUCTION] * 6 + [
            ProjectStatus.NOT_STARTED,
            ProjectStatus.COMPLETED,
            ProjectStatus.ACCEPTED,
            ProjectStatus.SUSPENDED,
        ]
        projects = []
        for i in range(n_projects):
            start = AS_OF - datetime.timedelta(days=rng.randint(380, 520))
            status = statuses[i % len(statuses)]
            if status == ProjectStatus.NOT_STARTED:
                start = AS_OF + datetime.timedelta(days=rng.randint(10, 200))
            finish = start + datetime.timedelta(days=rng.randint(500, 900))
            projects.append(
                Project(
                    code=f"BP-{i + 1:05d}",
                    name=f"基准项目{i + 1:05d}",
                    type=ProjectType.KEY_CONSTRUCTION if i % 3 == 0 else ProjectType.REMEDIATION,
                    category=categories[i % len(categories)],
                    lead_unit=hqs[i % len(hqs)],
                    planned_start=start,
                    planned_finish=finish,
                    deadline=finish + datetime.timedelta(days=60),
                    total_investment=Decimal(rng.randint(1000, 90000)),
                    status=status,
                )
            )
        Project.objects.bulk_create(projects, batch_size=2000)
        projects = list(Project.objects.order_by("id"))
        through = Project.territorial_units.through
        through.objects.bulk_create(
            [
                through(project_id=p.pk, unit_id=u.pk)
                for p in projects
                for u in rng.sample(streets, rng.randint(1, 3))
            ],
            batch_size=5000,
        )
        indicators = []
        for p in projects:
            for k, (name, unit) in enumerate(rng.sample(INDICATORS, 3)):
                indicators.append(
                    Indicator(
                        project=p,
                        name=name,
                        unit_of_measure=unit,
                        target=Decimal(rng.randint(10, 200) * 1000),
                        sort_order=k,
                    )
                )
        Indicator.objects.bulk_create(indicators, batch_size=5000)
        by_project: dict[int, list[Indicator]] = {}
        for ind in Indicator.objects.order_by("project_id", "sort_order"):
            by_project.setdefault(ind.project_id, []).append(ind)
        # 5%: a small schedule, so the early-schedule plan is computed for them.
        tasks = []
        for p in projects[::20]:
            ind = by_project[p.pk][0]
            for k in range(3):
                tasks.append(
                    Task(
                        project=p,
                        code=str(k + 1),
                        name=f"工序{k + 1}",
                        duration=rng.randint(20, 120),
                        indicator=ind,
                        quantity=ind.target / 3,
                        sort_order=k,
                    )
                )
        Task.objects.bulk_create(tasks, batch_size=5000)
        links = []
        task_rows = list(Task.objects.order_by("project_id", "sort_order").values_list("id", "project_id"))
        for (a, pa), (b, pb) in zip(task_rows, task_rows[1:], strict=False):
            if pa == pb:
                links.append(Dependency(predecessor_id=a, successor_id=b))
        Dependency.objects.bulk_create(links, batch_size=5000)
    t_projects = time.perf_counter() - t0

    # Reports and figures: plain INSERTs with explicit ids.
    t1 = time.perf_counter()
    report_cols = [
        "id",
        "project_id",
        "as_of",
        "reporting_unit_id",
        "status",
        "investment_done",
        "image_progress",
        "problems",
        "return_reason",
        "thread",
        "revision",
        "previous_id",
        "superseded",
        "counted",
        "late",
        "source",
        "created_by_id",
        "created_at",
        "updated_at",
        "submitted_by_id",
        "submitted_at",
        "verified_by_id",
        "verified_at",
        "returned_by_id",
        "returned_at",
        "verify_note",
        "flags",
    ]
    figure_cols = [
        "report_id",
        "indicator_id",
        "quantity",
        "decrease_reason",
        "decreased",
        "above_target",
        "as_of",
        "counted",
        "submitted_at",
    ]
    tz = timezone.get_current_timezone()
    reports_meta: list[tuple] = []  # (report id, as_of, submitted_at, [(indicator id, qty)])

    def ts(day, hour):
        value = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)), tz)
        return value if pg else ops.adapt_datetimefield_value(value)

    def report_rows():
        rid = 0
        for p in projects:
            not_started = p.status == ProjectStatus.NOT_STARTED
            span = max((p.planned_finish - p.planned_start).days, 1)
            pace = rng.choice([1.05, 1.0, 1.0, 0.97, 0.9, 0.8, 0.6])
            inds = by_project[p.pk]
            for w in range(weeks - 1, -1, -1):
                day = AS_OF - datetime.timedelta(days=7 * w)
                rid += 1
                frac = 0.0 if not_started else min(1.0, pace * (day - p.planned_start).days / span)
                if p.status in (ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED):
                    frac = min(1.0, (day - p.planned_start).days / max(span - 200, 1))
                sub = ts(day, 15)
                verified = w > 0 or rid % 3
                figures = [
                    (ind.pk, (ind.target * Decimal(str(round(frac, 4)))).quantize(Decimal(1))) for ind in inds
                ]
                reports_meta.append((rid, day, sub, figures))
                yield (
                    rid,
                    p.pk,
                    day if pg else ops.adapt_datefield_value(day),
                    p.lead_unit_id,
                    "verified" if verified else "submitted",
                    None,
                    "",
                    "",
                    "",
                    uuid.uuid4() if pg else uuid.uuid4().hex,
                    1,
                    None,
                    False,
                    True,
                    False,
                    "bench",
                    None,
                    sub,
                    sub,
                    None,
                    sub,
                    None,
                    ts(day + datetime.timedelta(days=1), 10) if verified else None,
                    None,
                    None,
                    "",
                    "[]",
                )

    with transaction.atomic():
        insert_rows(Report._meta.db_table, report_cols, report_rows())

        def figure_rows():
            for rid, day, sub, figures in reports_meta:
                d = day if pg else ops.adapt_datefield_value(day)
                for ind_id, qty in figures:
                    yield (rid, ind_id, qty if pg else str(qty), "", False, False, d, True, sub)

        insert_rows(ReportFigure._meta.db_table, figure_cols, figure_rows())
        if pg:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{Report._meta.db_table}', 'id'), "
                    f"(SELECT MAX(id) FROM {Report._meta.db_table}))"
                )
    t_reports = time.perf_counter() - t1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    n_reports = len(reports_meta)
    n_figures = sum(len(f) for *_x, f in reports_meta)
    reports_meta.clear()
    return {
        "projects": n_projects,
        "indicators": len(indicators),
        "tasks": len(tasks),
        "reports": n_reports,
        "figures": n_figures,
        "seconds_projects": round(t_projects, 1),
        "seconds_reports": round(t_reports, 1),
        "leader": leader.pk,
        "street": street_user.pk,
    }


def timed(func, repeat: int = 1):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t)
    return times, result


def page_times(client, url: str, n: int = 10) -> dict:
    first = timed(lambda: client.get(url))[0][0]
    times = []
    for _ in range(n):
        t = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t)
        assert response.status_code == 200, (url, response.status_code)
    return {
        "first_ms": round(first * 1000),
        "median_ms": round(statistics.median(times) * 1000),
        "max_ms": round(max(times) * 1000),
        "bytes": len(response.content),
    }


def fresh_with_floor(repeat: int = 3) -> dict:
    """progress_status(user=None, fresh=True) and, in turn with each run, its reference: the SQL floor — the
    same queries (captured from one run) executed with the cursor and their rows fetched, nothing else."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tiaodu.progress.overview import progress_status

    with CaptureQueriesContext(connection) as captured:
        progress_status(user=None, as_of=AS_OF, fresh=True)
    queries = [q["sql"] for q in captured.captured_queries]

    def floor():
        with connection.cursor() as cursor:
            for sql in queries:
                cursor.execute(sql)
                cursor.fetchall()

    status, reference, cpu, cpu_floor = [], [], [], []
    for _ in range(repeat):
        c = time.process_time()
        status += timed(lambda: progress_status(user=None, as_of=AS_OF, fresh=True))[0]
        cpu.append(time.process_time() - c)
        c = time.process_time()
        reference += timed(floor)[0]
        cpu_floor.append(time.process_time() - c)
    median, ref = statistics.median(status), statistics.median(reference)
    return {
        "progress_status_fresh_s": [round(t, 2) for t in status],
        "sql_floor_s": [round(t, 2) for t in reference],
        # this process's CPU time (on SQLite the database's work included; on PostgreSQL not the server's)
        "progress_status_cpu_s": [round(t, 2) for t in cpu],
        "sql_floor_cpu_s": [round(t, 2) for t in cpu_floor],
        "cpu_median_s": round(statistics.median(cpu), 2),
        "cpu_ratio": round(statistics.median(cpu) / max(statistics.median(cpu_floor), 0.01), 1),
        "median_s": round(median, 2),
        "floor_median_s": round(ref, 2),
        "ratio": round(median / ref, 1),
        "queries": len(queries),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def measure(info: dict) -> dict:
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tiaodu.orgs.models import User
    from tiaodu.progress.figures import status_json
    from tiaodu.progress.overview import progress_status, snapshots_refresh

    setup_test_environment()
    out: dict = {}
    cold, data = timed(lambda: progress_status(user=None, as_of=AS_OF, fresh=True), repeat=2)
    out["progress_status_fresh_s"] = [round(t, 2) for t in cold]
    out["fresh_with_floor"] = fresh_with_floor()
    out["levels"] = data.level_counts
    out["missing_reports"] = len(data.missing_reports)
    t = time.perf_counter()
    body = json.dumps(status_json(data), ensure_ascii=False)
    out["json_dump_s"] = round(time.perf_counter() - t, 2)
    out["json_mb"] = round(len(body.encode()) / 1e6, 1)
    # Reads never store: the refresh job (or manage.py progress_snapshots) does.
    stored, _ = timed(lambda: snapshots_refresh(dates=[AS_OF]))
    out["snapshot_store_s"] = round(stored[0], 2)
    unchanged, _ = timed(lambda: snapshots_refresh(dates=[AS_OF]), repeat=3)
    out["snapshot_refresh_unchanged_s"] = [round(t, 2) for t in unchanged]
    warm, _ = timed(lambda: progress_status(user=None, as_of=AS_OF), repeat=3)
    out["progress_status_from_snapshot_s"] = [round(t, 2) for t in warm]
    warm_rows, _ = timed(lambda: progress_status(user=None, as_of=AS_OF, include_indicators=False), repeat=3)
    out["progress_status_without_indicators_s"] = [round(t, 2) for t in warm_rows]

    leader = Client()
    leader.force_login(User.objects.get(pk=info["leader"]))
    street = Client()
    street.force_login(User.objects.get(pk=info["street"]))
    q = f"as_of={AS_OF.isoformat()}"
    out["dashboard_leader"] = page_times(leader, f"/dashboard/?{q}")
    out["dashboard_street"] = page_times(street, f"/dashboard/?{q}")
    out["dashboard_projects_severe"] = page_times(leader, f"/dashboard/projects/?level=severe&{q}")
    out["verify_queue"] = page_times(leader, "/reports/verify/", n=3)
    out["api_progress"] = page_times(leader, f"/api/v1/progress?{q}", n=3)
    cli, _ = timed(
        lambda: call_command("progress_status", "--as-of", AS_OF.isoformat(), "--json", stdout=io.StringIO())
    )
    out["cli_json_s"] = round(cli[0], 2)

    # A report is submitted: its catch-up runs when the transaction commits (the report's own time), and
    # the next dashboard reads the snapshot as it is.
    from django.db import transaction

    from tiaodu.progress import services
    from tiaodu.projects.models import Project
    from tiaodu.scheduling.services import SystemActor

    day = AS_OF - datetime.timedelta(days=1)
    project = (
        Project.objects.filter(status="under_construction")
        .exclude(reports__as_of=day)
        .order_by("-id")
        .first()
    )
    figures = {ind.pk: (str(ind.target), "") for ind in project.indicators.all()}
    t = time.perf_counter()
    with transaction.atomic():
        report = services.report_save_draft(
            user=SystemActor(),
            project=project,
            source="bench",
            data=services.ReportInput(as_of=day, figures=figures),
        )
        services.report_submit(user=SystemActor(), report=report, source="bench")
        t_saved = time.perf_counter()
    out["report_submit_ms"] = round((t_saved - t) * 1000)
    out["report_submit_with_catch_up_ms"] = round((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    response = leader.get(f"/dashboard/?{q}")
    assert response.status_code == 200
    out["dashboard_after_a_new_report_ms"] = round((time.perf_counter() - t) * 1000)
    out["dashboard_leader_after"] = page_times(leader, f"/dashboard/?{q}", n=5)
    # A project edited (its change record): the snapshot recomputes it in memory until the refresh job.
    from tiaodu.projects.services import project_update

    editor = User.objects.get(pk=info["leader"])
    editor.is_superuser = True  # in memory only: the bench has no office account
    project_update(
        user=editor,
        project=project,
        data={"planned_finish": project.planned_finish + datetime.timedelta(days=30)},
    )
    out["dashboard_after_a_project_edit"] = page_times(leader, f"/dashboard/?{q}", n=3)
    t = time.perf_counter()
    snapshots_refresh(dates=[AS_OF])
    out["snapshot_refresh_after_the_edit_s"] = round(time.perf_counter() - t, 2)
    return out


def dashboard_cpu(info: dict, n: int = 10) -> dict:
    """GET /dashboard/ as the leader and the street office, CPU of this process and wall per request:
    with the overview memo emptied before each request (the reference: the answer read from the snapshot
    and assembled, as before the memo) alternating with the memo kept (the repeated request). Median of n."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tiaodu.orgs.models import User
    from tiaodu.progress.overview import snapshots_refresh
    from tiaodu.progress.overview.status import MEMO

    setup_test_environment()
    snapshots_refresh(dates=[AS_OF])  # what the refresh job does
    out: dict = {}
    for who in ("leader", "street"):
        client = Client()
        client.force_login(User.objects.get(pk=info[who]))
        url = f"/dashboard/?as_of={AS_OF.isoformat()}"
        client.get(url)  # warm-up
        runs: dict[str, list] = {"emptied": [], "kept": []}
        for _ in range(n):
            for mode in ("emptied", "kept"):
                if mode == "emptied":
                    MEMO.clear()
                else:
                    client.get(url)  # the entry of this version
                cpu, wall = time.process_time(), time.perf_counter()
                response = client.get(url)
                runs[mode].append((time.process_time() - cpu, time.perf_counter() - wall))
                assert response.status_code == 200
        out[who] = {
            mode: {
                "cpu_ms": round(statistics.median(c for c, _w in times) * 1000, 1),
                "wall_ms": round(statistics.median(w for _c, w in times) * 1000, 1),
            }
            for mode, times in runs.items()
        }
        out[who]["cpu_ratio"] = round(out[who]["emptied"]["cpu_ms"] / out[who]["kept"]["cpu_ms"], 1)
    return out


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        db_version = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "database": f"{connection.vendor} {db_version}",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database of the last run again (no generation)"
    )
    parser.add_argument(
        "--fresh-only",
        action="store_true",
        help="only progress_status(fresh=True) beside its SQL floor (the database is not changed)",
    )
    parser.add_argument(
        "--dashboard-cpu",
        action="store_true",
        help="only GET /dashboard/ with the overview memo emptied vs kept (CPU and wall, median of 10)",
    )
    args = parser.parse_args()
    url = setup_database(args.postgres, reuse=args.reuse)
    print(f"database: {url}")
    if args.reuse:
        from tiaodu.orgs.models import User
        from tiaodu.progress.models import Report, ReportFigure
        from tiaodu.projects.models import Project

        info = {
            "projects": Project.objects.count(),
            "reports": Report.objects.count(),
            "figures": ReportFigure.objects.count(),
            "reused": True,
            "leader": User.objects.get(username="bench-leader").pk,
            "street": User.objects.get(username="bench-street").pk,
        }
    else:
        info = generate(args.projects, args.weeks)
    print(f"generated: {info}")
    if args.dashboard_cpu:
        print(json.dumps({"dashboard_cpu": dashboard_cpu(info), "machine": machine()}, indent=2))
        return
    if args.fresh_only:
        print(json.dumps({"fresh_with_floor": fresh_with_floor(5), "machine": machine()}, indent=2))
        return
    results = {
        "data": info,
        "measured": measure(info),
        "machine": machine(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    engine = "postgresql" if args.postgres else "sqlite"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"progress_results_{engine}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
