"""MS Project / P6 plans imported again, by hand-added tasks' side and against baselines: which task is
which (baseline rows, quantities), milestones at the project's start, lags on another mode's calendar, the
words of a changed constraint, and an .xlsx import after a file import (the calendar mode)."""

import datetime
from decimal import Decimal

import pytest

from tests.scheduling.test_file_import import DT, calendar, fp, replace, task
from tiaodu.core.models import ChangeRecord
from tiaodu.scheduling import file_schedule, services
from tiaodu.scheduling.calendar import FILE, MON_FRI, STATUTORY, WorkCalendar
from tiaodu.scheduling.file_import import read_file_project
from tiaodu.scheduling.file_model import (
    FNET,
    MFO,
    MSO,
    MSP,
    P6,
    SNET,
    FileCalendar,
    FileLink,
    FileProject,
    FileSchedule,
    TaskResult,
    WorkRange,
)
from tiaodu.scheduling.importers import ImportedTask
from tiaodu.scheduling.models import ProjectSchedule, Task
from tiaodu.scheduling.selectors import (
    baseline_comparison,
    project_schedule,
    project_tasks,
    work_calendar,
)

pytestmark = pytest.mark.django_db


def _compare(district, baseline):
    tasks = project_tasks(district.project)
    comparison = baseline_comparison(project_schedule(district.project, tasks), baseline, tasks)
    return sorted((r.code, r.name, r.status) for r in comparison.rows)


def _add_by_hand(district, code, name, **data):
    return services.task_save(
        user=district.users["hq"],
        project=district.project,
        data={"code": code, "name": name, "duration": 2, **data},
        predecessors="1",
    )


def test_a_hand_task_whose_code_is_a_file_tasks_unique_id_keeps_its_own_baseline_row(district):
    # MS Project rows 1–3 with UniqueIDs 1, 2, 5; the planner then adds task "5" on the site.
    rows = [task("1", "1", "征收拆迁", 5), task("2", "2", "管线迁改", 3), task("5", "3", "道路施工", 4)]
    replace(district, fp(rows))
    _add_by_hand(district, "5", "绿化")
    baseline = services.baseline_approve(user=district.users["office"], project=district.project)
    assert [row["key"] for row in baseline.snapshot["tasks"]] == ["1", "2", "5", "code:5"]
    assert _compare(district, baseline) == [
        ("1", "征收拆迁", ""),
        ("2", "管线迁改", ""),
        ("3", "道路施工", ""),
        ("5", "绿化", ""),
    ]


def _xlsx(district, *names):
    indicator = district.project.indicators.get()
    tasks = [
        ImportedTask(
            i + 2, str(i + 1), name, 3, [], indicator if i == 0 else None, Decimal(7) if i == 0 else None
        )
        for i, name in enumerate(names)
    ]
    services.tasks_replace_keyed(user=district.users["hq"], project=district.project, tasks=tasks)


def test_an_xlsx_baseline_matches_the_file_tasks_imported_over_it_by_code(district):
    _xlsx(district, "征收拆迁", "管线迁改", "道路施工")
    baseline = services.baseline_approve(user=district.users["office"], project=district.project)
    assert [row["key"] for row in baseline.snapshot["tasks"]] == ["code:1", "code:2", "code:3"]
    # The same plan from MS Project: UniqueIDs 11, 12, 15 on rows 1–3, matched to the .xlsx tasks by code.
    rows = [task("11", "1", "征收拆迁", 3), task("12", "2", "管线迁改", 3), task("15", "3", "道路施工", 3)]
    replace(district, fp(rows))
    assert Task.objects.get(project=district.project, code="1").source_key == "11"
    expected = [("1", "征收拆迁", ""), ("2", "管线迁改", ""), ("3", "道路施工", "")]
    assert _compare(district, baseline) == expected
    # A baseline approved before keys had prefixes (its keys are the codes) matches the same way.
    for row in baseline.snapshot["tasks"]:
        row["key"] = row["code"]
    baseline.snapshot["version"] = 1
    assert _compare(district, baseline) == expected


def test_a_new_file_task_does_not_take_the_quantity_of_a_hand_task_with_its_code(district):
    rows = [task("1", "1", "征收拆迁", 5), task("2", "2", "管线迁改", 3, FileLink("1"))]
    replace(district, fp(rows))
    indicator = district.project.indicators.get()
    _add_by_hand(district, "3", "绿化", indicator=indicator, quantity=Decimal(500))
    # The planner adds a row in MS Project: it becomes ID 3 (UniqueID 9), an unrelated task.
    _read, changes = replace(district, fp([*rows, task("9", "3", "交通标志", 1, FileLink("2"))]))
    new = Task.objects.get(project=district.project, code="3")
    assert (new.source_key, new.name, new.indicator, new.quantity) == ("9", "交通标志", None, None)
    assert changes.added == ["3 交通标志"] and changes.removed == ["3 绿化"]
    assert changes.kept_quantities == 0


