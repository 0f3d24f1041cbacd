"""MS Project / P6 schedules (FileProjects, built by hand here) as the project's tasks: identity across
re-imports, several links per pair with exact lags, the rounding to whole days, summaries, the calendar
modes, and back to a FileProject for the file engine."""

import datetime
from decimal import Decimal

import pytest

from tiaodu.scheduling import file_schedule, identity
from tiaodu.scheduling.calendar import FILE, STATUTORY, WorkCalendar
from tiaodu.scheduling.file_import import LEVELLING_NOT_DONE, read_file_project
from tiaodu.scheduling.file_model import (
    FF,
    FS,
    MSP,
    SNET,
    SS,
    FileCalendar,
    FileLink,
    FileProject,
    FileSchedule,
    FileTask,
    TaskResult,
    WorkRange,
)
from tiaodu.scheduling.importers import ScheduleFileError
from tiaodu.scheduling.models import Dependency, ProjectSchedule, Task
from tiaodu.scheduling.selectors import predecessors_text, project_tasks
from tiaodu.scheduling.services import tasks_replace_keyed

pytestmark = pytest.mark.django_db

DT = datetime.datetime
DAY = (WorkRange(480, 720), WorkRange(780, 1020))


def calendar(key="1", saturday=False, exceptions=None, minutes_per_day=480):
    week = {wd: DAY if wd < 5 or (saturday and wd == 5) else () for wd in range(7)}
    return FileCalendar(key, "标准", week, exceptions or {}, minutes_per_day)


def fp(tasks, **kwargs):
    cals = kwargs.pop("calendars", {"1": calendar()})
    return FileProject(
        source=MSP,
        name="一期工程",
        start=DT(2026, 3, 2, 8),
        calendar="1",
        calendars=cals,
        tasks=tasks,
        **kwargs,
    )


def task(key, code, name, days, *links, **kwargs):
    return FileTask(
        key=key, code=code, name=name, duration_minutes=int(days * 480), links=list(links), **kwargs
    )


def network(delete_b=False):
    """A → B, A → C, B + C → D; MS Project renumbers the rows when B (UniqueID 2) is deleted."""
    rows = [task("1", "1", "征收拆迁", 5)]
    if not delete_b:
        rows.append(task("2", "2", "施工图设计", 3, FileLink("1")))
    rows.append(task("3", str(len(rows) + 1), "管线迁改", 4, FileLink("1")))
    links = [FileLink("3")] if delete_b else [FileLink("2"), FileLink("3")]
    rows.append(task("4", str(len(rows) + 1), "道路施工", 10, *links))
    return fp(rows)


def replace(district, project_file, keep=True):
    read = read_file_project(project_file, file_format="MS Project XML (MSPDI)")
    count, changes = tasks_replace_keyed(
        user=district.users["hq"],
        project=district.project,
        tasks=read.tasks,
        filename="计划.xml",
        keep_quantities=keep,
        file_data=read.file_data,
    )
    return read, changes


def test_it_keeps_quantities_with_the_same_unique_id_after_a_row_is_deleted(district):
    replace(district, network())
    indicator = district.project.indicators.get()
    Task.objects.filter(project=district.project, source_key="3").update(indicator=indicator, quantity=300)
    Task.objects.filter(project=district.project, source_key="4").update(indicator=indicator, quantity=900)
    _read, changes = replace(district, network(delete_b=True))
    tasks = {t.source_key: t for t in project_tasks(district.project)}
    # 管线迁改 was row 3 and is row 2 now: its quantity stays with it, not with whatever row 3 is.
    assert (tasks["3"].code, tasks["3"].quantity) == ("2", Decimal("300"))
    assert (tasks["4"].code, tasks["4"].quantity) == ("3", Decimal("900"))
    assert changes.added == [] and changes.removed == ["2 施工图设计"]
    assert changes.changed == ["3 道路施工：紧前任务「2、3」→「2」"]
    assert changes.kept_quantities == 2
    assert changes.lines()[-1].startswith("另有2项任务仅编号变化（如 3→2、4→3")


def test_it_lists_added_and_changed_tasks_in_chinese(district):
    replace(district, network())
    changed = network()
    changed.tasks[1].name = "施工图设计及审查"
    changed.tasks[2].duration_minutes = 6 * 480
    changed.tasks[3].duration_minutes = 10 * 480 + 120  # 10.25 days: still 10 days shown
    changed.tasks[3].constraint, changed.tasks[3].constraint_date = SNET, DT(2026, 4, 1, 8)
    changed.tasks.append(task("9", "5", "绿化", 2, FileLink("4")))
    _read, changes = replace(district, changed)
    assert changes.added == ["5 绿化"]
    assert changes.changed == [
        "2 施工图设计及审查：名称「施工图设计」→「施工图设计及审查」",
        "3 管线迁改：工期4天→6天",
        "4 道路施工：工期80小时→82小时；限制条件越早越好→不得早于2026-04-01 08:00开始",
    ]


