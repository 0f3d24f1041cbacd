"""The district's monthly series of a year (the dashboard's column chart): each month's completed
investment of the projects a user may see, from ONE query. It equals `investment_status(month=m)
.summary["all"].month` for every m (tests/investment/test_status_selector.py)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from tiaodu.investment.models import MonthlyInvestment
from tiaodu.projects.models import Project


def district_months(*, user, year: int, projects=None) -> dict[int, Decimal]:
    """{month: the sum of the counted figures of that month} for months 1–12 of `year` (0 for a month
    without any), over the projects the user may see (or `projects`, already restricted)."""
    if projects is None:
        projects = Project.objects.restrict(user, "view")
    sums = dict(
        MonthlyInvestment.objects.filter(
            counted=True, year=year, project__in=projects.order_by().values("pk")
        )
        .order_by()
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    return {m: sums.get(m) or Decimal(0) for m in range(1, 13)}
