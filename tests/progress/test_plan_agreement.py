"""One Q(t): the period plans (季、月、旬) and the lag's planned figure are the same number at every period end.

First on the pure functions (many random schedules and calendars), then through the database: the
period plan page's figures (`period_plan`) against the overview's (`progress_status`, which the
dashboard, the API, the CLI and the briefing show), for random schedules with and without a baseline.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scheduling.conftest import national_day  # noqa: F401 (a fixture)
from tiaodu.progress import analysis
from tiaodu.progress.selectors import progress_status
from tiaodu.projects.models import Category, Indicator, Project, ProjectType
from tiaodu.scheduling import services
from tiaodu.scheduling.accrual import Accrual
from tiaodu.scheduling.calendar import CONTINUOUS, STATUTORY, WorkCalendar, periods_between
from tiaodu.scheduling.compute import compute, cumulative_at
from tiaodu.scheduling.engine import LINK_TYPES, Link, TaskIn
from tiaodu.scheduling.importers import ImportedTask
from tiaodu.scheduling.models import CalendarMode, ProjectSchedule, Task
from tiaodu.scheduling.selectors import period_plan

D = datetime.date
KINDS = ("quarter", "month", "dekad")
QUANTITIES = st.decimals(min_value=0, max_value=10**6, places=3)


@st.composite
def networks(draw, max_tasks=8):
    """Tasks T0 … Tn−1, each linked only to earlier ones, with an indicator (0, 1 or none) and a quantity."""
    n = draw(st.integers(1, max_tasks))
    tasks = []
    for i in range(n):
        preds = draw(st.lists(st.integers(0, i - 1), max_size=2, unique=True)) if i else []
        links = [
            Link(f"T{p}", draw(st.sampled_from(list(LINK_TYPES))), draw(st.integers(-3, 5))) for p in preds
        ]
        tasks.append(
            (
                f"T{i}",
                draw(st.integers(0, 12)),
                links,
                draw(st.sampled_from([0, 0, 1, None])),
                draw(QUANTITIES),
            )
        )
    return tasks


# --- the pure functions -------------------------------------------------------------------------------

YEARS = st.dates(min_value=D(2026, 1, 1), max_value=D(2027, 6, 30))


@st.composite
def calendars(draw):
    holidays = draw(st.sets(YEARS, max_size=60))
    workdays = draw(st.sets(YEARS, max_size=10))
    return WorkCalendar(
        holidays=holidays, workdays=workdays, mode=draw(st.sampled_from([STATUTORY, CONTINUOUS]))
    )


@settings(max_examples=200, deadline=None)
@given(calendars(), networks(), st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 12, 31)))
def test_it_gives_the_period_plan_figure_as_the_lags_planned_figure_at_every_period_end(calendar, net, start):
    schedule = compute(
        project="P",
        start=start,
        deadline=start + datetime.timedelta(days=120),
        tasks=[TaskIn(code, d, links) for code, d, links, _ind, _q in net],
        calendar=calendar,
    )
    quantity = {code: (ind, q) for code, _d, _links, ind, q in net}
    items = [
        Accrual(quantity[t.code][0], quantity[t.code][1], t.es, t.duration)
        for t in schedule.tasks
        if quantity[t.code][0] is not None
    ]
    axis = schedule.axis
    last = max(axis.finish_date(t.ef, t.duration) for t in schedule.tasks)
    for kind in KINDS:
        for period in periods_between(axis.origin, last, kind):
            table = cumulative_at(items, axis, period.end)  # what the period plan shows
            t = axis.number_on_or_before(period.end)  # what the lag evaluates
            for key in {item.key for item in items}:
                plan = analysis.accrual_plan((i.quantity, i.start, i.duration) for i in items if i.key == key)
                shown = analysis.evaluate_indicator(analysis.IndicatorInput("指标", "m²", 1.0, 0.0, plan, t))
                assert plan.q(t) == float(table[key]), (period.key, key)
                assert Decimal(repr(shown.as_json()["planned"])) == table[key].quantize(Decimal("0.001"))


# --- through the database -----------------------------------------------------------------------------


def _project(district, start, continuous):
    project = Project.objects.create(
        code="PP-001",
        name="计划一致性测试项目",
        type=ProjectType.KEY_CONSTRUCTION,
        category=Category.objects.get(name="道路"),
        lead_unit=district.units["hq"],
        planned_start=start,
        planned_finish=start + datetime.timedelta(days=150),
        deadline=start + datetime.timedelta(days=150),
    )
    for name in ("拆迁面积", "绿化面积"):
        Indicator.objects.create(project=project, name=name, unit_of_measure="m²", target=Decimal(10**7))
    if continuous:
        ProjectSchedule.objects.create(project=project, mode=CalendarMode.CONTINUOUS)
    return project


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    net=networks(max_tasks=5),
    start=st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 12, 31)),
    continuous=st.booleans(),
    baseline=st.booleans(),
)
def test_it_shows_the_period_plan_figures_as_the_overviews_planned_figures(
    district, net, start, continuous, baseline
):
    with transaction.atomic():
        project = _project(district, start, continuous)
        indicators = list(project.indicators.order_by("id"))
        rows = [
            ImportedTask(
                n + 1, code, f"任务{code}", d, links, *((None, None) if ind is None else (indicators[ind], q))
            )
            for n, (code, d, links, ind, q) in enumerate(net)
        ]
        services.tasks_replace(
            user=district.users["hq"], project=project, tasks=rows, filename="", source="web"
        )
        if baseline and any(ind is not None for *_x, ind, _q in net):
            services.baseline_approve(user=district.users["office"], project=project)
            # The current schedule moves on; both figures stay with the baseline.
            first = Task.objects.get(project=project, code="T0")
            services.task_save(
                user=district.users["hq"], project=project, task=first, data={"duration": first.duration + 3}
            )
        plan = period_plan(project)
        if not plan.problem:
            ends = sorted({row.period.end for kind in KINDS for row in plan.tables[kind]})
            overview = {}
            for end in ends:
                row = progress_status(user=None, as_of=end).project("PP-001")
                overview[end] = {i.name: i.planned for i in row.indicators}
            for kind in KINDS:
                for row in plan.tables[kind]:
                    for indicator, cell in zip(plan.indicators, row.cells, strict=True):
                        shown = overview[row.period.end][indicator.name]
                        assert Decimal(repr(shown)) == cell.computed, (row.period.label, indicator.name)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_it_measures_the_lag_against_the_baseline_the_period_plan_shows(district, national_day):  # noqa: F811
    # A (400 m², days 0–3: 9-28, 9-29, 9-30, 10-08) and B (300 m², days 6–8: 10-12 … 10-14).
    def planned(day):
        return progress_status(user=None, as_of=day).project("ZD-001").indicators[0].planned

    assert planned(D(2026, 9, 29)) == 200
    assert planned(D(2026, 10, 13)) == 600
    services.baseline_approve(user=district.users["office"], project=national_day)
    a = Task.objects.get(project=national_day, code="A")
    services.task_save(user=district.users["hq"], project=national_day, task=a, data={"duration": 8})
    assert planned(D(2026, 9, 29)) == 200  # still the baseline's A: 100 a day
    month = next(r for r in period_plan(national_day).tables["month"] if r.period.key == "2026-09")
    assert month.cells[0].computed == Decimal("300.000") and planned(D(2026, 9, 30)) == 300


def _file_tasks(saturday: bool):
    """An MS Project plan in hours on a six-day (or five-day) week with a holiday: 1 → 2 (FS+4 h) → 3."""
    from tiaodu.scheduling.file_model import MSP, FileCalendar, FileLink, FileProject, FileTask, WorkRange

    day = (WorkRange(480, 720), WorkRange(780, 1020))
    week = {wd: day if wd < 5 or (saturday and wd == 5) else () for wd in range(7)}
    holiday = {D(2026, 3, 10): ()}
    return FileProject(
        source=MSP,
        name="文件计划",
        start=datetime.datetime(2026, 3, 2, 8),
        calendar="1",
        calendars={"1": FileCalendar("1", "六天工作周", week, holiday)},
        tasks=[
            FileTask(key="11", code="1", name="管线迁改", duration_minutes=14 * 480 + 180),
            FileTask(
                key="12",
                code="2",
                name="道路施工",
                duration_minutes=12 * 480,
                links=[FileLink("11", lag_minutes=240)],
            ),
            FileTask(key="13", code="3", name="绿化", duration_minutes=25 * 480, links=[FileLink("12")]),
        ],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("mode", [CalendarMode.FILE, CalendarMode.STATUTORY, CalendarMode.MON_SAT])
def test_the_overview_plans_a_file_schedule_as_its_period_plan_does(district, mode):
    from tiaodu.scheduling.file_import import read_file_project

    project = _project(district, D(2026, 3, 2), continuous=False)
    read = read_file_project(_file_tasks(saturday=True), file_format="MS Project XML (MSPDI)")
    services.tasks_replace_keyed(
        user=district.users["hq"], project=project, tasks=read.tasks, file_data=read.file_data
    )
    services.schedule_mode_set(user=district.users["hq"], project=project, mode=mode)
    area = project.indicators.get(name="绿化面积")
    for code, quantity in (("1", 500), ("3", 900)):
        task = Task.objects.get(project=project, code=code)
        services.task_save(
            user=district.users["hq"],
            project=project,
            task=task,
            data={"indicator": area, "quantity": Decimal(quantity)},
        )
    plan = period_plan(project)
    assert not plan.problem
    column = [i.name for i in plan.indicators].index("绿化面积")
    figures = []
    for row in plan.tables["dekad"]:
        shown = progress_status(user=None, as_of=row.period.end).project("PP-001")
        planned = next(i.planned for i in shown.indicators if i.name == "绿化面积")
        assert Decimal(repr(planned)) == row.cells[column].computed, row.period.label
        figures.append(row.cells[column].computed)
    # The plan is spread over the periods, so each period end tests the agreement mid-task.
    assert len(figures) >= 5 and sum(1 for f in figures if f not in (0, 500, 1400)) >= 3, figures


@pytest.mark.django_db
def test_the_overview_plans_an_xlsx_import_after_a_file_import_as_its_period_plan_does(district):
    from tiaodu.scheduling.file_import import read_file_project

    # Through National Day: a plain Monday–Friday week would count 1–8 October as working days.
    project = _project(district, D(2026, 9, 21), continuous=False)
    read = read_file_project(_file_tasks(saturday=True), file_format="MS Project XML (MSPDI)")
    services.tasks_replace_keyed(
        user=district.users["hq"], project=project, tasks=read.tasks, file_data=read.file_data
    )
    services.schedule_mode_set(user=district.users["hq"], project=project, mode=CalendarMode.FILE)
    area = project.indicators.get(name="绿化面积")
    rows = [
        ImportedTask(2, "1", "管线迁改", 10, [], area, Decimal(500)),
        ImportedTask(3, "2", "绿化", 15, [Link("1")], area, Decimal(900)),
    ]
    services.tasks_replace_keyed(user=district.users["hq"], project=project, tasks=rows)
    assert ProjectSchedule.objects.get(project=project).mode == CalendarMode.STATUTORY
    plan = period_plan(project)
    assert not plan.problem
    column = [i.name for i in plan.indicators].index("绿化面积")
    figures = []
    for row in plan.tables["dekad"]:
        shown = progress_status(user=None, as_of=row.period.end).project("PP-001")
        planned = next(i.planned for i in shown.indicators if i.name == "绿化面积")
        assert Decimal(repr(planned)) == row.cells[column].computed, row.period.label
        figures.append(row.cells[column].computed)
    assert len(figures) >= 3 and sum(1 for f in figures if f not in (0, 500, 1400)) >= 2, figures