def test_it_matches_a_first_file_import_with_xlsx_tasks_by_code(district):
    from tiaodu.scheduling.engine import Link
    from tiaodu.scheduling.importers import ImportedTask

    indicator = district.project.indicators.get()
    same = [
        ImportedTask(2, "1", "征收拆迁", 5, [], indicator, Decimal(7)),
        ImportedTask(3, "2", "施工图设计", 3, [Link("1")]),
        ImportedTask(4, "3", "管线迁改", 4, [Link("1")]),
        ImportedTask(5, "4", "道路施工", 10, [Link("2"), Link("3")]),
    ]
    tasks_replace_keyed(user=district.users["hq"], project=district.project, tasks=same)
    _read, changes = replace(district, network())
    first = Task.objects.get(project=district.project, code="1")
    assert first.source_key == "1" and first.quantity == Decimal(7) and changes.kept_quantities == 1
    assert changes.lines() == []  # the same plan: its links are compared through the matched tasks


def test_it_keeps_several_links_between_the_same_pair_with_their_exact_lags(district):
    a = task("10", "A10", "征收拆迁", 3)
    b = task(
        "20",
        "A20",
        "道路施工",
        10,
        FileLink("10", SS, lag_minutes=720),  # 1.5 days: 2 shown, 720 minutes kept
        FileLink("10", FF, lag_percent=50.0),  # half of A's 3 days: 1.5 → 2
        FileLink("10", FS, lag_minutes=2880, lag_elapsed=True),  # 2 elapsed days
        FileLink("10", SS, lag_minutes=0),  # a second SS between the same pair
    )
    read, _changes = replace(district, fp([a, b]))
    b_task = Task.objects.get(code="A20")
    assert predecessors_text(project_tasks(district.project)[1]) == "A10SS+2、A10FF+2、A10FS+2"
    links = list(Dependency.objects.filter(successor=b_task).order_by("id"))
    assert [(d.type, d.lag, d.lag_minutes, d.lag_elapsed, d.lag_percent) for d in links] == [
        ("SS", 2, 720, False, None),
        ("FF", 2, 0, False, 50.0),
        ("FS", 2, 2880, True, None),
    ]
    assert read.dropped == ["任务「A20 道路施工」与「A10」之间重复的SS依赖，只保留第一条"]


def test_it_rounds_durations_once_for_display(district):
    hours10 = calendar("10h", minutes_per_day=600)
    rows = [
        FileTask("1", "1", "放线", 240),  # half a day: shown as 1 (0 is a milestone)
        FileTask("2", "2", "开挖", 1200),  # 2.5 days → 3
        FileTask("3", "3", "养护", 3 * 1440, duration_elapsed=True),  # 3 elapsed days
        FileTask("4", "4", "夜间施工", 600, calendar="10h"),  # one 10-hour day
        FileTask("5", "5", "验收", 0, milestone=True),
    ]
    replace(district, fp(rows, calendars={"1": calendar(), "10h": hours10}))
    tasks = project_tasks(district.project)
    assert [t.duration for t in tasks] == [1, 3, 3, 1, 0]
    assert [t.detail["duration_minutes"] for t in tasks] == [240, 1200, 4320, 600, 0]
    assert tasks[2].detail["duration_elapsed"] and tasks[3].detail["calendar"] == "10h"


def test_it_keeps_summaries_and_their_links_for_the_engine(district):
    rows = [
        task("100", "1", "一期工程", 0, summary=True),
        task("1", "2", "征收拆迁", 5, parent="100"),
        task("200", "3", "二期工程", 0, FileLink("100"), summary=True),
        task("2", "4", "道路施工", 10, FileLink("100", SS, 480), parent="200"),
    ]
    read, _ = replace(district, fp(rows, resources=3))
    assert [t.code for t in project_tasks(district.project)] == ["2", "4"]
    road = Task.objects.get(code="4")
    assert road.detail["parent"] == "200" and road.detail["summary_links"][0]["predecessor"] == "100"
    data = ProjectSchedule.objects.get(project=district.project).file_data
    assert [s["key"] for s in data["summaries"]] == ["100", "200"]
    assert data["summaries"][1]["links"][0]["predecessor"] == "100"
    assert read.counts == {
        "任务": 2,
        "摘要任务": 2,
        "依赖": 2,
        "日历": 1,
        "限制条件": 0,
        "资源": 3,
        "已开始的任务": 0,
    }
    assert LEVELLING_NOT_DONE in read.dropped


