"""Tasks, calendar entry, baselines and period plans through the services, with their change log."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tiaodu.core.audit import history_for
from tiaodu.core.errors import NotAllowed
from tiaodu.scheduling import services
from tiaodu.scheduling.models import CalendarYear, PeriodPlanOverride, Task
from tiaodu.scheduling.selectors import (
    PERIOD_PLAN_HEADERS,
    baseline_comparison,
    baseline_latest,
    period_plan,
    period_plan_rows,
    predecessors_text,
    project_schedule,
    project_tasks,
    work_calendar,
)

pytestmark = pytest.mark.django_db


def task(project, code):
    return Task.objects.get(project=project, code=code)


def test_it_adds_and_edits_tasks_with_their_predecessors(district, national_day):
    hq = district.users["hq"]
    new = services.task_save(
        user=hq,
        project=national_day,
        data={"code": "D", "name": "绿化", "duration": 2},
        predecessors="B SS+1、C",
    )
    assert predecessors_text(next(t for t in project_tasks(national_day) if t.pk == new.pk)) == "BSS+1、C"
    record = history_for(national_day).first()
    assert record.action == "create" and record.changes["紧前任务"] == ["", "BSS+1、C"]
    # Renaming a task keeps the links that point at it.
    services.task_save(user=hq, project=national_day, task=task(national_day, "B"), data={"code": "B2"})
    assert predecessors_text(next(t for t in project_tasks(national_day) if t.code == "D")) == "B2SS+1、C"
    assert predecessors_text(next(t for t in project_tasks(national_day) if t.code == "M")) == "B2、C"


@pytest.mark.parametrize(
    ("predecessors", "message"),
    [
        ("9", "未知任务「9」"),
        ("A、A", "紧前任务「A」重复"),
        ("M", "任务之间存在循环依赖：B → M → B"),
        ("B", "任务不能以自身「B」为紧前任务"),
    ],
)
def test_it_refuses_bad_predecessors(district, national_day, predecessors, message):
    with pytest.raises(ValidationError) as err:
        services.task_save(
            user=district.users["hq"],
            project=national_day,
            task=task(national_day, "B"),
            data={},
            predecessors=predecessors,
        )
    assert err.value.message_dict["predecessors"] == [message]


def test_it_refuses_a_duplicate_code_and_a_foreign_indicator(district, national_day):
    with pytest.raises(ValidationError) as err:
        services.task_save(
            user=district.users["hq"], project=national_day, data={"code": "A", "name": "x", "duration": 1}
        )
    assert err.value.message_dict["code"] == ["任务编号「A」已存在"]
    foreign = district.other.indicators.create(name="清淤", unit_of_measure="m³", target=10)
    with pytest.raises(ValidationError) as err:
        services.task_save(
            user=district.users["hq"],
            project=national_day,
            data={"code": "Z", "name": "x", "duration": 1, "indicator": foreign, "quantity": Decimal(1)},
        )
    assert err.value.message_dict["indicator"] == ["指标不属于本项目"]


def test_it_deletes_a_task_and_records_its_successors_losing_it(district, national_day):
    services.task_delete(user=district.users["hq"], task=task(national_day, "C"))
    assert predecessors_text(next(t for t in project_tasks(national_day) if t.code == "M")) == "B"
    records = list(history_for(national_day)[:2])
    assert {r.action for r in records} == {"delete", "update"}
    update = next(r for r in records if r.action == "update")
    assert update.changes["紧前任务"] == ["B、C", "B"]


def test_it_lets_only_editors_change_tasks(district, national_day):
    for key in ("dept", "outsider", "leader", "supervisor"):
        with pytest.raises(NotAllowed):
            services.task_delete(user=district.users[key], task=task(national_day, "C"))
    services.task_delete(user=district.users["office"], task=task(national_day, "C"))


def test_it_switches_the_calendar_mode(district, national_day):
    before = project_schedule(national_day)
    services.schedule_mode_set(user=district.users["hq"], project=national_day, mode="continuous")
    after = project_schedule(national_day)
    assert before.deadline_day == 10 and after.deadline_day == 18
    assert history_for(national_day).first().changes == {"日历模式": ["法定工作日", "连续施工"]}
    with pytest.raises(ValidationError):
        services.schedule_mode_set(user=district.users["hq"], project=national_day, mode="weekly")


NOTICE_2027 = """2027-01-01 元旦 放假
2月6日至14日 春节 放假
2月20日 春节 上班
10月1日至7日 国庆节 放假
10月9日 国庆节 上班
"""


def test_it_enters_a_new_year_and_drops_the_warning(district, national_day):
    national_day.deadline = datetime.date(2027, 3, 1)
    national_day.save()
    assert project_schedule(national_day).warnings == ["2027年节假日安排尚未录入"]
    arrangement = services.calendar_year_enter(
        user=district.users["office"], year=2027, text=NOTICE_2027, notice="国办发明电〔2026〕号"
    )
    assert arrangement.days.count() == 19
    calendar = work_calendar()
    assert not calendar.is_working(datetime.date(2027, 2, 8)) and calendar.is_working(
        datetime.date(2027, 2, 20)
    )
    assert project_schedule(national_day).warnings == []
    record = history_for(arrangement).first()
    assert record.action == "create" and "02-20春节" in record.changes["调休上班日期"][1]


def test_it_replaces_a_year_when_entered_again(district):
    services.calendar_year_enter(user=district.users["office"], year=2027, text=NOTICE_2027)
    arrangement = services.calendar_year_enter(
        user=district.users["admin"], year=2027, text="2027-01-01 元旦 放假"
    )
    assert arrangement.days.count() == 1
    assert history_for(arrangement).first().action == "update"


def test_it_checks_an_entered_year(district):
    office = district.users["office"]
    with pytest.raises(NotAllowed):
        services.calendar_year_enter(user=district.users["hq"], year=2027, text=NOTICE_2027)
    with pytest.raises(ValidationError) as err:
        services.calendar_year_enter(
            user=office, year=2027, text="2027-02-17 春节 上班\n2028-01-01 元旦 放假\n明天 放假"
        )
    assert err.value.message_dict["text"] == [
        "第1行：2027-02-17是周三，本来就是工作日，无需调休上班",
        "第2行：2028-01-01不属于2027年的安排",
        "第3行：无法识别日期「明天 放假」，应写作如 2027-02-06 或 2月6日",
    ]
    # The package files 2011-12-31 (a make-up Saturday for New Year 2012) under 2011.
    with pytest.raises(ValidationError) as err:
        services.calendar_year_enter(
            user=office, year=2012, text="2011-12-31 元旦 上班\n2012-01-02 元旦 放假"
        )
    assert err.value.message_dict["text"] == ["第1行：2011-12-31已在2011年的安排中"]
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_it_approves_a_baseline_and_measures_slip(district, national_day):
    with pytest.raises(NotAllowed):
        services.baseline_approve(user=district.users["hq"], project=national_day)
    baseline = services.baseline_approve(user=district.users["office"], project=national_day, note="同意")
    assert baseline.number == 1 and baseline.snapshot["finish"] == "2026-10-14"
    assert history_for(national_day).first().changes["版本"] == ["", "1"]
    # B takes two more working days: B, M and the finish slip by 2.
    services.task_save(
        user=district.users["hq"], project=national_day, task=task(national_day, "B"), data={"duration": 5}
    )
    comparison = baseline_comparison(project_schedule(national_day), baseline_latest(national_day))
    slips = {r.code: r.slip for r in comparison.rows}
    assert slips == {"A": 0, "B": 2, "C": 0, "M": 2}
    assert comparison.finish_slip == 2 and comparison.current_finish == datetime.date(2026, 10, 16)
    assert services.baseline_approve(user=district.users["admin"], project=national_day).number == 2


def test_it_plans_quantities_by_period_from_the_latest_baseline(district, national_day):
    # A (400 m², days 0–3: 9-28, 9-29, 9-30, 10-08) and B (300 m², days 6–8: 10-12…10-14).
    plan = period_plan(national_day)
    assert plan.source == "当前计划" and not plan.problem
    dekads = {row.period.label: row.cells[0].value for row in plan.tables["dekad"]}
    assert dekads == {
        "2026年9月下旬": Decimal("300.000"),
        "2026年10月上旬": Decimal("400.000"),
        "2026年10月中旬": Decimal("700.000"),
    }
    assert [row.period.label for row in plan.tables["quarter"]] == ["2026年第3季度", "2026年第4季度"]
    services.baseline_approve(user=district.users["office"], project=national_day)
    services.task_save(
        user=district.users["hq"], project=national_day, task=task(national_day, "A"), data={"duration": 8}
    )
    plan = period_plan(national_day)
    assert plan.source == "基准计划第1版"
    assert plan.tables["dekad"][0].cells[0].value == Decimal("300.000")  # still the baseline's A


def test_it_keeps_overrides_with_their_history(district, national_day):
    indicator = national_day.indicators.get()
    with pytest.raises(NotAllowed):
        services.period_override_set(
            user=district.users["hq"], indicator=indicator, period="2026-10", value=Decimal(1)
        )
    with pytest.raises(ValidationError):
        services.period_override_set(
            user=district.users["office"], indicator=indicator, period="2026-13", value=Decimal(1)
        )
    services.period_override_set(
        user=district.users["office"], indicator=indicator, period="2026-10", value=Decimal(650)
    )
    services.period_override_set(
        user=district.users["office"],
        indicator=indicator,
        period="2026-10",
        value=Decimal(600),
        note="征收延后",
    )
    cell = next(r for r in period_plan(national_day).tables["month"] if r.period.key == "2026-10").cells[0]
    assert (
        cell.value == Decimal(600)
        and cell.computed == Decimal("700.000")
        and cell.override.note == "征收延后"
    )
    override = PeriodPlanOverride.objects.get()
    services.period_override_clear(user=district.users["office"], override=override)
    cell = next(r for r in period_plan(national_day).tables["month"] if r.period.key == "2026-10").cells[0]
    assert cell.value == Decimal("700.000") and cell.override is None
    actions = [r.action for r in history_for(national_day) if r.object_repr.startswith("拆迁面积·")]
    assert actions == ["delete", "update", "create"]
    assert history_for(national_day).first().changes["计划累计量"] == ["600", ""]


def test_it_gives_the_ledger_rows_of_the_period_plans(district, national_day):
    rows = period_plan_rows([national_day, district.other])
    assert PERIOD_PLAN_HEADERS[:3] == ["项目编号", "项目名称", "指标名称"]
    assert all(len(r) == len(PERIOD_PLAN_HEADERS) for r in rows)
    assert {r[0] for r in rows} == {"ZD-001"}  # ZD-002 has no tasks
    month = next(r for r in rows if r[5] == "月" and r[6] == "2026年10月")
    assert month[:5] == ["ZD-001", "北园大街道路拓宽及两侧整治", "拆迁面积", "m²", Decimal("120000.000")]
    assert month[7] == datetime.date(2026, 10, 31) and month[8] == Decimal("700.000")
    assert month[10:] == ["否", "当前计划"]


def test_it_builds_demo_schedules_that_hold_or_miss_the_deadline(district):
    from tiaodu.demo.schedules import demo_schedule

    # 前期手续, 征收拆迁 (which produces the project's only indicator, 拆迁面积), 竣工验收, 交付使用
    assert demo_schedule(project=district.project, load=0.8) == 4
    assert Task.objects.get(project=district.project, indicator__name="拆迁面积").name == "征收拆迁"
    on_time = project_schedule(district.project)
    assert on_time.feasible and on_time.min_float > 0
    assert period_plan(district.project).indicators[0].name == "拆迁面积"
    demo_schedule(project=district.project, load=1.2)
    assert not project_schedule(district.project).feasible
    district.project.planned_start = None
    district.project.save()
    assert demo_schedule(project=district.project) == 0
