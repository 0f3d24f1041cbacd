"""mpxj_extract round trips: a FileProject built here → written by mpxj (MSPDI, MPX, XER, P6 XML) → opened
by mpxj_open → extract → the same FileProject (each feature on its own small file)."""

import datetime

import pytest

from tests.scheduling import file_build as fb
from tiaodu.scheduling.file_model import (
    ALAP,
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
from tiaodu.scheduling.mpxj_extract import extract
from tiaodu.scheduling.mpxj_open import open_file
from tiaodu.scheduling.worktime import WorkCalendar

D = datetime.datetime
DAY = (WorkRange(480, 720), WorkRange(780, 1020))
MSP_FORMATS = ("mspdi", "mpx")
P6_FORMATS = ("xer", "pmxml")
ALL = [(MSP, f) for f in MSP_FORMATS] + [(P6, f) for f in P6_FORMATS]


def five_day(key="1", name="标准", exceptions=None):
    return FileCalendar(key, name, {d: DAY if d < 5 else () for d in range(7)}, dict(exceptions or {}))


def project(source, tasks, calendars=None, **kwargs) -> FileProject:
    calendars = calendars or {"1": five_day()}
    return FileProject(source, "测试工程", D(2026, 3, 2, 8), "1", calendars, tasks, **kwargs)


def task(key, duration_days=1.0, **kwargs) -> FileTask:
    kwargs.setdefault("code", f"A{key}")
    kwargs.setdefault("name", f"任务{key}")
    return FileTask(key=key, duration_minutes=round(duration_days * 480), **kwargs)


def _read(path, fmt):
    """The product's opener (mpxj's readers; the XER's character set detected)."""
    return open_file(path).project_file


def write_scheduled(fp: FileProject, path, fmt: str, edit=None):
    """fp built by file_build, scheduled by mpxj's own scheduler (so the file holds dates, as real files
    do; P6 XML cannot be read back without them), optionally edited, then written by mpxj.

    Local additions to file_build: P6 activities get the project calendar when they name none (P6 always
    names one; PrimaveraScheduler fails on a level-of-effort activity without); XER is written in UTF-8;
    MPX in the ZH code page with dates and times (mpxj's defaults: ANSI, dates only)."""
    pf = fb.project_file(fp)
    if fp.source == P6:
        for mt in pf.getTasks():
            if mt.getCalendar() is None:
                mt.setCalendar(pf.getDefaultCalendar())
    fb.schedule_project_file(pf, fp.source, fp.start)
    if edit is not None:
        edit(pf)
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
        return path
    if fmt == "mpx":
        from org.mpxj import CodePage, ProjectDateFormat
        from org.mpxj.mpx import MPXWriter

        props = pf.getProjectProperties()
        props.setMpxCodePage(CodePage.ZH)
        props.setDateFormat(ProjectDateFormat.DD_MM_YY_HH_MM)
        writer = MPXWriter()
        writer.setUseLocaleDefaults(False)
        writer.write(pf, str(path))
        return path
    from org.mpxj.writer import FileFormat, UniversalProjectWriter

    kind = {"mspdi": FileFormat.MSPDI, "pmxml": FileFormat.PMXML}[fmt]
    UniversalProjectWriter(kind).write(pf, str(path))
    return path


def round_trip(tmp_path, fp: FileProject, fmt: str, edit=None) -> FileProject:
    path = write_scheduled(fp, tmp_path / f"plan.{fmt}", fmt, edit)
    return extract(_read(path, fmt))


def by_code(fp: FileProject) -> dict[str, FileTask]:
    return {t.code: t for t in fp.tasks}


def links_by_code(fp: FileProject, t: FileTask):
    codes = {x.key: x.code for x in fp.tasks}
    return [(codes[k.predecessor], k.type, k.lag_minutes, k.lag_elapsed, k.lag_percent) for k in t.links]


@pytest.mark.parametrize("source,fmt", ALL)
def test_project_and_calendars(tmp_path, source, fmt):
    six = FileCalendar(
        "2",
        "六天工作制",
        {d: ((WorkRange(420, 690), WorkRange(780, 1080)) if d < 6 else ()) for d in range(7)},
        {datetime.date(2026, 5, 1): (), datetime.date(2026, 5, 9): (WorkRange(480, 720),)},
        minutes_per_day=555,
        minutes_per_week=3330,
        minutes_per_month=14430,
    )
    holidays = {datetime.date(2026, 4, 6): (), datetime.date(2026, 3, 14): (WorkRange(540, 720),)}
    fp = project(
        source,
        [task("1", 5), task("2", 3, calendar="2", links=[FileLink("1")])],
        calendars={"1": five_day(exceptions=holidays), "2": six},
        data_date=D(2026, 3, 4, 17),
    )
    got = round_trip(tmp_path, fp, fmt)
    assert got.source == source
    if fmt == "pmxml":  # mpxj writes a project name in P6 XML only (MSPDI: "Project1", XER: the ID)
        assert got.name == "测试工程"
    assert got.start == D(2026, 3, 2, 8)
    if fmt != "mpx":  # MPX has no status date
        assert got.data_date == D(2026, 3, 4, 17)
    default = got.calendars[got.calendar]
    assert default.week == fp.calendars["1"].week
    assert default.exceptions == holidays
    tasks = by_code(got) if source == P6 else {f"A{t.key}": t for t in got.tasks}
    assert tasks["A1"].calendar is None
    if fmt == "mpx":  # MPX has no task calendars: the second calendar is still read
        assert tasks["A2"].calendar is None
        other = next(c for k, c in got.calendars.items() if k != got.calendar)
    else:
        other = got.calendars[tasks["A2"].calendar]
    assert other.name == "六天工作制"
    assert other.week == six.week
    assert other.exceptions == six.exceptions
    if source == P6:  # P6 keeps hours per day/week/month per calendar; MS Project per project
        assert (other.minutes_per_day, other.minutes_per_week, other.minutes_per_month) == (555, 3330, 14430)
        assert tasks["A2"].duration_minutes == 3 * 480
    assert not got.notes


def test_recurring_exceptions_and_work_weeks_expanded(tmp_path):
    """A yearly holiday and an MS Project work week (a 6-day period) become dated exceptions."""
    fp = project(MSP, [task("1", 200)])

    def edit(pf):
        from java.time import DayOfWeek, LocalDate, LocalTime
        from org.mpxj import DayType, LocalDateRange, LocalTimeRange, RecurrenceType, RecurringData

        cal = pf.getDefaultCalendar()
        recurring = RecurringData()
        recurring.setRecurrenceType(RecurrenceType.YEARLY)
        recurring.setStartDate(LocalDate.of(2026, 5, 1))
        recurring.setFinishDate(LocalDate.of(2030, 5, 1))
        recurring.setDayNumber(fb._int(1))
        recurring.setMonthNumber(fb._int(5))
        recurring.setRelative(False)
        cal.addCalendarException(recurring)
        week = cal.addWorkWeek()
        week.setDateRange(LocalDateRange(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 14)))
        for day in DayOfWeek.values():  # Monday–Friday as the calendar's week, Saturday mornings too
            week.setCalendarDayType(day, DayType.NON_WORKING if day == DayOfWeek.SUNDAY else DayType.WORKING)
            hours = week.addCalendarHours(day)
            if day == DayOfWeek.SATURDAY:
                hours.add(LocalTimeRange(LocalTime.of(8, 0), LocalTime.of(12, 0)))
            elif day != DayOfWeek.SUNDAY:
                hours.add(LocalTimeRange(LocalTime.of(8, 0), LocalTime.of(12, 0)))
                hours.add(LocalTimeRange(LocalTime.of(13, 0), LocalTime.of(17, 0)))

    got = round_trip(tmp_path, fp, "mspdi", edit)
    exceptions = got.calendars[got.calendar].exceptions
    for year in (2026, 2028):  # 1 May 2027 is a Saturday: no different from the week
        assert exceptions[datetime.date(year, 5, 1)] == ()
    assert exceptions[datetime.date(2026, 6, 6)] == (WorkRange(480, 720),)
    assert exceptions[datetime.date(2026, 6, 13)] == (WorkRange(480, 720),)
    assert datetime.date(2026, 6, 20) not in exceptions
    assert datetime.date(2026, 6, 8) not in exceptions  # a Monday of the work week, as the week says


