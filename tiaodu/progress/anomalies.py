"""The anomaly flags (数据异常) of a report: the facts gathered from the database for the pure rules of
tiaodu/progress/flagrules.py. Called by services.report_submit, which stores the result in Report.flags.

Plans come from the overview's planner (tiaodu/progress/overview/plans.py), as the dashboard computes
them. An indicator split between territorial units (IndicatorShare) is judged for the reporting unit's
share: its target, and the indicator's plan × share / target (`_shares`, the one hook for it).
The search for a reused photo reads only the photos found through the four indexed hash bands
(tiaodu/progress/photohash.py: each band's value and its one-bit neighbours), never all photos.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from tiaodu.core.geo import distance_to_project_m
from tiaodu.progress import flagrules, photohash, selectors
from tiaodu.progress.models import FLAG_FIELDS, Report, ReportPhoto, ReportStatus
from tiaodu.progress.overview.plans import Planner, prepare
from tiaodu.progress.overview.rows import project_infos
from tiaodu.projects.models import Indicator, Project, ProjectStatus


def thresholds() -> flagrules.Thresholds:
    cycle = selectors.reporting_cycle()
    return flagrules.Thresholds(**{name: getattr(cycle, name) for name in FLAG_FIELDS})


def report_flags(report: Report) -> list[dict[str, str]]:
    """The flags of a report as submitted now (figures, text and photos as stored)."""
    limits = thresholds()
    project = report.project
    history = selectors.accepted_reports_before(report, limit=max(limits.stalled_reports - 1, 1))
    previous = history[0] if history else None
    indicators = {i.pk: i for i in Indicator.objects.filter(project=project)}
    shares = _shares(report)
    figures = {f.indicator_id: f.quantity for f in report.figures.all()}
    span = [history[-1].as_of] if len(history) >= limits.stalled_reports - 1 and history else []
    dates = {report.as_of, *([previous.as_of] if previous else []), *span}
    plans = _plans(project, indicators, shares, sorted(dates))
    prev_figures = {f.indicator_id: f.quantity for f in previous.figures.all()} if previous else {}
    facts = []
    for ind_id, quantity in figures.items():
        ind = indicators[ind_id]
        plan = plans.get(ind_id, {})
        facts.append(
            flagrules.FigureFacts(
                name=ind.name,
                unit=ind.unit_of_measure,
                target=shares.get(ind_id, ind.target),
                quantity=quantity,
                previous=prev_figures.get(ind_id),
                planned_now=plan.get(report.as_of),
                planned_previous=plan.get(previous.as_of) if previous else None,
            )
        )
    names = {i.pk: i.name for i in indicators.values()}
    plan_grew = bool(span) and any((p.get(report.as_of) or 0) > (p.get(span[0]) or 0) for p in plans.values())
    return flagrules.report_flags(
        flagrules.ReportFacts(
            as_of=report.as_of,
            under_construction=project.status == ProjectStatus.UNDER_CONSTRUCTION,
            text=report.image_progress,
            figures=facts,
            photos=_photo_facts(report, project, limits),
            previous_as_of=previous.as_of if previous else None,
            previous_text=previous.image_progress if previous else None,
            history=[{names[f.indicator_id]: f.quantity for f in h.figures.all()} for h in history],
            history_as_of=[h.as_of for h in history],
            plan_grew=plan_grew,
        ),
        limits,
    )


def _shares(report: Report) -> dict[int, Decimal]:
    """{indicator id: the reporting unit's share of its target} for the indicators split between units
    (selectors.share_targets, as the checks and the overview read them)."""
    return selectors.share_targets(report.project, report.reporting_unit)


def _plans(
    project: Project,
    indicators: dict[int, Indicator],
    shares: dict[int, Decimal],
    dates: list[datetime.date],
) -> dict[int, dict[datetime.date, Decimal | None]]:
    """{indicator id: {date: planned cumulative quantity (of the unit's share)}} from the overview's planner."""
    scope = Project.objects.filter(pk=project.pk)
    infos, _last = project_infos(scope, dates[-1])
    info = infos[project.pk]
    planner = Planner()
    prepare(planner, infos.values(), dates[0])
    accrued = planner.accruals(infos, scope).get(project.pk)
    out: dict[int, dict[datetime.date, Decimal | None]] = {}
    for ind_id, ind in indicators.items():
        row = [(ind_id, ind.name, ind.unit_of_measure, float(ind.target), 0.0)]
        out[ind_id] = {}
        for day in dates:
            inputs = planner.indicator_inputs(info, row, accrued, day)[0]
            q = inputs.plan.q(inputs.t) if inputs.plan is not None and inputs.t is not None else None
            planned = None if q is None else Decimal(str(round(q, 3)))
            out[ind_id][day] = flagrules.planned_share(planned, ind.target, shares.get(ind_id))
    return out


def _photo_facts(
    report: Report, project: Project, limits: flagrules.Thresholds
) -> list[flagrules.PhotoFacts]:
    photos = list(report.photos.all())
    point = (project.latitude, project.longitude)
    reused = _reused(report, photos, limits.photo_hash_distance)
    out = []
    for p in photos:
        distance = None
        if p.latitude is not None and p.longitude is not None:
            distance = distance_to_project_m(
                float(p.latitude), float(p.longitude), point=point, geometry=project.geometry
            )
        taken = timezone.localtime(p.taken_at).date() if p.taken_at else None
        out.append(flagrules.PhotoFacts(str(p), taken, distance, reused.get(p.pk)))
    return out


def _reused(report: Report, photos: list[ReportPhoto], within: int) -> dict[int, str]:
    """{photo id: the earlier report it repeats, in words} — photos of other report threads (not drafts)
    within `within` bits; candidates are read through the band indexes."""
    hashed = [p for p in photos if p.phash is not None]
    if not hashed:
        return {}
    query = Q()
    for i in range(photohash.BANDS):
        values = {v for p in hashed for v in photohash.probes(getattr(p, f"band{i}"), photohash.BAND_BITS[i])}
        query |= Q(**{f"band{i}__in": sorted(values)})
    # The bands' indexes alone give the candidates; only the few within distance are then joined to
    # their reports (another thread, not a draft) and described.
    mine = [(p.pk, photohash.to_unsigned(p.phash)) for p in hashed]
    close: dict[int, list[int]] = {}  # stored photo id: our photos it is close to
    for other_pk, other in ReportPhoto.objects.filter(query).order_by().values_list("pk", "phash"):
        other = photohash.to_unsigned(other)
        for pk, value in mine:
            if (value ^ other).bit_count() <= within:
                close.setdefault(other_pk, []).append(pk)
    if not close:
        return {}
    found: dict[int, str] = {}
    for other_pk, code, unit, as_of in (
        ReportPhoto.objects.filter(pk__in=list(close))
        .exclude(report__thread=report.thread)
        .exclude(report__status=ReportStatus.DRAFT)
        .order_by("pk")
        .values_list("pk", "report__project__code", "report__reporting_unit__name", "report__as_of")
    ):
        for pk in close[other_pk]:
            found.setdefault(pk, f"{code} {unit}截至{flagrules.cn_date(as_of)}周报")
    return found
