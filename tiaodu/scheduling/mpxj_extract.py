"""An mpxj ProjectFile (MS Project or Primavera P6) → a FileProject, as its planner sees it.

`extract(pf)` reads everything `file_model` holds: calendars (work week, exceptions incl. recurring ones
and MS Project work weeks, expanded over the project's span), tasks in file order with their hierarchy,
durations and lags in minutes, constraints, progress, links (several per pair, summaries included) and the
file's own scheduled values. What cannot be taken goes into `FileProject.notes` (Chinese).

Mapping decisions:

* identity — MS Project: `key` = UniqueID, `code` = ID (the row number the planner sees);
  P6: `key` = the activity's GUID, else its activity ID, else "UID<unique id>"; `code` = activity ID
  (WBS nodes: their WBS code). A key that repeats gets "#<unique id>" appended and a note.
* constraints — mpxj's ConstraintType: AS_SOON/AS_LATE_AS_POSSIBLE → ASAP/ALAP; START/FINISH_NO_EARLIER/
  LATER_THAN → SNET/SNLT/FNET/FNLT; MUST_START_ON → MSO and MUST_FINISH_ON → MFO (MS Project's must
  start/finish on; in a P6 file these are P6's mandatory start/finish and the task gets `mandatory = True`);
  P6's START_ON ("Start On") → MSO and FINISH_ON ("Finish On") → MFO without `mandatory` (as
  tests/scheduling/file_build.py writes and file_engine reads them). P6's secondary constraint maps the
  same way. P6 start / finish milestones set `start_milestone` True / False; LEVEL_OF_EFFORT →
  `level_of_effort`; MS Project TaskMode MANUALLY_SCHEDULED → `manual` (and `typed` when it has a
  duration, start or finish text).
* percent complete — MS Project: duration % complete (what its scheduler uses); P6: the activity's %
  complete of its own percent-complete type (physical, duration or units). P6 schedules from the remaining
  duration, which `remaining_minutes` holds.
* units — durations and lags are converted to minutes with the hours per day / week / month / year of the
  calendar that applies (the task's, else the project's; mpxj falls back to the project's settings,
  which is what MS Project uses); elapsed units are 60 min/h, 1440/day, 10080/week, 43200/month (30 days),
  525600/year; a percentage lag keeps its percentage in `lag_percent` (e%: `lag_elapsed` too). A P6 file
  whose relationship lag calendar is "24 hour" has every lag elapsed. A started P6 activity without a
  duration gets actual + remaining (its at-completion duration).
* the file's own values — start/finish, early/late dates, total slack in working minutes on the task's
  calendar (MS Project states an elapsed task's slack in elapsed time: converted from its early finish),
  critical. `levelled`: a levelling delay on a task, or an unstarted ASAP task starting after its early
  start. Scheduling options the engine does not follow (MS Project scheduled from the finish or links over
  constraints, a critical slack limit; P6 float type, lag calendar, longest path) become notes.
"""

from __future__ import annotations

import datetime

from tiaodu.scheduling.file_model import (
    ALAP,
    ASAP,
    FF,
    FNET,
    FNLT,
    FS,
    MFO,
    MSO,
    MSP,
    P6,
    SF,
    SNET,
    SNLT,
    SS,
    FileCalendar,
    FileLink,
    FileProject,
    FileTask,
    WorkRange,
)
from tiaodu.scheduling.worktime import WorkCalendar

MARGIN_BEFORE = datetime.timedelta(days=366)
MARGIN_AFTER = datetime.timedelta(days=3 * 366)
MAX_SPAN = datetime.timedelta(days=40 * 366)

