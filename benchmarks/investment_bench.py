"""Benchmark of the investment figures (issues 13, 16): investment_status for 20,000 projects × 24 months.

    .venv/bin/python benchmarks/investment_bench.py                  # SQLite: benchmarks/out/investment_bench.sqlite3
    .venv/bin/python benchmarks/investment_bench.py --postgres       # PostgreSQL: a fresh database bench_investment
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/investment_bench.py --postgres
    .venv/bin/python benchmarks/investment_bench.py --projects 2000  # smaller

Data (fixed seed): 50 units (20 headquarters, 30 street offices), N projects (default 20,000) of both
types, each with a counted monthly figure for every month of 2025 and 2026 (24 × N rows; 5% of them
also have an older, superseded revision that does not count), an annual plan for 2025 and 2026 (a third
with 截至上年末累计, a quarter 计划新开工 in 2026), a funding plan of two sources, three arrivals, and a
status history of two entries (未开工, then 在建 at a date in 2026). Rows are written with plain INSERTs
(executemany on SQLite, COPY on PostgreSQL), then ANALYZE (VACUUM ANALYZE on PostgreSQL, as autovacuum
does after a bulk load: index-only scans need the visibility map).

Measured (in this process, median of 3 after one warm-up):
1. investment_status(user=leader, year=2026, month=10) — every figure of every project (target < 1 s,
   issue 16; it was < 3 s in issue 13); its CPU time in this process too (on SQLite all of the work);
2. the same as a street office (its projects only);
3. the reference: `SELECT project_id, SUM(amount) FROM investment_monthlyinvestment WHERE counted AND
   year = 2026 AND month <= 10 GROUP BY project_id` over the same rows, fetched into Python;
   the ratio investment_status ÷ reference is reported;
4. GET /api/v1/investment?month=2026-10 as the leader (Django test Client).
Results also go to benchmarks/out/investment_results_<sqlite|postgresql>.json.
"""

from __future__ import annotations

import argparse
import datetime
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
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

YEAR, MONTH = 2026, 10
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/bench_investment"


def setup_database(postgres: bool, reuse: bool = False) -> str:
    if postgres:
        given = os.environ.get("DATABASE_URL", "")
        url = given if given.startswith("postgres") else PG_DEFAULT
        if not reuse:
            import psycopg

            parts = urlsplit(url)
            name = parts.path.lstrip("/") or "bench_investment"
            admin = urlunsplit(parts._replace(path="/postgres"))
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
    else:
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / "investment_bench.sqlite3"
        url = f"sqlite:///{path}"
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def insert_rows(table: str, columns: list[str], rows, batch: int = 20000) -> int:
    """Plain INSERTs: COPY on PostgreSQL, executemany on SQLite. The number of rows."""
    from django.db import connection

    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    chunk = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            count += 1
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
    return count


def _units_and_users():
    from tiaodu.orgs.models import Person, Role, Unit, UnitType, User

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
    street = User.objects.create_user(
        "bench-street",
        password=None,
        role=Role.UNIT,
        person=Person.objects.create(name="钱主任", post="街道主任", unit=streets[0]),
    )
    return hqs, streets, leader, street


