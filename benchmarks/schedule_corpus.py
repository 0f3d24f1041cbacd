"""The schedule-agreement corpus (issue 15 item 6): generated MS Project and P6 files with their dates
computed by mpxj's own schedulers, plus mpxj's public sample files when its mirror is present.

    .venv/bin/python benchmarks/schedule_corpus.py            # → var/bench/corpus/*, var/bench/real/*

Generated networks (fixed seed per file): WBS phases and work packages (summaries), 1–2 predecessors per
task within a window, 75% FS / 10% SS / 10% FF / 5% SF, lags −2…+5 days on a third of the links, a few
second links between the same pair, three calendars (Monday–Friday with 2026–2027 public holidays and
make-up Saturdays, Monday–Saturday, seven days), constraints (SNET, FNLT, MSO/MFO), progress up to a
data date a quarter into the project (finished and started tasks), and for MS Project elapsed
durations / lags, percentage lags and links from summaries. Dates are computed by
org.mpxj.cpm.MicrosoftScheduler / PrimaveraScheduler and written into the file. Nothing here is committed.
"""

from __future__ import annotations

import datetime
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.scheduling import file_build as fb  # noqa: E402 — test support builds the files
from tiaodu.scheduling.file_model import (  # noqa: E402
    FF,
    FNLT,
    FS,
    MFO,
    MSO,
    MSP,
    P6,
    SF,
    SNET,
    SS,
    FileCalendar,
    FileLink,
    FileProject,
    FileTask,
    WorkRange,
)

CORPUS = ROOT / "var" / "bench" / "corpus"
REAL = ROOT / "var" / "bench" / "real"
MIRROR = Path("/work/.mirror/joniles+mpxj/repo")
START = datetime.datetime(2026, 3, 2, 8, 0)
DAY = (WorkRange(480, 720), WorkRange(780, 1020))
HOLIDAYS = [
    (datetime.date(2026, 4, 4), datetime.date(2026, 4, 6)),
    (datetime.date(2026, 5, 1), datetime.date(2026, 5, 5)),
    (datetime.date(2026, 6, 19), datetime.date(2026, 6, 21)),
    (datetime.date(2026, 9, 25), datetime.date(2026, 9, 27)),
    (datetime.date(2026, 10, 1), datetime.date(2026, 10, 7)),
    (datetime.date(2027, 1, 1), datetime.date(2027, 1, 3)),
    (datetime.date(2027, 2, 5), datetime.date(2027, 2, 13)),
    (datetime.date(2027, 4, 4), datetime.date(2027, 4, 6)),
    (datetime.date(2027, 5, 1), datetime.date(2027, 5, 5)),
    (datetime.date(2027, 10, 1), datetime.date(2027, 10, 7)),
]
MAKE_UP_SATURDAYS = [datetime.date(2026, 9, 26), datetime.date(2026, 10, 10), datetime.date(2027, 2, 20)]
# (file name, source, tasks, formats)
SPECS = [
    ("gen-msp-50", MSP, 50, ("mspdi", "mpx")),
    ("gen-msp-300", MSP, 300, ("mspdi",)),
    ("gen-msp-1000", MSP, 1000, ("mspdi",)),
    ("gen-msp-4000", MSP, 4000, ("mspdi",)),
    ("gen-p6-50", P6, 50, ("xer", "pmxml")),
    ("gen-p6-300", P6, 300, ("xer",)),
    ("gen-p6-1000", P6, 1000, ("xer", "pmxml")),
    ("gen-p6-4000", P6, 4000, ("xer",)),
]
# mpxj's public sample files (LGPL project data; read from the mirror into var/, never committed)
REAL_FILES = [
    "junit/data/PredecessorCalendar.xer",
    "junit/data/SuccessorCalendar.xer",
    "junit/data/TwentyFourHourCalendar.xer",
    "junit/data/ProjectDefaultCalendar.xer",
    "junit/data/PredecessorCalendar.xml",
    "junit/data/generated/task-percentcomplete/percent-complete-8.4.xer",
    "junit/data/generated/task-percentcomplete/percent-complete-8.4.pmxml",
    "junit/data/generated/task-links/task-links-project2019-mspdi.xml",
    "junit/data/generated/task-links/task-links-project2019-mpp14.mpp",
    "junit/data/generated/task-links/task-links-project98.mpx",
    "junit/data/generated/task-durations/task-durations-project2019-mspdi.xml",
    "junit/data/legacy/sample.mpx",
    "junit/data/mpxrecurring.mpx",
    "junit/data/slack9.mpp",
    "junit/data/mpp14enterprise.mpp",
    "junit/data/mspditimephased.xml",
    "junit/data/calendar-exception-precedence.mpp",
]


