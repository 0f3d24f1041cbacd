"""An MS Project / P6 schedule (a FileProject) as the product's tasks: the mapping and its checks.

Rules (the README's 计划导入 section):

* Only non-summary tasks become tasks. Summary tasks are kept with the project (ProjectSchedule.file_data)
  with their links and constraints, so the file engine applies them to their children; a leaf's link from
  a summary is kept in its detail.
* Identity: Task.source_key = FileTask.key (MS Project UniqueID, P6 activity GUID / ID). The code is the
  file's own (MS Project ID / WBS, P6 activity ID); when two tasks show the same code, the second one's
  code is its key.
* Durations stay exact (minutes, elapsed flag, calendar) in the detail; the whole days shown and used by
  the working-day tools are the minutes divided by the minutes per day of the task's calendar, rounded
  half up once, and at least 1 for any non-zero duration (0 days means a milestone). An elapsed duration
  counts 24 hours a day. Lags: the same rule (a percentage lag: that share of the predecessor's days).
* Several links between the same pair are kept when their types differ; a second link of the same type
  between the same pair is dropped and named in the report.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from tiaodu.core.xlsx import CellError
from tiaodu.scheduling import engine
from tiaodu.scheduling.file_json import calendar_json, link_json, task_detail, whole_days
from tiaodu.scheduling.file_model import ASAP, FileLink, FileProject, FileTask
from tiaodu.scheduling.importers import (
    MAX_TASKS,
    ExactLag,
    ImportedTask,
    ScheduleFileError,
    ScheduleRead,
    _check_cycles,
)
from tiaodu.scheduling.models import MAX_DURATION, MAX_LAG

LEVELLING_NOT_DONE = "资源平衡（资源调配）未执行：按逻辑关系和日历排程"
ELAPSED_MINUTES_PER_DAY = 1440


def display_days(minutes: int, minutes_per_day: int) -> int:
    """A duration in whole days: 0 only for no time at all, else at least 1 (0 means a milestone)."""
    if minutes <= 0:
        return 0
    return max(1, whole_days(minutes, minutes_per_day))


def _minutes_per_day(fp: FileProject, task: FileTask) -> int:
    if task.duration_elapsed:
        return ELAPSED_MINUTES_PER_DAY
    cal = fp.calendars.get(task.calendar or fp.calendar) or fp.calendars.get(fp.calendar)
    return cal.minutes_per_day if cal is not None and cal.minutes_per_day > 0 else 480


def _codes(leaves: list[FileTask]) -> dict[str, str]:
    """Each leaf's code by key: the file's code, or its key when the code is empty or already taken."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for task in leaves:
        code = (task.code or "").strip()[:50]
        if not code or code in taken or any(ch in code for ch in ",，、;；"):
            code = str(task.key)[:50]
        out[task.key] = code
        taken.add(code)
    return out


def _lag_days(link: FileLink, pred_days: int, minutes_per_day: int) -> int:
    if link.lag_percent is not None:
        return int((Decimal(str(link.lag_percent)) * pred_days / 100).quantize(Decimal(1), ROUND_HALF_UP))
    if link.lag_elapsed:
        return whole_days(link.lag_minutes, ELAPSED_MINUTES_PER_DAY)
    return whole_days(link.lag_minutes, minutes_per_day)


def read_file_project(fp: FileProject, *, file_format: str) -> ScheduleRead:
    """The checked tasks of a FileProject (ScheduleFileError, in Chinese, when it cannot be imported)."""
    by_key = {t.key: t for t in fp.tasks}
    leaves = [t for t in fp.tasks if not t.summary]
    if not leaves:
        raise ScheduleFileError([CellError(message=f"{file_format}文件中没有任务（摘要任务不计）")])
    if len(leaves) > MAX_TASKS:
        raise ScheduleFileError([CellError(message=f"任务超过{MAX_TASKS}项，请拆分后导入")])
    codes = _codes(leaves)
    days = {t.key: display_days(t.duration_minutes, _minutes_per_day(fp, t)) for t in leaves}
    errors: list[CellError] = []
    dropped: list[str] = []
    tasks = []
    for task in leaves:
        tasks.append(_imported(fp, task, by_key, codes, days, errors, dropped))
    if errors:
        raise ScheduleFileError(errors)
    _check_cycles(tasks)
    read = ScheduleRead(
        tasks,
        notices=[],
        carries_indicators=False,
        file_format=file_format,
        project_name=fp.name,
        file_data=file_data(fp),
    )
    _describe(read, fp, leaves, dropped)
    return read