MSP_CONSTRAINTS = [SNET, SNLT, FNET, FNLT, MSO, MFO]


@pytest.mark.parametrize("fmt", MSP_FORMATS)
def test_ms_project_constraints(tmp_path, fmt):
    date = D(2026, 3, 16, 8)
    tasks = [task("1", 2), task("2", 2, constraint=ALAP, links=[FileLink("1")])]
    for i, kind in enumerate(MSP_CONSTRAINTS, start=3):
        tasks.append(task(str(i), 2, constraint=kind, constraint_date=date, links=[FileLink("1")]))
    got = by_code(round_trip(tmp_path, project(MSP, tasks), fmt))
    got = {t.key: t for t in got.values()}
    assert got["1"].constraint == "ASAP" and got["1"].constraint_date is None
    assert got["2"].constraint == ALAP and got["2"].constraint_date is None
    for i, kind in enumerate(MSP_CONSTRAINTS, start=3):
        assert (got[str(i)].constraint, got[str(i)].constraint_date) == (kind, date)
        assert getattr(got[str(i)], "mandatory", False) is False


@pytest.mark.parametrize("fmt", P6_FORMATS)
def test_p6_constraints_start_on_mandatory_and_secondary(tmp_path, fmt):
    date = D(2026, 3, 16, 8)
    finish = D(2026, 3, 20, 17)
    tasks = [task("1", 2)]
    kinds = [(SNET, date), (SNLT, date), (FNET, finish), (FNLT, finish), (MSO, date), (MFO, finish)]
    for i, (kind, when) in enumerate(kinds, start=2):
        tasks.append(task(str(i), 2, constraint=kind, constraint_date=when, links=[FileLink("1")]))
    mandatory_start = task("8", 2, constraint=MSO, constraint_date=date, links=[FileLink("1")])
    mandatory_finish = task("9", 2, constraint=MFO, constraint_date=finish, links=[FileLink("1")])
    mandatory_start.mandatory = mandatory_finish.mandatory = True
    second = task("10", 2, constraint=SNET, constraint_date=date, links=[FileLink("1")])
    second.secondary_constraint, second.secondary_constraint_date = FNLT, D(2026, 3, 27, 17)
    tasks += [mandatory_start, mandatory_finish, second]
    got = by_code(round_trip(tmp_path, project(P6, tasks), fmt))
    for i, (kind, when) in enumerate(kinds, start=2):
        t = got[f"A{i}"]
        assert (t.constraint, t.constraint_date, getattr(t, "mandatory", False)) == (kind, when, False)
    assert (got["A8"].constraint, got["A8"].constraint_date, got["A8"].mandatory) == (MSO, date, True)
    assert (got["A9"].constraint, got["A9"].constraint_date, got["A9"].mandatory) == (MFO, finish, True)
    assert (got["A10"].constraint, got["A10"].secondary_constraint) == (SNET, FNLT)
    assert got["A10"].secondary_constraint_date == D(2026, 3, 27, 17)