def _dates(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def calendars() -> dict[str, FileCalendar]:
    holidays = {d: () for a, b in HOLIDAYS for d in _dates(a, b)}
    standard = dict(holidays)
    standard.update({d: DAY for d in MAKE_UP_SATURDAYS})
    six = {d: () for d in holidays if d.month in (2, 10)}
    return {
        "1": FileCalendar("1", "标准（含法定节假日）", {d: DAY if d < 5 else () for d in range(7)}, standard),
        "2": FileCalendar(
            "2", "六天工作制", {d: DAY if d < 6 else () for d in range(7)}, six, 480, 2880, 12480
        ),
        "3": FileCalendar("3", "连续施工", {d: DAY for d in range(7)}, {}, 480, 3360, 14400),
    }


def _wbs(n: int) -> tuple[list[FileTask], list[str]]:
    """Phases and work packages (summaries); the parent key of each of n tasks."""
    phases = max(2, round(n**0.5 / 3))
    packages = max(phases, n // 12)
    summaries, parents = [], []
    for p in range(phases):
        summaries.append(FileTask(f"{900000 + p}", f"P{p + 1}", f"第{p + 1}阶段", 0, summary=True))
    for w in range(packages):
        phase = w * phases // packages
        summaries.append(
            FileTask(
                f"{910000 + w}",
                f"P{phase + 1}.{w + 1}",
                f"工作包{w + 1}",
                0,
                summary=True,
                parent=f"{900000 + phase}",
            )
        )
    for i in range(n):
        parents.append(f"{910000 + i * packages // n}")
    return summaries, parents


def _link(rng: random.Random, pred: str, source: str) -> FileLink:
    kind = rng.choices([FS, SS, FF, SF], [75, 10, 10, 5])[0]
    link = FileLink(pred, kind)
    roll = rng.random()
    if roll < 0.3:
        link.lag_minutes = rng.randint(-2, 5) * 480
    elif source == MSP and roll < 0.33:
        link.lag_minutes, link.lag_elapsed = rng.randint(1, 3) * 1440, True
    elif source == MSP and roll < 0.34 and kind == FS:
        link.lag_percent = float(rng.choice([25, 50]))
    return link


def _task(rng: random.Random, i: int, parent: str, source: str) -> FileTask:
    milestone = rng.random() < 0.05
    minutes = 0 if milestone else rng.choice([240, 480, 960]) * rng.randint(1, 12)
    task = FileTask(
        str(i + 1), f"A{(i + 1) * 10}", f"作业{i + 1}", minutes, parent=parent, milestone=milestone
    )
    roll = rng.random()
    if roll < 0.15:
        task.calendar = "2"
    elif roll < 0.18:
        task.calendar = "3"
    elif source == MSP and roll < 0.19 and not milestone:
        task.duration_minutes, task.duration_elapsed = rng.randint(2, 10) * 1440, True
    return task


def network(name: str, source: str, n: int) -> FileProject:
    rng = random.Random(name)
    summaries, parents = _wbs(n)
    tasks = [_task(rng, i, parents[i], source) for i in range(n)]
    for i, task in enumerate(tasks[1:], start=1):
        for _ in range(rng.choice([1, 1, 2])):
            pred = tasks[max(0, i - rng.randint(1, 30))]
            task.links.append(_link(rng, pred.key, source))
        if rng.random() < 0.02:
            task.links += [FileLink(tasks[i - 1].key, SS, 480), FileLink(tasks[i - 1].key, FF, 0)]
    if source == MSP:  # a link from each phase (a summary) to the first task of the next phase
        phase_of = {s.key: s.parent for s in summaries}
        for p in range(1, len(summaries)):
            first = next((t for t in tasks if phase_of[t.parent] == f"{900000 + p}"), None)
            if first is not None:
                first.links.append(FileLink(f"{900000 + p - 1}", FS))
    for task in tasks:
        roll = rng.random()
        if roll < 0.03:
            task.constraint, task.constraint_date = (
                SNET,
                START + datetime.timedelta(days=rng.randint(10, 200)),
            )
        elif roll < 0.04:
            task.constraint, task.constraint_date = (
                FNLT,
                START + datetime.timedelta(days=rng.randint(100, 500)),
            )
        elif roll < 0.045 and not task.milestone:
            kind = rng.choice([MSO, MFO])
            task.constraint, task.constraint_date = (
                kind,
                START + datetime.timedelta(days=rng.randint(30, 300)),
            )
    fp = FileProject(source, name, START, "1", calendars(), _tree_order(summaries, tasks))
    return _progress(fp, rng)


def _tree_order(summaries: list[FileTask], tasks: list[FileTask]) -> list[FileTask]:
    """Every summary followed by what it holds (MS Project's file order: outline levels follow it)."""
    children: dict[str | None, list[FileTask]] = {}
    for t in summaries + tasks:
        children.setdefault(t.parent, []).append(t)
    out: list[FileTask] = []

    def walk(parent):
        for t in children.get(parent, []):
            out.append(t)
            walk(t.key)

    walk(None)
    return out


def _progress(fp: FileProject, rng: random.Random) -> FileProject:
    """Actuals up to a data date a quarter into the plan, from mpxj's own unprogressed schedule."""
    plan = fb.mpxj_schedule(fp)
    finishes = [r.finish for r in plan.values() if r.finish]
    if not finishes:
        return fp
    data_date = fp.start + (max(finishes) - fp.start) / 4
    data_date = data_date.replace(hour=17, minute=0)
    fp.data_date = data_date
    for task in fp.tasks:
        r = plan.get(task.key)
        if task.summary or r is None or r.start is None or r.start >= data_date:
            continue
        task.actual_start = r.start
        if r.finish <= data_date:
            task.actual_finish, task.percent_complete = r.finish, 100.0
        else:
            task.percent_complete = float(rng.choice([10, 25, 40, 60]))
        if task.constraint in (MSO, MFO):
            task.constraint, task.constraint_date = "ASAP", None
    return fp


def write_scheduled(fp: FileProject, path: Path, fmt: str) -> Path:
    """fp built by file_build, scheduled by mpxj's scheduler, written by mpxj (XER in UTF-8; MPX in the ZH
    code page with times). P6 activities without a calendar get the project's (P6 always names one)."""
    pf = fb.project_file(fp)
    if fp.source == P6:
        for mt in pf.getTasks():
            if mt.getCalendar() is None:
                mt.setCalendar(pf.getDefaultCalendar())
    fb.schedule_project_file(pf, fp.source, fp.start)
    if fmt == "xer":
        from java.io import FileOutputStream
        from java.nio.charset import Charset
        from org.mpxj.primavera import PrimaveraXERFileWriter

        writer = PrimaveraXERFileWriter()
        writer.setCharset(Charset.forName("UTF-8"))
        out = FileOutputStream(str(path))
        try:
            writer.write(pf, out)
        finally:
            out.close()
    elif fmt == "mpx":
        from org.mpxj import CodePage, ProjectDateFormat
        from org.mpxj.mpx import MPXWriter

        pf.getProjectProperties().setMpxCodePage(CodePage.ZH)
        pf.getProjectProperties().setDateFormat(ProjectDateFormat.DD_MM_YY_HH_MM)
        writer = MPXWriter()
        writer.setUseLocaleDefaults(False)
        writer.write(pf, str(path))
    else:
        from org.mpxj.writer import FileFormat, UniversalProjectWriter

        kind = {"mspdi": FileFormat.MSPDI, "pmxml": FileFormat.PMXML}[fmt]
        UniversalProjectWriter(kind).write(pf, str(path))
    return path


EXT = {"mspdi": ".xml", "mpx": ".mpx", "xer": ".xer", "pmxml": ".pmxml"}


def build(force: bool = False) -> list[Path]:
    """Every corpus file (generated ones built when missing), in a stable order."""
    fb.start_jvm()
    CORPUS.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, source, n, formats in SPECS:
        fp = None
        for fmt in formats:
            path = CORPUS / f"{name}{EXT[fmt]}"
            if force or not path.exists():
                fp = fp or network(name, source, n)
                write_scheduled(fp, path, fmt)
            paths.append(path)
    return paths + real_files()


def real_files() -> list[Path]:
    """mpxj's sample files, copied from the mirror into var/bench/real (when the mirror is there)."""
    if not MIRROR.exists():
        return []
    REAL.mkdir(parents=True, exist_ok=True)
    out = []
    for name in REAL_FILES:
        target = REAL / Path(name).name
        if not target.exists():
            data = subprocess.run(
                ["git", "-C", str(MIRROR), "show", f"HEAD:{name}"], capture_output=True, check=False
            )
            if data.returncode != 0:
                continue
            target.write_bytes(data.stdout)
        out.append(target)
    return out


if __name__ == "__main__":
    for p in build(force="--force" in sys.argv):
        print(p.relative_to(ROOT), p.stat().st_size)