def test_it_says_in_chinese_what_cannot_be_imported(district):
    with pytest.raises(ScheduleFileError) as err:
        read_file_project(fp([task("100", "1", "一期工程", 0, summary=True)]), file_format="Primavera P6 XER")
    assert err.value.messages == ["Primavera P6 XER文件中没有任务（摘要任务不计）"]
    with pytest.raises(ScheduleFileError) as err:
        read_file_project(fp([task("1", "1", "超长", 20000)]), file_format="MS Project (.mpp)")
    assert err.value.messages == ["任务「1 超长」：工期20000天过长（最多10000天）"]
    cycle = fp([task("1", "1", "甲", 1, FileLink("2")), task("2", "2", "乙", 1, FileLink("1"))])
    with pytest.raises(ScheduleFileError) as err:
        read_file_project(cycle, file_format="MS Project (.mpp)")
    assert "循环依赖" in err.value.messages[0]


def test_it_gives_a_clashing_code_the_task_key(district):
    rows = [task("7", "A", "甲", 1), task("8", "A", "乙", 1)]
    replace(district, fp(rows))
    assert [(t.code, t.source_key) for t in project_tasks(district.project)] == [("A", "7"), ("8", "8")]


# --- back to a FileProject, and the engine's results on the day axis --------------------------------


def test_it_rebuilds_the_file_project_on_the_file_calendar_and_on_a_mode(district):
    saturday = calendar(saturday=True, exceptions={datetime.date(2026, 3, 7): ()}, minutes_per_day=480)
    rows = [
        task("100", "1", "一期工程", 0, summary=True),
        task("1", "2", "征收拆迁", 5, parent="100", actual_start=DT(2026, 3, 2, 8), percent_complete=40.0),
        task("2", "3", "道路施工", 10, FileLink("1", FS, 720), FileLink("100", SS), parent="100"),
    ]
    replace(district, fp(rows, calendars={"1": saturday}, data_date=DT(2026, 3, 4, 17)))
    tasks = project_tasks(district.project)
    data = ProjectSchedule.objects.get(project=district.project).file_data
    on_file = file_schedule.work_calendar_of(data)
    assert on_file.weekdays == frozenset(range(6)) and on_file.holidays == {datetime.date(2026, 3, 7)}
    rebuilt = file_schedule.file_project(
        code="ZD-001", start=datetime.date(2026, 3, 2), tasks=tasks, calendar=on_file, file_data=data
    )
    assert rebuilt.calendar == "1" and rebuilt.data_date == DT(2026, 3, 4, 17)
    assert [(t.key, t.summary, t.duration_minutes) for t in rebuilt.tasks] == [
        ("100", True, 0),
        ("1", False, 2400),
        ("2", False, 4800),
    ]
    road = rebuilt.tasks[2]
    assert [(x.predecessor, x.type, x.lag_minutes) for x in road.links] == [("1", FS, 720), ("100", SS, 0)]
    assert rebuilt.tasks[1].actual_start == DT(2026, 3, 2, 8) and rebuilt.tasks[1].percent_complete == 40.0
    statutory = file_schedule.file_project(
        code="ZD-001",
        start=datetime.date(2026, 3, 2),
        tasks=tasks,
        calendar=WorkCalendar(mode=STATUTORY, holidays={datetime.date(2026, 4, 6)}),
        file_data=data,
    )
    project_calendar = statutory.calendars[statutory.calendar]
    assert project_calendar.week[5] == () and project_calendar.week[0] == file_schedule.DAY_RANGES
    assert project_calendar.exceptions == {datetime.date(2026, 4, 6): ()}
    assert all(t.calendar is None for t in statutory.tasks)


def test_it_puts_the_engine_results_on_the_working_day_axis(district):
    replace(
        district,
        fp([task("1", "1", "征收拆迁", 2), task("2", "2", "验收", 0, FileLink("1"), milestone=True)]),
    )
    tasks = project_tasks(district.project)
    result = FileSchedule(
        tasks={
            # Tue 3 – Wed 4 March 2026; float 1.5 days → 2
            "1": TaskResult(
                "1", DT(2026, 3, 3, 8), DT(2026, 3, 4, 17), DT(2026, 3, 4, 13), DT(2026, 3, 6, 12), 720, False
            ),
            # As P6 places a milestone after a task: the next day's first working minute.
            "2": TaskResult(
                "2", DT(2026, 3, 5, 8), DT(2026, 3, 5, 8), DT(2026, 3, 6, 12), DT(2026, 3, 6, 12), 0, True
            ),
        },
        finish=DT(2026, 3, 4, 17),
        critical_path=["2"],
        warnings=["示例提示"],
    )
    schedule = file_schedule.to_schedule(
        project="ZD-001",
        start=datetime.date(2026, 3, 2),
        deadline=datetime.date(2026, 3, 6),
        tasks=tasks,
        calendar=WorkCalendar(mode=FILE),
        result=result,
        minutes_per_day=480,
        warnings=[],
        day_calendar=calendar(),
    )
    first, milestone = schedule.tasks
    assert (first.es, first.ef, first.duration, first.early_start, first.early_finish) == (
        1,
        3,
        2,
        datetime.date(2026, 3, 3),
        datetime.date(2026, 3, 4),
    )
    assert first.total_float == 2 and not first.critical
    assert (milestone.es, milestone.ef, milestone.early_finish) == (3, 3, datetime.date(2026, 3, 4))
    assert schedule.axis.milestone_date(milestone.ef) == datetime.date(2026, 3, 4)
    assert schedule.critical_path == ["2"] and schedule.finish == datetime.date(2026, 3, 4)
    assert schedule.deadline_day == 4 and schedule.feasible and "示例提示" in schedule.warnings


