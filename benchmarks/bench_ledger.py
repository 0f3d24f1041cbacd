"""Benchmark of the project ledger (issues 2 and 16): import of a generated ledger and the project list page.

    .venv/bin/python benchmarks/bench_ledger.py [-n 20000] [--requests 20] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/bench_ledger.py --postgres

Steps, each `manage.py` command (or reader) in its own child process (wall time, the child's CPU time and
its peak RSS from os.wait4):
1. generate benchmarks/out/ledger_N.xlsx (and the edited variant) unless present;
2. migrate a fresh database (a temporary SQLite file; with --postgres a database
   `<name>_ledger_bench` created next to the one DATABASE_URL names);
3. --repeat rounds (default 3), side by side: the reference — a process that only reads every sheet of
   the same file with python-calamine (``CalamineWorkbook…to_python()``, what any importer must pay) —
   then `import_ledger` of the ledger into an empty copy of the migrated database (everything created);
   the medians and the ratio import / calamine read (issue 16: under 5 s on SQLite, 10 s on PostgreSQL,
   at most 7× the read, peak RSS under 400 MB);
4. in the last round's database: `import_ledger` again (nothing changes), of the edited ledger
   (every project and indicator updated), then `export_ledger`;
4. the filtered, paginated project list `/projects/?type=remediation&status=under_construction&page=2`
   through the Django test Client as an administrator: median of --requests requests after one warm-up.

Results are printed and written to benchmarks/out/ledger_results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PY = sys.executable
LIST_URL = "/projects/?type=remediation&status=under_construction&page=2"
TARGET_IMPORT_S = {"sqlite": 5, "postgresql": 10}  # issue 16 (issue 2: 60 s)
TARGET_RSS_MB = 400  # issue 16 (issue 2: 1 GB)
TARGET_RATIO = 7  # import / calamine read of the same file, issue 16
TARGET_LIST_MS = 150
CALAMINE_READ = (
    "import sys\n"
    "from python_calamine import CalamineWorkbook\n"
    "book = CalamineWorkbook.from_path(sys.argv[1])\n"
    "rows = sum(len(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names)\n"
    "print(rows)\n"
)


def run_measured(args: list[str], env: dict[str, str], label: str) -> dict:
    """Run a child process; its wall time, its own peak RSS (os.wait4) and its output."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=err, text=True)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        sys.stderr.write(f"{label} failed ({proc.returncode}):\n{stdout}\n{stderr[-5000:]}\n")
        raise SystemExit(1)
    return {
        "label": label,
        "seconds": round(wall, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "output": stdout.strip(),
    }


def machine() -> dict:
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    import sqlite3

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def postgres_database(url: str) -> str:
    """A fresh database beside the one `url` names; its URL."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    bench = f"{name}_ledger_bench"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench}"')
        conn.execute(f'CREATE DATABASE "{bench}"')
    return urlunsplit(parts._replace(path=f"/{bench}"))


def child_list_timing(requests: int) -> None:
    """Runs inside a child with the benchmark database: times the project list as an admin."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import Resolver404, resolve

    from tiaodu.orgs.models import User

    setup_test_environment()
    admin = User.objects.get(username="bench-admin")
    try:
        resolve("/projects/")
        page = True
    except Resolver404:
        page = False
    times = []
    rows = None
    if page:
        client = Client()
        client.force_login(admin)
        first = client.get(LIST_URL)
        assert first.status_code == 200, first.status_code
        for _ in range(requests):
            t0 = time.perf_counter()
            response = client.get(LIST_URL)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        rows = response.content.decode().count("<tr") - 1
        what = f"GET {LIST_URL} (Django test Client, logged in as admin)"
    else:
        from django.core.paginator import Paginator

        from tiaodu.projects.filters import ProjectFilter
        from tiaodu.projects.selectors import project_list

        data = {"type": "remediation", "status": "under_construction"}

        def once():
            qs = (
                project_list(user=admin)
                .select_related("category", "lead_unit")
                .prefetch_related("territorial_units")
            )
            qs = ProjectFilter(data, queryset=qs).qs
            page_ = Paginator(qs, 50).page(2)
            return len(list(page_.object_list))

        once()
        for _ in range(requests):
            t0 = time.perf_counter()
            rows = once()
            times.append((time.perf_counter() - t0) * 1000)
        what = "the list query (ProjectFilter over selectors.project_list, page 2 of 50): /projects/ missing"
    print(
        json.dumps(
            {
                "what": what,
                "median_ms": round(statistics.median(times), 1),
                "min_ms": round(min(times), 1),
                "max_ms": round(max(times), 1),
                "rows": rows,
            }
        )
    )


def load_average() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def _median(results: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in results), 2)