# mpxj ConstraintType name → (file_model constraint, mandatory in a P6 file)
CONSTRAINT_MAP = {
    "AS_SOON_AS_POSSIBLE": (ASAP, False),
    "AS_LATE_AS_POSSIBLE": (ALAP, False),
    "START_NO_EARLIER_THAN": (SNET, False),
    "START_NO_LATER_THAN": (SNLT, False),
    "FINISH_NO_EARLIER_THAN": (FNET, False),
    "FINISH_NO_LATER_THAN": (FNLT, False),
    "MUST_START_ON": (MSO, True),
    "MUST_FINISH_ON": (MFO, True),
    "START_ON": (MSO, False),
    "FINISH_ON": (MFO, False),
}
RELATION_MAP = {"FINISH_START": FS, "START_START": SS, "FINISH_FINISH": FF, "START_FINISH": SF}
ELAPSED_MINUTES = {
    "ELAPSED_MINUTES": 1,
    "ELAPSED_HOURS": 60,
    "ELAPSED_DAYS": 1440,
    "ELAPSED_WEEKS": 10080,
    "ELAPSED_MONTHS": 43200,
    "ELAPSED_YEARS": 525600,
}
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _dt(value) -> datetime.datetime | None:
    """A Java LocalDateTime → a naive datetime (one JPype call: its ISO text)."""
    if value is None:
        return None
    return datetime.datetime.fromisoformat(str(value))


def _name(enum) -> str:
    """A Java enum constant's name ("" for null); its toString is not always the name."""
    return "" if enum is None else str(enum.name())


def _source(props) -> str:
    text = f"{props.getFileType() or ''} {props.getFileApplication() or ''}".upper()
    if any(word in text for word in ("XER", "PMXML", "PRIMAVERA", "P6")):
        return P6
    return MSP


class _Units:
    """Minutes per working day / week / month / year of one calendar (mpxj's resolved figures)."""

    def __init__(self, calendar, props):
        def get(name, fallback):
            value = getattr(calendar, name)() if calendar is not None else None
            if value is None:
                value = getattr(props, name)()
            return int(value) if value else fallback

        self.day = get("getMinutesPerDay", 480)
        self.week = get("getMinutesPerWeek", 2400)
        self.month = get("getMinutesPerMonth", 9600)
        self.year = get("getMinutesPerYear", 115200)

    def minutes(self, value: float, unit: str) -> tuple[int, bool]:
        """(minutes, elapsed) of a duration of `value` `unit`s (PERCENT not handled here)."""
        if unit in ELAPSED_MINUTES:
            return round(value * ELAPSED_MINUTES[unit]), True
        factor = {"MINUTES": 1, "HOURS": 60, "DAYS": self.day, "WEEKS": self.week, "MONTHS": self.month}
        return round(value * factor.get(unit, self.year)), False


def _duration(duration, units: _Units) -> tuple[int | None, bool]:
    if duration is None:
        return None, False
    return units.minutes(float(duration.getDuration()), _name(duration.getUnits()))


# --- calendars ------------------------------------------------------------------------------------


def _ranges(hours, notes: list[str], name: str) -> tuple[WorkRange, ...]:
    out = []
    if hours is None:
        return ()
    for r in hours:
        start, end = r.getStart(), r.getEnd()
        if start is None or end is None:
            continue
        s = int(start.getHour()) * 60 + int(start.getMinute())
        e = int(end.getHour()) * 60 + int(end.getMinute())
        if e == 0:
            e = 1440
        if e <= s:  # a night shift past midnight: its part after midnight is not kept
            notes.append(f"日历「{name}」的跨零点工作时段 {start}–{end} 只保留到当日24:00")
            e = 1440
        out.append(WorkRange(s, e))
    return tuple(sorted(set(out), key=lambda w: w.start))


def _calendar_chain(calendar):
    chain, seen = [], set()
    while calendar is not None and id(calendar) not in seen:
        seen.add(id(calendar))
        chain.append(calendar)
        calendar = calendar.getParent()
    return chain


def _exception_dates(calendar, first: datetime.date, last: datetime.date) -> set[datetime.date]:
    """Dates in [first, last] that an exception or a work week of the calendar (or its bases) covers."""
    dates: set[datetime.date] = set()
    for cal in _calendar_chain(calendar):
        for exc in cal.getExpandedCalendarExceptionsWithWorkWeeks():
            a, b = exc.getFromDate(), exc.getToDate()
            if a is None:
                continue
            a = datetime.date.fromisoformat(str(a))
            b = datetime.date.fromisoformat(str(b)) if b is not None else a
            day = max(a, first)
            while day <= min(b, last):
                dates.add(day)
                day += datetime.timedelta(days=1)
    return dates


