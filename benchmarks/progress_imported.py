"""A copy of the progress benchmark's SQLite database with imported projects, for the overview's cost of
projects whose tasks came from MS Project / P6 (issue 16).

    .venv/bin/python benchmarks/progress_bench.py                 # once: benchmarks/out/progress_bench.sqlite3
    .venv/bin/python benchmarks/progress_imported.py [--n 500]    # the copy: benchmarks/out/progress_imported.sqlite3
    DATABASE_URL=sqlite:///benchmarks/out/progress_imported.sqlite3 ...   # then measure progress_status on it

N projects under construction without tasks (spread over the district) are given the 3-task MS Project plan
of tests/progress/test_plan_agreement._file_tasks (hour units, a six-day file calendar with a holiday),
imported through scheduling.services.tasks_replace_keyed with their first indicator and a third of its
target on each task; every second one is then put on 导入文件日历, the others stay on 法定工作日.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import sqlite3
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--src", default=str(OUT / "progress_bench.sqlite3"))
    parser.add_argument("--dst", default=str(OUT / "progress_imported.sqlite3"))
    args = parser.parse_args()
    with sqlite3.connect(args.src) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(args.src, args.dst)
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.dst).resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    import django

    django.setup()
    from tests.progress.test_plan_agreement import _file_tasks
    from tiaodu.core.actors import SystemActor
    from tiaodu.projects.models import Project
    from tiaodu.scheduling import services
    from tiaodu.scheduling.file_import import read_file_project
    from tiaodu.scheduling.models import CalendarMode

    actor = SystemActor()
    ids = list(
        Project.objects.filter(status="under_construction", schedule_tasks__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    chosen = ids[:: max(len(ids) // args.n, 1)][: args.n]
    started = time.perf_counter()
    for k, pid in enumerate(chosen):
        project = Project.objects.get(pk=pid)
        indicator = project.indicators.order_by("sort_order", "id").first()
        read = read_file_project(_file_tasks(saturday=True), file_format="MS Project XML (MSPDI)")
        quantity = (indicator.target / 3).quantize(Decimal("0.001"))
        tasks = [dataclasses.replace(t, indicator=indicator, quantity=quantity) for t in read.tasks]
        services.tasks_replace_keyed(user=actor, project=project, tasks=tasks, file_data=read.file_data)
        if k % 2 == 0:
            services.schedule_mode_set(user=actor, project=project, mode=CalendarMode.FILE)
    print(f"{len(chosen)} projects imported into {args.dst} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
