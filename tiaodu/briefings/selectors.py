"""Reads for the document center and the data a briefing is made of.

Who sees a document is `Document.objects.restrict(user, "view")` (tiaodu/briefings/querysets.py);
who may do what with it is in tiaodu/briefings/permissions.py.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from tiaodu.briefings import plan_changes
from tiaodu.briefings.before_after_annex import AnnexPlace
from tiaodu.briefings.content import (
    BriefingInputs,
    FlagLine,
    ItemLine,
    ProblemLine,
    ProjectInfo,
    ReportSource,
)
from tiaodu.briefings.models import Briefing, Document, Favorite
from tiaodu.briefings.plan_changes import PlanChange
from tiaodu.core import domain
from tiaodu.core.actors import SYSTEM
from tiaodu.investment.selectors import investment_status
from tiaodu.orgs.models import Unit, UnitType
from tiaodu.progress import flagrules
from tiaodu.progress import selectors as progress_selectors
from tiaodu.progress.figures import ProgressStatus
from tiaodu.progress.models import Report, ReportPhoto, ReportStatus
from tiaodu.progress.selectors import progress_status
from tiaodu.projects.changes import change_lines
from tiaodu.projects.models import ChangeStatus, Project, ProjectChange, ResponsibilityLetter
from tiaodu.supervision import rules
from tiaodu.supervision.selectors import OPEN_STATUSES, item_list, meeting_list, problems_at_leader_level

DEFAULT_ISSUER = "区重点工程重点项目建设领导小组办公室"


def document_list(*, user) -> QuerySet[Document]:
    """The documents the user may see (deleted ones left out)."""
    return Document.objects.restrict(user, "view").filter(deleted_at__isnull=True)


def document_get(*, user, pk: int) -> Document:
    """Document.DoesNotExist when the user may not see it."""
    return (
        document_list(user=user)
        .select_related(
            "author__person", "project", "unit", "meeting", "briefing", "preview_pdf", "letter__unit"
        )
        .get(pk=pk)
    )


def annotate_favorite(qs: QuerySet[Document], *, user) -> QuerySet[Document]:
    return qs.annotate(
        is_favorite=Exists(Favorite.objects.filter(user_id=user.pk, document_id=OuterRef("pk")))
    )


def letter_scans_pending() -> bool:
    """Whether a responsibility letter's scan is not (or no longer) registered in the document center."""
    return ResponsibilityLetter.objects.exclude(scan="").exclude(document__file=F("scan")).exists()


def briefing_list(*, user) -> QuerySet[Briefing]:
    """Briefings are circulated: every signed-in user sees every ready briefing."""
    return (
        Briefing.objects.restrict(user, "view")
        .filter(state=Briefing.State.READY)
        .prefetch_related("documents")
    )


def briefing_issuer() -> str:
    """The issuing office: settings.BRIEFING_ISSUER, else the leading group's office unit, else the default."""
    configured = getattr(settings, "BRIEFING_ISSUER", "")
    if configured:
        return configured
    office = Unit.objects.filter(type=UnitType.OFFICE).order_by("sort_order", "id").first()
    return office.name if office is not None else DEFAULT_ISSUER


def upload_units(*, user) -> QuerySet[Unit]:
    """The units a user may link an upload to: all for those who see all, else their own unit."""
    if user.sees_all:
        return Unit.objects.all()
    if user.unit is None:
        return Unit.objects.none()
    return Unit.objects.filter(pk=user.unit.pk)


def upload_meetings(*, user):
    return meeting_list(user=user)


# --- the briefing's data ------------------------------------------------------------------------


def project_infos(codes=None) -> dict[str, ProjectInfo]:
    """Names, category, units and persons of every project (the briefing is district-wide)."""
    qs = Project.objects.select_related(
        "category", "lead_unit", "responsible_person", "supervising_leader"
    ).prefetch_related("territorial_units", "supporting_units")
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return {
        p.code: ProjectInfo(
            code=p.code,
            name=p.name,
            type=p.type,
            category=p.category.name,
            category_order=p.category.sort_order,
            lead_unit=p.lead_unit.name,
            territorial_units=tuple(u.name for u in p.territorial_units.all()),
            supporting_units=tuple(u.name for u in p.supporting_units.all()),
            responsible=p.responsible_person.name if p.responsible_person_id else "",
            supervising_leader=p.supervising_leader.name if p.supervising_leader_id else "",
        )
        for p in qs.order_by("code")
    }


def escalated_problems() -> list[ProblemLine]:
    """Open problems at 分管区领导 level and above (the supervision app's selector), for the briefing."""
    return [
        ProblemLine(
            project=p.project.name,
            type=p.get_type_display(),
            description=p.description or p.title,
            owner=p.owner_unit.name,
            level=p.get_level_display(),
            since=p.level_entered_on,
        )
        for p in problems_at_leader_level(user=SYSTEM)
    ]


def warned_items(as_of: datetime.date) -> list[ItemLine]:
    """Open supervision items with a yellow or red warning on `as_of` (the supervision app's rules)."""
    qs = (
        item_list(user=SYSTEM, today=as_of)
        .filter(status__in=OPEN_STATUSES, warning_now__in=[rules.YELLOW, rules.RED])
        .prefetch_related("assignee_units")
        .order_by("deadline", "id")
    )
    return [
        ItemLine(
            title=item.title,
            assignees="、".join(u.name for u in item.assignee_units.all()),
            deadline=item.deadline,
            warning=item.warning_now,
        )
        for item in qs
    ]