def _calendar(cal, props, span, notes: list[str]) -> FileCalendar:
    from java.time import DayOfWeek, LocalDate

    name = str(cal.getName() or "")
    week = {i: _ranges(cal.getHours(getattr(DayOfWeek, d)), notes, name) for i, d in enumerate(WEEKDAYS)}
    exceptions = {}
    for day in sorted(_exception_dates(cal, span[0], span[1])):
        ranges = _ranges(cal.getHours(LocalDate.of(day.year, day.month, day.day)), notes, name)
        if ranges != week[day.weekday()]:
            exceptions[day] = ranges
    units = _Units(cal, props)
    return FileCalendar(
        key=str(cal.getUniqueID()),
        name=name,
        week=week,
        exceptions=exceptions,
        minutes_per_day=units.day,
        minutes_per_week=units.week,
        minutes_per_month=units.month,
    )


def _calendars(pf, default, span, notes: list[str]) -> dict[str, FileCalendar]:
    """The default calendar, base calendars and every calendar a task uses (not resources' own)."""
    props = pf.getProjectProperties()
    used = {int(c.getUniqueID()) for c in (t.getCalendar() for t in pf.getTasks()) if c is not None}
    out: dict[str, FileCalendar] = {}
    for cal in pf.getCalendars():
        uid = int(cal.getUniqueID())
        wanted = uid in used or (default is not None and uid == int(default.getUniqueID()))
        wanted = wanted or (not cal.isDerived() and int(cal.getResourceCount()) == 0)
        for c in _calendar_chain(cal) if wanted else ():
            if str(c.getUniqueID()) not in out:
                try:
                    out[str(c.getUniqueID())] = _calendar(c, props, span, notes)
                except Exception as exc:  # noqa: BLE001 — a broken calendar must not stop the import
                    notes.append(f"日历「{c.getName()}」无法读取，已按项目日历处理：{exc}")
    return out


def _span(pf, props) -> tuple[datetime.date, datetime.date]:
    """The days over which calendar exceptions are expanded: the project's dates ± a margin."""
    points = [
        _dt(props.getStartDate()),
        _dt(props.getPlannedStart()),
        _dt(props.getFinishDate()),
        _dt(props.getStatusDate()),
        _dt(props.getMustFinishBy()),
    ]
    for task in pf.getTasks():
        if task.getParentTask() is None:
            points += [_dt(task.getStart()), _dt(task.getFinish())]
    points = [p for p in points if p is not None] or [datetime.datetime.now()]
    first, last = min(points) - MARGIN_BEFORE, max(points) + MARGIN_AFTER
    last = min(last, first + MAX_SPAN)
    return first.date(), last.date()


# --- tasks ----------------------------------------------------------------------------------------


class _Reader:
    """Reads tasks and links of one ProjectFile, with per-calendar units cached."""

    def __init__(self, pf, source: str, default, notes: list[str]):
        self.pf = pf
        self.props = pf.getProjectProperties()
        self.source = source
        self.default_uid = int(default.getUniqueID()) if default is not None else None
        self.notes = notes
        self.units: dict[int | None, _Units] = {None: _Units(default, self.props)}
        self.keys: dict[int, str] = {}  # mpxj unique id → FileTask.key
        self.used: set[str] = set()
        self.levelled_tasks = 0  # tasks with a levelling delay
        self.elapsed_lags = False  # P6 relationship lag calendar "24 hour"
        self.elapsed_slack: list[FileTask] = []  # tasks whose file slack is in elapsed time

    def units_of(self, calendar) -> _Units:
        uid = int(calendar.getUniqueID()) if calendar is not None else None
        if uid not in self.units:
            self.units[uid] = _Units(calendar, self.props)
        return self.units[uid]

    def key(self, task, uid: int) -> tuple[str, str]:
        """(key, code) of a task, the key made unique."""
        if self.source == MSP:
            key, code = str(uid), str(task.getID() if task.getID() is not None else uid)
        else:
            guid, activity_id = task.getGUID(), task.getActivityID()
            code = str(activity_id) if activity_id is not None else str(task.getWBS() or "")
            code = code or f"UID{uid}"
            key = str(guid).upper() if guid is not None else code
        if key in self.used:
            self.notes.append(f"任务标识「{key}」重复，第二个任务以「{key}#{uid}」区分")
            key = f"{key}#{uid}"
        self.keys[uid] = key
        self.used.add(key)
        return key, code


