"""Reads of the money side. `investment_status` is the one source of the investment figures: the API,
the command, the dashboard tab, the briefing and the funding-gap list all call it (figures: figures.py)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import FilteredRelation, Q, Sum
from django.utils import timezone

from tiaodu.core.gcpause import without_gc
from tiaodu.investment import figures
from tiaodu.investment.models import (
    AnnualPlan,
    FundArrival,
    FundingPlan,
    InvestmentSettings,
    MonthlyInvestment,
)
from tiaodu.investment.rows import values_rows
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


@without_gc
def investment_status(*, user, year: int, month: int, projects=None) -> figures.InvestmentStatus:
    """The investment figures of the projects the user may see (or of `projects`, a queryset already
    restricted by the caller) for `month` of `year`. A fixed number of queries, whatever the count."""
    if projects is None:
        projects = Project.objects.restrict(user, "view")
    inputs = _inputs(projects, year=year, month=month)
    gap = investment_settings().gap_points
    return figures.compute(inputs, year=year, month=month, gap_points=Decimal(gap))


def _inputs(projects, *, year: int, month: int) -> list[figures.ProjectInput]:
    scope = _scope(projects)
    rows = _project_rows(projects, year=year)
    sums = _monthly_sums(scope, year=year, month=month)
    history = _histories([row[0] for row in rows if row[-1]], scope=scope, year=year)
    end = figures.month_end(year, month)
    funds = dict(
        values_rows(
            FundingPlan.objects.filter(**scope)
            .order_by()
            .values("project_id")
            .annotate(total=Sum("amount"))
            .values_list("project_id", "total")
        )
    )
    arrived = dict(
        values_rows(
            FundArrival.objects.filter(date__lte=end, **scope)
            .order_by()
            .values("project_id")
            .annotate(total=Sum("amount"))
            .values_list("project_id", "total")
        )
    )
    no_sums = (None, None, None)
    project_input = figures.ProjectInput
    inputs = []
    for pid, code, name, type_, unit, total, amount, prior, new_start in rows:
        this, before, earlier = sums.get(pid, no_sums)
        got = arrived.get(pid)
        inputs.append(
            project_input(
                code=code,
                name=name,
                type=type_,
                lead_unit=unit,
                total_investment=total,
                annual_plan=amount,
                prior_cumulative=prior,
                planned_new_start=bool(new_start),
                months={} if this is None else {(year, month): this},
                ytd_before=before or ZERO,
                earlier_years=earlier or ZERO,
                status_history=history.get(pid, ()) if new_start else (),
                funds_planned=funds.get(pid),
                arrivals=() if got is None else ((end, got),),
            )
        )
    return inputs


def _scope(projects) -> dict:
    """The filter that keeps a project table's rows to `projects`: none when `projects` is every project
    (each row's project exists: a foreign key), else `project__in` its ids."""
    query = projects.query
    if query.has_filters() or query.is_sliced or query.combinator or projects.model is not Project:
        return {"project__in": projects.order_by().values("pk")}
    return {}


def _project_rows(projects, *, year: int) -> list[tuple]:
    """(id, code, name, type, lead unit, total investment, and the plan of `year`: amount, prior
    cumulative, new start) of each project, its plan joined (at most one: annual_plan_unique)."""
    return values_rows(
        projects.order_by()
        .annotate(year_plan=FilteredRelation("annual_plans", condition=Q(annual_plans__year=year)))
        .values_list(
            "pk",
            "code",
            "name",
            "type",
            "lead_unit__name",
            "total_investment",
            "year_plan__amount",
            "year_plan__prior_cumulative",
            "year_plan__new_start",
        )
    )


def _monthly_sums(scope: dict, *, year: int, month: int) -> dict[int, tuple]:
    """{project id: (the month's figure, the sum of the months before it in `year`, the sum of the
    years before)}, summed in the database from the counted figures (None: no figure). Loading every
    month's row costs seconds at scale; the index monthly_counted_amounts holds every column read."""
    return {
        pid: (this, before, earlier)
        for pid, this, before, earlier in values_rows(
            MonthlyInvestment.objects.filter(counted=True, **scope)
            .filter(Q(year__lt=year) | Q(year=year, month__lte=month))
            .order_by()
            .values("project_id")
            .annotate(
                this=Sum("amount", filter=Q(year=year, month=month)),
                before=Sum("amount", filter=Q(year=year, month__lt=month)),
                earlier=Sum("amount", filter=Q(year__lt=year)),
            )
            .values_list("project_id", "this", "before", "earlier")
        )
    }


def _histories(starters: list[int], *, scope: dict, year: int) -> dict[int, list[tuple[datetime.date, str]]]:
    """The status history (recording order) of the projects planned to start in `year` (`starters`)."""
    history: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
    if not starters:
        return history
    starting = AnnualPlan.objects.filter(year=year, new_start=True, **scope).order_by().values("project_id")
    for pid, day, status in values_rows(
        ProjectStatusChange.objects.filter(project__in=starting)
        .order_by("date", "id")
        .values_list("project_id", "date", "status")
    ):
        history[pid].append((day, status))
    if set(starters) - set(history):
        # No recorded history (created before it was kept): its status since its creation.
        for pid, created_at, status in Project.objects.filter(
            pk__in=starting.exclude(project__in=ProjectStatusChange.objects.values("project_id"))
        ).values_list("pk", "created_at", "status"):
            history[pid] = [(timezone.localtime(created_at).date(), status)]
    return history
