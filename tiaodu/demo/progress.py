"""Weekly reports of the demo district, up to last week, so the dashboard 调度总览 tells a true story.

Every started project reports each Thursday (the default deadline day) from its first week on. Its figures
follow its plan — Q(t) of the schedule's latest baseline (tiaodu.demo.schedules links every indicator to
the task that produces it), the same Q(t) the lag is measured against — shifted by a delay in working days
that grows from nothing at the start to the project's delay at its newest report: Q(t − delay). Most
projects run on time or a day or two ahead (DEFAULT_DELAYS); the projects of STORIES lag on the indicators
named there, for the reason their reports give (北园大街's road works wait on 红线外 shops that have not
signed and on a gas main, 小清河's river works on the 泺口片区 demolition, …). So a lagging project's
driving indicator (the one with the largest lag) is behind its plan on the S-curve, and its planned and
actual percentages say so.

Completed (已竣工/已验收) projects reach every target by their finish and stop reporting then; the
suspended project's figures stay where they were when it stopped (SUSPENDED_DAYS ago); a few projects under
construction stopped reporting two weeks ago (missing reports); the newest reports wait for
verification; one was returned and resubmitted.

Reports are written in bulk (about 1,200 of them; going through the services one by one would take
tens of seconds) with the same fields the services write: counted, denormalized figure fields,
submitted by the unit's 填报员 (tiaodu.demo.reporters) and verified by someone else: the office verifies
a lead unit's own reports, the lead unit the reports of the streets that report besides it. Loading is additive: a project that
already has reports is left alone.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import uuid
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from tiaodu.demo import data
from tiaodu.demo.reporters import TERRITORIAL_REPORTERS, reporter_accounts
from tiaodu.orgs.models import User
from tiaodu.progress.analysis import LinearPlan, accrual_plan
from tiaodu.progress.models import Report, ReportFigure, ReportingUnit, ReportStatus
from tiaodu.projects.models import Project, ProjectStatus
from tiaodu.scheduling.accrual import Plan
from tiaodu.scheduling.calendar import DayAxis
from tiaodu.scheduling.selectors import (
    accruals_from_baseline,
    baseline_latest,
    schedule_settings,
    work_calendar,
)

DEADLINE_WEEKDAY = 3  # Thursday
STARTED = {
    ProjectStatus.UNDER_CONSTRUCTION,
    ProjectStatus.SUSPENDED,
    ProjectStatus.COMPLETED,
    ProjectStatus.ACCEPTED,
}
DONE = {ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED}
# Working days behind (+) or ahead (−) of the plan at the newest report, by a stable hash of the code.
DEFAULT_DELAYS = (-2, -1, 0, -3, 1, -1, 0, -2)
SUSPENDED_DAYS = 35  # the suspended project stopped five weeks ago


@dataclass(frozen=True)
class Story:
    """Why a project lags: working days behind its plan at its newest report, per indicator keyword (an
    indicator matching none runs on time), and what its recent reports say (存在问题)."""

    delays: dict[str, int] = field(default_factory=dict)
    problems: str = ""

    def delay(self, indicator_name: str, default: int) -> int:
        for keyword, days in self.delays.items():
            if keyword in indicator_name:
                return days
        return default


STORIES = {
    "ZD-{year}-01": Story(
        {"道路": 26, "绿化": 9, "拆迁": -12},  # the red line's demolition finished ahead of its plan
        "东段红线外3户商铺补偿标准未谈妥，道路拓宽东段无法进场施工；燃气管线迁改方案待市燃气集团批复",
    ),
    "ZD-{year}-02": Story(
        {"河道": 20, "拆迁": 12, "投资": 9},
        "泺口片区拆迁安置资金缺口约1.2亿元，徐李片区尚有23户未签约，河道拓宽段无法全线施工",
    ),
    # 茂新 runs ahead of its plan but has not reported for two weeks (a missing report, not a lag story).
    "ZD-{year}-05": Story({"": -8}),
    "ZD-{year}-07": Story({"安置房": 8}, "安置房主体施工受连续降雨影响，正组织加班抢工"),
    "ZD-{year}-08": Story({"拆迁": 3}, "安置房源和补偿资金未落实，项目暂停，已拆迁户过渡安置费按月发放"),
    "ZD-{year}-10": Story(
        {"拆迁": 10, "道路": 6, "投资": 5}, "堤口路西段剩余7户未签约，道路西段无法贯通施工"
    ),
    "ZZ-{year}-01": Story({"道路": 8}, "道路整修段地下管线复杂，需逐段探挖，进度较慢"),
    "ZZ-{year}-08": Story({"景观": 9}, "景观亮化灯具供货延迟，部分路段未能按计划安装"),
}
STREET_WEEKS = 2  # the streets of TERRITORIAL_REPORTERS report the last two weeks too
MISSING_EVERY = 9  # every 9th project under construction has not reported for two weeks
PROBLEMS = [
    "施工现场文明施工措施需进一步加强",
    "管线迁改需供电、燃气部门配合",
    "资金拨付滞后，施工单位垫资压力较大",
    "",
    "",
    "",
]
COUNT_UNITS = {"个", "条", "栋", "处", "户", "块"}


def _hash(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)


def _round(value: float, target: Decimal, unit: str) -> Decimal:
    """A reported cumulative figure: a whole number of things counted (a street half done is not
    counted yet, one under way is: rounded up), otherwise to a unit (to 0.1 for small targets)."""
    if unit in COUNT_UNITS:
        return Decimal(min(math.ceil(value - 1e-9), int(target)))
    places = 0 if target >= 100 or target == target.to_integral_value() else 1
    return min(
        Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), Decimal(target)
    )


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


def suspended_since(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=SUSPENDED_DAYS)


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
    people = People.load()
    last_thursday = _thursdays(today - datetime.timedelta(days=7), today - datetime.timedelta(days=1))[-1]
    written = 0
    with transaction.atomic():
        for index, project in enumerate(projects):
            spec = specs.get(project.code) or by_name[project.name]
            street = TERRITORIAL_REPORTERS.get(spec["code"])
            unit = None
            if street:
                unit = next((u for u in project.territorial_units.all() if u.name == street), None)
                if unit is not None:
                    ReportingUnit.objects.get_or_create(project=project, unit=unit)
            if project.pk in reported or project.status not in STARTED or project.planned_start is None:
                continue
            weekly = _project_reports(project, spec, index, today, last_thursday, people)
            written += len(weekly)
            if unit is not None:
                written += _street_reports(project, unit, weekly[-STREET_WEEKS:], people)
    return written


@dataclass
class People:
    """Who writes and who verifies the demo reports (never the one who submitted it): each unit's 填报员
    submits; the office verifies a lead unit's own reports; the lead unit verifies a street's."""

    reporters: dict[int, User]
    unit_accounts: dict[int, User]  # the first other account of each unit (beiyuan_hq, …)
    office: User | None

    @classmethod
    def load(cls) -> People:
        reporters = reporter_accounts()
        reporter_ids = {u.pk for u in reporters.values()}
        others: dict[int, User] = {}
        for user in User.objects.filter(person__isnull=False).select_related("person").order_by("id"):
            if user.pk not in reporter_ids:
                others.setdefault(user.person.unit_id, user)
        office = (
            User.objects.filter(username="office").first() or User.objects.filter(username="admin").first()
        )
        return cls(reporters, others, office)

    def reporter(self, unit_id: int) -> User | None:
        return self.reporters.get(unit_id) or self.unit_accounts.get(unit_id)

    def lead_verifier(self, lead_unit_id: int) -> User | None:
        """A user of the lead unit for a street's report (its own account, else its 填报员)."""
        return self.unit_accounts.get(lead_unit_id) or self.reporters.get(lead_unit_id)


