import datetime
import zoneinfo
from decimal import Decimal

import pytest

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


def monthly(user, project, year, month, amount, *, submit=True):
    """A draft (and, by default, submitted) monthly figure."""
    from tiaodu.investment.services_monthly import monthly_save_draft, monthly_submit

    figure = monthly_save_draft(user=user, project=project, year=year, month=month, amount=amount)
    return monthly_submit(user=user, figure=figure) if submit else figure


def weekly(user, project, as_of, investment):
    """A submitted weekly report of `project` giving 累计完成投资 `investment` as of `as_of`."""
    from tiaodu.progress.services import ReportInput, report_save_draft, report_submit

    indicator = project.indicators.first()
    data = ReportInput(as_of=as_of, figures={indicator.pk: (1, "")}, investment_done=str(investment))
    return report_submit(user=user, report=report_save_draft(user=user, project=project, data=data))


@pytest.fixture
def nov27():
    import time_machine

    with time_machine.travel(at(2026, 11, 27), tick=False) as traveller:
        yield traveller


# --- rows written directly, for the figures and outputs tests (test_status_selector, test_outputs) ---


def counted_row(project, year, month, amount, *, status="verified", counted=True, superseded=False, **kw):
    from tiaodu.investment.models import MonthlyInvestment

    return MonthlyInvestment.objects.create(
        project=project,
        year=year,
        month=month,
        amount=Decimal(amount),
        reporting_unit=project.lead_unit,
        status=status,
        counted=counted,
        superseded=superseded,
        **kw,
    )


@pytest.fixture
def money(district):
    """The outputs' cast — 2026 figures: ZD-001 plan 1000, Jan 100 (verified), Feb 999 superseded by 200, Mar a draft of 50,
    Apr a returned 70; 2025 Dec 400. ZD-002 plan 3000, 计划新开工 (未开工 from 2026-01-01, 在建 from
    2026-05-10), Jan 300; funding plan 1000 with 250 arrived by 2026-03-31."""
    from tiaodu.investment.models import AnnualPlan, FundArrival, FundingPlan, FundingSource
    from tiaodu.projects.models import ProjectStatusChange

    p, o = district.project, district.other
    AnnualPlan.objects.create(project=p, year=2026, amount=Decimal(1000))
    AnnualPlan.objects.create(project=o, year=2026, amount=Decimal(3000), new_start=True)
    counted_row(p, 2025, 12, 400)
    counted_row(p, 2026, 1, 100)
    old = counted_row(p, 2026, 2, 999, status="submitted", counted=False, superseded=True)
    counted_row(p, 2026, 2, 200, status="submitted", thread=old.thread, revision=2, previous=old)
    counted_row(p, 2026, 3, 50, status="draft", counted=False)
    counted_row(p, 2026, 4, 70, status="returned", counted=False)
    counted_row(o, 2026, 1, 300)
    ProjectStatusChange.objects.filter(project=o).delete()
    ProjectStatusChange.objects.create(project=o, status="not_started", date=datetime.date(2026, 1, 1))
    ProjectStatusChange.objects.create(
        project=o, status="under_construction", date=datetime.date(2026, 5, 10)
    )
    source = FundingSource.objects.get(name="区级财政资金")
    FundingPlan.objects.create(project=o, source=source, amount=Decimal(1000))
    FundArrival.objects.create(project=o, source=source, date=datetime.date(2026, 3, 31), amount=Decimal(250))
    FundArrival.objects.create(project=o, source=source, date=datetime.date(2026, 6, 1), amount=Decimal(500))
    return district
