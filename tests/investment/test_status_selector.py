"""investment_status on the real database: which revisions count, who sees which projects, a constant
number of queries; the dashboard's monthly series equals investment_status month by month."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.investment.conftest import counted_row
from tiaodu.investment.selectors import investment_status
from tiaodu.investment.selectors_series import district_months

pytestmark = pytest.mark.django_db


def status(district, key="office", month=4):
    return investment_status(user=district.users[key], year=2026, month=month)


def by_code(s):
    return {p.code: p for p in s.projects}


def test_it_counts_only_the_counted_revisions(money):
    p = by_code(status(money))["ZD-001"]
    assert p.ytd == D(300)  # Jan 100 + Feb 200; not the superseded 999, the draft 50, the returned 70
    assert p.month is None  # April's only figure was returned
    assert p.ytd_pct == D(30)  # 300 / 1000
    assert p.ahead_of_time_pp == D("-3.3")  # 30 − 33.3
    assert p.cumulative == D(700)  # 2025-12's 400 + 300
    assert p.total_pct == D(700) * 100 / D(52000)
    feb = by_code(status(money, month=2))["ZD-001"]
    assert (feb.month, feb.ytd) == (D(200), D(300))


def test_prior_cumulative_of_the_plan_replaces_the_earlier_months(money):
    from tiaodu.investment.models import AnnualPlan

    AnnualPlan.objects.filter(project=money.project).update(prior_cumulative=D(5000))
    assert by_code(status(money))["ZD-001"].cumulative == D(5300)


def test_it_finds_the_new_starts_from_the_status_history(money):
    april = status(money).summary["all"]
    assert (april.planned_new_starts, april.new_starts, april.new_start_rate) == (1, 0, D(0))
    may = status(money, month=5).summary["all"]
    assert (may.planned_new_starts, may.new_starts, may.new_start_rate) == (1, 1, D(100))


def test_a_planned_start_without_history_counts_from_its_creation(money):
    from tiaodu.projects.models import Project, ProjectStatusChange

    ProjectStatusChange.objects.filter(project=money.other).delete()
    Project.objects.filter(pk=money.other.pk).update(status="under_construction")
    created = timezone.localtime(
        money.other.created_at
    ).date()  # the day in the district, as the figures count it
    s = investment_status(user=money.users["office"], year=created.year, month=created.month)
    assert by_code(s)["ZD-002"].started is True
    assert s.summary["all"].new_starts == 1
    before = investment_status(user=money.users["office"], year=created.year - 1, month=12)
    assert before.summary["all"].planned_new_starts == 0  # no 2025 plan


def test_it_computes_funds_arrived_by_the_months_end(money):
    o = by_code(status(money))["ZD-002"]
    assert (o.funds_planned, o.funds_arrived, o.funds_rate) == (D(1000), D(250), D(25))
    assert o.funding_gap is False  # 33.3 − 25 = 8.3 points
    june = by_code(status(money, month=6))["ZD-002"]  # 750 / 1000 = 75 ≥ 50
    assert (june.funds_arrived, june.funding_gap) == (D(750), False)
    dec = status(money, month=12)  # 75% against 100: 25 points > 20
    assert [p.code for p in dec.funding_gaps] == ["ZD-002"]


def test_the_gap_threshold_is_the_districts_setting(money):
    from tiaodu.investment.models import InvestmentSettings

    InvestmentSettings.objects.create(pk=1, gap_points=D(5))
    assert [p.code for p in status(money).funding_gaps] == ["ZD-002"]  # 8.3 > 5


@pytest.mark.parametrize("key", ["admin", "office", "leader", "supervisor"])
def test_those_who_see_everything_get_the_district(money, key):
    s = status(money, key)
    assert sorted(by_code(s)) == ["ZD-001", "ZD-002"]
    assert s.summary["all"].ytd == D(600)
    assert s.summary["all"].annual_plan == D(4000)
    assert s.summary["all"].ytd_pct == D(15)


@pytest.mark.parametrize("key, codes", [("hq", ["ZD-001"]), ("street", ["ZD-001"]), ("outsider", ["ZD-002"])])
def test_a_unit_sees_only_its_projects(money, key, codes):
    s = status(money, key)
    assert sorted(by_code(s)) == codes
    assert [u.unit for u in s.units] == [
        money.project.lead_unit.name if codes == ["ZD-001"] else "小清河综合治理指挥部"
    ]
    assert s.summary["all"].ytd == D(300)


def _more_projects(district, n, start=0):
    from tiaodu.investment.models import AnnualPlan
    from tiaodu.projects.models import Project, ProjectStatusChange

    for i in range(start, start + n):
        p = Project.objects.create(
            code=f"ZD-1{i:02d}",
            name=f"另一个项目{i}",
            type="remediation",
            category=district.project.category,
            lead_unit=district.units["hq"],
            planned_start=datetime.date(2026, 1, 1),
            planned_finish=datetime.date(2027, 1, 1),
            total_investment=D(100),
        )
        AnnualPlan.objects.create(project=p, year=2026, amount=D(50), new_start=True)
        counted_row(p, 2026, 1, 5)
        ProjectStatusChange.objects.create(
            project=p, status="under_construction", date=datetime.date(2026, 2, 1)
        )


def _queries(district, key="hq"):
    with CaptureQueriesContext(connection) as ctx:
        investment_status(user=district.users[key], year=2026, month=4)
    return len(ctx.captured_queries)


def test_it_takes_a_constant_number_of_queries(money, django_assert_max_num_queries):
    _more_projects(money, 1)
    few = _queries(money)
    _more_projects(money, 24, start=1)
    assert _queries(money) == few
    with django_assert_max_num_queries(10):
        s = status(money, "hq")
    assert len(s.projects) == 26
    assert s.summary["all"].new_starts == 25


def test_the_monthly_series_equals_investment_status_month_by_month(money):
    counted_row(money.other, 2026, 7, "12.34")
    for key in ("office", "hq", "outsider"):
        user = money.users[key]
        series = district_months(user=user, year=2026)
        expected = {
            m: investment_status(user=user, year=2026, month=m).summary["all"].month for m in range(1, 13)
        }
        assert series == expected
    assert district_months(user=money.users["office"], year=2026)[1] == D(400)


def test_the_monthly_series_is_one_query(money, django_assert_num_queries):
    _more_projects(money, 5)
    with django_assert_num_queries(1):
        district_months(user=money.users["leader"], year=2026)