def project_plans(project: Project) -> tuple[DayAxis, dict[int, Plan]]:
    """The axis of working days and each indicator's Q(t), as the lag sees them: from the latest baseline's
    tasks, else linear from planned start to planned finish."""
    baseline = baseline_latest(project)
    indicators = list(project.indicators.all())
    grouped: dict[int, list] = {}
    if baseline is not None:
        for item in accruals_from_baseline(baseline):
            grouped.setdefault(item.key, []).append((item.quantity, item.start, item.duration))
        snap = baseline.snapshot
        axis = work_calendar(mode=snap.get("mode") or schedule_settings(project).mode).axis(
            datetime.date.fromisoformat(snap["start"])
        )
    else:
        axis = work_calendar(mode=schedule_settings(project).mode).axis(project.planned_start)
    finish = project.planned_finish or project.deadline or project.planned_start
    days = max(axis.number_on_or_before(finish) + 1, 1)
    plans: dict[int, Plan] = {}
    for ind in indicators:
        plans[ind.pk] = accrual_plan(grouped[ind.pk]) if ind.pk in grouped else LinearPlan(ind.target, days)
    return axis, plans


def _project_reports(project, spec, index, today, last_thursday, people: People) -> list:
    """The lead unit's weekly reports: [(report, [(indicator id, quantity)])], oldest first."""
    start = project.planned_start
    finish = project.planned_finish or project.deadline or today
    last = last_thursday
    finished = project.status in DONE
    if finished:  # the last report is the first one on or after the finish
        last = min(last, finish + datetime.timedelta(days=6))
    elif project.status == ProjectStatus.UNDER_CONSTRUCTION and index % MISSING_EVERY == 4:
        last = last - datetime.timedelta(days=14)
    weeks = _thursdays(start + datetime.timedelta(days=3), last)
    if not weeks:
        return []
    tale = STORIES.get(spec["code"])
    default = DEFAULT_DELAYS[_hash(project.code) % len(DEFAULT_DELAYS)]
    if finished:
        default = -abs(default) - 1
    indicators = list(project.indicators.all())
    delays = [tale.delay(i.name, default) if tale else default for i in indicators]
    axis, plans = project_plans(project)
    suspended_from = suspended_since(today) if project.status == ProjectStatus.SUSPENDED else None
    t_last = axis.number_on_or_before(min(weeks[-1], suspended_from) if suspended_from else weeks[-1])
    reporter, verifier = people.reporter(project.lead_unit_id), people.office
    reports: list[Report] = []
    figures: list[tuple[int, list[tuple[int, Decimal]]]] = []
    for w, day in enumerate(weeks):
        t = axis.number_on_or_before(min(day, suspended_from) if suspended_from else day)
        ramp = min(max(t / max(t_last, 1), 0.0), 1.0)
        values = []
        for ind, delay in zip(indicators, delays, strict=True):
            q = plans[ind.pk].q(t - round(delay * ramp))
            if finished and w == len(weeks) - 1:
                q = float(ind.target)
            values.append((ind.pk, _round(q, ind.target, ind.unit_of_measure)))
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
                problems=_problems(project, tale, w, len(weeks), recent),
                thread=uuid.uuid4(),
                revision=1,
                counted=True,
                late=late,
                source=data.SOURCE,
                created_by=reporter,
                submitted_by=reporter,
                submitted_at=submitted_at,
                verified_by=verifier if verified else None,
                verified_at=_at(day + datetime.timedelta(days=1), 16, 5) if verified else None,
            )
        )
        figures.append((len(reports) - 1, values))
    _save(reports, figures)
    if index == 0 and len(reports) > 1:
        _returned_once(reports[-1], figures[-1][1], reporter, verifier)
    return [(reports[i], values) for i, values in figures]


