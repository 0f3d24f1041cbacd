"""投资数据不一致: the weekly 累计完成投资 against the monthly 开工至今累计, hand-computed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.investment.conftest import monthly, weekly
from tiaodu.investment.selectors_monthly import mismatch, mismatched_projects

D = Decimal


def test_it_flags_more_than_ten_percent_of_the_monthly_cumulative():
    assert mismatch(D(2200), D(2000), D(10)) is None  # 200 = 10% exactly: not more than 10%
    assert mismatch(D("2200.01"), D(2000), D(10))["code"] == "investment_mismatch"
    assert mismatch(D(1799), D(2000), D(10))["message"] == (
        "周报累计完成投资1,799.00万元与月报开工至今累计2,000.00万元相差10.1%，超过10%"
    )
    assert mismatch(D(5), D(0), D(10))["message"] == (
        "周报累计完成投资5.00万元与月报开工至今累计0.00万元不一致（月报累计为0），超过10%"
    )
    assert mismatch(D(0), D(0), D(10)) is None
    assert mismatch(None, D(10), D(10)) is None


@pytest.mark.django_db
def test_it_flags_the_submitted_figure_and_lists_the_project(district, nov27):
    hq, p = district.users["hq"], district.project
    weekly(hq, p, datetime.date(2026, 10, 30), "2250")
    weekly(hq, p, datetime.date(2026, 11, 6), "5000")  # after October: not October's weekly figure
    september = monthly(hq, p, 2026, 9, "1000")
    assert september.flags == []  # no weekly report on or before 30 September
    october = monthly(hq, p, 2026, 10, "1000")
    # cumulative = 1000 + 1000 = 2000 (no annual plan); |2250 − 2000| = 250 = 12.5% of 2000 > 10%
    assert october.flags == [
        {
            "code": "investment_mismatch",
            "message": "周报累计完成投资2,250.00万元与月报开工至今累计2,000.00万元相差12.5%，超过10%",
        }
    ]
    listed = mismatched_projects(user=district.users["leader"], year=2026, month=10)
    assert [(m.code, m.weekly, m.monthly) for m in listed] == [("ZD-001", D("2250.00"), D("2000.00"))]
    # November: no November figure yet, cumulative still 2000; the weekly 5000 differs by 150%
    november = mismatched_projects(user=district.users["leader"], year=2026, month=11)
    assert november[0].message.endswith("相差150.0%，超过10%")
    assert mismatched_projects(user=district.users["outsider"], year=2026, month=10) == []


@pytest.mark.django_db
def test_it_uses_the_annual_plans_prior_cumulative_as_the_figures_do(district, nov27):
    from tiaodu.investment.models import AnnualPlan

    hq, p = district.users["hq"], district.project
    AnnualPlan.objects.create(project=p, year=2026, amount=D(10000), prior_cumulative=D(3000))
    weekly(hq, p, datetime.date(2026, 10, 30), "4000")
    # cumulative = 3000 (截至上年末) + 1000 = 4000: agrees with the weekly 4000
    assert monthly(hq, p, 2026, 10, "1000").flags == []