def fresh_imports(db_url: str, label: str, path: Path, repeat: int, env: dict) -> tuple[str, dict]:
    """`repeat` rounds of (calamine read, import into an empty copy of the migrated database at db_url);
    the URL of the last round's database and the figures."""
    rounds = []
    url = db_url
    for i in range(1, repeat + 1):
        url = _empty_copy(db_url, label, i)
        read = run_measured([PY, "-c", CALAMINE_READ, str(path)], env, "calamine read")
        imp = run_measured(
            [PY, "manage.py", "import_ledger", str(path), "--user", "bench-admin"],
            dict(env, DATABASE_URL=url),
            "import (fresh database)",
        )
        ratio = round(imp["seconds"] / read["seconds"], 1)
        rounds.append({"calamine_read": read, "import": imp, "ratio": ratio, "load": load_average()})
        print(
            f"  [{label}] round {i}: calamine read {read['seconds']} s (cpu {read['cpu_seconds']} s), "
            f"import {imp['seconds']} s (cpu {imp['cpu_seconds']} s, peak RSS {imp['peak_rss_mb']} MB), "
            f"ratio {ratio}×, load {rounds[-1]['load']}"
        )
        if i < repeat:
            _drop_copy(db_url, url, label)
    imports = [r["import"] for r in rounds]
    reads = [r["calamine_read"] for r in rounds]
    figures = {
        "rounds": rounds,
        "import_s": _median(imports, "seconds"),
        "import_cpu_s": _median(imports, "cpu_seconds"),
        "import_peak_rss_mb": max(r["peak_rss_mb"] for r in imports),
        "calamine_read_s": _median(reads, "seconds"),
        "calamine_read_cpu_s": _median(reads, "cpu_seconds"),
        "ratio_median": round(statistics.median(r["ratio"] for r in rounds), 1),
    }
    print(
        f"  [{label}] median of {repeat}: import {figures['import_s']} s, calamine read "
        f"{figures['calamine_read_s']} s, ratio {figures['ratio_median']}×, peak RSS "
        f"{figures['import_peak_rss_mb']} MB"
    )
    return url, figures


