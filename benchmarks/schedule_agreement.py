"""Agreement of our schedule with the dates stored in MS Project / P6 files (issue 15 item 6).

    .venv/bin/python benchmarks/schedule_agreement.py                 # the whole corpus (built when missing)
    .venv/bin/python benchmarks/schedule_agreement.py FILE [FILE …]   # given files

For each file: open it as the product does (tiaodu.scheduling.mpxj_open),
extract it (mpxj_extract), schedule it (file_engine.schedule) and compare per task with what the file
states: early start and early finish (exact to the minute, and the same date), total float (in days, one
decimal, as the tools show it) and the critical flag. Summaries are left out, and so are completed tasks
(their dates are actuals). As a reference the file is also read afresh and scheduled by mpxj's own
MicrosoftScheduler / PrimaveraScheduler: its agreement with the file, and its time, are shown beside ours
(time ratio = ours ÷ mpxj's). Results also go to var/bench/schedule_agreement.json.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
django.setup()  # mpxj_open starts the JVM through the importers, which use the models

from benchmarks import schedule_corpus  # noqa: E402
from tests.scheduling import file_build as fb  # noqa: E402
from tiaodu.scheduling import mpxj_open  # noqa: E402
from tiaodu.scheduling.file_model import MSP  # noqa: E402
from tiaodu.scheduling.mpxj_extract import extract  # noqa: E402
from tiaodu.scheduling.worktime import WorkCalendar  # noqa: E402

try:
    from tiaodu.scheduling.file_engine import schedule as engine_schedule
except ImportError:  # the engine is not merged yet
    engine_schedule = None

MEASURES = ("es_min", "es_day", "ef_min", "ef_day", "tf", "crit")
OUT = ROOT / "var" / "bench" / "schedule_agreement.json"


def open_file(path: Path):
    """mpxj's ProjectFile of the file, opened as the product opens it (mpxj_open)."""
    return mpxj_open.open_file(str(path)).project_file


def _days(minutes: int | None, per_day: int) -> float | None:
    return None if minutes is None else round(minutes / per_day, 1)


def compare(fp, results: dict) -> dict:
    """Per measure: (agreeing, compared) over the file's non-summary, not completed tasks.
    `results`: FileTask.key → an object with early_start, early_finish, total float minutes, critical."""
    counts = {m: [0, 0] for m in MEASURES}
    for t in fp.tasks:
        r = results.get(t.key)
        if t.summary or t.actual_finish is not None or r is None:
            continue
        per_day = fp.calendars.get(t.calendar or fp.calendar, fp.calendars[fp.calendar]).minutes_per_day
        pairs = {
            "es_min": (t.file_early_start, r[0]),
            "es_day": (t.file_early_start and t.file_early_start.date(), r[0] and r[0].date()),
            "ef_min": (t.file_early_finish, r[1]),
            "ef_day": (t.file_early_finish and t.file_early_finish.date(), r[1] and r[1].date()),
            "tf": (_days(t.file_total_float_minutes, per_day), _days(r[2], per_day)),
            "crit": (t.file_critical, r[3]),
        }
        for measure, (file_value, ours) in pairs.items():
            if file_value is None:
                continue
            counts[measure][1] += 1
            counts[measure][0] += file_value == ours
    return counts


def ours(path: Path):
    """(FileProject, results by key, seconds to open + extract, seconds to schedule, error)."""
    begin = time.perf_counter()
    fp = extract(open_file(path))
    extracted = time.perf_counter()
    if engine_schedule is None:
        return fp, {}, extracted - begin, None, "file_engine 未合入 main"
    try:
        result = engine_schedule(fp)
    except Exception as exc:  # noqa: BLE001 — a benchmark row, not a crash
        return fp, {}, extracted - begin, None, f"{type(exc).__name__}: {exc}"
    done = time.perf_counter()
    out = {
        k: (r.early_start, r.early_finish, r.total_float_minutes, r.critical) for k, r in result.tasks.items()
    }
    return fp, out, extracted - begin, done - extracted, None


def _fill_remaining(pf) -> None:
    """mpxj's schedulers need remaining and actual durations on every task; files leave them out when
    they are 0 (MSPDI): remaining 0 when finished, else the duration; actual the reverse."""
    from org.mpxj import Duration, TimeUnit

    for task in pf.getTasks():
        if task.getSummary():
            continue
        duration = task.getDuration() or Duration.getInstance(0, TimeUnit.HOURS)
        zero = Duration.getInstance(0, duration.getUnits())
        if task.getRemainingDuration() is None:
            task.setRemainingDuration(zero if task.getActualFinish() is not None else duration)
        if task.getActualDuration() is None:
            task.setActualDuration(duration if task.getActualFinish() is not None else zero)


