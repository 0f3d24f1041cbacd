"""The product's schedule of tasks imported from MS Project / P6: the file's semantics, the project's calendar.

When a project's tasks carry file semantics (Task.detail), `selectors.project_schedule` comes here: the
tasks become a FileProject again (its summaries, calendars and data date from ProjectSchedule.file_data),
`file_engine.schedule` schedules it in working minutes back from the end of the deadline day, and the
results are put on the project's working-day axis so period plans, accrual and the Gantt keep working.

The calendar (the README's 日历 section):

* 导入文件日历: the file's own calendars — the project's default, and each task's own calendar.
* any other mode: one calendar for every task, the mode's working days (WorkCalendar) with 8 working hours,
  08:00–12:00 and 13:00–17:00. A duration keeps its days: minutes on a file calendar of m minutes a day
  are counted as minutes × 480 / m here (elapsed durations and lags stay calendar time). A lag keeps its
  days the same way, m being the calendar it counts on: MS Project's successor's, P6's predecessor's.
  A lag typed in days (a link edited on the site) is those days on that calendar.

Results on the day axis: a task's first day is the working day its early start falls on (the next working
day when that date is not one, or when it starts at the end of a day's work); its last day the date its
early finish falls on (the working day before when it finishes at midnight or at the start of a day's
work). A milestone shows the day it follows, as the working-day engine shows it (one at the start of the
first day shows on the first day). Total float in days is
the engine's minutes divided by the minutes per day of the project's calendar, rounded half up. Critical
as the product defines it (the working-day engine's rule): the unfinished tasks whose float equals the
smallest, plus any the engine marks critical (float ≤ 0 against the deadline); finished tasks never.
"""

from __future__ import annotations

import datetime

from tiaodu.scheduling import engine, file_engine
from tiaodu.scheduling.calendar import FILE, CalendarRangeError, DayAxis, WorkCalendar
from tiaodu.scheduling.compute import Schedule, TaskDates
from tiaodu.scheduling.file_json import (
    calendar_from_json,
    link_from_json,
    parse_dt,
    task_from_detail,
    whole_days,
    working_weekdays,
)
from tiaodu.scheduling.file_model import (
    MSP,
    FileCalendar,
    FileLink,
    FileProject,
    FileSchedule,
    FileTask,
    WorkRange,
)

PROJECT_CALENDAR = "project"
DAY_RANGES = (WorkRange(8 * 60, 12 * 60), WorkRange(13 * 60, 17 * 60))
MINUTES_PER_DAY = 480


def has_file_semantics(tasks) -> bool:
    return any(t.detail is not None for t in tasks)


def has_file_calendar(file_data: dict | None) -> bool:
    return bool(file_data) and file_data.get("calendar") in (file_data.get("calendars") or {})


def task_key(task) -> str:
    return task.source_key or f"code:{task.code}"


def work_calendar_of(file_data: dict) -> WorkCalendar:
    """The day calendar of an imported file's default calendar (导入文件日历's day axis)."""
    cal = calendar_from_json(file_data["calendars"][file_data["calendar"]])
    weekdays = working_weekdays(cal)
    holidays = {d for d, ranges in cal.exceptions.items() if not ranges}
    workdays = {d for d, ranges in cal.exceptions.items() if ranges}
    return WorkCalendar(holidays=holidays, workdays=workdays, mode=FILE, weekdays=weekdays)


def calendar_snapshot(calendar: WorkCalendar) -> dict:
    """A file calendar's days as a baseline keeps them (the file may be re-imported with another)."""
    return {
        "weekdays": sorted(calendar.weekdays),
        "holidays": sorted(d.isoformat() for d in calendar.holidays),
        "workdays": sorted(d.isoformat() for d in calendar.workdays),
    }


def calendar_from_snapshot(data: dict) -> WorkCalendar:
    return WorkCalendar(
        mode=FILE,
        weekdays=frozenset(data.get("weekdays") or range(5)),
        holidays={datetime.date.fromisoformat(d) for d in data.get("holidays") or []},
        workdays={datetime.date.fromisoformat(d) for d in data.get("workdays") or []},
    )


