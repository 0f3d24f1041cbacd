"""Helpers of the funds tests (sources by name, a funding plan, arrivals), shared by tests/investment/test_funds_*."""

from __future__ import annotations

import datetime
from decimal import Decimal

from tiaodu.investment.models import FundArrival, FundingPlan, FundingSource


def src(name: str) -> FundingSource:
    return FundingSource.objects.get(name=name)


def plan(project, **amounts: str) -> None:
    """plan(project, 区级财政资金="6000", 银行贷款="4000") — the rows written directly (no service)."""
    for name, amount in amounts.items():
        FundingPlan.objects.create(project=project, source=src(name), amount=Decimal(amount))


def arrive(project, day: datetime.date, name: str, amount: str, doc_no: str = "") -> FundArrival:
    return FundArrival.objects.create(
        project=project, date=day, source=src(name), amount=Decimal(amount), doc_no=doc_no
    )
