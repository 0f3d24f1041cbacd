"""Investment figures on the shared cast (tests/conftest.py): ZD-001 (led by 北园大街改造指挥部, street
北园街道) and ZD-002 (led by 小清河综合治理指挥部, street 泺口街道)."""

import datetime
from decimal import Decimal

import pytest


def monthly(project, year, month, amount, *, status="verified", counted=True, superseded=False, **kw):
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
    """2026 figures: ZD-001 plan 1000, Jan 100 (verified), Feb 999 superseded by 200, Mar a draft of 50,
    Apr a returned 70; 2025 Dec 400. ZD-002 plan 3000, 计划新开工 (未开工 from 2026-01-01, 在建 from
    2026-05-10), Jan 300; funding plan 1000 with 250 arrived by 2026-03-31."""
    from tiaodu.investment.models import AnnualPlan, FundArrival, FundingPlan, FundingSource
    from tiaodu.projects.models import ProjectStatusChange

    p, o = district.project, district.other
    AnnualPlan.objects.create(project=p, year=2026, amount=Decimal(1000))
    AnnualPlan.objects.create(project=o, year=2026, amount=Decimal(3000), new_start=True)
    monthly(p, 2025, 12, 400)
    monthly(p, 2026, 1, 100)
    old = monthly(p, 2026, 2, 999, status="submitted", counted=False, superseded=True)
    monthly(p, 2026, 2, 200, status="submitted", thread=old.thread, revision=2, previous=old)
    monthly(p, 2026, 3, 50, status="draft", counted=False)
    monthly(p, 2026, 4, 70, status="returned", counted=False)
    monthly(o, 2026, 1, 300)
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
