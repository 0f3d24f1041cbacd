"""Test support: a FileProject built into an mpxj ProjectFile, written by mpxj's own writers, scheduled by
mpxj's own schedulers.

* `project_file(fp)` → an mpxj ProjectFile with fp's calendars (work weeks, hours, exceptions), tasks
  (hierarchy, summaries, milestones, constraints, actuals, % complete, remaining duration, manual tasks,
  P6 level of effort) and links (types, lags in working or elapsed time, percentage lags, several per pair).
* `write(fp, path, fmt)` writes it as `mspdi` (.xml), `xer`, `pmxml` (P6 XML) or `mpx`.
* `mpxj_schedule(fp)` runs `org.mpxj.cpm.MicrosoftScheduler` (fp.source == MSP) or
  `org.mpxj.cpm.PrimaveraScheduler` (P6) and returns what it computed per FileTask.key;
  `schedule_project_file(pf, source)` does the same for any ProjectFile (keyed by UniqueID).

Conventions of the build (what a FileProject field becomes in mpxj):

* Task UniqueID = int(key) when the key is digits, else 100000 + position; ActivityID = code.
* Durations, lags and remaining durations in hours (minutes / 60), elapsed ones in elapsed hours;
  a percentage lag is a lag in TimeUnit.PERCENT.
* Constraints: MSO/MFO become MUST_START_ON/MUST_FINISH_ON for MS Project; for P6 they become P6's
  "Start On"/"Finish On" (START_ON/FINISH_ON), or the mandatory ones when the task has a true
  `mandatory` flag.
* P6 milestones: FINISH_MILESTONE when the task has predecessors, else START_MILESTONE, unless the task has
  a `start_milestone` flag (True/False). Other P6 activities are TASK_DEPENDENT, level of
  effort LEVEL_OF_EFFORT; the project computes total float as finish float (P6's default) and uses the
  predecessor's calendar for lags (P6's default).
* Remaining duration: `remaining_minutes` when given, else 0 when finished, else duration × (1 − %/100)
  when started, else the duration; actual duration = duration − remaining.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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
    FileProject,
    FileTask,
)

FORMATS = ("mspdi", "xer", "pmxml", "mpx")


def start_jvm():
    """The JVM with mpxj on the class path, started with the product's options (no Django needed)."""
    import jpype
    import mpxj  # noqa: F401 — adds the mpxj jars to the class path

    if not jpype.isJVMStarted():
        jpype.startJVM(
            "-Xmx1g",
            "-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
            convertStrings=False,
        )
    return jpype


@dataclass
class MpxjTask:
    """What mpxj's scheduler wrote into one Task."""

    key: str
    early_start: datetime.datetime | None
    early_finish: datetime.datetime | None
    late_start: datetime.datetime | None
    late_finish: datetime.datetime | None
    start: datetime.datetime | None
    finish: datetime.datetime | None
    remaining_early_start: datetime.datetime | None
    remaining_early_finish: datetime.datetime | None
    total_float_minutes: int | None
    critical: bool
    longest_path: bool | None


def _int(value: int):
    from java.lang import Integer

    return Integer.valueOf(int(value))


def ldt(value: datetime.datetime | None):
    if value is None:
        return None
    from java.time import LocalDateTime

    return LocalDateTime.of(value.year, value.month, value.day, value.hour, value.minute)


def py_datetime(value) -> datetime.datetime | None:
    if value is None:
        return None
    return datetime.datetime(
        int(value.getYear()),
        int(value.getMonthValue()),
        int(value.getDayOfMonth()),
        int(value.getHour()),
        int(value.getMinute()),
        int(value.getSecond()),
    )