def _imported(fp, task, by_key, codes, days, errors, dropped) -> ImportedTask:
    code = codes[task.key]
    name = (task.name or "").strip()[:200] or f"任务{code}"
    duration = days[task.key]
    if duration > MAX_DURATION:
        errors.append(
            CellError(message=f"任务「{code} {name}」：工期{duration}天过长（最多{MAX_DURATION}天）")
        )
    mpd = _minutes_per_day(fp, task)
    links, lags, summary_links = [], [], []
    seen: set[tuple[str, str]] = set()
    for link in task.links:
        pred = by_key.get(link.predecessor)
        if pred is None:
            dropped.append(
                f"任务「{code} {name}」的紧前任务（标识{link.predecessor}）不在本项目中（外部项目），已忽略"
            )
            continue
        if pred.summary:
            summary_links.append(link)
            continue
        if pred.key == task.key:
            dropped.append(f"任务「{code} {name}」以自身为紧前任务，已忽略")
            continue
        if (pred.key, link.type) in seen:
            dropped.append(
                f"任务「{code} {name}」与「{codes[pred.key]}」之间重复的{link.type}依赖，只保留第一条"
            )
            continue
        seen.add((pred.key, link.type))
        lag = _lag_days(link, days.get(pred.key, 0), mpd if not task.duration_elapsed else 480)
        if abs(lag) > MAX_LAG:
            errors.append(
                CellError(message=f"任务「{code} {name}」：与「{codes[pred.key]}」的间隔{lag}天过大")
            )
            continue
        links.append(engine.Link(codes[pred.key], link.type if link.type in engine.LINK_TYPES else "FS", lag))
        lags.append(ExactLag(link.lag_minutes, link.lag_elapsed, link.lag_percent))
    return ImportedTask(
        row=code,
        code=code,
        name=name,
        duration=duration,
        links=links,
        key=str(task.key)[:100],
        detail=task_detail(task, summary_links),
        exact_lags=lags,
    )


def file_data(fp: FileProject) -> dict:
    """ProjectSchedule.file_data: what the tasks alone do not carry."""

    def iso(value: datetime.datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "source": fp.source,
        "name": fp.name,
        "start": iso(fp.start),
        "calendar": fp.calendar,
        "calendars": {key: calendar_json(cal) for key, cal in fp.calendars.items()},
        "data_date": iso(fp.data_date),
        "finish": iso(fp.finish),
        "must_finish_by": iso(fp.must_finish_by),
        "summaries": [
            {
                "key": t.key,
                "code": t.code,
                "name": t.name,
                "links": [link_json(link) for link in t.links],
                "detail": task_detail(t),
            }
            for t in fp.tasks
            if t.summary
        ],
    }


def _describe(read: ScheduleRead, fp: FileProject, leaves: list[FileTask], dropped: list[str]) -> None:
    """The report's counts, what was dropped, and the file's own finish and critical tasks."""
    summaries = [t for t in fp.tasks if t.summary]
    read.counts = {
        "任务": len(leaves),
        "摘要任务": len(summaries),
        "依赖": sum(len(t.links) for t in fp.tasks),
        "日历": len(fp.calendars),
        "限制条件": sum(1 for t in fp.tasks if t.constraint != ASAP or t.secondary_constraint),
        "资源": fp.resources,
        "已开始的任务": sum(1 for t in leaves if t.actual_start is not None),
    }
    read.dropped = list(fp.notes)
    if fp.resources or fp.levelled:
        read.dropped.append(LEVELLING_NOT_DONE)
    read.dropped += dropped
    read.file_finish = fp.finish.isoformat() if fp.finish else None
    by_key = {t.key: t.code for t in read.tasks}
    if any(t.file_critical is not None for t in leaves):
        read.file_critical = [by_key[t.key] for t in leaves if t.file_critical and t.key in by_key]
    if fp.data_date is not None:
        read.notices.append(
            f"文件的状态日期（数据日期）为{fp.data_date:%Y-%m-%d %H:%M}，已开始的任务按实际进度排程"
        )
