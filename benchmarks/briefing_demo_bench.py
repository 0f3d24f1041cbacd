"""Benchmark of the demo briefing (issue 16 item 4): the demo district's briefing, three formats, as a
process, side by side with `progress_status` for the same day as a process, in the same run.

    .venv/bin/python benchmarks/briefing_demo_bench.py [--runs 3] [--in-process] [--root DIR]

--root DIR measures the code of another checkout (e.g. `git archive main | tar -x -C DIR`) with this
Python: before and after, side by side.

Steps: a fresh SQLite database in a temp dir, migrated, the demo district loaded (`load_demo`, 37
projects); then, --runs times and alternating, the two commands as whole processes (Python start-up,
Django set-up, system checks and imports included, as a user runs them):
  reference: `manage.py progress_status --as-of D`
  measured:  `manage.py make_briefing --as-of D --out DIR` (numbered, rendered, filed, written to DIR)
with D the demo's as-of day. The ratio is median(measured) / median(reference). With --in-process, a
child process also times `progress_status` and `briefing_generate` warm, in one process (median).

Results are printed and written to benchmarks/out/briefing_demo_results.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PY = sys.executable
TARGET_RATIO = 2.0


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str], env: dict, label: str, cpu: list | None = None) -> tuple[float, str]:
    """(wall seconds, stdout) of a child process; its CPU seconds (user + system, its own children
    included) appended to `cpu` — the figure that other work on a shared machine disturbs least."""
    c0 = cpu_of_children()
    t0 = time.perf_counter()
    proc = subprocess.run(args, cwd=env["PYTHONPATH"], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if cpu is not None:
        cpu.append(cpu_of_children() - c0)
    if proc.returncode != 0:
        sys.stderr.write(
            f"{label} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}\n"
        )
        raise SystemExit(1)
    return wall, proc.stdout


def child_in_process(as_of: datetime.date, runs: int) -> None:
    import django

    django.setup()
    from tiaodu.briefings.services import briefing_generate
    from tiaodu.core.actors import SYSTEM
    from tiaodu.progress.selectors import progress_status

    status_s, briefing_s = [], []
    for _ in range(runs):
        t = time.perf_counter()
        progress_status(user=SYSTEM, as_of=as_of)
        status_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        briefing_generate(as_of=as_of, user=SYSTEM)
        briefing_s.append(time.perf_counter() - t)
    print(json.dumps({"progress_status": status_s, "briefing_generate": briefing_s}))


def in_process(as_of: str, runs: int, env: dict) -> dict:
    """progress_status and briefing_generate timed warm in one child process (medians)."""
    _s, out = run(
        [PY, str(Path(__file__).resolve()), "--child-in-process", as_of, "--runs", str(runs)],
        env,
        "in-process",
    )
    warm = json.loads(out.strip().splitlines()[-1])
    figures = {
        "progress_status_s": round(statistics.median(warm["progress_status"]), 3),
        "briefing_generate_s": round(statistics.median(warm["briefing_generate"]), 3),
    }
    figures["ratio"] = round(figures["briefing_generate_s"] / figures["progress_status_s"], 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--in-process", action="store_true")
    parser.add_argument("--root", default=str(ROOT), help="the checkout whose code is measured")
    parser.add_argument("--child-in-process", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_in_process:
        return child_in_process(datetime.date.fromisoformat(args.child_in_process), args.runs)

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from briefing_bench import machine

    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="briefing_demo_bench_"))
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp / 'demo.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        DJANGO_SETTINGS_MODULE="tiaodu.settings",
        PYTHONPATH=str(Path(args.root).resolve()),
        PYTHONDONTWRITEBYTECODE="1",
    )
    manage = [PY, "manage.py"]
    run(manage + ["migrate", "--noinput", "-v", "0"], env, "migrate")
    seconds, out = run(manage + ["load_demo"], env, "load_demo")
    print(f"demo loaded in {seconds:.1f} s: {out.splitlines()[0]}")
    _s, day = run(
        manage + ["shell", "-c", "from tiaodu.progress.selectors import today; print(today().isoformat())"],
        env,
        "today",
    )
    as_of = day.strip().splitlines()[-1]
    reference, measured, reference_cpu, measured_cpu = [], [], [], []
    for _ in range(args.runs):
        seconds, _ = run(
            manage + ["progress_status", "--as-of", as_of], env, "progress_status", reference_cpu
        )
        reference.append(seconds)
        seconds, _ = run(
            manage + ["make_briefing", "--as-of", as_of, "--out", str(tmp / "out")],
            env,
            "make_briefing",
            measured_cpu,
        )
        measured.append(seconds)
    result = {
        "root": env["PYTHONPATH"],
        "as_of": as_of,
        "reference_progress_status_process_s": [round(x, 2) for x in reference],
        "make_briefing_process_s": [round(x, 2) for x in measured],
        "median_reference_s": round(statistics.median(reference), 2),
        "median_make_briefing_s": round(statistics.median(measured), 2),
    }
    result["ratio"] = round(result["median_make_briefing_s"] / result["median_reference_s"], 2)
    result["cpu_reference_s"] = [round(x, 2) for x in reference_cpu]
    result["cpu_make_briefing_s"] = [round(x, 2) for x in measured_cpu]
    result["cpu_ratio"] = round(statistics.median(measured_cpu) / statistics.median(reference_cpu), 2)
    result["target_ratio"] = TARGET_RATIO
    result["passed"] = result["ratio"] < TARGET_RATIO
    if args.in_process:
        result["in_process"] = in_process(as_of, args.runs, env)
    result["machine"] = machine()
    name = (
        "briefing_demo_results.json"
        if Path(args.root).resolve() == ROOT
        else "briefing_demo_results_root.json"
    )
    (OUT / name).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