def test_it_describes_the_file_calendar_against_the_project_mode():
    from tiaodu.scheduling.file_json import calendar_json
    from tiaodu.scheduling.import_report import calendar_differs, file_calendar_text

    holidays = {datetime.date(2026, 5, d): () for d in (1, 4, 5)}
    data = {"calendar": "1", "calendars": {"1": calendar_json(calendar(saturday=True, exceptions=holidays))}}
    assert file_calendar_text(data) == "周一至周六、每天8小时、含3个例外日期"
    assert calendar_differs(data, "statutory") and calendar_differs(data, "mon_sat")
    assert not calendar_differs(data, "file")
    plain = {"calendar": "1", "calendars": {"1": calendar_json(calendar())}}
    assert file_calendar_text(plain) == "周一至周五、每天8小时"
    assert not calendar_differs(plain, "mon_fri") and calendar_differs(plain, "continuous")


def test_it_keys_tasks_without_a_file_identity_by_code():
    assert identity.identity(Task(code="A")) == "code:A"
    assert file_schedule.task_key(Task(code="A", source_key="{GUID}")) == "{GUID}"


def test_it_keeps_exact_lags_and_updates_the_minutes_when_a_file_task_is_edited(district):
    from tiaodu.scheduling.services import task_save

    a = task("10", "A10", "征收拆迁", 3)
    b = task(
        "20", "A20", "道路施工", 10, FileLink("10", SS, lag_minutes=720), FileLink("10", FF, lag_minutes=0)
    )
    replace(district, fp([a, b], calendars={"1": calendar(minutes_per_day=600)}))
    road = Task.objects.get(code="A20")
    task_save(
        user=district.users["hq"],
        project=district.project,
        task=road,
        data={"duration": 12},
        predecessors="A10SS+1、A10FF",  # SS unchanged (720 minutes shown as 1 day of 600), FF unchanged
    )
    road.refresh_from_db()
    assert road.detail["duration_minutes"] == 12 * 600
    links = Dependency.objects.filter(successor=road).order_by("type")
    assert [(d.type, d.lag, d.lag_minutes) for d in links] == [("FF", 0, 0), ("SS", 1, 720)]


def test_it_keeps_the_file_calendar_days_with_a_baseline():
    cal = WorkCalendar(mode=FILE, weekdays={0, 1, 2, 3, 4, 5}, holidays={datetime.date(2026, 5, 1)})
    back = file_schedule.calendar_from_snapshot(file_schedule.calendar_snapshot(cal))
    assert (back.mode, back.weekdays, back.holidays, back.workdays) == (
        FILE,
        cal.weekdays,
        cal.holidays,
        frozenset(),
    )


def test_a_typed_manual_task_is_never_critical_on_the_schedule_page(district):
    from tiaodu.scheduling.selectors import project_schedule

    # 1 → 2 → 3 is the longest chain; 2 is a manually scheduled task with typed dates (MS Project's rule).
    manual = dict(manual=True, typed=True, file_start=DT(2026, 3, 9, 8), file_finish=DT(2026, 3, 11, 17))
    rows = [
        task("1", "1", "征收拆迁", 5),
        task("2", "2", "管线迁改", 3, FileLink("1"), **manual),
        task("3", "3", "道路施工", 10, FileLink("2")),
        task("4", "4", "绿化", 1, FileLink("1")),
    ]
    replace(district, fp(rows))
    critical = {t.code: t.critical for t in project_schedule(district.project).tasks}
    assert critical == {"1": True, "2": False, "3": True, "4": False}
    replace(district, fp([*rows[:1], task("2", "2", "管线迁改", 3, FileLink("1")), *rows[2:]]))
    assert project_schedule(district.project).tasks[1].critical
