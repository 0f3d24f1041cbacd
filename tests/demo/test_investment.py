"""The demo's money side (投资与资金): a funding gap, a weekly/monthly mismatch, a funding plan that does not
add up, planned new starts (some started, one only in summer, some not yet), figures verified by the office
and one revised figure waiting for verification."""

import datetime
from decimal import Decimal

import pytest

from tests.demo_copy import demo_district
from tiaodu.demo.reporters import reporter_accounts
from tiaodu.investment.figures import summary_sentence
from tiaodu.investment.models import AnnualPlan, FundArrival, FundingPlan, MonthlyInvestment
from tiaodu.investment.selectors import investment_status
from tiaodu.progress.models import Report
from tiaodu.projects.models import Project, ProjectStatus, ProjectStatusChange

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 29)


def status(month):
    return investment_status(user=None, year=2026, month=month, projects=Project.objects.all())


def test_it_tells_the_money_story_of_the_district():
    result = demo_district(today=TODAY)

    nov = status(11)
    rows = {p.code: p for p in nov.projects}
    # 资金缺口: only 小清河, its 到位率 more than 20 points below the 时间进度 91.7.
    assert [p.code for p in nov.funding_gaps] == ["ZD-2026-02"]
    assert nov.time_progress_pct - rows["ZD-2026-02"].funds_rate > 20
    # The plan of 顺河街 leaves 3,000万元 of its 41,000万元 without a source; the others add up.
    for p in Project.objects.filter(code__startswith="ZD-"):
        planned = sum(fp.amount for fp in FundingPlan.objects.filter(project=p))
        assert planned == (Decimal(38000) if p.code == "ZD-2026-06" else p.total_investment), p.code
    # 工商河's monthly cumulative is a quarter below its weekly 累计完成投资; the others within 3%.
    for code, row in rows.items():
        # the weekly figure as the mismatch check reads it (investment.selectors_monthly.weekly_cumulatives):
        # the latest counted report that states one — a street's report of the same week states none
        weekly = (
            Report.objects.filter(project__code=code, counted=True)
            .exclude(investment_done=None)
            .order_by("-as_of", "-submitted_at", "-id")
            .first()
        )
        if weekly is None or not row.cumulative or code == "ZD-2026-05":
            continue
        gap = abs(weekly.investment_done - row.cumulative) / weekly.investment_done
        assert (gap > Decimal("0.10")) == (code == "ZD-2026-09"), (code, gap)
    # The amounts are 万元 of a district: key projects' annual plans in the thousands to 100,000s.
    plans = AnnualPlan.objects.filter(year=2026, project__code__startswith="ZD-", amount__gt=1000)
    assert plans.count() >= 10 and all(a.amount < 200000 for a in plans)
    assert AnnualPlan.objects.filter(year=2026, prior_cumulative__isnull=False).exists()
    assert AnnualPlan.objects.filter(year=2026, prior_cumulative__isnull=True).exists()
    assert FundArrival.objects.filter(doc_no__regex=r"^区财预〔2026〕\d+号$").exists()
    assert result.investment == summary_sentence(nov)
    assert result.investment.startswith("1-11月，全区重点项目累计完成投资")


def test_it_plans_new_starts_some_started_in_2026_and_some_not_yet():
    demo_district(today=TODAY)

    planned = AnnualPlan.objects.filter(year=2026, new_start=True)
    statuses = set(planned.values_list("project__status", flat=True))
    assert ProjectStatus.NOT_STARTED in statuses and ProjectStatus.UNDER_CONSTRUCTION in statuses
    # A project under construction since June (in the history), counted from June on.
    june = ProjectStatusChange.objects.get(
        project__code="ZZ-2026-11", status=ProjectStatus.UNDER_CONSTRUCTION
    )
    assert june.date == june.project.planned_start and june.date.month == 6
    assert ProjectStatusChange.objects.filter(
        project__code="ZD-2026-01", status=ProjectStatus.UNDER_CONSTRUCTION, date__year=2025
    ).exists()
    starts = [status(m).summary["all"].new_starts for m in (1, 4, 6, 8, 11)]
    assert starts == sorted(starts) and starts[0] < starts[-1]
    nov = status(11).summary["all"]
    assert nov.planned_new_starts == planned.count() and nov.new_starts < nov.planned_new_starts


def test_it_has_figures_submitted_by_the_lead_unit_and_verified_by_the_office():
    demo_district(today=TODAY)

    reporters = reporter_accounts()
    counted = MonthlyInvestment.objects.filter(counted=True)
    assert counted.filter(year=2026, month=1).exists() and counted.filter(year=2026, month=11).exists()
    for row in counted.filter(status="verified").select_related("verified_by", "submitted_by"):
        assert row.verified_by.username == "office" and row.submitted_by != row.verified_by
        assert row.submitted_by == reporters[row.project.lead_unit_id]
    assert all(row.amount >= 0 for row in counted)
    # 茂新 did not report two months, caught up the month after.
    months = set(counted.filter(project__code="ZD-2026-05").values_list("month", flat=True))
    assert {8, 9} - months == {8, 9} and 10 in months
    # 馆驿街西: November's first version superseded by a second one waiting for verification.
    first, second = MonthlyInvestment.objects.filter(project__code="ZD-2026-04", month=11).order_by(
        "revision"
    )
    assert (first.superseded, first.counted) == (True, False)
    assert (second.revision, second.status, second.counted, second.previous) == (2, "submitted", True, first)
    assert second.amount < first.amount
