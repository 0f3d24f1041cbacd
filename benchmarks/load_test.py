"""Load: 50 signed-in users of mixed roles for 3 minutes against gunicorn on PostgreSQL (issue 10).

    .venv/bin/python benchmarks/load_test.py [--users 50] [--minutes 3] [--workers 5] [--sqlite]

Creates a fresh database (PostgreSQL `tiaodu_load` beside the one DATABASE_URL names, default
127.0.0.1:5432; --sqlite: a temporary file), migrates it, loads the demo district, serves it with gunicorn
on 127.0.0.1:8765, runs locust headless (benchmarks/locustfile.py) and reports, per request name and for
pages and API together: requests, failures, median and p95 — beside /healthz under the same load (the
floor) and the ratio to it. Results: benchmarks/out/load_results.json. Needs `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PORT = 8765


def _database(sqlite: bool) -> str:
    if sqlite:
        return f"sqlite:///{tempfile.mkdtemp()}/load.sqlite3"
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    admin = base.rsplit("/", 1)[0] + "/postgres"
    for sql in ("DROP DATABASE IF EXISTS tiaodu_load", "CREATE DATABASE tiaodu_load"):
        subprocess.run(["psql", admin, "-qc", sql], check=True)
    return base.rsplit("/", 1)[0] + "/tiaodu_load"


def _manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def _wait(url: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server did not answer {url}")


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _summary(rows: list[dict]) -> dict:
    def pick(name):
        return next(r for r in rows if r["Name"] == name)

    out = {"by_name": {}}
    for r in rows:
        if r["Name"] in ("Aggregated",):
            continue
        out["by_name"][r["Name"]] = {
            "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]),
            "p50_ms": float(r["50%"]),
            "p95_ms": float(r["95%"]),
        }
    total = pick("Aggregated")
    floor = out["by_name"].get("floor /healthz", {}).get("p95_ms") or 1.0
    work = {
        k: v for k, v in out["by_name"].items() if not k.startswith(("floor", "login", "sign in", "first "))
    }
    pages = [v for k, v in work.items() if not k.startswith("API")]
    api = [v for k, v in work.items() if k.startswith("API")]
    out.update(
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        p95_ms=float(total["95%"]),
        worst_page_p95_ms=max(v["p95_ms"] for v in pages),
        worst_api_p95_ms=max(v["p95_ms"] for v in api),
        floor_p95_ms=floor,
    )
    out["worst_page_ratio_to_floor"] = round(out["worst_page_p95_ms"] / floor, 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": _database(args.sqlite), "AXES_FAILURE_LIMIT": "1000"}
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_demo")
    _manage(env, "collectstatic", "--noinput", "-v", "0")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tiaodu.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait(f"http://127.0.0.1:{PORT}/healthz")
        prefix = OUT / "load"
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                "10",
                "-t",
                f"{int(args.minutes * 60)}s",
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "10",
            ],
            cwd=ROOT,
            env=env,
            check=False,
        )
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = _summary(_rows(Path(f"{prefix}_stats.csv")))
    result.update(
        users=args.users,
        minutes=args.minutes,
        workers=args.workers,
        seconds=round(elapsed, 1),
        database="sqlite" if args.sqlite else "postgresql",
        cores=os.cpu_count(),
        load_average=os.getloadavg()[0],
    )
    (OUT / "load_results.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(json.dumps({k: v for k, v in result.items() if k != "by_name"}, ensure_ascii=False, indent=1))
    for name, v in sorted(result["by_name"].items()):
        print(
            f"{name:34} {v['requests']:6} req {v['failures']:4} fail  p50 {v['p50_ms']:7.0f} ms  p95 {v['p95_ms']:7.0f} ms"
        )
    return 0 if result["failures"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