def _skipped(task, source: str) -> str | None:
    """Why a task row is not a task here (None: it is)."""
    if task.getNull():
        return "空行"
    if task.getExternalTask():
        return "外部项目任务"
    if source == MSP and task.getID() is not None and int(task.getID()) == 0:
        return "项目摘要"
    return None


def _progress(task, source: str) -> float:
    if source == P6:
        kind = _name(task.getPercentCompleteType())
        getter = {"PHYSICAL": task.getPhysicalPercentComplete, "UNITS": task.getPercentageWorkComplete}
        value = getter.get(kind, task.getPercentageComplete)()
    else:
        value = task.getPercentageComplete()
    return float(value) if value is not None else 0.0


def _constraints(task, ft: FileTask, source: str, notes: list[str]) -> None:
    kind = _name(task.getConstraintType())
    date = _dt(task.getConstraintDate())
    primary, mandatory = CONSTRAINT_MAP.get(kind, (ASAP, False))
    if primary not in (ASAP, ALAP) and date is None:
        notes.append(f"任务「{ft.code} {ft.name}」的限制条件缺少日期，已按越早越好处理")
        primary, mandatory = ASAP, False
    ft.constraint = primary
    ft.constraint_date = date if primary not in (ASAP, ALAP) else None
    if source != P6:  # only P6 has secondary constraints
        return
    second = _name(task.getSecondaryConstraintType())
    second_date = _dt(task.getSecondaryConstraintDate())
    if second and second_date is not None:
        mapped = CONSTRAINT_MAP.get(second, (ASAP, False))[0]
        if mapped in (ASAP, ALAP):
            notes.append(f"任务「{ft.code} {ft.name}」的第二限制条件（{second}）未读取")
        else:
            ft.secondary_constraint, ft.secondary_constraint_date = mapped, second_date
    if source == P6 and mandatory:
        ft.mandatory = True  # P6 mandatory start / finish


def _file_values(task, ft: FileTask, units: _Units, reader: _Reader) -> None:
    ft.file_start = _dt(task.getStart())
    ft.file_finish = _dt(task.getFinish())
    ft.file_early_start = _dt(task.getEarlyStart())
    ft.file_early_finish = _dt(task.getEarlyFinish())
    ft.file_late_start = _dt(task.getLateStart())
    ft.file_late_finish = _dt(task.getLateFinish())
    slack = task.getTotalSlack()
    if slack is not None:
        ft.file_total_float_minutes, elapsed = _duration(slack, units)
        # MS Project counts an elapsed task's slack in elapsed time (MSPDI stores it as plain minutes)
        if elapsed or (reader.source == MSP and ft.duration_elapsed):
            reader.elapsed_slack.append(ft)
        ft.file_critical = bool(task.getCritical())


def _working_slack(tasks: list[FileTask], calendars: dict[str, FileCalendar], default: str) -> None:
    """Elapsed slack → working minutes on the task's calendar, from its early finish (as the engine counts)."""
    cals: dict[str, WorkCalendar] = {}
    for t in tasks:
        key = t.calendar or default
        anchor = t.file_early_finish or t.file_finish
        if anchor is None or t.file_total_float_minutes is None:
            continue
        cal = cals.setdefault(key, WorkCalendar(calendars[key]))
        late = anchor + datetime.timedelta(minutes=t.file_total_float_minutes)
        t.file_total_float_minutes = cal.between(anchor, late)


def _at_completion(task, units: _Units) -> tuple[int | None, bool]:
    """The task's duration; P6 leaves it empty on started activities: actual + remaining, else planned."""
    duration = task.getDuration()
    if duration is not None:
        return _duration(duration, units)
    actual, elapsed = _duration(task.getActualDuration(), units)
    remaining = _duration(task.getRemainingDuration(), units)[0]
    if actual is not None and remaining is not None:
        return actual + remaining, elapsed
    return _duration(task.getPlannedDuration(), units)


