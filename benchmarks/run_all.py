"""Run every benchmark of benchmarks/ in turn (`make bench`); each prints and records its own figures."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "bench_ledger.py",
    "scheduling_bench.py",
    "progress_bench.py",
    "supervision_bench.py",
    "briefing_bench.py",
    "load_test.py",
]


def main() -> int:
    failed = []
    for name in SCRIPTS:
        path = HERE / name
        if not path.exists():
            continue
        print(f"== {name}", flush=True)
        if subprocess.call([sys.executable, str(path)], cwd=HERE.parent) != 0:
            failed.append(name)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