@pytest.mark.parametrize("source,fmt", ALL)
def test_progress_with_data_date(tmp_path, source, fmt):
    tasks = [
        task("1", 3, actual_start=D(2026, 3, 2, 8), actual_finish=D(2026, 3, 4, 17), percent_complete=100.0),
        task("2", 4, actual_start=D(2026, 3, 5, 8), percent_complete=25.0, links=[FileLink("1")]),
        task("3", 2, links=[FileLink("2")]),
    ]
    fp = project(source, tasks, data_date=D(2026, 3, 5, 17))
    got = (
        by_code(round_trip(tmp_path, fp, fmt))
        if source == P6
        else {f"A{t.key}": t for t in round_trip(tmp_path, fp, fmt).tasks}
    )
    assert (got["A1"].actual_start, got["A1"].actual_finish) == (D(2026, 3, 2, 8), D(2026, 3, 4, 17))
    assert got["A1"].percent_complete == 100.0
    assert got["A1"].remaining_minutes == 0
    assert got["A2"].actual_start == D(2026, 3, 5, 8) and got["A2"].actual_finish is None
    if fmt != "pmxml":  # mpxj's P6 XML writer writes DurationPercentComplete 0.25 as "0"
        assert got["A2"].percent_complete == 25.0
    assert got["A2"].remaining_minutes == 3 * 480
    assert got["A3"].actual_start is None and got["A3"].percent_complete == 0.0
    assert got["A3"].remaining_minutes == 2 * 480
    if source == MSP:
        assert got["A2"].duration_minutes == 4 * 480