def calendar_of(calendar: WorkCalendar) -> FileCalendar:
    """A WorkCalendar as a file calendar: 08:00–12:00 and 13:00–17:00 on its working days."""
    week = {wd: (DAY_RANGES if wd in calendar.weekdays else ()) for wd in range(7)}
    exceptions = {d: () for d in calendar.holidays - calendar.workdays if d.weekday() in calendar.weekdays}
    exceptions.update({d: DAY_RANGES for d in calendar.workdays if d.weekday() not in calendar.weekdays})
    return FileCalendar(PROJECT_CALENDAR, calendar.mode, week, exceptions, MINUTES_PER_DAY, 2400, 9600)


def _scale(minutes: int, from_per_day: int) -> int:
    """Minutes on a calendar of `from_per_day` minutes a day as minutes of 480-minute days."""
    if not from_per_day or from_per_day == MINUTES_PER_DAY:
        return minutes
    return round(minutes * MINUTES_PER_DAY / from_per_day)


def file_project(*, code, start, tasks, calendar: WorkCalendar, file_data: dict | None) -> FileProject:
    """The project's tasks as a FileProject on the calendar of its mode."""
    data = file_data or {}
    file_calendars = {k: calendar_from_json(v) for k, v in (data.get("calendars") or {}).items()}
    on_file = calendar.mode == FILE and data.get("calendar") in file_calendars
    default = data.get("calendar") if on_file else PROJECT_CALENDAR
    calendars = file_calendars if on_file else {PROJECT_CALENDAR: calendar_of(calendar)}
    base = file_calendars.get(data.get("calendar"))
    per_day = {k: c.minutes_per_day for k, c in file_calendars.items()}
    summaries = [_summary(s) for s in data.get("summaries") or []]
    calendar_of_task = {s.key: s.calendar for s in summaries}
    calendar_of_task.update({task_key(t): (t.detail or {}).get("calendar") for t in tasks})
    source = data.get("source") or MSP

    def day_minutes(task_calendar) -> int:
        key = task_calendar or data.get("calendar")
        return per_day.get(key, base.minutes_per_day if base else MINUTES_PER_DAY)

    def lag_day(successor_calendar, predecessor: str) -> int:
        """Minutes a day of the calendar a lag counts on: MS Project's successor's, P6's predecessor's."""
        return day_minutes(successor_calendar if source == MSP else calendar_of_task.get(predecessor))

    def place(ft: FileTask) -> FileTask:
        if not on_file:
            if not ft.duration_elapsed:
                ft.duration_minutes = _scale(ft.duration_minutes, day_minutes(ft.calendar))
                if ft.remaining_minutes is not None:
                    ft.remaining_minutes = _scale(ft.remaining_minutes, day_minutes(ft.calendar))
            ft.links = [_scaled_link(link, lag_day(ft.calendar, link.predecessor)) for link in ft.links]
            ft.calendar = None
        elif ft.calendar not in calendars:
            ft.calendar = None
        return ft

    out = [place(s) for s in summaries]
    mpd = calendars[default].minutes_per_day if on_file else day_minutes(None)
    for t in tasks:
        out.append(place(_task(t, mpd, lag_day)))
    return FileProject(
        source=source,
        name=data.get("name") or code,
        start=datetime.datetime.combine(start, datetime.time.min),
        calendar=default,
        calendars=calendars,
        tasks=out,
        data_date=parse_dt(data.get("data_date")),
    )


def _scaled_link(link: FileLink, from_per_day: int) -> FileLink:
    if link.lag_elapsed or link.lag_percent is not None:
        return link
    link.lag_minutes = _scale(link.lag_minutes, from_per_day)
    return link


