"""Weekly reports of the demo district, up to last week, so the dashboard 调度总览 looks alive.

Every started project reports each Thursday (the default deadline day) from its first week on. An
indicator the speech reports as finished (`done` equal to its target in tiaodu.demo.data, e.g. 北园大街's
红线内拆迁) reaches its target two months ago; the others follow the project's linear plan shifted by a
delay chosen per project (DELAYS), so most projects are on time, some lag and a few lag badly (the
speech's partial `done` figures describe the time of the speech, not the day of loading). Completed projects stop
reporting at their finish; a few projects under construction stop two weeks ago (missing reports);
the newest reports wait for verification; one was returned and resubmitted.

Reports are written in bulk (about 1,500 of them; going through the services one by one would take
tens of seconds) with the same fields the services write: counted, denormalized figure fields,
submitted/verified by the unit's demo account where one exists. Loading is additive: a project that
already has reports is left alone.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from tiaodu.demo import data
from tiaodu.orgs.models import User
from tiaodu.progress.models import Report, ReportFigure, ReportingUnit, ReportStatus
from tiaodu.projects.models import Project, ProjectStatus

DEADLINE_WEEKDAY = 3  # Thursday
STARTED = {
    ProjectStatus.UNDER_CONSTRUCTION,
    ProjectStatus.SUSPENDED,
    ProjectStatus.COMPLETED,
    ProjectStatus.ACCEPTED,
}
# How far (calendar days) a project's work runs behind its linear plan, by a stable hash of its code:
# mostly a week ahead (on time), sometimes about two weeks behind (滞后) or five behind (严重滞后).
DELAYS = (-7, -7, -7, -5, -7, -3, 14, 16, 36, 45)
# Streets with a demo account report on these projects besides the lead unit.
TERRITORIAL_REPORTERS = {"ZD-{year}-01": "北园街道", "ZD-{year}-02": "泺口街道"}
MISSING_EVERY = 9  # every 9th project under construction has not reported for two weeks
PROBLEMS = [
    "个别被拆迁户诉求较高，尚未签约，需街道继续做工作",
    "管线迁改需供电、燃气部门配合，影响施工进度",
    "资金拨付滞后，施工单位垫资压力较大",
    "用地手续正在办理，需国土分局加快审批",
    "",
    "",
]


def _hash(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)


def _round(value: float, target: Decimal) -> Decimal:
    places = 0 if target >= 100 or target == target.to_integral_value() else 1
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _thursdays(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    day = first + datetime.timedelta(days=(DEADLINE_WEEKDAY - first.weekday()) % 7)
    out = []
    while day <= last:
        out.append(day)
        day += datetime.timedelta(days=7)
    return out


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute)), timezone.get_current_timezone()
    )


def load_demo_reports(today: datetime.date) -> int:
    """Write the weekly reports of the demo projects that have none; return how many were written."""
    specs = {s["code"].format(year=today.year): s for s in data.PROJECTS}
    by_name = {s["name"]: s for s in data.PROJECTS}
    projects = list(
        Project.objects.filter(name__in=list(by_name))
        .select_related("lead_unit")
        .prefetch_related("indicators", "territorial_units")
        .order_by("code")
    )
    reported = set(
        Report.objects.filter(project__in=projects).values_list("project_id", flat=True).distinct()
    )
    accounts: dict[int, User] = {}
    for user in User.objects.filter(person__isnull=False).select_related("person").order_by("id"):
        accounts.setdefault(user.person.unit_id, user)
    last_thursday = _thursdays(today - datetime.timedelta(days=7), today - datetime.timedelta(days=1))[-1]
    written = 0
    with transaction.atomic():
        for index, project in enumerate(projects):
            spec = specs.get(project.code) or by_name[project.name]
            street = TERRITORIAL_REPORTERS.get(spec["code"])
            if street:
                unit = next((u for u in project.territorial_units.all() if u.name == street), None)
                if unit is not None:
                    ReportingUnit.objects.get_or_create(project=project, unit=unit)
            if project.pk in reported or project.status not in STARTED or project.planned_start is None:
                continue
            written += _project_reports(project, spec, index, today, last_thursday, accounts)
    return written


def _project_reports(project, spec, index, today, last_thursday, accounts) -> int:
    start = project.planned_start
    finish = project.planned_finish or project.deadline or today
    last = last_thursday
    if project.status in (ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED):
        last = min(last, finish)
    elif project.status == ProjectStatus.UNDER_CONSTRUCTION and index % MISSING_EVERY == 4:
        last = last - datetime.timedelta(days=14)
    weeks = _thursdays(start + datetime.timedelta(days=3), last)
    if not weeks:
        return 0
    done_specs = {i["name"]: i.get("done") for i in spec["indicators"]}
    delay = datetime.timedelta(days=DELAYS[_hash(project.code) % len(DELAYS)])
    plan_span = max((finish - start).days, 1)
    lead_user = accounts.get(project.lead_unit_id)
    indicators = list(project.indicators.all())
    reports: list[Report] = []
    figures: list[tuple[int, list[tuple[int, Decimal]]]] = []
    suspended_from = (
        today - datetime.timedelta(days=56) if project.status == ProjectStatus.SUSPENDED else None
    )
    finished = project.status in (ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED)
    completed_on = today - datetime.timedelta(days=60)  # when the speech's finished items were finished
    for w, day in enumerate(weeks):
        effective = min(day, suspended_from) if suspended_from else day
        values = _week_values(
            indicators,
            done_specs,
            start=start,
            effective=effective,
            span=plan_span,
            delay=delay,
            finished=finished,
            completed_on=completed_on,
        )
        recent = day >= last_thursday
        late = _hash(f"{project.code}{w}") % 11 == 0
        submitted_at = _at(day + datetime.timedelta(days=1), 9, 40) if late else _at(day, 15, 20)
        verified = not recent or _hash(project.code) % 3 != 0
        share = sum(float(v) / float(i.target) for (_pk, v), i in zip(values, indicators, strict=True)) / max(
            len(indicators), 1
        )
        investment = (
            (project.total_investment * Decimal(str(round(share, 4)))).quantize(Decimal("0.01"))
            if project.total_investment
            else None
        )
        reports.append(
            Report(
                project=project,
                as_of=day,
                reporting_unit=project.lead_unit,
                status=ReportStatus.VERIFIED if verified else ReportStatus.SUBMITTED,
                investment_done=investment,
                image_progress=_image_text(indicators, values),
                problems=PROBLEMS[_hash(f"{project.code}{w}") % len(PROBLEMS)] if recent else "",
                thread=uuid.uuid4(),
                revision=1,
                counted=True,
                late=late,
                source=data.SOURCE,
                created_by=lead_user,
                submitted_by=lead_user,
                submitted_at=submitted_at,
                verified_by=lead_user if verified else None,
                verified_at=_at(day + datetime.timedelta(days=1), 16, 5) if verified else None,
            )
        )
        figures.append((len(reports) - 1, values))
    _save(reports, figures)
    if index == 0 and len(reports) > 1:
        _returned_once(reports[-1], figures[-1][1], lead_user)
    return len(reports)


def _week_values(indicators, done_specs, *, start, effective, span, delay, finished, completed_on):
    """(indicator id, cumulative quantity) of one week's report: on plan less the project's delay; finished
    indicators reach their target on the day the speech's finished items were finished."""
    values = []
    for ind in indicators:
        target = float(ind.target)
        done = done_specs.get(ind.name)
        if finished:
            share = (effective - start).days / span
        elif done is not None and done >= ind.target:
            share = (effective - start).days / max((completed_on - start).days, 1)
        else:
            share = (effective - delay - start).days / span
        values.append((ind.pk, _round(target * min(max(share, 0.0), 1.0), ind.target)))
    return values