@pytest.mark.parametrize("fmt", MSP_FORMATS)
def test_elapsed_and_percentage_lags_several_links_per_pair(tmp_path, fmt):
    tasks = [
        task("1", 2),
        task(
            "2",
            3,
            links=[
                FileLink("1", FS, 2 * 1440, lag_elapsed=True),
                FileLink("1", SS, 240),
                FileLink("1", FF, -480),
            ],
        ),
        task("3", 1, links=[FileLink("2", FS, lag_percent=50.0), FileLink("1", SF, 0)]),
        task("4", 0, duration_elapsed=False, milestone=True, links=[FileLink("3")]),
        FileTask("5", "A5", "养护", 3 * 1440, duration_elapsed=True, links=[FileLink("4")]),
    ]
    got = round_trip(tmp_path, project(MSP, tasks), fmt)
    t = {x.key: x for x in got.tasks}
    assert links_by_code(got, t["2"]) == [
        (t["1"].code, FS, 2880, True, None),
        (t["1"].code, SS, 240, False, None),
        (t["1"].code, FF, -480, False, None),
    ]
    assert links_by_code(got, t["3"]) == [
        (t["2"].code, FS, 0, False, 50.0),
        (t["1"].code, SF, 0, False, None),
    ]
    assert t["4"].milestone and t["4"].duration_minutes == 0
    assert (t["5"].duration_minutes, t["5"].duration_elapsed) == (3 * 1440, True)
    # MS Project counts an elapsed task's slack in elapsed time; the file's is kept in working minutes
    five = WorkCalendar(got.calendars[got.calendar])
    assert t["5"].file_total_float_minutes == five.between(t["5"].file_early_finish, t["5"].file_late_finish)


@pytest.mark.parametrize("source,fmt", ALL)
def test_hierarchy_and_links_on_summaries(tmp_path, source, fmt):
    tasks = [
        FileTask("10", "S1", "一期", 0, summary=True),
        task("11", 2, parent="10"),
        task("12", 3, parent="10", links=[FileLink("11")]),
        FileTask("20", "S2", "二期", 0, summary=True, links=[FileLink("10", FS, 480)]),
        task("21", 1, parent="20"),
        task("30", 1, links=[FileLink("20"), FileLink("12", SS)]),
    ]
    got = round_trip(tmp_path, project(source, tasks), fmt)
    t = {x.name: x for x in got.tasks}
    names = [x.name for x in got.tasks if not x.summary]
    if source == P6:  # mpxj lists P6 activities outside any WBS node first
        names.sort()
    assert names == ["任务11", "任务12", "任务21", "任务30"]
    assert t["一期"].summary and t["二期"].summary and not t["任务11"].summary
    assert t["任务11"].parent == t["一期"].key and t["任务21"].parent == t["二期"].key
    assert [(k.predecessor, k.type) for k in t["任务30"].links] == [
        (t["二期"].key, FS),
        (t["任务12"].key, SS),
    ]
    if source == MSP:  # P6 relations join activities only; mpxj puts loose activities under a project WBS
        assert t["任务30"].parent is None
        assert [(k.predecessor, k.lag_minutes) for k in t["二期"].links] == [(t["一期"].key, 480)]


@pytest.mark.parametrize("fmt", MSP_FORMATS)
def test_ms_project_identity_manual_milestone_deadline(tmp_path, fmt):
    """key = UniqueID (survives deleted rows), code = the row ID the planner sees."""
    tasks = [
        task("7", 2),
        task("9", 1, manual=True, file_start=D(2026, 3, 10, 8), file_finish=D(2026, 3, 10, 17)),
        task("12", 0, milestone=True, deadline=D(2026, 3, 31, 17), links=[FileLink("7")]),
    ]
    got = round_trip(tmp_path, project(MSP, tasks), fmt)
    assert [(t.key, t.code) for t in got.tasks] == [("7", "1"), ("9", "2"), ("12", "3")]
    t = {x.key: x for x in got.tasks}
    assert t["9"].manual == (fmt != "mpx") and not t["7"].manual  # MPX predates manual scheduling
    assert (t["9"].file_start, t["9"].file_finish) == (D(2026, 3, 10, 8), D(2026, 3, 10, 17))
    assert t["12"].milestone
    assert t["12"].deadline == (None if fmt == "mpx" else D(2026, 3, 31, 17))  # MPX has no deadlines
    assert t["12"].links == [FileLink("7")]


@pytest.mark.parametrize("fmt", P6_FORMATS)
def test_p6_identity_level_of_effort_milestones(tmp_path, fmt):
    """key = the activity GUID when the file has one, else the activity ID; code = the activity ID."""
    tasks = [
        task("1", 2, code="K100", name="开工"),
        task("2", 5, code="K110", links=[FileLink("1")]),
        task("3", 3, code="K120", level_of_effort=True, links=[FileLink("1")]),
        task("4", 0, code="K130", milestone=True, links=[FileLink("2")]),
    ]
    guid = "0E4A4C4E-8C55-4B57-9C3B-2A5A6C1E0001"

    def edit(pf):
        from java.util import UUID

        pf.getTaskByUniqueID(fb._int(1)).setGUID(UUID.fromString(guid))

    got = round_trip(tmp_path, project(P6, tasks), fmt, edit)
    t = by_code(got)
    assert t["K100"].key == guid
    assert t["K110"].key in ("K110", t["K110"].key.upper())
    assert t["K120"].level_of_effort and not t["K110"].level_of_effort
    assert t["K130"].milestone and t["K130"].duration_minutes == 0
    assert t["K130"].start_milestone is False and t["K110"].start_milestone is None
    assert t["K110"].links == [FileLink(guid)]
    assert len({x.key for x in got.tasks}) == len(got.tasks)