def _summary(data: dict) -> FileTask:
    links = [link_from_json(x) for x in data.get("links") or []]
    summary = task_from_detail(
        key=str(data["key"]),
        code=data.get("code") or "",
        name=data.get("name") or "",
        detail=data.get("detail") or {},
        links=links,
    )
    summary.summary = True
    return summary


def _task(task, minutes_per_day: int, lag_day) -> FileTask:
    """A Task row as a FileTask: its detail, its links with their exact lags (else days × the minutes a
    day of the calendar the lag counts on, `lag_day(successor calendar, predecessor key)`)."""
    own_calendar = (task.detail or {}).get("calendar")

    def lag_minutes(d) -> int:
        if d.lag_minutes is not None:
            return d.lag_minutes
        return d.lag * lag_day(own_calendar, task_key(d.predecessor))

    links = [
        FileLink(
            predecessor=task_key(d.predecessor),
            type=d.type,
            lag_minutes=lag_minutes(d),
            lag_elapsed=d.lag_elapsed,
            lag_percent=d.lag_percent,
        )
        for d in task.predecessor_links.all()
    ]
    detail = dict(task.detail or {})
    if task.detail is None:  # a task added by hand after the import: its days on the project's calendar
        detail = {"duration_minutes": task.duration * minutes_per_day, "milestone": task.duration == 0}
    return task_from_detail(key=task_key(task), code=task.code, name=task.name, detail=detail, links=links)


def compute_file(*, project, start, deadline, tasks, calendar: WorkCalendar, file_data, warnings) -> Schedule:
    """The schedule of tasks with file semantics on `calendar` (the project's mode)."""
    fp = file_project(code=project, start=start, tasks=tasks, calendar=calendar, file_data=file_data)
    late_finish = datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time.min)
    result = file_engine.schedule(fp, late_finish=late_finish)
    return to_schedule(
        project=project,
        start=start,
        deadline=deadline,
        tasks=tasks,
        calendar=calendar,
        result=result,
        minutes_per_day=fp.calendars[fp.calendar].minutes_per_day or MINUTES_PER_DAY,
        warnings=warnings,
        day_calendar=fp.calendars[fp.calendar],
    )


class _Days:
    """Moments as the days they are shown on: a start at (or after) the end of a day's work begins the next
    working day; a finish at (or before) the start of a day's work, or at midnight, ends the working day
    before. Work hours are the project calendar's (`calendar`; without it only midnight counts)."""

    def __init__(self, axis: DayAxis, calendar: FileCalendar | None):
        self.axis, self.calendar = axis, calendar

    def _ranges(self, day: datetime.date):
        cal = self.calendar
        return cal.exceptions.get(day, cal.week.get(day.weekday(), ())) if cal is not None else ()

    def start(self, moment: datetime.datetime) -> datetime.date:
        day, minute = moment.date(), moment.hour * 60 + moment.minute
        ranges = self._ranges(day)
        if ranges and minute >= ranges[-1].end:
            return self.axis.date_of(self.axis.number_on_or_before(day) + 1)
        return day

    def finish(self, moment: datetime.datetime) -> datetime.date:
        day, minute = moment.date(), moment.hour * 60 + moment.minute
        ranges = self._ranges(day)
        if minute == 0 or (ranges and minute <= ranges[0].start):
            before = day - datetime.timedelta(days=1)
            return self.axis.date_of(self.axis.number_on_or_before(before)) if ranges else before
        return day

    def milestone(self, moment: datetime.datetime, k: int) -> datetime.date:
        """A milestone's day (k: its end_day): the day it follows; at or before the first day's start
        (k ≤ 0) the axis's milestone day (day 0 for k = 0), as the working-day engine shows it."""
        return self.finish(moment) if k > 0 else self.axis.milestone_date(k)

    def start_day(self, moment: datetime.datetime) -> int:
        day = self.start(moment)
        n = self.axis.number_on_or_before(day)
        return n if self.axis.calendar.is_working(day) else n + 1

    def end_day(self, moment: datetime.datetime) -> int:
        """The exclusive end on the axis: the number of the finish's day, plus one."""
        return self.axis.number_on_or_before(self.finish(moment)) + 1


