"""Reads of the monthly investment figures (月度投资统计): the lists, a figure and its revisions, the
verification queue, the batch form's rows, and the 投资数据不一致 check.

投资数据不一致 (code ``investment_mismatch``): for month m of year y, the weekly cumulative is 累计完成投资
of the project's latest counted weekly report dated on or before the month's last day that gives it; the
monthly cumulative is 开工至报告期累计 (`cumulative`) of the investment figures (investment_status, the
one source of them). Both must exist (a weekly figure, and at least one counted monthly figure up to
(y, m)); the project is flagged when |weekly − monthly| > mismatch_pct % × monthly (10 % by default),
and when the monthly cumulative is 0 while the weekly one is above 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery

from tiaodu.investment import figures
from tiaodu.investment.models import MonthlyInvestment
from tiaodu.investment.selectors import investment_settings, investment_status
from tiaodu.orgs.models import Unit
from tiaodu.progress.models import Report, ReportStatus
from tiaodu.projects.models import Project

MISMATCH = "investment_mismatch"
RELATED = ("project__lead_unit", "reporting_unit", "created_by__person", "submitted_by__person")


def monthly_list(*, user) -> QuerySet:
    """The monthly figures the user may read (drafts only of the own unit, author, office)."""
    return MonthlyInvestment.objects.restrict(user, "view")


def monthly_get(*, user, pk: int) -> MonthlyInvestment:
    """One figure the user may read (MonthlyInvestment.DoesNotExist otherwise)."""
    return (
        monthly_list(user=user)
        .select_related(*RELATED, "verified_by__person", "returned_by__person", "previous")
        .get(pk=pk)
    )


def monthly_thread(figure: MonthlyInvestment) -> list[MonthlyInvestment]:
    """Every revision of the figure, the newest first."""
    return list(
        MonthlyInvestment.objects.filter(thread=figure.thread)
        .select_related(
            "created_by__person", "submitted_by__person", "verified_by__person", "returned_by__person"
        )
        .order_by("-revision")
    )


def latest_revision(*, project: Project, year: int, month: int) -> MonthlyInvestment | None:
    """The newest revision of the project's figure for (year, month), None when there is none."""
    return (
        MonthlyInvestment.objects.filter(project=project, year=year, month=month)
        .order_by("-revision")
        .first()
    )


def monthly_verify_queue(*, user) -> QuerySet:
    """The submitted, counted figures the user may verify, the earliest submitted first."""
    return (
        MonthlyInvestment.objects.restrict(user, "verify")
        .filter(status=ReportStatus.SUBMITTED, counted=True)
        .select_related(*RELATED)
        .order_by("submitted_at", "id")
    )


def monthly_pending(*, user) -> QuerySet:
    """The submitted figures awaiting verification among those the user may read (read-only look)."""
    return (
        monthly_list(user=user)
        .filter(status=ReportStatus.SUBMITTED, counted=True)
        .select_related(*RELATED)
        .order_by("submitted_at", "id")
    )


def led_projects(*, user, unit) -> QuerySet:
    """The projects `unit` leads that the user may see, by code (the rows of the batch form)."""
    return (
        Project.objects.restrict(user, "view")
        .filter(lead_unit=unit)
        .select_related("lead_unit")
        .order_by("code")
    )


def lead_units(*, user) -> list:
    """The units leading a project the user may see (the office's unit choice on the batch form)."""
    leads = Project.objects.restrict(user, "view").values("lead_unit")
    return list(Unit.objects.filter(pk__in=leads).order_by("sort_order", "name", "pk"))


def latest_by_project(project_ids, *, year: int, month: int) -> dict[int, MonthlyInvestment]:
    """{project id: the newest revision of its (year, month) figure}."""
    out: dict[int, MonthlyInvestment] = {}
    rows = (
        MonthlyInvestment.objects.filter(project_id__in=project_ids, year=year, month=month)
        .select_related("submitted_by__person")
        .order_by("project_id", "-revision")
    )
    for row in rows:
        out.setdefault(row.project_id, row)
    return out


# --- 投资数据不一致 ------------------------------------------------------------------------------------