def _name(user) -> str:
    return user.display_name if user is not None else ""


def report_sources(status: ProgressStatus) -> dict[int, ReportSource]:
    """The weekly reports the indicators' figures come from (IndicatorFigures.source_report), in one
    query: their as-of date, who submitted (else drafted) them, who verified them and when."""
    ids = {i.source_report for p in status.projects for i in p.indicators or () if i.source_report}
    if not ids:
        return {}
    reports = Report.objects.filter(pk__in=ids).select_related(
        "submitted_by__person", "created_by__person", "verified_by__person"
    )
    return {
        r.pk: ReportSource(
            report=r.pk,
            as_of=r.as_of,
            reporter=_name(r.submitted_by) or _name(r.created_by),
            verifier=_name(r.verified_by),
            verified_at=timezone.make_naive(r.verified_at) if r.verified_at else None,
        )
        for r in reports
    }


def flag_lines(as_of: datetime.date) -> list[FlagLine]:
    """The anomaly flags (数据异常) of the reports that count with as-of in the week ending at `as_of`
    (the 7 days through it), one line per flag, by project code, unit and date (selectors.flagged_reports
    of the whole district)."""
    reports = (
        progress_selectors.flagged_reports(user=SYSTEM)
        .filter(as_of__range=(as_of - datetime.timedelta(days=6), as_of))
        .select_related("project", "reporting_unit")
        .order_by("project__code", "reporting_unit__sort_order", "reporting_unit__name", "as_of", "id")
    )
    return [
        FlagLine(
            project=r.project.name,
            unit=r.reporting_unit.name,
            as_of=r.as_of,
            kind=flagrules.CODES.get(f.get("code"), f.get("code", "")),
            message=f.get("message", ""),
        )
        for r in reports
        for f in r.flags
        if isinstance(f, dict)
    ]


def _value_text(line, value) -> str:
    if line.key == "target":
        return plan_changes.quantity_text(value, line.unit)
    return plan_changes.date_text(value)


def approved_plan_changes(as_of: datetime.date) -> list[PlanChange]:
    """The baseline changes (计划变更) approved in the briefing's period — the seven days ending on
    `as_of` (local dates) — one line per value changed, old → new, oldest approval first."""
    start = plan_changes.period_start(as_of)
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    changes = (
        ProjectChange.objects.filter(
            status=ChangeStatus.APPROVED, decided_at__gte=since, decided_at__lt=until
        )
        .select_related("project")
        .order_by("decided_at", "id")
    )
    out = []
    for change in changes:
        for line in change_lines(change):
            out.append(
                PlanChange(
                    code=change.project.code,
                    project=change.project.name,
                    item=line.label,
                    old=_value_text(line, line.old),
                    new=_value_text(line, line.new),
                    reason=change.reason,
                    approved=timezone.localtime(change.decided_at).date(),
                )
            )
    return out


def briefing_inputs(*, as_of: datetime.date) -> BriefingInputs:
    """Everything a briefing for `as_of` states: progress_status of all projects (the briefing is
    district-wide), the projects' names and units, escalated problems, warned items and the weekly
    reports the figures come from."""
    status = progress_status(user=SYSTEM, as_of=as_of)
    return BriefingInputs(
        status=status,
        projects=project_infos(),
        problems=escalated_problems(),
        items=warned_items(as_of),
        sources=report_sources(status),
        flags=flag_lines(as_of),
        changes=approved_plan_changes(as_of),
        investment=investment_status(user=SYSTEM, year=as_of.year, month=as_of.month),
    )


ANNEX_PROJECTS = 10  # remediation projects in the before/after annex
ANNEX_PLACES = 3  # places per project


def _photo_bytes(photo) -> bytes | None:
    try:
        with photo.image.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def before_after_places(*, as_of: datetime.date) -> list[AnnexPlace]:
    """附件：整治前后对比 — the before/after pairs (tiaodu.progress.before_after_pairs) of the remediation
    projects from reports up to as_of: the first ANNEX_PROJECTS projects with a pair, by code, at most
    ANNEX_PLACES places each (district-wide, like the rest of the briefing)."""
    # Verified reports only: the briefing goes to every unit, and a photo is evidence once it is verified.
    reports = Report.objects.filter(as_of__lte=as_of, status=ReportStatus.VERIFIED)
    placed = ReportPhoto.objects.filter(
        report__in=reports, report__project=OuterRef("pk"), latitude__isnull=False, longitude__isnull=False
    )
    out: list[AnnexPlace] = []
    shown = 0
    for project in Project.objects.filter(type=domain.REMEDIATION).filter(Exists(placed)).order_by("code"):
        pairs = progress_selectors.before_after_pairs(project, reports=reports)[:ANNEX_PLACES]
        places = []
        for n, (before, after, place) in enumerate(pairs, start=1):
            b, a = _photo_bytes(before), _photo_bytes(after)
            if b and a:
                places.append(
                    AnnexPlace(project.code, project.name, n, place.before.day, place.after.day, b, a)
                )
        if places:
            out += places
            shown += 1
            if shown >= ANNEX_PROJECTS:
                break
    return out