def _local_time(minutes: int):
    from java.time import LocalTime

    if minutes >= 1440:
        return LocalTime.MIDNIGHT  # mpxj: a range ending at midnight ends at 24:00
    return LocalTime.of(minutes // 60, minutes % 60)


def _hours(minutes: float, elapsed: bool = False):
    from org.mpxj import Duration, TimeUnit

    return Duration.getInstance(minutes / 60.0, TimeUnit.ELAPSED_HOURS if elapsed else TimeUnit.HOURS)


def _add_calendars(pf, fp: FileProject) -> dict:
    from java.time import DayOfWeek, LocalDate
    from org.mpxj import DayType, LocalTimeRange

    out = {}
    for key, fc in fp.calendars.items():
        cal = pf.addCalendar()
        cal.setName(fc.name)
        if key.isdigit():
            cal.setUniqueID(_int(int(key)))
        for weekday in range(7):
            dow = DayOfWeek.of(weekday + 1)
            ranges = fc.week.get(weekday, ())
            cal.setCalendarDayType(dow, DayType.WORKING if ranges else DayType.NON_WORKING)
            hours = cal.addCalendarHours(dow)
            for r in ranges:
                hours.add(LocalTimeRange(_local_time(r.start), _local_time(r.end)))
        for day, ranges in sorted(fc.exceptions.items()):
            exc = cal.addCalendarException(LocalDate.of(day.year, day.month, day.day))
            for r in ranges:
                exc.add(LocalTimeRange(_local_time(r.start), _local_time(r.end)))
        cal.setCalendarMinutesPerDay(_int(fc.minutes_per_day))
        cal.setCalendarMinutesPerWeek(_int(fc.minutes_per_week))
        cal.setCalendarMinutesPerMonth(_int(fc.minutes_per_month))
        out[key] = cal
    return out


def _unique_ids(fp: FileProject) -> dict[str, int]:
    return {t.key: int(t.key) if t.key.isdigit() else 100000 + i for i, t in enumerate(fp.tasks)}


def _constraint(task: FileTask, kind: str, source: str):
    from org.mpxj import ConstraintType as C

    mandatory = task.mandatory
    table = {
        ASAP: C.AS_SOON_AS_POSSIBLE,
        ALAP: C.AS_LATE_AS_POSSIBLE,
        SNET: C.START_NO_EARLIER_THAN,
        SNLT: C.START_NO_LATER_THAN,
        FNET: C.FINISH_NO_EARLIER_THAN,
        FNLT: C.FINISH_NO_LATER_THAN,
        MSO: C.MUST_START_ON if source == MSP or mandatory else C.START_ON,
        MFO: C.MUST_FINISH_ON if source == MSP or mandatory else C.FINISH_ON,
    }
    return table[kind]


def remaining_minutes(task: FileTask) -> int:
    """The remaining duration the build writes (see the module docstring)."""
    if task.remaining_minutes is not None:
        return task.remaining_minutes
    if task.actual_finish is not None:
        return 0
    if task.actual_start is not None:
        return round(task.duration_minutes * (1 - task.percent_complete / 100.0))
    return task.duration_minutes


def _fill_task(mt, task: FileTask, fp: FileProject, calendars: dict) -> None:
    from org.mpxj import ActivityType, PercentCompleteType, TaskMode

    mt.setName(task.name)
    mt.setActivityID(task.code)
    if task.summary:
        return
    elapsed = task.duration_elapsed
    duration = 0 if task.milestone else task.duration_minutes
    remaining = remaining_minutes(task) if not task.milestone else 0
    mt.setDuration(_hours(duration, elapsed))
    mt.setRemainingDuration(_hours(remaining, elapsed))
    mt.setActualDuration(_hours(max(duration - remaining, 0), elapsed))
    mt.setMilestone(bool(task.milestone))
    if task.calendar is not None:
        mt.setCalendar(calendars[task.calendar])
    elif fp.source == P6:  # every P6 activity names its calendar
        mt.setCalendar(calendars[fp.calendar])
    mt.setConstraintType(_constraint(task, task.constraint, fp.source))
    if task.constraint_date is not None:
        mt.setConstraintDate(ldt(task.constraint_date))
    if task.secondary_constraint is not None:
        mt.setSecondaryConstraintType(_constraint(task, task.secondary_constraint, fp.source))
        mt.setSecondaryConstraintDate(ldt(task.secondary_constraint_date))
    if task.deadline is not None:
        mt.setDeadline(ldt(task.deadline))
    mt.setActualStart(ldt(task.actual_start))
    mt.setActualFinish(ldt(task.actual_finish))
    mt.setPercentageComplete(float(100.0 if task.actual_finish else task.percent_complete))
    mt.setTaskMode(TaskMode.MANUALLY_SCHEDULED if task.manual else TaskMode.AUTO_SCHEDULED)
    if task.manual or task.file_start is not None:
        mt.setStart(ldt(task.file_start))
        mt.setFinish(ldt(task.file_finish))
    if task.manual and task.typed:
        mt.setDurationText(f"{task.duration_minutes / 480:g} 个工作日")
    if fp.source == P6:
        mt.setPercentCompleteType(PercentCompleteType.DURATION)
        if task.level_of_effort:
            kind = ActivityType.LEVEL_OF_EFFORT
        elif task.milestone:
            start_ms = task.start_milestone
            if start_ms is None:
                start_ms = not task.links
            kind = ActivityType.START_MILESTONE if start_ms else ActivityType.FINISH_MILESTONE
        else:
            kind = ActivityType.TASK_DEPENDENT
        mt.setActivityType(kind)


_RELATION = {FS: "FINISH_START", SS: "START_START", FF: "FINISH_FINISH", SF: "START_FINISH"}


def _lag(link):
    from org.mpxj import Duration, TimeUnit

    if link.lag_percent is not None:  # e% when elapsed
        unit = TimeUnit.ELAPSED_PERCENT if link.lag_elapsed else TimeUnit.PERCENT
        return Duration.getInstance(float(link.lag_percent), unit)
    return _hours(link.lag_minutes, link.lag_elapsed)


def project_file(fp: FileProject):
    """An mpxj ProjectFile holding everything the FileProject states."""
    start_jvm()
    from org.mpxj import (
        ProjectFile,
        Relation,
        RelationshipLagCalendar,
        RelationType,
        TotalSlackCalculationType,
    )

    pf = ProjectFile()
    calendars = _add_calendars(pf, fp)
    default = calendars[fp.calendar]
    pf.setDefaultCalendar(default)
    props = pf.getProjectProperties()
    props.setName(fp.name)
    props.setStartDate(ldt(fp.start))
    props.setPlannedStart(ldt(fp.start))
    props.setStatusDate(ldt(fp.data_date))
    props.setMustFinishBy(ldt(fp.must_finish_by))
    base = fp.calendars[fp.calendar]
    props.setMinutesPerDay(_int(base.minutes_per_day))
    props.setMinutesPerWeek(_int(base.minutes_per_week))
    props.setMinutesPerMonth(_int(base.minutes_per_month))
    if fp.source == P6:
        props.setTotalSlackCalculationType(TotalSlackCalculationType.FINISH_SLACK)
        props.setRelationshipLagCalendar(RelationshipLagCalendar.PREDECESSOR)
    ids = _unique_ids(fp)
    created: dict[str, object] = {}
    pending = list(fp.tasks)
    while pending:  # parents before children, whatever the file order
        left = []
        for task in pending:
            if task.parent is not None and task.parent not in created:
                if task.parent in ids:
                    left.append(task)
                    continue
            parent = created.get(task.parent, pf) if task.parent else pf
            mt = parent.addTask()
            mt.setUniqueID(_int(ids[task.key]))
            mt.setID(_int(len(created) + 1))
            created[task.key] = mt
        if len(left) == len(pending):
            raise ValueError("parent chain loops: " + ", ".join(t.key for t in left))
        pending = left
    for task in fp.tasks:
        _fill_task(created[task.key], task, fp, calendars)
    for task in fp.tasks:
        mt = created[task.key]
        if task.summary:
            mt.setSummary(True)
        for link in task.links:
            pred = created.get(link.predecessor)
            if pred is None:
                continue
            mt.addPredecessor(
                Relation.Builder()
                .predecessorTask(pred)
                .type(getattr(RelationType, _RELATION[link.type]))
                .lag(_lag(link))
            )
    return pf


def write(fp: FileProject, path, fmt: str, *, charset: str = "UTF-8", scheduled: bool = True):
    """Write fp with mpxj's own writer: fmt one of FORMATS. Returns path.

    With `scheduled` (the default) mpxj's scheduler for fp.source runs first, so the file holds start,
    finish, early/late dates, float and critical flags as the tool would have saved them (P6 writers
    also need planned dates)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    pf = project_file(fp)
    if scheduled:
        schedule_project_file(pf, fp.source, fp.start)
    if fmt == "xer":
        from java.io import FileOutputStream
        from java.nio.charset import Charset
        from org.mpxj.primavera import PrimaveraXERFileWriter

        writer = PrimaveraXERFileWriter()
        writer.setCharset(Charset.forName(charset))
        out = FileOutputStream(str(path))
        try:
            writer.write(pf, out)
        finally:
            out.close()
        return path
    from org.mpxj.writer import FileFormat, UniversalProjectWriter

    if fmt == "mpx":  # MPX writes dates in the project's date format: keep the time of day
        from org.mpxj import ProjectDateFormat
        from org.mpxj.mpx import MPXWriter

        pf.getProjectProperties().setDateFormat(ProjectDateFormat.DD_MM_YY_HH_MM)
        writer = MPXWriter()
        writer.setUseLocaleDefaults(False)
        writer.write(pf, str(path))
        return path
    kind = {"mspdi": FileFormat.MSPDI, "pmxml": FileFormat.PMXML}[fmt]
    UniversalProjectWriter(kind).write(pf, str(path))
    return path


def _minutes(duration, props) -> int | None:
    if duration is None:
        return None
    from org.mpxj import TimeUnit

    return round(float(duration.convertUnits(TimeUnit.MINUTES, props).getDuration()))


def _complete_durations(pf) -> None:
    """What a file read back may leave out and mpxj's schedulers require: actual duration 0 on unstarted
    tasks, remaining = duration − actual."""
    from org.mpxj import Duration

    for mt in pf.getTasks():
        duration = mt.getDuration()
        if mt.getSummary() or duration is None:
            continue
        if mt.getActualDuration() is None:
            mt.setActualDuration(Duration.getInstance(0, duration.getUnits()))
        if mt.getRemainingDuration() is None:
            done = mt.getActualDuration().getDuration()
            mt.setRemainingDuration(Duration.getInstance(duration.getDuration() - done, duration.getUnits()))


def schedule_project_file(pf, source: str, start: datetime.datetime | None = None) -> dict[str, MpxjTask]:
    """Run mpxj's scheduler (MS Project or P6 semantics) on pf; results keyed by UniqueID (text)."""
    start_jvm()
    from org.mpxj.cpm import MicrosoftScheduler, PrimaveraScheduler, PrimaveraSlackCalculator

    props = pf.getProjectProperties()
    begin = ldt(start) if start is not None else props.getStartDate()
    _complete_durations(pf)
    if source == P6:
        pf.getProjectConfig().setSlackClaculator(PrimaveraSlackCalculator(pf))
        PrimaveraScheduler().schedule(pf, begin)
    else:
        MicrosoftScheduler().schedule(pf, begin)
    out: dict[str, MpxjTask] = {}
    for mt in pf.getTasks():
        if mt.getUniqueID() is None or mt.getNull():
            continue
        key = str(int(mt.getUniqueID()))
        longest = mt.getLongestPath()
        out[key] = MpxjTask(
            key=key,
            early_start=py_datetime(mt.getEarlyStart()),
            early_finish=py_datetime(mt.getEarlyFinish()),
            late_start=py_datetime(mt.getLateStart()),
            late_finish=py_datetime(mt.getLateFinish()),
            start=py_datetime(mt.getStart()),
            finish=py_datetime(mt.getFinish()),
            remaining_early_start=py_datetime(mt.getRemainingEarlyStart()),
            remaining_early_finish=py_datetime(mt.getRemainingEarlyFinish()),
            total_float_minutes=_minutes(mt.getTotalSlack(), props),
            critical=bool(mt.getCritical()),
            longest_path=None if longest is None else bool(longest),
        )
    return out


def mpxj_schedule(fp: FileProject) -> dict[str, MpxjTask]:
    """mpxj's own scheduler on fp (MicrosoftScheduler for MSP, PrimaveraScheduler for P6), by FileTask.key."""
    pf = project_file(fp)
    by_id = schedule_project_file(pf, fp.source, fp.start)
    ids = _unique_ids(fp)
    out = {}
    for task in fp.tasks:
        result = by_id.get(str(ids[task.key]))
        if result is not None:
            result.key = task.key
            out[task.key] = result
    return out
