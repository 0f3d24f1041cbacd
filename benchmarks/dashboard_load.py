"""The dashboard at 20,000 projects under load (issue 16 item 3): p95 of /dashboard/ with N concurrent
signed-in users on gunicorn + PostgreSQL, beside /healthz served by the same server under the same load.

    .venv/bin/python benchmarks/progress_bench.py --postgres        # first: the 20,000 × 52 database
    .venv/bin/python benchmarks/dashboard_load.py [--users 20] [--seconds 120] [--workers 4] [--database-url URL]
        [--locust-python PATH]

Uses the database of progress_bench.py (default postgres://…/bench_progress; not regenerated): stores the
snapshot of the benchmark's as-of date as the refresh job does (snapshots_refresh), sets the password of
the two benchmark accounts, serves the project with gunicorn on 127.0.0.1:8766 and runs locust headless
(benchmarks/dashboard_locustfile.py; users sign in through the login page, ramp 10/s). Results:
benchmarks/out/dashboard_load.json. Needs `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from load_test import _rows, _wait  # noqa: E402
from progress_bench import AS_OF, OUT, PG_URL  # noqa: E402

PORT = 8766
PASSWORD = "Tiaodu@2026"


def prepare(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    import django

    django.setup()
    from tiaodu.orgs.models import User
    from tiaodu.progress.overview import snapshots_refresh

    for user in User.objects.filter(username__in=["bench-leader", "bench-street"]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    snapshots_refresh(dates=[AS_OF])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", default=PG_URL)
    parser.add_argument("--locust-python", default=sys.executable, help="a Python with locust installed")
    args = parser.parse_args()
    prepare(args.database_url)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "AXES_FAILURE_LIMIT": "1000",
        "BENCH_PASSWORD": PASSWORD,
        "BENCH_AS_OF": AS_OF.isoformat(),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tiaodu.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(args.workers), "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    prefix = OUT / "dashboard_load"
    try:
        _wait(f"http://127.0.0.1:{PORT}/healthz")
        load_before = os.getloadavg()
        subprocess.run(
            [args.locust_python, "-m", "locust", "-f", str(ROOT / "benchmarks" / "dashboard_locustfile.py"),
             "--headless", "-u", str(args.users), "-r", "10", "-t", f"{args.seconds}s",
             "--host", f"http://127.0.0.1:{PORT}", "--csv", str(prefix), "--only-summary",
             "--stop-timeout", "10"],
            cwd=ROOT,
            env=env,
            check=False,
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    by_name = {
        r["Name"]: {
            "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]),
            "p50_ms": float(r["50%"]),
            "p95_ms": float(r["95%"]),
        }
        for r in _rows(Path(f"{prefix}_stats.csv"))
    }
    page, floor = by_name["/dashboard/"], by_name["reference /healthz"]
    result = {
        "users": args.users,
        "seconds": args.seconds,
        "workers": args.workers,
        "database": args.database_url.rsplit("/", 1)[-1],
        "dashboard_p95_ms": page["p95_ms"],
        "reference_p95_ms": floor["p95_ms"],
        "ratio_p95": round(page["p95_ms"] / max(floor["p95_ms"], 1.0), 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cores": os.cpu_count(),
        "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "by_name": by_name,
    }
    (OUT / "dashboard_load.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if all(v["failures"] == 0 for v in by_name.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