def _empty_copy(db_url: str, label: str, i: int) -> str:
    """A copy of the migrated (empty) database: a file copy on SQLite, CREATE DATABASE … TEMPLATE on
    PostgreSQL."""
    if label == "sqlite":
        source = db_url.removeprefix("sqlite:///")
        target = f"{source}.round{i}"
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    import psycopg

    parts = urlsplit(db_url)
    name = parts.path.lstrip("/")
    copy = f"{name}_r{i}"
    with psycopg.connect(db_url.replace(f"/{name}", "/postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    return urlunsplit(parts._replace(path=f"/{copy}"))


def _drop_copy(db_url: str, url: str, label: str) -> None:
    if label == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    import psycopg

    name = urlsplit(db_url).path.lstrip("/")
    with psycopg.connect(db_url.replace(f"/{name}", "/postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}"')


def bench(db_url: str, label: str, files: dict[str, Path], requests: int, repeat: int) -> dict:
    env = dict(os.environ, DATABASE_URL=db_url, DEBUG="0", LOG_LEVEL="ERROR")
    run_measured([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env, "migrate")
    run_measured(
        [
            PY,
            "manage.py",
            "shell",
            "-c",
            "from tiaodu.orgs.models import User, Role; "
            "User.objects.create_user(username='bench-admin', password='Bench-Admin-2026', "
            "role=Role.ADMIN)",
        ],
        env,
        "admin user",
    )
    url, fresh = fresh_imports(db_url, label, files["ledger"], repeat, env)
    env = dict(env, DATABASE_URL=url)
    manage = [PY, "manage.py"]
    steps = [fresh["rounds"][-1]["import"]]
    for step, path in (
        ("re-import (no change)", files["ledger"]),
        ("import of the edited ledger (all updated)", files["edited"]),
    ):
        result = run_measured(manage + ["import_ledger", str(path), "--user", "bench-admin"], env, step)
        steps.append(result)
        print(f"  [{label}] {step}: {result['seconds']} s, peak RSS {result['peak_rss_mb']} MB")
    export_path = OUT / f"ledger_export_{label}.xlsx"
    result = run_measured(manage + ["export_ledger", str(export_path)], env, "export")
    steps.append(result)
    print(f"  [{label}] export: {result['seconds']} s, peak RSS {result['peak_rss_mb']} MB")
    timing = run_measured([PY, __file__, "--child-list-timing", "--requests", str(requests)], env, "list")
    listing = json.loads(timing["output"].splitlines()[-1])
    print(f"  [{label}] project list: median {listing['median_ms']} ms ({listing['what']})")
    return {"database": label, "fresh_import": fresh, "steps": steps, "list": listing}


def verdict(run: dict) -> dict:
    """The issue-16 targets of one database's run (the measured do not grade themselves: this is the
    script's reading of its own figures against the issue's numbers)."""
    fresh, label = run["fresh_import"], run["database"]
    out = {
        f"import_under_{TARGET_IMPORT_S[label]}s_{label}": fresh["import_s"] < TARGET_IMPORT_S[label],
        f"import_under_{TARGET_RSS_MB}MB_{label}": fresh["import_peak_rss_mb"] < TARGET_RSS_MB,
    }
    if label == "sqlite":
        out[f"import_at_most_{TARGET_RATIO}x_calamine_read"] = fresh["ratio_median"] <= TARGET_RATIO
        out["list_under_150ms_sqlite"] = run["list"]["median_ms"] < TARGET_LIST_MS
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Ledger import and project list benchmark")
    parser.add_argument("-n", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of calamine read + fresh import")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL (with --postgres)")
    parser.add_argument("--postgres", action="store_true", help="also run against DATABASE_URL (PostgreSQL)")
    parser.add_argument("--child-list-timing", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_list_timing:
        sys.path.insert(0, str(ROOT))
        child_list_timing(args.requests)
        return

    OUT.mkdir(parents=True, exist_ok=True)
    files = {"ledger": OUT / f"ledger_{args.n}.xlsx", "edited": OUT / f"ledger_{args.n}_edited.xlsx"}
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from ledger_generate import generate

    for key, path in files.items():
        if not path.exists():
            t0 = time.perf_counter()
            counts = generate(path, args.n, edited=(key == "edited"))
            print(f"generated {path.name}: {counts} in {time.perf_counter() - t0:.1f} s")

    results = {"machine": machine(), "projects": args.n, "indicators": args.n * 3, "runs": []}
    print(f"machine: {results['machine']}")
    print(f"load average at start: {load_average()}")
    results["load_average_start"] = load_average()
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="tiaodu-ledger-bench-") as tmp:
            db = f"sqlite:///{tmp}/bench.sqlite3"
            results["runs"].append(bench(db, "sqlite", files, args.requests, args.repeat))
    if args.postgres:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("--postgres needs DATABASE_URL=postgres://…")
        results["runs"].append(bench(postgres_database(url), "postgresql", files, args.requests, args.repeat))
    results["load_average_end"] = load_average()
    results["targets_met"] = {k: v for run in results["runs"] for k, v in verdict(run).items()}
    (OUT / "ledger_results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(json.dumps(results["targets_met"]))


if __name__ == "__main__":
    main()