def reference(path: Path, fp) -> tuple[dict, float, str | None]:
    """mpxj's own scheduler on a fresh read of the file: results by our keys, seconds, error."""
    begin = time.perf_counter()
    try:
        pf = open_file(path)
        _fill_remaining(pf)
        by_uid = fb.schedule_project_file(pf, fp.source, fp.start)
    except Exception as exc:  # noqa: BLE001
        return {}, time.perf_counter() - begin, f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - begin
    if fp.source == MSP:
        keys = {uid: uid for uid in by_uid}
    else:  # P6 keys are GUIDs / activity IDs: match by the code (activity ID)
        code_key = {t.code: t.key for t in fp.tasks}
        keys = {}
        for task in pf.getTasks():
            code = task.getActivityID()
            if task.getUniqueID() is not None and code is not None and str(code) in code_key:
                keys[str(int(task.getUniqueID()))] = code_key[str(code)]
    out = {}
    for uid, r in by_uid.items():
        if uid in keys:
            out[keys[uid]] = (r.early_start, r.early_finish, r.total_float_minutes, r.critical)
    _working_slack(fp, out)
    return out, seconds, None


def _working_slack(fp, out: dict) -> None:
    """mpxj counts an MS Project elapsed task's slack in elapsed minutes; mpxj_extract turns the file's
    into working minutes from the early finish on the task's calendar: the reference's the same way."""
    for t in fp.tasks:
        r = out.get(t.key)
        if fp.source != MSP or not t.duration_elapsed or r is None or r[1] is None or r[2] is None:
            continue
        cal = WorkCalendar(fp.calendars[t.calendar or fp.calendar])
        late = r[1] + datetime.timedelta(minutes=r[2])
        out[t.key] = (r[0], r[1], cal.between(r[1], late), r[3])


def _pct(pair) -> str:
    agree, total = pair
    return "—" if not total else f"{100.0 * agree / total:.1f}"


def run(paths: list[Path]) -> list[dict]:
    rows = []
    for path in paths:
        try:
            fp, results, t_extract, t_schedule, error = ours(path)
        except Exception as exc:  # noqa: BLE001
            rows.append({"file": path.name, "error": f"{type(exc).__name__}: {exc}"})
            continue
        ref, t_ref, ref_error = reference(path, fp)
        leaves = [t for t in fp.tasks if not t.summary]
        row = {
            "file": path.name,
            "source": fp.source,
            "tasks": len(leaves),
            "links": sum(len(t.links) for t in fp.tasks),
            "compared": sum(1 for t in leaves if t.actual_finish is None),
            "levelled": fp.levelled,
            "ours": {m: c for m, c in compare(fp, results).items()} if results else None,
            "mpxj": {m: c for m, c in compare(fp, ref).items()} if ref else None,
            "t_extract": t_extract,
            "t_schedule": t_schedule,
            "t_mpxj": t_ref,
            "error": error or ref_error,
            "notes": fp.notes[:5],
        }
        rows.append(row)
        print_row(row)
    return rows


HEADER = "file | src | tasks | lev | ES min | ES day | EF min | EF day | TF d | crit | mpxj ES/EF/TF/crit | open+extract s | schedule s | mpxj read+schedule s | ratio"


def print_row(row: dict) -> None:
    if "source" not in row:
        print(f"{row['file']} | error: {row['error']}")
        return
    ours_cells = [_pct(row["ours"][m]) if row["ours"] else "—" for m in MEASURES]
    mpxj = row["mpxj"]
    mpxj_cells = "/".join(_pct(mpxj[m]) for m in ("es_min", "ef_min", "tf", "crit")) if mpxj else "—"
    total = row["t_extract"] + (row["t_schedule"] or 0.0)
    ratio = f"{total / row['t_mpxj']:.2f}" if row["t_schedule"] is not None and row["t_mpxj"] else "—"
    schedule = f"{row['t_schedule']:.2f}" if row["t_schedule"] is not None else "—"
    cells = [row["file"], row["source"], str(row["tasks"]), "yes" if row["levelled"] else "no"]
    cells += ours_cells + [mpxj_cells, f"{row['t_extract']:.2f}", schedule, f"{row['t_mpxj']:.2f}", ratio]
    print(" | ".join(cells) + (f"  [{row['error']}]" if row["error"] else ""), flush=True)


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv if not a.startswith("-")] or schedule_corpus.build()
    fb.start_jvm()
    extract(open_file(paths[0]))  # warm the JVM up, so the first file's times are like the others'
    print(HEADER, flush=True)
    rows = run(paths)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