def _task(task, reader: _Reader) -> FileTask:
    uid = int(task.getUniqueID())
    key, code = reader.key(task, uid)
    calendar = task.getCalendar()
    cal_key = None
    if calendar is not None and int(calendar.getUniqueID()) != reader.default_uid:
        cal_key = str(calendar.getUniqueID())
    units = reader.units_of(calendar if calendar is not None else None)
    minutes, elapsed = _at_completion(task, units)
    parent = task.getParentTask()
    activity_type = _name(task.getActivityType())
    ft = FileTask(
        key=key,
        code=code,
        name=str(task.getName() or ""),
        duration_minutes=max(minutes or 0, 0),
        calendar=cal_key,
        duration_elapsed=elapsed,
        summary=bool(task.getSummary()),
        parent=reader.keys.get(int(parent.getUniqueID())) if parent is not None else None,
        milestone=bool(task.getMilestone()) or activity_type.endswith("_MILESTONE"),
        manual=_name(task.getTaskMode()) == "MANUALLY_SCHEDULED",
        level_of_effort=activity_type == "LEVEL_OF_EFFORT",
        start_milestone={"START_MILESTONE": True, "FINISH_MILESTONE": False}.get(activity_type),
        deadline=_dt(task.getDeadline()) if reader.source == MSP else None,
        actual_start=_dt(task.getActualStart()),
        actual_finish=_dt(task.getActualFinish()),
        percent_complete=_progress(task, reader.source),
        remaining_minutes=_duration(task.getRemainingDuration(), units)[0],
    )
    if ft.manual:
        ft.typed = any(
            x is not None for x in (task.getDurationText(), task.getStartText(), task.getFinishText())
        )
    if ft.remaining_minutes is None and ft.actual_finish is not None:
        ft.remaining_minutes = 0
    _constraints(task, ft, reader.source, reader.notes)
    _file_values(task, ft, units, reader)
    delay = task.getLevelingDelay() if reader.source == MSP else None
    if delay is not None and float(delay.getDuration()) != 0:
        reader.levelled_tasks += 1
    return ft


def _links(task, ft: FileTask, reader: _Reader, dropped: dict[str, int]) -> None:
    units = reader.units_of(task.getCalendar())
    for rel in task.getPredecessors():
        pred = rel.getPredecessorTask()
        key = reader.keys.get(int(pred.getUniqueID())) if pred is not None else None
        if key is None:
            reason = "外部项目任务" if pred is not None and pred.getExternalTask() else "未读取的任务"
            dropped[reason] = dropped.get(reason, 0) + 1
            continue
        link = FileLink(predecessor=key, type=RELATION_MAP.get(_name(rel.getType()), FS))
        lag = rel.getLag()
        if lag is not None and float(lag.getDuration()) != 0:
            unit = _name(lag.getUnits())
            if unit in ("PERCENT", "ELAPSED_PERCENT"):
                link.lag_percent = float(lag.getDuration())
                link.lag_elapsed = unit == "ELAPSED_PERCENT"
            else:
                link.lag_minutes, link.lag_elapsed = units.minutes(float(lag.getDuration()), unit)
                link.lag_elapsed = link.lag_elapsed or reader.elapsed_lags
        ft.links.append(link)


def _tasks(pf, reader: _Reader) -> list[FileTask]:
    skipped: dict[str, int] = {}
    pairs = []
    for task in pf.getTasks():
        why = _skipped(task, reader.source)
        if why is not None:
            skipped[why] = skipped.get(why, 0) + 1
            continue
        pairs.append((task, _task(task, reader)))
    for why, count in skipped.items():
        if why != "项目摘要":
            reader.notes.append(f"未读取{count}个{why}")
    dropped: dict[str, int] = {}
    for task, ft in pairs:
        _links(task, ft, reader, dropped)
    for why, count in dropped.items():
        reader.notes.append(f"未读取{count}条指向{why}的依赖")
    return [ft for _task_, ft in pairs]


def _levelled(tasks: list[FileTask], reader: _Reader) -> bool:
    """Signs of resource levelling: levelling delays, or unstarted tasks starting after their early start."""
    if reader.levelled_tasks:
        return True
    for t in tasks:
        if t.summary or t.manual or t.actual_start or t.constraint == ALAP or t.level_of_effort:
            continue
        if t.file_start and t.file_early_start and t.file_start > t.file_early_start:
            return True
    return False