def test_a_milestone_at_the_start_of_the_first_day_shows_on_that_day(district):
    district.project.planned_start = datetime.date(2026, 3, 2)  # a Monday
    district.project.save()
    rows = [task("1", "1", "开工", 0, milestone=True), task("2", "2", "征收拆迁", 2, FileLink("1"))]
    replace(district, fp(rows))
    services.schedule_mode_set(user=district.users["hq"], project=district.project, mode=FILE)
    start = project_schedule(district.project).tasks[0]
    assert (start.es, start.ef, start.early_start, start.early_finish) == (
        0,
        0,
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 2),
    )
    # Its late dates too, when they are at the start (a result as the engine gives it for a tight deadline).
    at_start = DT(2026, 3, 2, 8)
    result = FileSchedule(
        tasks={
            "1": TaskResult("1", at_start, at_start, at_start, at_start, 0, True),
            "2": TaskResult("2", at_start, DT(2026, 3, 3, 17), at_start, DT(2026, 3, 3, 17), 0, True),
        },
        finish=DT(2026, 3, 3, 17),
        critical_path=["1", "2"],
        warnings=[],
    )
    schedule = file_schedule.to_schedule(
        project="ZD-001",
        start=datetime.date(2026, 3, 2),
        deadline=datetime.date(2026, 3, 3),
        tasks=project_tasks(district.project),
        calendar=WorkCalendar(mode=FILE),
        result=result,
        minutes_per_day=480,
        warnings=[],
        day_calendar=calendar(),
    )
    first = schedule.tasks[0]
    assert (first.ls, first.lf, first.late_start, first.late_finish) == (
        0,
        0,
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 2),
    )
    assert schedule.axis.milestone_date(first.ef) == first.early_finish


@pytest.mark.parametrize(
    ("source", "a_calendar", "b_calendar", "finish"),
    [
        # P6 counts a lag on the predecessor's calendar: 1200 minutes of 10-hour days are 2 days.
        (P6, "10h", "10h", datetime.date(2026, 3, 9)),
        (P6, "10h", None, datetime.date(2026, 3, 9)),
        # MS Project on the successor's: 1200 minutes of 8-hour days are 2.5 days.
        (MSP, "10h", None, datetime.date(2026, 3, 10)),
        (MSP, None, "10h", datetime.date(2026, 3, 9)),
    ],
)
def test_a_lag_keeps_its_days_on_the_calendar_it_counts_on_in_another_mode(
    district, source, a_calendar, b_calendar, finish
):
    district.project.planned_start = datetime.date(2026, 3, 2)
    district.project.save()
    ten_hours = (WorkRange(480, 720), WorkRange(780, 1140))
    week = {wd: ten_hours if wd < 5 else () for wd in range(7)}
    long_day = FileCalendar("10h", "十小时", week, {}, 600)
    per_day = {"10h": 600, None: 480}
    project = FileProject(
        source=source,
        name="一期工程",
        start=DT(2026, 3, 2, 8),
        calendar="1",
        calendars={"1": calendar(), "10h": long_day},
        tasks=[
            task("1", "1", "征收拆迁", 0, calendar=a_calendar),
            task("2", "2", "道路施工", 0, FileLink("1", lag_minutes=1200), calendar=b_calendar),
        ],
    )
    for t in project.tasks:  # two days each on their own calendar
        t.duration_minutes = 2 * per_day[t.calendar]
    read = read_file_project(project, file_format="Primavera P6 XER")
    services.tasks_replace_keyed(
        user=district.users["hq"], project=district.project, tasks=read.tasks, file_data=read.file_data
    )
    services.schedule_mode_set(user=district.users["hq"], project=district.project, mode=MON_FRI)
    road = project_schedule(district.project).tasks[1]
    # 征收拆迁 Mon 2 – Tue 3 March; the lag (2 or 2.5 days); 道路施工 two days.
    assert road.early_finish == finish


def test_a_changed_constraint_is_described_in_chinese_with_its_date(district):
    rows = [task("1", "1", "征收拆迁", 5), task("2", "2", "道路施工", 10, FileLink("1"))]
    rows[1].constraint, rows[1].constraint_date = SNET, DT(2026, 4, 1, 8)
    replace(district, fp(rows))
    rows[1].constraint, rows[1].constraint_date = MFO, DT(2026, 4, 30, 17)
    rows[0].constraint, rows[0].constraint_date = FNET, DT(2026, 3, 20)
    _read, changes = replace(district, fp(rows))
    assert changes.changed == [
        "1 征收拆迁：限制条件越早越好→不得早于2026-03-20完成",
        "2 道路施工：限制条件不得早于2026-04-01 08:00开始→必须完成于2026-04-30 17:00",
    ]
    rows[1].constraint, rows[1].mandatory = MSO, True  # P6's mandatory start
    rows[0].constraint, rows[0].constraint_date = "ALAP", None
    _read, changes = replace(district, fp(rows))
    assert changes.changed == [
        "1 征收拆迁：限制条件不得早于2026-03-20完成→越晚越好",
        "2 道路施工：限制条件必须完成于2026-04-30 17:00→强制开始于2026-04-30 17:00",
    ]


def test_an_xlsx_import_after_a_file_import_leaves_the_file_calendar_mode(district):
    replace(district, fp([task("1", "1", "征收拆迁", 5)]))
    services.schedule_mode_set(user=district.users["hq"], project=district.project, mode=FILE)
    _xlsx(district, "征收拆迁", "管线迁改")
    settings = ProjectSchedule.objects.get(project=district.project)
    assert (settings.mode, settings.file_data) == (STATUTORY, None)
    records = ChangeRecord.objects.filter(object_id=settings.pk).order_by("-pk")
    assert any(r.changes == {"日历模式": ["导入文件日历", "法定工作日"]} for r in records[:2])
    assert project_schedule(district.project).mode == STATUTORY
    # No path counts a plain week by accident: 导入文件日历 without a file is 法定工作日.
    national_day = datetime.date(2026, 10, 1)
    assert not work_calendar(mode=FILE).is_working(national_day)
    assert work_calendar(mode=FILE).holidays == work_calendar(mode=STATUTORY).holidays
