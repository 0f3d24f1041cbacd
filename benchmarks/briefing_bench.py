"""Benchmark of the weekly briefing (issue 6): one briefing for 1,000 projects, all three formats.

    .venv/bin/python benchmarks/briefing_bench.py [-n 1000] [--runs 3]

Steps (each in its own child process, on a fresh temporary SQLite database):
1. migrate; generate benchmarks/out/ledger_N.xlsx with ledger_generate.py unless present and load it with
   `import_ledger` (N projects, 3 indicators each, ~100 units);
2. write a 周报 workbook with two weekly reports for 85 % of the projects (cumulative figures between
   10 % and 95 % of target, so that some projects lag and some do not) and load it with `import_reports`;
3. add 60 problems at 分管区领导 level or above and 300 supervision items (a third of them past their
   deadline, so yellow and red cards appear);
4. measured: `briefing_generate` in a warm process, step by step (the figures from progress_status,
   charts, PDF, Word, Excel, storing the three documents) and end to end, --runs times; then the
   `make_briefing --as-of … --out DIR` command as a whole (Python start-up and imports included).
   Reference in the same run: `progress_status` for the same day, in the same process before each run,
   and the `progress_status --as-of …` command as a process after the `make_briefing` command.

Results are printed and written to benchmarks/out/briefing_results.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PY = sys.executable
TARGET_S = 4.0  # issue 16 (issue 6: 10 s); judged on the median of the end-to-end runs


def run(args: list[str], env: dict, label: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(
            f"{label} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}\n"
        )
        raise SystemExit(1)
    return wall, proc.stdout


def machine() -> dict:
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    import platform
    import sqlite3

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average": os.getloadavg(),
    }


def write_reports(ledger: Path, target: Path, as_of: datetime.date, seed: int = 6) -> int:
    """A 周报 workbook: two weekly reports (as of as_of−8 and as_of−1) for 85 % of the ledger's projects
    that take reports on those days (not 已竣工/已验收, started by as_of−8)."""
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    rng = random.Random(seed)
    book = CalamineWorkbook.from_path(str(ledger))
    rows = book.get_sheet_by_name("目标指标").to_python()[1:]
    # A project that is 已竣工/已验收, or starts after a report's date, takes no report (progress.checks).
    starts = {
        r[0]: r[8]
        for r in book.get_sheet_by_name("项目").to_python()[1:]
        if r[13] not in ("已竣工", "已验收")
    }
    by_project: dict[str, list[tuple[str, float]]] = {}
    for code, name, _unit, value in rows:
        by_project.setdefault(code, []).append((name, float(value)))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("周报")
    ws.append(
        ["项目编号", "截至日期", "指标名称", "累计完成量", "累计完成投资(万元)", "形象进度", "存在问题"]
    )
    count = 0
    for code, indicators in by_project.items():
        if rng.random() > 0.85:
            continue
        start = starts.get(code, as_of)
        if isinstance(start, datetime.datetime):
            start = start.date()
        if (
            code not in starts
            or not isinstance(start, datetime.date)
            or start > as_of - datetime.timedelta(8)
        ):
            continue
        share = rng.uniform(0.1, 0.95)
        for days, factor in ((8, 0.9), (1, 1.0)):
            day = as_of - datetime.timedelta(days=days)
            for i, (name, value) in enumerate(indicators):
                ws.append(
                    [
                        code,
                        day,
                        name,
                        round(value * share * factor, 1),
                        round(1000 * share * factor, 1) if i == 0 else None,
                        "按计划推进" if i == 0 else None,
                        None,
                    ]
                )
        count += 1
    wb.save(target)
    return count


def child_supervision(as_of: datetime.date) -> None:
    import django

    django.setup()
    from tiaodu.orgs.models import Unit
    from tiaodu.projects.models import Project
    from tiaodu.supervision.models import Level, Problem, ProblemType, SupervisionItem

    rng = random.Random(7)
    projects = list(Project.objects.select_related("lead_unit")[:400])
    units = list(Unit.objects.all())
    problems = [
        Problem(
            project=p,
            type=rng.choice(ProblemType.values),
            title=f"{p.name}推进难题",
            description=f"{p.name}涉及的征收补偿资金缺口约{rng.randint(300, 5000)}万元，需区级统筹协调解决。",
            owner_unit=p.lead_unit,
            level=rng.choice([Level.LEADER, Level.PRINCIPAL, Level.CITY]),
            level_entered_on=as_of - datetime.timedelta(days=rng.randint(1, 20)),
        )
        for p in projects[:60]
    ]
    Problem.objects.bulk_create(problems)
    items = SupervisionItem.objects.bulk_create(
        SupervisionItem(
            title=f"{p.name}：按调度会要求{rng.choice(['完成管线迁改', '完成征收签约', '完成清淤', '完成验收'])}",
            content="调度会决定事项",
            project=p,
            deadline=as_of + datetime.timedelta(days=rng.randint(-30, 40)),
        )
        for p in projects[:300]
    )
    through = SupervisionItem.assignee_units.through
    through.objects.bulk_create(
        through(supervisionitem_id=item.pk, unit_id=rng.choice(units).pk) for item in items
    )
    print(f"problems {len(problems)}, items {len(items)}")


def child_generate(as_of: datetime.date, runs: int, out_dir: Path) -> None:
    import django

    django.setup()
    from tiaodu.briefings import selectors, services
    from tiaodu.briefings.models import Briefing
    from tiaodu.briefings.render_docx import render_docx
    from tiaodu.briefings.render_pdf import render_pdf
    from tiaodu.briefings.render_xlsx import render_xlsx
    from tiaodu.core.actors import SYSTEM
    from tiaodu.progress.selectors import progress_status

    reference: list[float] = []  # progress_status alone, for the same day, in the same process
    steps: dict[str, list[float]] = {}
    totals: list[float] = []
    pages = None
    for _ in range(runs):
        t = time.perf_counter()
        progress_status(user=SYSTEM, as_of=as_of)
        reference.append(time.perf_counter() - t)
        t = time.perf_counter()
        inputs = selectors.briefing_inputs(as_of=as_of)
        marks = [("figures (progress_status, projects, problems, items)", time.perf_counter() - t)]
        briefing = Briefing(year=as_of.year, number=999, as_of=as_of, issuer=selectors.briefing_issuer())
        t = time.perf_counter()
        content = services.briefing_content(briefing=briefing, inputs=inputs)
        marks.append(("charts and content", time.perf_counter() - t))
        t = time.perf_counter()
        pdf, pages = render_pdf(content)
        marks.append(("PDF (WeasyPrint)", time.perf_counter() - t))
        t = time.perf_counter()
        render_docx(content, pages=pages)
        marks.append(("Word (python-docx)", time.perf_counter() - t))
        t = time.perf_counter()
        render_xlsx(status=inputs.status, projects=inputs.projects, title=content.title)
        marks.append(("Excel (openpyxl)", time.perf_counter() - t))
        for label, seconds in marks:
            steps.setdefault(label, []).append(seconds)
        t = time.perf_counter()
        result = services.briefing_generate(as_of=as_of, user=SYSTEM)
        totals.append(time.perf_counter() - t)
    print(
        json.dumps(
            {
                "projects": len(inputs.status.projects),
                "lagging": sum(1 for r in inputs.status.projects if r.level != "normal"),
                "missing": len(inputs.status.missing_reports),
                "problems": len(inputs.problems),
                "items": len(inputs.items),
                "pages": pages,
                "steps": {k: round(statistics.median(v), 2) for k, v in steps.items()},
                "end_to_end": [round(x, 2) for x in totals],
                "progress_status_s": [round(x, 2) for x in reference],
                "sizes_kb": {d.format: round(d.size / 1024) for d in result.briefing.documents.all()},
            },
            ensure_ascii=False,
        )
    )


def prepare(args, env: dict, ledger: Path, tmp: Path, as_of: datetime.date) -> None:
    """Steps 1–3: the database, the ledger, the reports, the problems and supervision items."""
    manage = [PY, "manage.py"]
    run(manage + ["migrate", "--noinput", "-v", "0"], env, "migrate")
    run(
        manage
        + [
            "shell",
            "-c",
            "from tiaodu.orgs.models import User; User.objects.create_user("
            "username='bench-admin', password='Bench-Admin-2026', role='admin', is_superuser=True)",
        ],
        env,
        "user",
    )
    if not ledger.exists():
        run([PY, "benchmarks/ledger_generate.py", "-n", str(args.n), "-o", str(ledger)], env, "ledger")
    seconds, _ = run(manage + ["import_ledger", str(ledger), "--user", "bench-admin"], env, "import_ledger")
    print(f"ledger of {args.n} projects imported in {seconds:.1f} s")
    reports = tmp / "reports.xlsx"
    reported = write_reports(ledger, reports, as_of)
    seconds, _ = run(manage + ["import_reports", str(reports)], env, "import_reports")
    print(f"reports of {reported} projects imported in {seconds:.1f} s")
    _s, out = run([PY, __file__, "--child-supervision", "--as-of", as_of.isoformat()], env, "supervision")
    print(out.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--as-of", dest="as_of", default=datetime.date.today().isoformat())
    parser.add_argument("--child-supervision", action="store_true")
    parser.add_argument("--child-generate", action="store_true")
    parser.add_argument("--out-dir")
    parser.add_argument("--reuse", help="a temp dir of an earlier run whose database is loaded: measure only")
    args = parser.parse_args()
    as_of = datetime.date.fromisoformat(args.as_of)
    if args.child_supervision:
        return child_supervision(as_of)
    if args.child_generate:
        return child_generate(as_of, args.runs, Path(args.out_dir))

    OUT.mkdir(parents=True, exist_ok=True)
    ledger = OUT / f"ledger_{args.n}.xlsx"
    tmp = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="briefing_bench_"))
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        DJANGO_SETTINGS_MODULE="tiaodu.settings",
        PYTHONPATH=str(ROOT),
    )
    manage = [PY, "manage.py"]
    print(f"database {tmp / 'bench.sqlite3'}")
    if not args.reuse:
        prepare(args, env, ledger, tmp, as_of)
    _s, out = run(
        [
            PY,
            __file__,
            "--child-generate",
            "--as-of",
            as_of.isoformat(),
            "--runs",
            str(args.runs),
            "--out-dir",
            str(tmp / "out"),
        ],
        env,
        "generate",
    )
    measured = json.loads(out.strip().splitlines()[-1])
    command_s, command_out = run(
        manage + ["make_briefing", "--as-of", as_of.isoformat(), "--out", str(tmp / "out")],
        env,
        "make_briefing",
    )
    status_s, _ = run(manage + ["progress_status", "--as-of", as_of.isoformat()], env, "progress_status")
    measured["command_wall_s"] = round(command_s, 2)
    measured["progress_status_command_wall_s"] = round(status_s, 2)
    median = statistics.median(measured["end_to_end"])
    measured["end_to_end_median_s"] = round(median, 2)
    measured["ratio_to_progress_status"] = round(median / statistics.median(measured["progress_status_s"]), 1)
    measured["command_paths"] = command_out.strip().splitlines()
    measured["machine"] = machine()
    measured["as_of"] = as_of.isoformat()
    measured["target_s"] = TARGET_S
    measured["passed"] = median < TARGET_S
    (OUT / "briefing_results.json").write_text(json.dumps(measured, ensure_ascii=False, indent=2))
    print(json.dumps(measured, ensure_ascii=False, indent=2))
    print(
        f"briefing for {measured['projects']} projects: end to end {measured['end_to_end']} s "
        f"(target < {TARGET_S} s; progress_status {measured['progress_status_s']} s in the same process), "
        f"make_briefing command {command_s:.1f} s wall (progress_status command {status_s:.1f} s)"
    )


if __name__ == "__main__":
    main()
