"""Reads for weekly reporting. Every function that lists things takes the user: projects always come
through tiaodu.projects.selectors.project_list.

Who may do what is in tiaodu/progress/permissions.py (`report_can_submit`, `report_can_verify`, …); which
reports a user sees is `Report.objects.restrict(user, "view")` (tiaodu/progress/querysets.py).

`progress_status` (the overview of the dashboard, the reporting page, the API, the CLI, the briefing
and supervision) lives in tiaodu.progress.overview and is re-exported here; its figures are defined once
in tiaodu.progress.figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from tiaodu.orgs.models import Role, Unit
from tiaodu.progress import before_after, figures
from tiaodu.progress.models import Report, ReportFigure, ReportingUnit, ReportPhoto, ReportStatus
from tiaodu.progress.overview import progress_status, project_curve, reporting_cycle  # noqa: F401
from tiaodu.progress.querysets import reporting_projects
from tiaodu.projects.models import IndicatorShare, Project
from tiaodu.projects.selectors import project_list


def today() -> datetime.date:
    return timezone.localdate()


def last_cycle_as_of(now: datetime.datetime) -> datetime.date:
    """The as-of date of the last weekly reporting cycle whose deadline has passed by `now` (local time).

    A cycle is named by its deadline day (default Thursday 17:00, set at /reports/settings/); its figures
    are those of progress_status(as_of=that day).
    """
    cycle = reporting_cycle()
    day = now.date()
    back = (day.weekday() - cycle.deadline_weekday) % 7
    candidate = day - datetime.timedelta(days=back)
    if back == 0 and now.time() < cycle.deadline_time:
        candidate -= datetime.timedelta(days=7)
    return candidate


def snapshot_dates(now: datetime.datetime) -> list[datetime.date]:
    """The as-of dates whose overview is kept stored: today (the dashboard's default) and the last two
    reporting cycles (the sweep compares them; the briefing states the last)."""
    last = last_cycle_as_of(now)
    return [now.date(), last, last - datetime.timedelta(days=7)]


def project_summary(*, user) -> dict[str, figures.TypeSummary]:
    """Per project type, the counts per status and the 开工率 of the projects the user may see (the home
    page; the same figures.type_summaries as the overview's summary)."""
    return figures.type_summaries(project_list(user=user).values_list("type", "status"))


# --- who reports and verifies ---------------------------------------------------------------------


def reporting_units(project: Project) -> list[Unit]:
    """The units that must report on the project: the lead unit, then the territorial units added."""
    through = Project.territorial_units.through
    extra = (
        Unit.objects.filter(
            Exists(ReportingUnit.objects.filter(project=project, unit_id=OuterRef("pk"))),
            Exists(through.objects.filter(project_id=project.pk, unit_id=OuterRef("pk"))),
        )
        .exclude(pk=project.lead_unit_id)
        .order_by("sort_order", "name")
    )
    return [project.lead_unit, *extra]


def reportable_projects(*, user) -> QuerySet[Project]:
    """The projects the user may report on."""
    return reporting_projects(project_list(user=user), user)


def acting_unit(*, user, project: Project) -> Unit:
    """The unit a user reports for: their own, or the lead unit when the office reports on its behalf."""
    unit = user.unit
    if unit is not None and any(u.pk == unit.pk for u in reporting_units(project)):
        return unit
    return project.lead_unit


# --- reports --------------------------------------------------------------------------------------


def report_list(*, user) -> QuerySet[Report]:
    """Reports the user may read: of projects they see; drafts only of their own unit."""
    return Report.objects.restrict(user, "view")


def report_get(*, user, pk: int) -> Report:
    """The report if the user may read it; Report.DoesNotExist otherwise."""
    return (
        report_list(user=user)
        .select_related(
            "project__lead_unit",
            "reporting_unit",
            "created_by__person",
            "submitted_by__person",
            "verified_by__person",
            "returned_by__person",
        )
        .get(pk=pk)
    )


def report_thread(report: Report) -> list[Report]:
    """Every revision of the report, newest first."""
    return list(
        Report.objects.filter(thread=report.thread)
        .select_related(
            "submitted_by__person", "verified_by__person", "returned_by__person", "created_by__person"
        )
        .prefetch_related("figures__indicator")
        .order_by("-revision")
    )


def verify_queue(*, user) -> QuerySet[Report]:
    """Submitted reports the user may verify (Report.objects.restrict(user, "verify")): never their own."""
    return (
        Report.objects.restrict(user, "verify")
        .filter(status=ReportStatus.SUBMITTED, counted=True)
        .select_related("project", "reporting_unit", "submitted_by__person")
        .order_by("submitted_at", "id")
    )


def pending_reports(*, user) -> QuerySet[Report]:
    """Submitted reports waiting for verification among those the user may read (what leaders and the
    supervision office look on at, without verifying)."""
    return (
        report_list(user=user)
        .filter(status=ReportStatus.SUBMITTED, counted=True)
        .select_related("project", "reporting_unit", "submitted_by__person")
        .order_by("submitted_at", "id")
    )


def my_reports(*, user) -> QuerySet[Report]:
    """Reports of the user's unit (the office: those it wrote)."""
    qs = report_list(user=user).select_related("project", "reporting_unit", "submitted_by__person")
    unit = user.unit
    if unit is not None and user.role == Role.UNIT and not user.manages_all:
        return qs.filter(reporting_unit=unit)
    return qs.filter(Q(created_by=user) | Q(submitted_by=user))


def latest_figures(
    project: Project, *, as_of: datetime.date | None = None, unit: Unit | None = None
) -> dict[int, tuple[Decimal, datetime.date]]:
    """The figure counted for each indicator (latest counted report, as of ≤ as_of): {indicator id: (qty, as_of)}.
    With `unit`: for the indicators the unit holds a territorial share of, its own latest counted figure."""
    qs = ReportFigure.objects.filter(indicator__project=project, counted=True)
    held = share_targets(project, unit)
    if held:
        qs = qs.filter(~Q(indicator_id__in=list(held)) | Q(report__reporting_unit=unit))
    if as_of is not None:
        qs = qs.filter(as_of__lte=as_of)
    out: dict[int, tuple[Decimal, datetime.date]] = {}
    for ind, qty, day in qs.order_by("indicator_id", "-as_of", "-submitted_at", "-id").values_list(
        "indicator_id", "quantity", "as_of"
    ):
        out.setdefault(ind, (qty, day))
    return out


def latest_report(project: Project, *, unit: Unit | None = None) -> Report | None:
    """The latest counted report of the project (of one unit), for pre-filling a new report."""
    qs = Report.objects.filter(project=project, counted=True)
    if unit is not None:
        qs = qs.filter(reporting_unit=unit)
    return qs.order_by("-as_of", "-submitted_at", "-id").first()


def carried_over_report(project: Project, *, unit: Unit | None, before: datetime.date) -> Report | None:
    """The report a new report of `unit` as of `before` is pre-filled from: the unit's latest counted
    report dated earlier (the project's, when the unit has none)."""
    qs = Report.objects.filter(project=project, counted=True, as_of__lt=before)
    own = qs.filter(reporting_unit=unit) if unit is not None else qs.none()
    return (own.order_by("-as_of", "-submitted_at", "-id").first()) or (
        qs.order_by("-as_of", "-submitted_at", "-id").first()
    )


def share_targets(project: Project, unit: Unit | None) -> dict[int, Decimal]:
    """{indicator id: share target} of the unit's territorial shares of the project's indicators."""
    if unit is None:
        return {}
    return dict(
        IndicatorShare.objects.filter(indicator__project=project, unit=unit).values_list(
            "indicator_id", "target"
        )
    )


def last_accepted(
    indicator_ids, *, as_of: datetime.date, exclude: int | None = None, unit: Unit | None = None
) -> dict[int, tuple[Decimal, datetime.date]]:
    """The last verified (已审核) figure of each indicator with as-of on or before `as_of`. With `unit`, an
    indicator split into territorial shares is compared with that unit's own figures only (each street
    reports its own share; another street's figure is no earlier value of it)."""
    ids = list(indicator_ids)
    qs = ReportFigure.objects.filter(
        indicator_id__in=ids, report__status=ReportStatus.VERIFIED, as_of__lte=as_of
    )
    if unit is not None:
        split = IndicatorShare.objects.filter(indicator_id__in=ids).values("indicator_id")
        qs = qs.filter(~Q(indicator_id__in=split) | Q(report__reporting_unit=unit))
    if exclude is not None:
        qs = qs.exclude(report_id=exclude)
    out: dict[int, tuple[Decimal, datetime.date]] = {}
    for ind, qty, day in qs.order_by("indicator_id", "-as_of", "-report__verified_at", "-id").values_list(
        "indicator_id", "quantity", "as_of"
    ):
        out.setdefault(ind, (qty, day))
    return out


def accepted_reports_before(report: Report, *, limit: int = 1) -> list[Report]:
    """The same unit's accepted (已审核) reports of the project dated before `report`, newest first, at most
    `limit` — the "previous accepted report" of the anomaly flags is the first. Another revision of the
    same report never counts. Figures prefetched."""
    return list(
        Report.objects.filter(
            project_id=report.project_id,
            reporting_unit_id=report.reporting_unit_id,
            status=ReportStatus.VERIFIED,
            as_of__lt=report.as_of,
        )
        .exclude(thread=report.thread)
        .order_by("-as_of", "-verified_at", "-id")
        .prefetch_related("figures")[:limit]
    )


def flagged_reports(*, user) -> QuerySet[Report]:
    """The reports with anomaly flags (数据异常) the user may read: the revisions that count (submitted or
    verified, not replaced). The dashboard's count and the list /reports/?flagged=1."""
    return (
        report_list(user=user)
        .filter(counted=True, status__in=[ReportStatus.SUBMITTED, ReportStatus.VERIFIED])
        .exclude(flags=[])
    )


def existing_thread(*, project: Project, as_of: datetime.date, unit: Unit) -> Report | None:
    """The latest revision of the unit's report on the project as of that date, if there is one."""
    return (
        Report.objects.filter(project=project, as_of=as_of, reporting_unit=unit)
        .order_by("-revision", "-id")
        .first()
    )


def report_has_next(report: Report) -> bool:
    return Report.objects.filter(previous=report).exists()


# --- whose report is due ----------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitReportDue:
    """A reporting unit whose own weekly report on a project is due at the as-of date."""

    project_id: int
    code: str
    name: str
    unit_id: int
    unit_name: str
    last_report: datetime.date | None  # the unit's latest counted report on the project, as of ≤ A


def unit_reports_due(
    *, user, as_of: datetime.date, within: QuerySet[Project] | None = None, unit: Unit | None = None
) -> list[UnitReportDue]:
    """Every (project, reporting unit) of the projects the user sees (only those `within`, only `unit`) whose
    report is due at `as_of`: figures.report_missing over that unit's own counted reports — the project
    must report (figures.must_report, as in the overview) and the unit has no counted report with as-of
    in the seven days ending at `as_of`. The reporting units are those of `reporting_units`: the lead
    unit and the territorial units added to the project. By code, then unit order."""
    projects = project_list(user=user)
    if within is not None:
        projects = projects.filter(pk__in=within.values("pk"))
    must = {
        pid: (code, name, lead)
        for pid, code, name, status, start, lead in projects.values_list(
            "pk", "code", "name", "status", "planned_start", "lead_unit_id"
        )
        if figures.must_report(status, start, as_of)
    }
    if not must:
        return []
    through = Project.territorial_units.through
    pairs = {(pid, lead) for pid, (_c, _n, lead) in must.items()}
    pairs |= set(
        ReportingUnit.objects.filter(
            Exists(through.objects.filter(project_id=OuterRef("project_id"), unit_id=OuterRef("unit_id"))),
            project__in=projects,
        ).values_list("project_id", "unit_id")
    )
    pairs = {(p, u) for p, u in pairs if p in must and (unit is None or u == unit.pk)}
    last = {
        (p, u): day
        for p, u, day in Report.objects.filter(project__in=projects, counted=True, as_of__lte=as_of)
        .values("project_id", "reporting_unit_id")
        .annotate(last=Max("as_of"))
        .values_list("project_id", "reporting_unit_id", "last")
    }
    units = {
        pk: (order, name)
        for pk, order, name in Unit.objects.filter(pk__in={u for _p, u in pairs}).values_list(
            "pk", "sort_order", "name"
        )
    }
    due = [
        UnitReportDue(p, must[p][0], must[p][1], u, units[u][1], last.get((p, u)))
        for p, u in pairs
        if figures.report_missing(True, last.get((p, u)), as_of)
    ]
    return sorted(due, key=lambda d: (d.code, units[d.unit_id], d.unit_id))


DUE_SHOWN = 500


@dataclass(frozen=True)
class DueProject:
    project: Project
    last: Report | None  # the latest counted report of the user's unit (all units for the office)
    figures: figures.ProjectFigures  # reported, must_report and report_missing: the overview's
    unit_due: bool = False  # the user's unit's own report is due (unit_reports_due); False for the office
    per_unit: bool = (
        False  # the user reports for a unit (not the office): what is due is the unit's own report
    )

    @property
    def due(self) -> bool:
        """What the user still has to report here: the unit's own report, or for the office the project's."""
        return self.unit_due if self.per_unit else self.figures.report_missing


@dataclass(frozen=True)
class ReportsDue:
    """The projects the user reports on (the first DUE_SHOWN by code) and how many of all of them miss
    their report (figures.ProjectFigures.report_missing, as on the dashboard and in the briefing)."""

    projects: list[DueProject]
    total: int
    missing: int
    unit_due: int = 0  # of all of them, those on which the user's own unit's report is due
    per_unit: bool = False  # see DueProject.per_unit

    @property
    def due(self) -> int:
        """How many reports the user still has to make (我的待办 本周未报送): DueProject.due over all."""
        return self.unit_due if self.per_unit else self.missing


def reports_due(*, user, as_of: datetime.date | None = None) -> ReportsDue:
    as_of = as_of or today()
    reportable = reportable_projects(user=user)
    codes = set(reportable.values_list("code", flat=True))
    status = progress_status(user=user, as_of=as_of, include_indicators=False)
    by_code = {p.code: p for p in status.projects if p.code in codes}
    projects = list(reportable.select_related("lead_unit").order_by("code")[:DUE_SHOWN])
    unit = user.unit
    latest: dict[int, Report] = {}
    qs = Report.objects.filter(project__in=[p.pk for p in projects], counted=True, as_of__lte=as_of)
    if unit is not None and not user.manages_all:
        qs = qs.filter(reporting_unit=unit)
    for r in qs.order_by("project_id", "-as_of", "-id"):
        latest.setdefault(r.project_id, r)
    own: set[str] = set()
    per_unit = unit is not None and not user.manages_all
    if per_unit:
        own = {d.code for d in unit_reports_due(user=user, as_of=as_of, within=reportable, unit=unit)}
    return ReportsDue(
        projects=[
            DueProject(p, latest.get(p.pk), by_code[p.code], p.code in own, per_unit)
            for p in projects
            if p.code in by_code
        ],
        total=len(by_code),
        missing=sum(1 for p in by_code.values() if p.report_missing),
        unit_due=len(own & set(by_code)),
        per_unit=per_unit,
    )


def reports_returned_open(*, user) -> QuerySet[Report]:
    """Returned reports of the user's unit (my_reports) not yet replaced by a later revision that was
    submitted: the unit still has to revise and resubmit them (the home page's 我的待办, /reports/?returned=open)."""
    resubmitted = Report.objects.filter(thread=OuterRef("thread"), revision__gt=OuterRef("revision")).exclude(
        status=ReportStatus.DRAFT
    )
    return my_reports(user=user).filter(status=ReportStatus.RETURNED).exclude(Exists(resubmitted))


# --- the project file (tiaodu.command): the latest verified report, before and after -----------------


def latest_verified_report(*, user, project: Project) -> Report | None:
    """The project's most recent verified report the user may read (its photos prefetched)."""
    return (
        report_list(user=user)
        .filter(project=project, status=ReportStatus.VERIFIED, superseded=False)
        .select_related("reporting_unit", "submitted_by__person", "verified_by__person")
        .prefetch_related("photos")
        .order_by("-as_of", "-verified_at", "-id")
        .first()
    )


def before_after_pairs(project: Project, *, reports: QuerySet[Report] | None = None, radius_m=None):
    """整治前后对比 of a project: [(earliest ReportPhoto, latest ReportPhoto, Place)] per place
    (tiaodu.progress.before_after), from the photos with a position in its submitted and verified reports
    (`reports`: already restricted to what the reader may see; all of them by default)."""
    from_reports = (reports if reports is not None else Report.objects.all()).filter(
        project=project, status__in=[ReportStatus.SUBMITTED, ReportStatus.VERIFIED], superseded=False
    )
    photos = {
        p.pk: p
        for p in ReportPhoto.objects.filter(
            report__in=from_reports, latitude__isnull=False, longitude__isnull=False
        ).select_related("report")
    }
    points = [
        before_after.PhotoPoint(
            id=p.pk,
            report_id=p.report_id,
            day=timezone.localtime(p.taken_at).date() if p.taken_at else p.report.as_of,
            latitude=float(p.latitude),
            longitude=float(p.longitude),
        )
        for p in photos.values()
    ]
    places = before_after.before_after(points, radius_m or before_after.RADIUS_M)
    return [(photos[place.before.id], photos[place.after.id], place) for place in places]