def _settings(props, source: str, reader: _Reader) -> None:
    """Scheduling options of the file that this import does not follow exactly, as notes; a P6 lag
    calendar of 24 hours makes every lag elapsed."""
    notes = reader.notes
    if source == MSP:
        if _name(props.getScheduleFrom()) == "FINISH":
            notes.append("文件按项目完成日期倒排（从完成日期排定），本系统按开始日期正排")
        if str(props.getFileType() or "") == "MPP" and not props.getHonorConstraints():  # only .mpp holds it
            notes.append(
                "文件设置为依赖关系优先于限制日期（“任务总是依据其限制日期”未勾选），本系统以限制日期优先"
            )
    else:
        lag_calendar = _name(props.getRelationshipLagCalendar())
        if lag_calendar == "TWENTY_FOUR_HOUR":
            reader.elapsed_lags = True
        elif lag_calendar in ("SUCCESSOR", "PROJECT_DEFAULT"):
            notes.append(f"文件的关系延时日历为{lag_calendar}，本系统按紧前作业日历计算延时")
        slack = _name(props.getTotalSlackCalculationType())
        if slack and slack != "FINISH_SLACK":
            notes.append(f"文件的总浮时计算方式为{slack}，本系统按完成浮时（P6默认）计算")
        if _name(props.getCriticalActivityType()) == "LONGEST_PATH":
            notes.append("文件以最长路径判定关键作业，本系统按总浮时≤0判定")
    limit = props.getCriticalSlackLimit()
    if limit is not None and float(limit.getDuration()) != 0:
        notes.append(f"文件的关键任务判定为总时差≤{limit}，本系统按总时差≤0判定")


def _project_name(props, source: str) -> str:
    """MS Project: the title (Name is often the file name); P6: the project's name."""
    first, second = props.getProjectTitle(), props.getName()
    if source == P6:
        first, second = second, first
    return str(first or second or "").strip()


def extract(pf) -> FileProject:
    """The FileProject of an mpxj ProjectFile (JVM already started, as opening the file needs)."""
    props = pf.getProjectProperties()
    source = _source(props)
    notes: list[str] = []
    default = pf.getDefaultCalendar() or props.getDefaultCalendar()
    calendars = _calendars(pf, default, _span(pf, props), notes)
    if default is None or str(default.getUniqueID()) not in calendars:
        notes.append("文件没有可读取的默认日历，已使用周一至周五每天8小时")
        calendars["default"] = FileCalendar(
            "default",
            "标准",
            {d: (WorkRange(480, 720), WorkRange(780, 1020)) if d < 5 else () for d in range(7)},
        )
        default_key = "default"
    else:
        default_key = str(default.getUniqueID())
    reader = _Reader(pf, source, default, notes)
    _settings(props, source, reader)
    tasks = _tasks(pf, reader)
    for t in tasks:
        if t.calendar is not None and t.calendar not in calendars:
            t.calendar = None
    _working_slack(reader.elapsed_slack, calendars, default_key)
    # P6: the project's planned start (its "start" is where the schedule begins, after the data date).
    start = _dt(props.getPlannedStart()) if source == P6 else None
    start = start or _dt(props.getStartDate()) or _dt(props.getPlannedStart())
    if start is None:
        starts = [t.file_start or t.actual_start for t in tasks if t.file_start or t.actual_start]
        start = min(starts) if starts else datetime.datetime.combine(datetime.date.today(), datetime.time(8))
    resources = sum(1 for r in pf.getResources() if r.getName() is not None and str(r.getName()).strip())
    return FileProject(
        source=source,
        name=_project_name(props, source),
        start=start,
        calendar=default_key,
        calendars=calendars,
        tasks=tasks,
        data_date=_dt(props.getStatusDate()),
        finish=_dt(props.getFinishDate()),
        must_finish_by=_dt(props.getMustFinishBy()),
        resources=resources,
        levelled=_levelled(tasks, reader),
        notes=notes,
    )
