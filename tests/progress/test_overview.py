"""progress_status: the plan against the actual figures at an as-of date, on hand-computed cases, through
the function, the CLI and the API (one source for all three)."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tests.progress.conftest import figures_of, submitted
from tiaodu.progress import services, settings_services
from tiaodu.progress.figures import IndicatorFigures, MissingReport, TypeSummary, UnitFigures, status_json
from tiaodu.progress.selectors import progress_status, project_curve
from tiaodu.projects.models import Category, Indicator, Project, ProjectStatus, ProjectType
from tiaodu.scheduling.models import CalendarMode, Dependency, ProjectSchedule, Task

pytestmark = pytest.mark.django_db
D = datetime.date


def make_project(district, code, start, finish, *, target=160, name="拆迁面积", status="under_construction"):
    p = Project.objects.create(
        code=code,
        name=f"测试项目{code}",
        type=ProjectType.REMEDIATION,
        category=Category.objects.get(name="其他"),
        lead_unit=district.units["hq"],
        planned_start=start,
        planned_finish=finish,
        deadline=finish,
        status=status,
    )
    p.territorial_units.set([district.units["street"]])
    Indicator.objects.create(project=p, name=name, unit_of_measure="m²", target=Decimal(target))
    return p


def project_of(data, code):
    return data.project(code)


def indicator(name, unit, target, planned, actual, lag_days, source=None):
    return IndicatorFigures(name, unit, target, planned, actual, lag_days, source)


def test_it_plans_linearly_and_skips_the_national_day_holiday(frozen, district):
    # Day 0 Mon 28 Sep; 1–7 October are holidays, Sat 10 Oct is worked: 16 working days to Fri 23 Oct.
    p = make_project(district, "HOL", D(2026, 9, 28), D(2026, 10, 23))
    report = submitted(district.users["hq"], p, D(2026, 10, 9), figures_of(p, 拆迁面积=30))

    data = progress_status(user=None, as_of=D(2026, 10, 9))
    row = project_of(data, "HOL")
    # t = 4 (Fri 9 Oct): planned 10·5 = 50; 30 was planned on day 2: lag 2.
    assert row.indicators == (indicator("拆迁面积", "m²", 160, 50, 30, 2, report.pk),)
    assert (row.lag_days, row.level, row.reported) == (2, "normal", True)
    assert row.planned_pct == 31.25 and row.actual_pct == 18.75


def test_it_counts_a_report_on_a_holiday_as_of_the_last_working_day(frozen, district):
    p = make_project(district, "HOL", D(2026, 9, 28), D(2026, 10, 23))
    submitted(district.users["hq"], p, D(2026, 10, 4), figures_of(p, 拆迁面积=20))  # Sunday, in the holiday

    row = project_of(progress_status(user=None, as_of=D(2026, 10, 4)), "HOL")
    # t = 2 (Wed 30 Sep): planned 30; 20 was planned on day 1: lag 1.
    assert row.indicators[0].planned == 30 and row.indicators[0].lag_days == 1
    # A week later nothing new was reported: the same 20 on Sun 11 Oct (t = 5, Sat 10 Oct worked).
    row = project_of(progress_status(user=None, as_of=D(2026, 10, 11)), "HOL")
    assert row.indicators[0].planned == 60 and row.indicators[0].lag_days == 4
    # The seven days ending 11 October are 5–11 October: the report of the 4th is missing by then.
    assert row.reported is False
    assert project_of(progress_status(user=None, as_of=D(2026, 10, 10)), "HOL").reported is True


def test_it_plans_from_the_early_schedule_and_then_from_the_baseline(frozen, district):
    p = make_project(district, "SCH", D(2026, 11, 1), D(2026, 12, 31), target=100)
    ProjectSchedule.objects.create(project=p, mode=CalendarMode.CONTINUOUS)  # every day is a working day
    ind = p.indicators.get()
    Indicator.objects.create(project=p, name="绿化面积", unit_of_measure="m²", target=Decimal(610))
    t1 = Task.objects.create(
        project=p, code="1", name="拆除", duration=3, indicator=ind, quantity=Decimal(60)
    )
    t2 = Task.objects.create(
        project=p, code="2", name="清运", duration=2, indicator=ind, quantity=Decimal(40)
    )
    Dependency.objects.create(predecessor=t1, successor=t2)
    submitted(district.users["hq"], p, D(2026, 11, 4), figures_of(p, 拆迁面积=60, 绿化面积=40))

    row = project_of(progress_status(user=None, as_of=D(2026, 11, 4)), "SCH")
    # Day 3 = 4 Nov: T1 done (60) and one of T2's two days (20): 80; 60 was reached on day 2: lag 1.
    # 绿化面积 has no task: linear over the 61 days of Nov–Dec, 10 a day: planned 40, on plan.
    assert [(i.name, i.planned, i.lag_days) for i in row.indicators] == [
        ("拆迁面积", 80, 1),
        ("绿化面积", 40, 0),
    ]

    # 审定: the baseline freezes the plan; a later change of the tasks does not move it.
    from tiaodu.scheduling.services import baseline_approve

    baseline_approve(user=district.users["office"], project=p)
    Task.objects.filter(pk=t1.pk).update(duration=10)
    row = project_of(progress_status(user=None, as_of=D(2026, 11, 4)), "SCH")
    assert row.indicators[0].planned == 80 and row.indicators[0].lag_days == 1


def test_it_counts_a_milestone_at_the_end_of_the_day_before_its_position(frozen, district):
    p = make_project(district, "MS", D(2026, 11, 1), D(2026, 12, 31), target=10)
    ProjectSchedule.objects.create(project=p, mode=CalendarMode.CONTINUOUS)
    ind = p.indicators.get()
    t1 = Task.objects.create(project=p, code="1", name="准备", duration=3)
    ms = Task.objects.create(
        project=p, code="2", name="移交", duration=0, indicator=ind, quantity=Decimal(10)
    )
    Dependency.objects.create(predecessor=t1, successor=ms)  # the milestone sits at position 3

    assert project_of(progress_status(user=None, as_of=D(2026, 11, 2)), "MS").indicators[0].planned == 0
    assert project_of(progress_status(user=None, as_of=D(2026, 11, 3)), "MS").indicators[0].planned == 10


def test_it_lags_more_when_a_figure_decreases(frozen, district):
    p = make_project(district, "DEC", D(2026, 11, 2), D(2026, 11, 13), target=100)  # 10 working days
    hq = district.users["hq"]
    office = district.users["office"]  # verifies the lead unit's own report
    services.report_verify(user=office, report=submitted(hq, p, D(2026, 11, 6), figures_of(p, 拆迁面积=50)))
    submitted(hq, p, D(2026, 11, 9), figures_of(p, 拆迁面积=(30, "返工拆除不合格部分")))

    assert project_of(progress_status(user=None, as_of=D(2026, 11, 6)), "DEC").lag_days == 0
    row = project_of(progress_status(user=None, as_of=D(2026, 11, 9)), "DEC")
    # Day 5 (Mon 9 Nov): planned 60; 30 was planned on day 2: lag 3.
    assert row.indicators[0].actual == 30 and row.lag_days == 3


def test_it_takes_the_latest_counted_report_at_or_before_the_as_of_date(frozen, district):
    p = make_project(district, "LAT", D(2026, 11, 2), D(2026, 11, 13), target=100)
    hq = district.users["hq"]
    first = submitted(hq, p, D(2026, 11, 6), figures_of(p, 拆迁面积=50))
    returned = submitted(hq, p, D(2026, 11, 9), figures_of(p, 拆迁面积=90))
    services.report_return(user=district.users["office"], report=returned, reason="核实")
    from tests.progress.conftest import draft

    draft(hq, p, D(2026, 11, 10), figures_of(p, 拆迁面积=95))

    row = project_of(progress_status(user=None, as_of=D(2026, 11, 10)), "LAT")
    assert row.indicators[0].actual == 50  # not the returned 90, not the draft 95
    assert row.indicators[0].source_report == first.pk
    before = project_of(progress_status(user=None, as_of=D(2026, 11, 5)), "LAT").indicators[0]
    assert (before.actual, before.source_report) == (0, None)


def test_it_grades_levels_by_the_configured_thresholds_and_keeps_finished_projects_normal(frozen, district):
    make_project(district, "LAG", D(2026, 11, 2), D(2026, 11, 27), target=100)
    make_project(district, "DONE", D(2026, 11, 2), D(2026, 11, 27), target=100, status="completed")
    as_of = D(2026, 11, 13)  # day 9: nothing reported, lag 10
    data = progress_status(user=None, as_of=as_of)
    assert (project_of(data, "LAG").lag_days, project_of(data, "LAG").level) == (10, "lagging")
    # A finished project does not lag, though its indicator keeps its own figures for the record.
    done = project_of(data, "DONE")
    assert (done.lag_days, done.level, done.driving_indicator, done.lag_text) == (0, "normal", None, "")
    assert done.indicators[0].lag_days == 10
    assert project_of(data, "LAG").driving_indicator.name == "拆迁面积"

    settings_services.cycle_update(
        user=district.users["office"], data={"lagging_after": 2, "severe_after": 8}
    )
    assert project_of(progress_status(user=None, as_of=as_of), "LAG").level == "severe"
    assert project_of(progress_status(user=None, as_of=D(2026, 11, 4)), "LAG").level == "lagging"  # lag 3


def test_it_summarizes_per_type_ranks_units_and_lists_missing_reports(frozen, district):
    p1, p2 = district.project, district.other
    Project.objects.filter(pk=p1.pk).update(status=ProjectStatus.UNDER_CONSTRUCTION)
    Project.objects.filter(pk=p2.pk).update(status=ProjectStatus.UNDER_CONSTRUCTION)
    Indicator.objects.create(project=p2, name="清淤量", unit_of_measure="m³", target=Decimal(1000))
    make_project(district, "NS", D(2027, 3, 1), D(2027, 9, 1), status="not_started")
    submitted(district.users["hq"], p1, D(2026, 11, 26), figures_of(p1, 拆迁面积=120000))

    data = progress_status(user=None, as_of=D(2026, 11, 27))
    assert data.as_of == D(2026, 11, 27)
    assert data.summary == {
        "key_construction": TypeSummary(
            total=2, completed=0, under_construction=2, not_started=0, suspended=0, started_rate=1.0
        ),
        "remediation": TypeSummary(
            total=1, completed=0, under_construction=0, not_started=1, suspended=0, started_rate=0.0
        ),
    }
    assert [(p.code, p.level, p.reported) for p in data.projects] == [
        ("NS", "normal", False),
        ("ZD-001", "normal", True),
        ("ZD-002", "severe", False),
    ]
    assert data.missing_reports == (MissingReport(code="ZD-002", name="小清河综合治理", last_report=None),)
    zd2 = project_of(data, "ZD-002")
    assert zd2.units == ("小清河综合治理指挥部", "泺口街道") and zd2.lag_days > 15
    units = [(u.unit, u.projects, u.on_time, u.on_time_share) for u in data.units]
    assert units[:2] == [("北园大街改造指挥部", 2, 2, 1.0), ("北园街道", 2, 2, 1.0)]
    assert units[2:] == [("小清河综合治理指挥部", 1, 0, 0.0), ("泺口街道", 1, 0, 0.0)]
    assert data.units[0] == UnitFigures("北园大街改造指挥部", 2, 2, 1.0, 0.0)


def test_it_shows_a_street_office_only_its_projects(frozen, district):
    data = progress_status(user=district.users["street"], as_of=D(2026, 11, 27))
    assert [p.code for p in data.projects] == ["ZD-001"]
    assert data.summary["key_construction"].total == 1
    assert {u.unit for u in data.units} == {"北园大街改造指挥部", "北园街道"}
    outsider = progress_status(user=district.users["outsider"], as_of=D(2026, 11, 27))
    assert [p.code for p in outsider.projects] == ["ZD-002"]
    assert len(progress_status(user=district.users["leader"], as_of=D(2026, 11, 27)).projects) == 2


def test_it_draws_the_s_curve_week_by_week(frozen, district):
    p = make_project(district, "CUR", D(2026, 10, 12), D(2026, 11, 20), target=100)  # 30 working days
    submitted(district.users["hq"], p, D(2026, 10, 23), figures_of(p, 拆迁面积=20))
    curve = project_curve(user=district.users["hq"], code="CUR", as_of=D(2026, 10, 30))

    assert curve["dates"][:4] == ["2026-10-09", "2026-10-16", "2026-10-23", "2026-10-30"]
    # 16 Oct: 5 working days of 30; 23 Oct: 10; 30 Oct: 15.
    assert curve["planned_pct"][:4] == [0, 16.67, 33.33, 50]
    assert curve["actual_pct"][:4] == [0, 0, 20, 20]
    assert curve["actual_pct"][4:] == [None] * (len(curve["dates"]) - 4)
    assert curve["planned_pct"][-1] == 100
    with pytest.raises(Project.DoesNotExist):
        project_curve(user=district.users["outsider"], code="CUR", as_of=D(2026, 10, 30))


# --- the CLI and the API give the same answer ----------------------------------------------------------


def test_it_prints_the_overview_as_json_from_the_command(frozen, district):
    out = io.StringIO()
    call_command("progress_status", "--as-of", "2026-11-27", "--json", stdout=out)
    data = json.loads(out.getvalue())

    assert data == status_json(progress_status(user=None, as_of=D(2026, 11, 27)))
    assert list(data) == ["as_of", "summary", "projects", "units", "missing_reports"]
    assert set(data["summary"]) == {"key_construction", "remediation"}
    assert set(data["summary"]["remediation"]) == {
        "total",
        "completed",
        "under_construction",
        "not_started",
        "suspended",
        "started_rate",
    }
    assert list(data["projects"][0]) == [
        "code",
        "name",
        "type",
        "status",
        "level",
        "lag_days",
        "driving_indicator",
        "planned_pct",
        "actual_pct",
        "reported",
        "last_report",
        "units",
        "indicators",
    ]
    assert set(data["projects"][0]["indicators"][0]) == {
        "name",
        "unit",
        "target",
        "planned",
        "actual",
        "lag_days",
        "source_report",
        "shares",
    }
    assert set(data["units"][0]) == {"unit", "projects", "on_time", "on_time_share", "avg_lag"}


def test_it_prints_the_briefing_sentence_and_refuses_a_bad_date(frozen, district):
    out = io.StringIO()
    call_command("progress_status", "--as-of", "2026-11-27", stdout=out)
    assert "全区2个重点建设项目中，已竣工0项，在建0项，未开工2项，暂停0项，开工率0.0%。" in out.getvalue()
    with pytest.raises(CommandError, match="截至日期无效「2026/11/27」"):
        call_command("progress_status", "--as-of", "2026/11/27")
    with pytest.raises(CommandError, match="2000年至2100年"):
        call_command("progress_status", "--as-of", "0001-01-01")


def test_it_answers_the_api_with_the_same_figures_for_what_the_user_sees(frozen, district, client):
    client.force_login(district.users["leader"])
    response = client.get("/api/v1/progress?as_of=2026-11-27")
    assert response.status_code == 200
    assert response.json() == json.loads(
        json.dumps(status_json(progress_status(user=None, as_of=D(2026, 11, 27))))
    )

    client.force_login(district.users["street"])
    assert [p["code"] for p in client.get("/api/v1/progress/?as_of=2026-11-27").json()["projects"]] == [
        "ZD-001"
    ]
    response = client.get("/api/v1/progress?as_of=yesterday")
    assert response.status_code == 400
    assert response.json() == {"as_of": ["截至日期无效「yesterday」，请按YYYY-MM-DD填写"]}
    blank = client.get("/api/v1/progress?as_of=")
    assert blank.status_code == 400 and "截至日期为空" in blank.json()["as_of"][0]
    client.logout()
    assert client.get("/api/v1/progress").status_code in (401, 403)


# --- the shared day axis ------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tiaodu.progress.overview import Planner  # noqa: E402
from tiaodu.scheduling.calendar import WorkCalendar  # noqa: E402

HOLIDAYS = {D(2026, 10, d) for d in range(1, 8)} | {D(2027, 2, d) for d in range(10, 18)}
CALENDAR = WorkCalendar(holidays=HOLIDAYS, workdays={D(2026, 10, 10), D(2027, 2, 20)})
DAYS = st.dates(min_value=D(2026, 1, 1), max_value=D(2027, 12, 31))


@settings(max_examples=300, deadline=None)
@given(DAYS, DAYS, DAYS)
def test_it_numbers_working_days_like_a_day_axis_of_the_project(base, start, day):
    planner = Planner()
    planner._calendars["statutory"] = CALENDAR
    planner.prepare("statutory", base)
    axis = CALENDAR.axis(start)
    assert planner.number("statutory", start, day) == axis.number_on_or_before(day)
    assert planner.count_through("statutory", start, day) == max(axis.number_on_or_before(day) + 1, 0)
