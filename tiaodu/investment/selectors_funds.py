"""Reads of the funds side: a project's funding plan with what has arrived per source (到位率), its annual
plans and arrivals, the warning when the plan does not add up to the total investment, and whether the
project is flagged 资金缺口 (from `investment_status`, the one source of the money figures)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from tiaodu.investment import figures
from tiaodu.investment.models import AnnualPlan, FundArrival, FundingPlan, FundingSource
from tiaodu.investment.selectors import investment_status
from tiaodu.projects.models import Project


def funding_plan_warning(total_investment: Decimal | None, planned: Decimal | None) -> str | None:
    """「资金计划合计12,000.00万元，与总投资15,000.00万元相差3,000.00万元」 when the plan's sum differs from the
    total investment; None without a total investment, without a plan, or when they agree (to the cent)."""
    if total_investment is None or planned is None:
        return None
    total, plan = figures.money(total_investment), figures.money(planned)
    if total == plan:
        return None
    return (
        f"资金计划合计{figures.money_text(plan)}万元，与总投资{figures.money_text(total)}万元"
        f"相差{figures.money_text(abs(total - plan))}万元"
    )


def visible_project(*, user, code: str) -> Project:
    """The project of this code among those the user may see (Project.DoesNotExist otherwise)."""
    if "\x00" in code:
        raise Project.DoesNotExist
    return Project.objects.restrict(user, "view").select_related("lead_unit").get(code=code)


def funding_sources(*, user, active_only: bool = False):
    """The funding sources (a list everyone signed in may read), in their order."""
    qs = FundingSource.objects.all()
    return qs.filter(active=True) if active_only else qs


@dataclass
class SourceFunds:
    source: str
    source_id: int
    planned: Decimal | None  # None: arrivals from a source not in the plan
    arrived: Decimal

    @property
    def rate(self) -> Decimal | None:
        return figures.ratio_pct(self.arrived, self.planned)

    @property
    def rate_text(self) -> str:
        return figures.pct_text(self.rate)


@dataclass
class ProjectFunds:
    project: Project
    as_of: datetime.date
    rows: list[SourceFunds]
    planned: Decimal | None
    arrived: Decimal
    warning: str | None
    annual_plans: list[AnnualPlan] = field(default_factory=list)
    arrivals: list[FundArrival] = field(default_factory=list)
    gap: figures.ProjectMoney | None = None  # set when the project is flagged 资金缺口
    time_progress_pct: Decimal | None = None

    @property
    def rate(self) -> Decimal | None:
        return figures.ratio_pct(self.arrived, self.planned)

    @property
    def rate_text(self) -> str:
        return figures.pct_text(self.rate)


def source_rows(project: Project, as_of: datetime.date) -> list[SourceFunds]:
    """The plan by source with the funds arrived up to `as_of`, then the sources with arrivals but no plan."""
    arrived = dict(
        FundArrival.objects.filter(project=project, date__lte=as_of)
        .values("source_id")
        .annotate(total=Sum("amount"))
        .values_list("source_id", "total")
    )
    rows = [
        SourceFunds(p.source.name, p.source_id, p.amount, arrived.pop(p.source_id, Decimal(0)))
        for p in FundingPlan.objects.filter(project=project).select_related("source")
    ]
    names = dict(FundingSource.objects.filter(pk__in=list(arrived)).values_list("pk", "name"))
    for source_id, total in sorted(arrived.items()):
        rows.append(SourceFunds(names[source_id], source_id, None, total))
    return rows


def project_funds(*, user, project: Project, as_of: datetime.date) -> ProjectFunds:
    """The project's funds as of `as_of` (the caller found `project` among those the user may see);
    the 资金缺口 flag is that of `as_of`'s month (investment_status)."""
    rows = source_rows(project, as_of)
    plan_rows = [r for r in rows if r.planned is not None]
    planned = sum((r.planned for r in plan_rows), Decimal(0)) if plan_rows else None
    arrived = sum((r.arrived for r in rows), Decimal(0))
    status = investment_status(
        user=user,
        year=as_of.year,
        month=as_of.month,
        projects=Project.objects.filter(pk=project.pk),
    )
    money = status.projects[0] if status.projects else None
    return ProjectFunds(
        project=project,
        as_of=as_of,
        rows=rows,
        planned=planned,
        arrived=arrived,
        warning=funding_plan_warning(project.total_investment, planned),
        annual_plans=list(AnnualPlan.objects.filter(project=project).order_by("-year")),
        arrivals=list(
            FundArrival.objects.filter(project=project).select_related("source").order_by("-date", "-id")
        ),
        gap=money if money is not None and money.funding_gap else None,
        time_progress_pct=status.time_progress_pct,
    )