def _save(reports: list[Report], figures) -> None:
    """Insert the reports and their figures; created_at shows when each report was really written."""
    Report.objects.bulk_create(reports)
    ReportFigure.objects.bulk_create(
        [
            ReportFigure(
                report=reports[i],
                indicator_id=pk,
                quantity=qty,
                as_of=reports[i].as_of,
                counted=True,
                submitted_at=reports[i].submitted_at,
            )
            for i, values in figures
            for pk, qty in values
        ]
    )
    for r in reports:
        Report.objects.filter(pk=r.pk).update(created_at=r.submitted_at)


def _returned_once(report: Report, values, user) -> None:
    """The newest report of the first project was returned once and resubmitted as a second version."""
    first = report
    first.status = ReportStatus.RETURNED
    first.counted = False
    first.verified_by = None
    first.verified_at = None
    first.returned_by = user
    first.returned_at = first.submitted_at + datetime.timedelta(hours=2)
    first.return_reason = "两侧绿化面积与现场核查不符，请核实后重报"
    first.save()
    ReportFigure.objects.filter(report=first).update(counted=False)
    wrong = (
        ReportFigure.objects.filter(report=first).order_by("-indicator__sort_order", "-indicator_id").first()
    )
    if wrong is not None:  # the first version over-reported its last indicator
        ReportFigure.objects.filter(pk=wrong.pk).update(
            quantity=(wrong.quantity * Decimal("1.15")).quantize(Decimal(1))
        )
    second = Report.objects.create(
        project=first.project,
        as_of=first.as_of,
        reporting_unit=first.reporting_unit,
        status=ReportStatus.SUBMITTED,
        investment_done=first.investment_done,
        image_progress=first.image_progress,
        problems=first.problems,
        thread=first.thread,
        revision=2,
        previous=first,
        counted=True,
        source=data.SOURCE,
        created_by=user,
        submitted_by=user,
        submitted_at=first.returned_at + datetime.timedelta(hours=3),
    )
    ReportFigure.objects.bulk_create(
        [
            ReportFigure(
                report=second,
                indicator_id=pk,
                quantity=qty,
                as_of=second.as_of,
                counted=True,
                submitted_at=second.submitted_at,
            )
            for pk, qty in values
        ]
    )
    Report.objects.filter(pk=second.pk).update(created_at=first.returned_at + datetime.timedelta(hours=1))


def _image_text(indicators, values) -> str:
    parts = [
        f"{ind.name}累计完成{_num(v)}{ind.unit_of_measure}"
        for ind, (_pk, v) in zip(indicators, values, strict=True)
    ]
    return "，".join(parts) + "。"


def _num(value: Decimal) -> str:
    text = format(value.normalize(), ",f")
    return text