@pytest.mark.parametrize("source,fmt", ALL)
def test_file_scheduled_values_are_those_the_file_states(tmp_path, source, fmt):
    tasks = [
        task("1", 2),
        task("2", 3, links=[FileLink("1")]),
        task("3", 1, links=[FileLink("1")]),
        task("4", 0, milestone=True, links=[FileLink("2"), FileLink("3")]),
    ]
    fp = project(source, tasks)
    expected = fb.mpxj_schedule(fp)
    got = {t.name: t for t in round_trip(tmp_path, fp, fmt).tasks}
    for built in tasks:
        t, want = got[built.name], expected[built.key]
        assert (t.file_start, t.file_finish) == (want.start, want.finish), built.name
        if fmt != "mpx":  # MPX holds no early / late dates
            assert (t.file_early_start, t.file_early_finish) == (want.early_start, want.early_finish)
            assert (t.file_late_start, t.file_late_finish) == (want.late_start, want.late_finish)
        assert t.file_total_float_minutes == want.total_float_minutes, built.name
        assert t.file_critical == want.critical, built.name
    assert got["任务3"].file_total_float_minutes == 2 * 480


def test_null_rows_and_external_links_are_noted(tmp_path):
    fp = project(MSP, [task("1", 2), task("2", 2, links=[FileLink("1")])])

    def edit(pf):
        blank = pf.addTask()
        blank.setNull(True)
        blank.setUniqueID(fb._int(50))
        blank.setID(fb._int(3))

    got = round_trip(tmp_path, fp, "mspdi", edit)
    assert [t.key for t in got.tasks] == ["1", "2"]
    assert "未读取1个空行" in got.notes


@pytest.mark.parametrize("fmt", P6_FORMATS)
def test_p6_lags_on_a_24_hour_lag_calendar_are_elapsed_and_other_settings_are_noted(tmp_path, fmt):
    fp = project(P6, [task("1", 2), task("2", 2, links=[FileLink("1", FS, 600)])])

    def edit(pf):
        from org.mpxj import RelationshipLagCalendar, TotalSlackCalculationType

        props = pf.getProjectProperties()
        props.setRelationshipLagCalendar(RelationshipLagCalendar.TWENTY_FOUR_HOUR)
        props.setTotalSlackCalculationType(TotalSlackCalculationType.SMALLEST_SLACK)

    read = round_trip(tmp_path, fp, fmt, edit)
    got = by_code(read)
    assert got["A2"].links == [FileLink(got["A1"].key, FS, 600, lag_elapsed=True)]
    assert "文件的总浮时计算方式为SMALLEST_SLACK，本系统按完成浮时（P6默认）计算" in read.notes


def test_ms_project_scheduled_from_its_finish_is_noted(tmp_path):
    fp = project(MSP, [task("1", 2), task("2", 2, links=[FileLink("1")])])

    def edit(pf):
        from org.mpxj import ScheduleFrom

        pf.getProjectProperties().setScheduleFrom(ScheduleFrom.FINISH)

    got = round_trip(tmp_path, fp, "mspdi", edit)
    assert "文件按项目完成日期倒排（从完成日期排定），本系统按开始日期正排" in got.notes


def test_resources_counted_and_levelling_delay_is_a_sign_of_levelling(tmp_path):
    fp = project(MSP, [task("1", 2), task("2", 2, links=[FileLink("1")])])

    def edit(pf):
        from org.mpxj import Duration, TimeUnit

        for name in ("施工班组", "监理"):
            pf.addResource().setName(name)
        pf.getTaskByUniqueID(fb._int(2)).setLevelingDelay(Duration.getInstance(2, TimeUnit.ELAPSED_DAYS))

    got = round_trip(tmp_path, fp, "mspdi", edit)
    assert got.resources == 2
    assert got.levelled
    assert not round_trip(tmp_path, fp, "mspdi").levelled