def _street_reports(project, unit, weekly: list, people: People) -> int:
    """The street's reports of the last weeks (the same figures, submitted an hour before the lead unit's):
    the older verified by the lead unit, the newest waiting in the lead unit's queue."""
    reporter, verifier = people.reporter(unit.pk), people.lead_verifier(project.lead_unit_id)
    reports, figures = [], []
    for n, (lead, values) in enumerate(weekly):
        verified = n < len(weekly) - 1
        submitted_at = lead.submitted_at - datetime.timedelta(hours=1)
        reports.append(
            Report(
                project=project,
                as_of=lead.as_of,
                reporting_unit=unit,
                status=ReportStatus.VERIFIED if verified else ReportStatus.SUBMITTED,
                image_progress=f"{unit.name}辖区：{lead.image_progress}",
                thread=uuid.uuid4(),
                counted=True,
                source=data.SOURCE,
                created_by=reporter,
                submitted_by=reporter,
                submitted_at=submitted_at,
                verified_by=verifier if verified else None,
                verified_at=submitted_at + datetime.timedelta(hours=5) if verified else None,
            )
        )
        figures.append((len(reports) - 1, values))
    _save(reports, figures)
    return len(reports)


def _problems(project, tale: Story | None, week: int, weeks: int, recent: bool) -> str:
    """存在问题: a lagging project's reason in its last four reports, a passing remark in others' newest."""
    if tale is not None and tale.problems:
        return tale.problems if week >= weeks - 4 else ""
    return PROBLEMS[_hash(f"{project.code}{week}") % len(PROBLEMS)] if recent else ""


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


def _returned_once(report: Report, values, user, verifier) -> None:
    """The newest report of the first project was returned once and resubmitted as a second version."""
    first = report
    first.status = ReportStatus.RETURNED
    first.counted = False
    first.verified_by = None
    first.verified_at = None
    first.returned_by = verifier
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