def _dates(task, r, days: _Days, minutes_per_day: int) -> TaskDates:
    milestone = bool((task.detail or {}).get("milestone")) or task.duration == 0
    es, ef = days.start_day(r.early_start), days.end_day(r.early_finish)
    ls, lf = days.start_day(r.late_start), days.end_day(r.late_finish)
    if milestone:  # shown on the day it follows, as the working-day engine shows it
        es, ls = ef, lf
        early_start = early_finish = days.milestone(r.early_finish, ef)
        late_start = late_finish = days.milestone(r.late_finish, lf)
    else:
        ef, lf = max(ef, es + 1), max(lf, ls + 1)
        early_start, early_finish = days.start(r.early_start), days.finish(r.early_finish)
        late_start, late_finish = days.start(r.late_start), days.finish(r.late_finish)
    return TaskDates(
        code=task.code,
        name=task.name,
        duration=0 if milestone else ef - es,
        es=es,
        ef=ef,
        ls=ls,
        lf=lf,
        early_start=early_start,
        early_finish=max(early_finish, early_start),
        late_start=late_start,
        late_finish=max(late_finish, late_start),
        total_float=whole_days(r.total_float_minutes, minutes_per_day),
        critical=r.critical,
        predecessors=tuple(
            engine.Link(d.predecessor.code, d.type, d.lag) for d in task.predecessor_links.all()
        ),
    )


def _mark_critical(tasks, out: list[TaskDates], result: FileSchedule) -> int | None:
    """Critical as the product defines it: the engine's critical tasks (float ≤ 0 against the deadline)
    and the unfinished tasks whose float equals the smallest; finished tasks never. Returns that smallest
    float in days (None when every task is finished). A manually scheduled task whose dates or duration the
    planner typed is never critical (as in MS Project)."""
    floats = [result.tasks[task_key(t)].total_float_minutes for t in tasks]
    unfinished = [not (t.detail or {}).get("actual_finish") for t in tasks]
    pinned = [bool((t.detail or {}).get("manual") and (t.detail or {}).get("typed")) for t in tasks]
    smallest = min((f for f, u in zip(floats, unfinished, strict=True) if u), default=None)
    for d, f, u, p in zip(out, floats, unfinished, pinned, strict=True):
        d.critical = u and not p and (d.critical or f == smallest)
    return min((d.total_float for d, u in zip(out, unfinished, strict=True) if u), default=None)


def to_schedule(
    *,
    project,
    start,
    deadline,
    tasks,
    calendar: WorkCalendar,
    result: FileSchedule,
    minutes_per_day,
    warnings,
    day_calendar: FileCalendar | None = None,
) -> Schedule:
    """The engine's results on the project's working-day axis (compute.Schedule); `day_calendar` gives
    the hours of a day (the project calendar of the FileProject scheduled)."""
    axis = calendar.axis(start)
    days = _Days(axis, day_calendar)
    out = []
    for task in tasks:
        r = result.tasks.get(task_key(task))
        if r is None:
            raise CalendarRangeError(f"任务「{task.code} {task.name}」未能排程")
        out.append(_dates(task, r, days, minutes_per_day))
    min_float = _mark_critical(tasks, out, result)
    dates = [axis.origin, deadline] + [d for t in out for d in (t.early_start, t.early_finish, t.late_start)]
    return Schedule(
        project=project,
        start=axis.origin,
        deadline=deadline,
        deadline_day=axis.number_on_or_before(deadline),
        mode=calendar.mode,
        feasible=min_float is None or min_float >= 0,
        min_float=min_float,
        critical_path=[t.code for t in sorted(out, key=lambda t: (t.es, t.ef)) if t.critical],
        warnings=list(warnings) + list(result.warnings) + calendar.warnings_for(min(dates), max(dates)),
        tasks=out,
        axis=axis,
    )