def _projects(n: int, rng, hqs, streets) -> list:
    from tiaodu.projects.models import Category, Project, ProjectStatus, ProjectType

    categories = list(Category.objects.all())
    projects = []
    for i in range(n):
        start = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 900))
        projects.append(
            Project(
                code=f"IB-{i + 1:05d}",
                name=f"投资基准项目{i + 1:05d}",
                type=ProjectType.KEY_CONSTRUCTION if i % 3 == 0 else ProjectType.REMEDIATION,
                category=categories[i % len(categories)],
                lead_unit=hqs[i % len(hqs)],
                planned_start=start,
                planned_finish=start + datetime.timedelta(days=rng.randint(500, 900)),
                total_investment=Decimal(rng.randint(5000, 90000)),
                status=ProjectStatus.UNDER_CONSTRUCTION if i % 5 else ProjectStatus.NOT_STARTED,
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
    return projects


def _monthly_rows(projects, rng, tz):
    pg = _pg()
    now = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=tz)
    next_id = 1
    for p in projects:
        for year in (2025, 2026):
            for month in range(1, 13):
                amount = Decimal(rng.randint(0, 500000)) / 100
                thread = uuid.uuid4() if pg else uuid.uuid4().hex
                base = [p.pk, year, month, p.lead_unit_id, "", "", "", "[]", thread]
                tail = [False, "import", now, now, now]
                if rng.random() < 0.05:  # an older, superseded revision
                    yield [next_id, *base, 1, None, True, False, "submitted", amount + 1, *tail]
                    prev, revision, next_id = next_id, 2, next_id + 1
                else:
                    prev, revision = None, 1
                yield [next_id, *base, revision, prev, False, True, "verified", amount, *tail]
                next_id += 1


def _pg() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


MONTHLY_COLUMNS = [
    "id",
    "project_id",
    "year",
    "month",
    "reporting_unit_id",
    "note",
    "return_reason",
    "verify_note",
    "flags",
    "thread",
    "revision",
    "previous_id",
    "superseded",
    "counted",
    "status",
    "amount",
    "late",
    "source",
    "created_at",
    "updated_at",
    "submitted_at",
]


def generate(n: int, seed: int = 20261130) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from tiaodu.investment.models import FundingSource

    rng = random.Random(seed)
    tz = timezone.get_current_timezone()
    t0 = time.perf_counter()
    with transaction.atomic():
        hqs, streets, leader, street = _units_and_users()
        projects = _projects(n, rng, hqs, streets)
    t_projects = time.perf_counter() - t0
    t1 = time.perf_counter()
    sources = list(FundingSource.objects.values_list("id", flat=True))
    now = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=tz)
    counts = {}
    with transaction.atomic():
        counts["monthly"] = insert_rows(
            "investment_monthlyinvestment", MONTHLY_COLUMNS, _monthly_rows(projects, rng, tz)
        )
        plans = (
            [
                p.pk,
                year,
                Decimal(rng.randint(1000, 60000)),
                year == 2026 and i % 4 == 0,
                False,
                Decimal(rng.randint(0, 20000)) if i % 3 == 0 else None,
            ]
            for i, p in enumerate(projects)
            for year in (2025, 2026)
        )
        counts["annual_plans"] = insert_rows(
            "investment_annualplan",
            ["project_id", "year", "amount", "new_start", "completion", "prior_cumulative"],
            plans,
        )
        funding = (
            [p.pk, s, Decimal(rng.randint(1000, 40000))] for p in projects for s in rng.sample(sources, 2)
        )
        counts["funding_plans"] = insert_rows(
            "investment_fundingplan", ["project_id", "source_id", "amount"], funding
        )
        arrivals = (
            [
                p.pk,
                datetime.date(2026, rng.randint(1, 12), rng.randint(1, 28)),
                rng.choice(sources),
                Decimal(rng.randint(100, 20000)),
                f"文号{p.pk}-{k}",
                now,
                "import",
            ]
            for p in projects
            for k in range(3)
        )
        counts["arrivals"] = insert_rows(
            "investment_fundarrival",
            ["project_id", "date", "source_id", "amount", "doc_no", "created_at", "source_channel"],
            arrivals,
        )
        history = (
            row
            for p in projects
            for row in (
                [p.pk, "not_started", datetime.date(2024, 1, 1), now, "import"],
                [
                    p.pk,
                    "under_construction",
                    datetime.date(2026, rng.randint(1, 12), rng.randint(1, 28)),
                    now,
                    "import",
                ],
            )
        )
        counts["status_history"] = insert_rows(
            "projects_projectstatuschange", ["project_id", "status", "date", "recorded_at", "source"], history
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('investment_monthlyinvestment', 'id'), "
                "(SELECT MAX(id) FROM investment_monthlyinvestment))"
            )
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "projects": len(projects),
        **counts,
        "generate_projects_s": round(t_projects, 1),
        "generate_rows_s": round(time.perf_counter() - t1, 1),
        "leader": leader.pk,
        "street": street.pk,
    }


def timed(func, repeat: int = 3, cpu: list | None = None) -> tuple[float, object]:
    """The median wall time of `repeat` runs after one warm-up (and their median CPU time into `cpu`)."""
    func()  # warm-up
    times, cpu_times, result = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = func()
        times.append(time.perf_counter() - t)
        cpu_times.append(time.process_time() - c)
    if cpu is not None:
        cpu.append(statistics.median(cpu_times))
    return statistics.median(times), result


def reference() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT project_id, SUM(amount) FROM investment_monthlyinvestment "
            "WHERE counted AND year = %s AND month <= %s GROUP BY project_id",
            [YEAR, MONTH],
        )
        return len(cursor.fetchall())


def measure(info: dict) -> dict:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tiaodu.investment.selectors import investment_status
    from tiaodu.orgs.models import User

    setup_test_environment()
    leader = User.objects.get(pk=info["leader"])
    street = User.objects.get(pk=info["street"])
    out = {"load_average_before": [round(x, 2) for x in os.getloadavg()]}
    cpu = []
    s_leader, status = timed(lambda: investment_status(user=leader, year=YEAR, month=MONTH), cpu=cpu)
    out["investment_status_leader_s"] = round(s_leader, 3)
    out["investment_status_leader_cpu_s"] = round(cpu[0], 3)
    out["investment_status_leader_projects"] = len(status.projects)
    out["district_ytd"] = str(status.summary["all"].ytd)
    s_street, status = timed(lambda: investment_status(user=street, year=YEAR, month=MONTH))
    out["investment_status_street_s"] = round(s_street, 3)
    out["investment_status_street_projects"] = len(status.projects)
    s_ref, groups = timed(reference)
    out["reference_group_by_s"] = round(s_ref, 3)
    out["reference_groups"] = groups
    out["ratio_status_to_reference"] = round(s_leader / s_ref, 1) if s_ref else None
    client = Client()
    client.force_login(leader)
    url = f"/api/v1/investment?month={YEAR}-{MONTH:02d}"
    first = client.get(url)
    if first.status_code == 200:
        s_api, response = timed(lambda: client.get(url))
        out["api_leader_s"] = round(s_api, 3)
        out["api_bytes"] = len(response.content)
    out["target_s"] = 1
    out["under_target"] = s_leader < 1 and s_street < 1
    return out


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
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
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="measure the last run's database again")
    args = parser.parse_args()
    url = setup_database(args.postgres, reuse=args.reuse)
    print(f"database: {url}")
    if args.reuse:
        from tiaodu.orgs.models import User
        from tiaodu.projects.models import Project

        info = {
            "projects": Project.objects.count(),
            "reused": True,
            "leader": User.objects.get(username="bench-leader").pk,
            "street": User.objects.get(username="bench-street").pk,
        }
    else:
        info = generate(args.projects)
    print(f"generated: {info}", flush=True)
    results = {
        "data": info,
        "measured": measure(info),
        "machine": machine(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    engine = "postgresql" if args.postgres else "sqlite"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"investment_results_{engine}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
