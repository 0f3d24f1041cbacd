"""Reads of the money side. `investment_status` is the one source of the investment figures: the API,
the command, the dashboard tab, the briefing and the funding-gap list all call it (figures: figures.py)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from tiaodu.investment import figures
from tiaodu.investment.models import (
    AnnualPlan,
    FundArrival,
    FundingPlan,
    InvestmentSettings,
    MonthlyInvestment,
)
from tiaodu.projects.models import Project, ProjectStatusChange

ZERO = Decimal(0)


def investment_settings() -> InvestmentSettings:
    """The district's settings (unsaved defaults — the 25th, 3 days, 10%, 20 points — until set)."""
    return InvestmentSettings.objects.filter(pk=1).first() or InvestmentSettings(pk=1)


def default_month(today: datetime.date | None = None) -> tuple[int, int]:
    """The month shown when none is asked for: the current month once its deadline day (the 25th by
    default) has passed, else the previous month — the latest month whose figures are all due."""
    day = today or timezone.localdate()
    if day.day > investment_settings().deadline_day:
        return day.year, day.month
    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)


def investment_status(*, user, year: int, month: int, projects=None) -> figures.InvestmentStatus:
    """The investment figures of the projects the user may see (or of `projects`, a queryset already
    restricted by the caller) for `month` of `year`. A fixed number of queries, whatever the count."""
    if projects is None:
        projects = Project.objects.restrict(user, "view")
    inputs = _inputs(projects, year=year, month=month)
    gap = investment_settings().gap_points
    return figures.compute(inputs, year=year, month=month, gap_points=Decimal(gap))


def _inputs(projects, *, year: int, month: int) -> list[figures.ProjectInput]:
    rows = list(
        projects.order_by().values_list("pk", "code", "name", "type", "lead_unit__name", "total_investment")
    )
    ids = projects.order_by().values("pk")
    plans = {
        pid: (amount, prior, new_start)
        for pid, amount, prior, new_start in AnnualPlan.objects.filter(year=year, project__in=ids)
        .order_by()
        .values_list("project_id", "amount", "prior_cumulative", "new_start")
    }
    # One row per project, summed in the database: the month's figure (None when there is none), the
    # months before it in y, and the years before y (loading every month's row costs seconds at scale).
    sums = {
        pid: (this, before, earlier)
        for pid, this, before, earlier in MonthlyInvestment.objects.filter(counted=True, project__in=ids)
        .filter(Q(year__lt=year) | Q(year=year, month__lte=month))
        .order_by()
        .values("project_id")
        .annotate(
            this=Sum("amount", filter=Q(year=year, month=month)),
            before=Sum("amount", filter=Q(year=year, month__lt=month)),
            earlier=Sum("amount", filter=Q(year__lt=year)),
        )
        .values_list("project_id", "this", "before", "earlier")
    }
    history = _histories(plans, ids=ids, year=year)
    funds = dict(
        FundingPlan.objects.filter(project__in=ids)
        .order_by()
        .values("project_id")
        .annotate(total=Sum("amount"))
        .values_list("project_id", "total")
    )
    end = figures.month_end(year, month)
    arrived = dict(
        FundArrival.objects.filter(project__in=ids, date__lte=end)
        .order_by()
        .values("project_id")
        .annotate(total=Sum("amount"))
        .values_list("project_id", "total")
    )
    inputs = []
    for pid, code, name, type_, unit, total in rows:
        amount, prior, new_start = plans.get(pid, (None, None, False))
        this, before, earlier = sums.get(pid, (None, None, None))
        inputs.append(
            figures.ProjectInput(
                code=code,
                name=name,
                type=type_,
                lead_unit=unit,
                total_investment=total,
                annual_plan=amount,
                prior_cumulative=prior,
                planned_new_start=new_start,
                months={} if this is None else {(year, month): this},
                ytd_before=before or ZERO,
                earlier_years=earlier or ZERO,
                status_history=history.get(pid, ()) if new_start else (),
                funds_planned=funds.get(pid),
                arrivals=((end, arrived[pid]),) if pid in arrived else (),
            )
        )
    return inputs


def _histories(plans: dict, *, ids, year: int) -> dict[int, list[tuple[datetime.date, str]]]:
    """The status history (recording order) of the projects planned to start in `year`."""
    history: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
    planned_start = [pid for pid, (_a, _p, new_start) in plans.items() if new_start]
    if not planned_start:
        return history
    starters = (
        AnnualPlan.objects.filter(year=year, new_start=True, project__in=ids).order_by().values("project_id")
    )
    for pid, day, status in (
        ProjectStatusChange.objects.filter(project__in=starters)
        .order_by("date", "id")
        .values_list("project_id", "date", "status")
    ):
        history[pid].append((day, status))
    if set(planned_start) - set(history):
        # No recorded history (created before it was kept): its status since its creation.
        for pid, created_at, status in Project.objects.filter(
            pk__in=starters.exclude(project__in=ProjectStatusChange.objects.values("project_id"))
        ).values_list("pk", "created_at", "status"):
            history[pid] = [(timezone.localtime(created_at).date(), status)]
    return history
