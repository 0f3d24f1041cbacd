"""The report shown after every schedule import (file_model.ImportReport, kept as JSON on ScheduleImport).

What was read, what was dropped and why, what the import added, removed and changed, the file's calendar
against the project's, and the finish and critical tasks against the file's own.
"""

from __future__ import annotations

import dataclasses
import datetime

from tiaodu.projects.models import Project
from tiaodu.scheduling import engine
from tiaodu.scheduling.calendar import FILE, MODE_LABELS, MODE_WEEKDAYS
from tiaodu.scheduling.compute import Schedule
from tiaodu.scheduling.file_json import calendar_from_json, calendar_summary, day_minutes, working_weekdays
from tiaodu.scheduling.file_model import ImportReport
from tiaodu.scheduling.identity import Changes
from tiaodu.scheduling.importers import ScheduleRead
from tiaodu.scheduling.selectors import ScheduleUnavailable, project_schedule, schedule_settings

COUNT_ORDER = ["任务", "摘要任务", "依赖", "日历", "限制条件", "资源", "已开始的任务"]


def _schedule(project: Project, mode: str | None = None) -> tuple[Schedule | None, str]:
    try:
        return project_schedule(project, mode=mode), ""
    except (ScheduleUnavailable, engine.ScheduleError, ValueError) as exc:
        return None, str(exc)


def file_calendar_text(file_data: dict | None) -> str:
    """周一至周六、每天8小时、含3个例外日期 — the file's default calendar, "" when there is none."""
    if not file_data or file_data.get("calendar") not in (file_data.get("calendars") or {}):
        return ""
    return calendar_summary(calendar_from_json(file_data["calendars"][file_data["calendar"]]))


def calendar_differs(file_data: dict | None, mode: str) -> bool:
    """Whether scheduling on the project's mode differs from the file's calendar (its default one)."""
    if not file_data or mode == FILE or not file_calendar_text(file_data):
        return False
    cal = calendar_from_json(file_data["calendars"][file_data["calendar"]])
    if working_weekdays(cal) != MODE_WEEKDAYS[mode] or cal.exceptions or len(file_data["calendars"]) > 1:
        return True
    return any(day_minutes(cal.week[wd]) != 480 for wd in working_weekdays(cal))


def calendar_notes(project: Project, file_data: dict | None, ours: Schedule | None) -> list[str]:
    """The file's calendar against the project's, and the finish under each (when they differ)."""
    text = file_calendar_text(file_data)
    if not text:
        return []
    mode = schedule_settings(project).mode
    label = MODE_LABELS[mode]
    if mode == FILE:
        return [f"文件日历为{text}；本项目使用「导入文件日历」，按文件的日历排程"]
    if not calendar_differs(file_data, mode):
        return [f"文件日历为{text}，与本项目使用的「{label}」相同"]
    notes = [
        f"文件日历为{text}；本项目使用「{label}」，工期按本项目日历排程，完工日期可能与文件不同。"
        f"如需按文件的日历排程，请在工期计划页将日历模式改为「{MODE_LABELS[FILE]}」"
    ]
    theirs, _ = _schedule(project, mode=FILE)
    if ours is not None and theirs is not None and ours.finish and theirs.finish:
        delta = (theirs.finish - ours.finish).days
        diff = "相同" if delta == 0 else f"{'晚' if delta > 0 else '早'}{abs(delta)}天"
        notes.append(
            f"按「{label}」计划完工{ours.finish:%Y-%m-%d}；按「{MODE_LABELS[FILE]}」计划完工"
            f"{theirs.finish:%Y-%m-%d}（{diff}）"
        )
    return notes


def build(*, project: Project, read: ScheduleRead, changes: Changes, file_name: str) -> dict:
    """The report of an import just written (the project's tasks are the imported ones)."""
    ours, problem = _schedule(project)
    report = ImportReport(
        file_name=file_name,
        file_format=read.file_format,
        project_name=read.project_name,
        counts={k: read.counts[k] for k in COUNT_ORDER if k in read.counts},
        added=changes.added[:200],
        removed=changes.removed[:200],
        changed=changes.lines(),
        dropped=list(read.dropped),
        calendar_notes=calendar_notes(project, read.file_data, ours),
    )
    data = dataclasses.asdict(report)
    data["added_count"], data["removed_count"] = len(changes.added), len(changes.removed)
    data["file_finish"] = read.file_finish
    data["our_finish"] = ours.finish.isoformat() if ours is not None and ours.finish else None
    data["schedule_problem"] = problem
    data["calendar_differs"] = calendar_differs(read.file_data, schedule_settings(project).mode)
    notices = list(read.notices)
    if changes.kept_quantities:
        notices.append(
            f"文件不含关联指标，{changes.kept_quantities}项任务按文件中的唯一标识对应原任务，保留了原关联指标和工程量"
        )
    data["notices"] = notices
    if ours is not None and read.file_critical is not None:
        names = {t.code: t.name for t in ours.tasks}
        mine = {t.code for t in ours.tasks if t.critical}
        theirs = set(read.file_critical)
        data["critical_same"] = len(mine & theirs)
        data["critical_only_file"] = [f"{c} {names.get(c, '')}" for c in read.file_critical if c not in mine]
        data["critical_only_ours"] = [f"{t.code} {t.name}" for t in ours.tasks if t.code in mine - theirs]
    data["file_critical_known"] = read.file_critical is not None
    return data


def finish_date(value: str | None) -> datetime.date | None:
    """An ISO date, or a datetime (a finish at midnight ends the day before)."""
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if len(value) > 10 and moment.time() == datetime.time.min:
        return moment.date() - datetime.timedelta(days=1)
    return moment.date()


def finish_text(value: str | None) -> str:
    day = finish_date(value)
    return f"{day:%Y-%m-%d}" if day else ""