def mismatch(weekly: Decimal | None, monthly: Decimal | None, pct: Decimal) -> dict | None:
    """The flag {"code", "message"} when the two cumulatives differ by more than pct % of the monthly
    one (monthly 0 and weekly above 0 is flagged); None when they agree or one is missing."""
    if weekly is None or monthly is None:
        return None
    weekly, monthly, pct = Decimal(weekly), Decimal(monthly), Decimal(pct)
    diff = abs(weekly - monthly)
    limit = format(pct.normalize(), "f")
    if monthly == 0:
        if weekly <= 0:
            return None
        message = (
            f"周报累计完成投资{figures.money_text(weekly)}万元与月报开工至今累计0.00万元不一致"
            f"（月报累计为0），超过{limit}%"
        )
        return {"code": MISMATCH, "message": message}
    if diff * 100 <= pct * monthly:
        return None
    share = figures.pct_text(diff * 100 / monthly)
    message = (
        f"周报累计完成投资{figures.money_text(weekly)}万元与月报开工至今累计"
        f"{figures.money_text(monthly)}万元相差{share}，超过{limit}%"
    )
    return {"code": MISMATCH, "message": message}


def weekly_cumulatives(projects: QuerySet, *, year: int, month: int) -> dict[int, Decimal]:
    """{project id: 累计完成投资 of its latest counted weekly report up to the month's end} (one query)."""
    end = figures.month_end(year, month)
    latest = (
        Report.objects.filter(project=OuterRef("pk"), counted=True, as_of__lte=end)
        .exclude(investment_done=None)
        .order_by("-as_of", "-submitted_at", "-id")
        .values("investment_done")[:1]
    )
    rows = projects.order_by().annotate(weekly=Subquery(latest)).values_list("pk", "weekly")
    return {pk: weekly for pk, weekly in rows.iterator(chunk_size=5000) if weekly is not None}


def _with_monthly(projects: QuerySet, *, year: int, month: int) -> QuerySet:
    counted = MonthlyInvestment.objects.filter(counted=True).filter(
        Q(year__lt=year) | Q(year=year, month__lte=month)
    )
    return projects.filter(pk__in=counted.values("project_id"))


def mismatch_flags(*, user, projects: QuerySet, year: int, month: int) -> dict[int, dict]:
    """{project id: flag} for the projects of `projects` (already restricted) whose cumulatives differ."""
    projects = _with_monthly(projects, year=year, month=month)
    weekly = weekly_cumulatives(projects, year=year, month=month)
    if not weekly:
        return {}
    ids = {code: pk for pk, code in projects.order_by().values_list("pk", "code").iterator(chunk_size=5000)}
    status = investment_status(user=user, year=year, month=month, projects=projects)
    pct = investment_settings().mismatch_pct
    out = {}
    for row in status.projects:
        pk = ids.get(row.code)
        flag = mismatch(weekly.get(pk), row.cumulative, pct)
        if flag is not None:
            out[pk] = flag
    return out


@dataclass(frozen=True)
class MonthlyMismatch:
    code: str
    name: str
    lead_unit: str
    weekly: Decimal
    monthly: Decimal
    message: str


def mismatched_projects(*, user, year: int, month: int) -> list[MonthlyMismatch]:
    """The projects the user may see flagged 投资数据不一致 for (year, month), computed now from the
    counted figures (the largest difference first)."""
    projects = _with_monthly(Project.objects.restrict(user, "view"), year=year, month=month)
    weekly = weekly_cumulatives(projects, year=year, month=month)
    if not weekly:
        return []
    codes = dict(projects.order_by().values_list("code", "pk"))
    status = investment_status(user=user, year=year, month=month, projects=projects)
    pct = investment_settings().mismatch_pct
    out = []
    for row in status.projects:
        w = weekly.get(codes.get(row.code))
        flag = mismatch(w, row.cumulative, pct)
        if flag is not None:
            out.append(MonthlyMismatch(row.code, row.name, row.lead_unit, w, row.cumulative, flag["message"]))
    out.sort(key=lambda m: (-abs(m.weekly - m.monthly), m.code))
    return out
