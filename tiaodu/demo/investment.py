"""The money side of the demo district (投资与资金), written in bulk through the models (called by the demo
loader after the weekly reports; not by the app itself). Year y is the year of the demo's "today", month M
its month.

* 状态历史: every demo project still holding only its creation entry gets a history that agrees with its
  dates — 未开工 from two months before its planned start, 在建 from its planned start (projects under way
  before y were recorded before y), then 停工 / 已完工 / 已验收 where it came to that.
* 资金计划: each key-construction project's sources by its category, adding up to its 总投资 — except
  SHORT_PLAN, whose plan leaves 3,000万元 unassigned (the page warns).
* 年度计划 for y: every project under way in y; 计划新开工 when its planned start falls in y (so the new
  starts grow month by month, and the ones still 未开工 stay out), 计划竣工 when its planned finish does;
  截至上年末累计完成投资 for the projects started before y.
* 月度投资统计, months 1..M (M only from the 20th on): the monthly figures follow the weekly reports'
  累计完成投资 (each month the increase of the last weekly figure of the month), submitted by the lead
  unit's 填报员 on the 18th–24th and verified by the office (a different user) a few days later; this
  month's figures of every third project wait for verification. MISMATCH reports only the 建安工程 part
  (75%) of what its weekly reports say, so the two cumulatives differ by a quarter; GAP_MONTHS skips two
  months of one project, the next month catching them up; REVISED's newest figure is a submitted revision
  2 (revision 1 superseded, no longer counted).
* 资金到位: key projects receive their plan in tranches (a first one in December of y−1, then every other
  month), about 84% by November — GAP only about half, so its 到位率 falls more than 20 points below the
  时间进度 from June on (资金缺口).

Loading is additive: a project keeps the history it already has; funding plans, annual plans, figures and
arrivals are written only for projects that have none of that kind (for y where it applies).
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from tiaodu.demo import data
from tiaodu.demo.progress import project_plans, suspended_since
from tiaodu.demo.reporters import reporter_accounts
from tiaodu.investment.figures import summary_sentence
from tiaodu.investment.models import (
    AnnualPlan,
    FundArrival,
    FundingPlan,
    FundingSource,
    MonthlyInvestment,
)
from tiaodu.investment.selectors import investment_status
from tiaodu.investment.selectors_monthly import mismatch_flags
from tiaodu.orgs.models import User
from tiaodu.progress.models import Report, ReportStatus
from tiaodu.projects.models import Project, ProjectStatus, ProjectStatusChange, ProjectType

GAP = "ZD-{year}-02"  # 小清河: 泺口片区拆迁安置资金缺口 (its weekly reports say so)
MISMATCH = "ZD-{year}-09"  # 工商河: the monthly statistics count only the 建安工程 part
MISMATCH_SHARE = Decimal("0.75")
SHORT_PLAN = {"ZD-{year}-06": Decimal(3000)}  # 顺河街: 3,000万元 of its 总投资 without a source yet
GAP_PROJECT_MONTHS = "ZD-{year}-05"  # 茂新: two months not reported, caught up the month after
REVISED = "ZD-{year}-04"  # 馆驿街西: this month's figure corrected after submission (第2版, pending)
FIRST_SUBMIT_DAY = 20  # the current month's figures are in from the 20th

# The sources of a funding plan by category: (source name, share); the last takes the remainder.
MIXES = {
    "道路": [
        ("市级财政资金", "0.30"),
        ("区级财政资金", "0.20"),
        ("地方政府专项债券", "0.38"),
        ("银行贷款", ""),
    ],
    "河道": [
        ("中央预算内投资", "0.10"),
        ("省级财政资金", "0.08"),
        ("市级财政资金", "0.22"),
        ("地方政府专项债券", "0.32"),
        ("银行贷款", "0.16"),
        ("区级财政资金", ""),
    ],
    "棚户区改造": [
        ("中央预算内投资", "0.12"),
        ("地方政府专项债券", "0.40"),
        ("银行贷款", "0.30"),
        ("区级财政资金", ""),
    ],
    "其他": [("区级财政资金", "0.25"), ("地方政府专项债券", "0.30"), ("社会资本", "")],
}
DEFAULT_MIX = [("区级财政资金", "0.50"), ("市级财政资金", "")]
DOC_NUMBERS = {
    "中央预算内投资": "鲁发改投资〔{year}〕{n}号",
    "省级财政资金": "鲁财建指〔{year}〕{n}号",
    "市级财政资金": "济财预指〔{year}〕{n}号",
    "区级财政资金": "区财预〔{year}〕{n}号",
    "地方政府专项债券": "区财债〔{year}〕{n}号",
    "银行贷款": "借款合同〔{year}〕第{n:03d}号",
    "社会资本": "出资到账确认函〔{year}〕{n}号",
}
TRANCHE_MONTHS = (1, 3, 5, 7, 9, 11)
STARTED = {
    ProjectStatus.UNDER_CONSTRUCTION,
    ProjectStatus.SUSPENDED,
    ProjectStatus.COMPLETED,
    ProjectStatus.ACCEPTED,
}
DONE = {ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED}
WAN = Decimal(1)
HUNDRED_WAN = Decimal(100)


def _hash(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)


def _round(value: Decimal, step: Decimal = WAN) -> Decimal:
    return (Decimal(value) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute)), timezone.get_current_timezone()
    )


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _code(key: str, today: datetime.date) -> str:
    return key.format(year=today.year)


def load_demo_investment(today: datetime.date) -> dict[str, int]:
    """Write what is missing of the demo's money side; {counter key: rows written}."""
    names = [s["name"] for s in data.PROJECTS]
    projects = list(
        Project.objects.filter(name__in=names).select_related("category", "lead_unit").order_by("code")
    )
    if not projects:
        return {}
    created = {"status_changes": _status_history(projects, today)}
    created["funding_plans"] = _funding_plans(projects, today)
    plans = _annual_plans(projects, today)
    created["annual_plans"] = len(plans)
    created["monthly_figures"] = _monthly(projects, plans, today)
    created["fund_arrivals"] = _arrivals(projects, today)
    return created


# --- status history -----------------------------------------------------------------------------------


def status_history(project: Project, today: datetime.date) -> list[tuple[datetime.date, str]]:
    """(date, status) of a demo project, consistent with its planned dates and its current status."""
    start = project.planned_start or today
    registered = min(start, datetime.date(today.year, 1, 1)) - datetime.timedelta(days=60)
    rows = [(registered, ProjectStatus.NOT_STARTED)]
    if project.status not in STARTED:
        return rows
    rows.append((start, ProjectStatus.UNDER_CONSTRUCTION))
    if project.status == ProjectStatus.SUSPENDED:
        rows.append((suspended_since(today), ProjectStatus.SUSPENDED))
    if project.status in DONE:
        finish = min(project.planned_finish or today, today)
        rows.append((finish, ProjectStatus.COMPLETED))
        if project.status == ProjectStatus.ACCEPTED:
            rows.append((min(finish + datetime.timedelta(days=21), today), ProjectStatus.ACCEPTED))
    return rows


def _status_history(projects: list[Project], today: datetime.date) -> int:
    """Replace the single creation entry (dated the day of loading) by the project's real history."""
    entries: dict[int, list[ProjectStatusChange]] = {}
    for change in ProjectStatusChange.objects.filter(project__in=projects):
        entries.setdefault(change.project_id, []).append(change)
    chosen = [
        p
        for p in projects
        if len(entries.get(p.pk, [])) == 1
        and entries[p.pk][0].source == data.SOURCE
        and entries[p.pk][0].status == p.status
    ]
    ProjectStatusChange.objects.filter(project__in=chosen).delete()
    rows = [
        ProjectStatusChange(project=p, status=status, date=day, source=data.SOURCE)
        for p in chosen
        for day, status in status_history(p, today)
    ]
    ProjectStatusChange.objects.bulk_create(rows)
    return len(rows)


# --- funding plans ------------------------------------------------------------------------------------


def funding_mix(project: Project, today: datetime.date) -> list[tuple[str, Decimal]]:
    """(source, amount) of a key project's funding plan: its category's mix of its 总投资 (less SHORT_PLAN)."""
    total = Decimal(project.total_investment or 0)
    short = {_code(k, today): v for k, v in SHORT_PLAN.items()}.get(project.code, Decimal(0))
    planned = total - short
    mix = MIXES.get(project.category.name if project.category else "", DEFAULT_MIX)
    rows, left = [], planned
    for name, share in mix:
        amount = left if not share else _round(planned * Decimal(share), HUNDRED_WAN)
        rows.append((name, amount))
        left -= amount
    return [(name, amount) for name, amount in rows if amount > 0]


def _funding_plans(projects: list[Project], today: datetime.date) -> int:
    sources = {s.name: s for s in FundingSource.objects.all()}
    have = set(FundingPlan.objects.filter(project__in=projects).values_list("project_id", flat=True))
    rows = []
    for p in projects:
        if p.type != ProjectType.KEY_CONSTRUCTION or p.pk in have or not p.total_investment:
            continue
        rows += [
            FundingPlan(project=p, source=sources[name], amount=amount)
            for name, amount in funding_mix(p, today)
            if name in sources
        ]
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)
    FundingPlan.objects.bulk_create(rows)
    return len(rows)


# --- the weekly cumulative and the annual plans -------------------------------------------------------


def weekly_cumulative(projects: list[Project]) -> dict[int, list[tuple[datetime.date, Decimal]]]:
    """{project id: [(as_of, 累计完成投资)]} of the counted weekly reports, oldest first."""
    out: dict[int, list[tuple[datetime.date, Decimal]]] = {}
    for pid, as_of, amount in (
        Report.objects.filter(project__in=projects, counted=True, investment_done__isnull=False)
        .order_by("project_id", "as_of")
        .values_list("project_id", "as_of", "investment_done")
    ):
        out.setdefault(pid, []).append((as_of, amount))
    return out


def cumulative_on(series: list[tuple[datetime.date, Decimal]], day: datetime.date) -> Decimal:
    value = Decimal(0)
    for as_of, amount in series:
        if as_of > day:
            break
        value = max(value, amount)
    return value


def planned_share(project: Project, days: list[datetime.date]) -> list[Decimal]:
    """The part of the project planned done by each day: the mean of its indicators' planned shares, on the
    plan its weekly figures follow (tiaodu.demo.progress.project_plans) — the weekly 累计完成投资 is the
    total investment times the mean reported share."""
    axis, plans = project_plans(project)
    indicators = [i for i in project.indicators.all() if i.target and i.pk in plans]
    out = []
    for day in days:
        t = axis.number_on_or_before(day)
        shares = [min(max(plans[i.pk].q(t) / float(i.target), 0.0), 1.0) for i in indicators]
        out.append(Decimal(str(round(sum(shares) / max(len(shares), 1), 4))))
    return out


def _annual_plans(projects: list[Project], today: datetime.date) -> dict[int, AnnualPlan]:
    """The year's plans (existing ones kept); {project id: plan}."""
    year = today.year
    plans = {a.project_id: a for a in AnnualPlan.objects.filter(project__in=projects, year=year)}
    weekly = weekly_cumulative(projects)
    mismatch = _code(MISMATCH, today)
    rows = []
    for p in projects:
        if p.pk in plans or not p.total_investment or p.planned_start is None:
            continue
        before, by_end = planned_share(p, [datetime.date(year - 1, 12, 31), datetime.date(year, 12, 31)])
        share = by_end - before
        if share <= 0 and p.planned_start.year != year:
            continue
        scale = MISMATCH_SHARE if p.code == mismatch else Decimal(1)
        # A project starting late in the year plans at least its preparation (5% of its total).
        share = max(share, Decimal("0.05")) if p.planned_start.year == year else share
        started_before = p.planned_start.year < year
        prior = (
            cumulative_on(weekly.get(p.pk, []), datetime.date(year - 1, 12, 31)) if started_before else None
        )
        plan = AnnualPlan(
            project=p,
            year=year,
            amount=_round(Decimal(p.total_investment) * share * scale, HUNDRED_WAN),
            new_start=p.planned_start.year == year,
            completion=(p.planned_finish or p.deadline).year == year,
            prior_cumulative=None if prior is None else _round(prior * scale),
        )
        plan.full_clean(validate_unique=False, validate_constraints=False)
        rows.append(plan)
    AnnualPlan.objects.bulk_create(rows)
    plans.update({a.project_id: a for a in rows})
    return {pid: plans[pid] for pid in {a.project_id for a in rows}}


# --- monthly figures ----------------------------------------------------------------------------------


def _months_due(today: datetime.date) -> int:
    """The months of the year with figures: up to this month once its figures are in (the 20th)."""
    return today.month if today.day >= FIRST_SUBMIT_DAY else today.month - 1


def _submitted_on(code: str, year: int, month: int, today: datetime.date) -> tuple[datetime.datetime, bool]:
    """When a month's figure was submitted (18th–24th, one in thirteen on the 27th: late) and if late."""
    late = _hash(f"{code}{month}late") % 13 == 0
    day = 27 if late else 18 + _hash(f"{code}{month}") % 7
    on = min(datetime.date(year, month, min(day, calendar.monthrange(year, month)[1])), today)
    return _at(on, 10 + _hash(code) % 6, 20), late and on.day > 25


def _figure(
    project, *, year, month, amount, reporter, office, today, verified=True, note=""
) -> MonthlyInvestment:
    submitted_at, late = _submitted_on(project.code, year, month, today)
    verified_at = submitted_at + datetime.timedelta(days=3, hours=5)
    verified = verified and verified_at <= timezone.now()
    row = MonthlyInvestment(
        project=project,
        year=year,
        month=month,
        amount=amount,
        reporting_unit=project.lead_unit,
        status=ReportStatus.VERIFIED if verified else ReportStatus.SUBMITTED,
        note=note,
        counted=True,
        late=late,
        source=data.SOURCE,
        created_by=reporter,
        submitted_by=reporter,
        submitted_at=submitted_at,
        verified_by=office if verified else None,
        verified_at=verified_at if verified else None,
    )
    row.full_clean(validate_unique=False, validate_constraints=False)
    return row


def _project_months(p: Project, series, *, scale: Decimal, months: int, today: datetime.date, gap: bool):
    """[(month, amount, note)] of one project: the increase of its scaled weekly cumulative per month,
    from its start month to its finish month (two months skipped and caught up for the gap project)."""
    year = today.year
    first = 1 if p.planned_start.year < year else p.planned_start.month
    finish = p.planned_finish or p.deadline
    last = min(months, finish.month if p.status in DONE and finish.year == year else 12)
    skipped = {months - 3, months - 2} if gap and months - 3 > first else set()
    stopped = suspended_since(today)
    out, reported = [], _round(cumulative_on(series, datetime.date(year - 1, 12, 31)) * scale)
    for m in range(first, last + 1):
        if m in skipped:
            continue
        cum = _round(cumulative_on(series, min(_month_end(year, m), today)) * scale)
        note = ""
        if skipped and m == max(skipped) + 1:
            note = "含{}、{}月未报送的完成投资".format(*sorted(skipped))
        elif p.status == ProjectStatus.SUSPENDED and cum <= reported and _month_end(year, m) >= stopped:
            note = "项目停工，当月无新增投资"
        out.append((m, max(cum - reported, Decimal(0)), note))
        reported = max(cum, reported)
    return out


def _monthly(projects: list[Project], plans: dict[int, AnnualPlan], today: datetime.date) -> int:
    """The counted monthly figures of the projects whose annual plan was just written (none written where
    the project has figures for the year already)."""
    year, months = today.year, _months_due(today)
    if months < 1 or not plans:
        return 0
    have = set(
        MonthlyInvestment.objects.filter(project__in=projects, year=year).values_list("project_id", flat=True)
    )
    weekly = weekly_cumulative(projects)
    reporters = reporter_accounts()
    admin = User.objects.filter(username="admin").first()
    office = User.objects.filter(username="office").first() or admin
    mismatch, gap, revised = (_code(k, today) for k in (MISMATCH, GAP_PROJECT_MONTHS, REVISED))
    rows, revise = [], None
    for p in projects:
        if p.pk not in plans or p.pk in have:
            continue
        reporter = reporters.get(p.lead_unit_id) or admin
        scale = MISMATCH_SHARE if p.code == mismatch else Decimal(1)
        for m, amount, note in _project_months(
            p, weekly.get(p.pk, []), scale=scale, months=months, today=today, gap=p.code == gap
        ):
            pending = m == today.month and (_hash(p.code) % 3 == 0 or p.code == revised)
            row = _figure(
                p,
                year=year,
                month=m,
                amount=amount,
                reporter=reporter,
                office=office,
                today=today,
                verified=not pending,
                note=note,
            )
            rows.append(row)
            if p.code == revised and m == today.month:
                revise = row
    if revise is not None:  # the first version overstated the month; the second (pending) corrects it
        revise.amount, revise.counted, revise.superseded = (
            _round(revise.amount * Decimal("1.08")),
            False,
            True,
        )
    MonthlyInvestment.objects.bulk_create(rows)
    if revise is not None:
        second = MonthlyInvestment(
            **{f: getattr(revise, f) for f in ("project", "year", "month", "reporting_unit", "thread")},
            amount=_round(revise.amount / Decimal("1.08")),
            status=ReportStatus.SUBMITTED,
            note="核减：第1版误将已计入上月的设备采购款重复填报",
            revision=2,
            previous=revise,
            counted=True,
            source=data.SOURCE,
            created_by=revise.submitted_by,
            submitted_by=revise.submitted_by,
            submitted_at=min(revise.submitted_at + datetime.timedelta(days=1), timezone.now()),
        )
        second.full_clean(validate_unique=False, validate_constraints=False)
        second.save()
        rows.append(second)
    _flag_mismatches([r for r in rows if r.project.code == mismatch and r.counted], office)
    return len(rows)


def _flag_mismatches(rows: list[MonthlyInvestment], office) -> None:
    """The flags the mismatch project's figures raised when they were submitted (投资数据不一致)."""
    for row in rows:
        flags = mismatch_flags(
            user=office, projects=Project.objects.filter(pk=row.project_id), year=row.year, month=row.month
        )
        if row.project_id in flags:
            row.flags = [flags[row.project_id]]
            if row.status == ReportStatus.VERIFIED:  # a flagged figure is verified with a note
                row.verify_note = "已核实：月报仅统计建安工程投资，周报含征地拆迁费用"
            row.save(update_fields=["flags", "verify_note"])


# --- funds arriving -----------------------------------------------------------------------------------


def arrived_share(project: Project, month: int, today: datetime.date) -> Decimal:
    """The part of a key project's funding plan arrived after the tranche of `month` (0 = December y−1)."""
    year = today.year
    if project.code == _code(GAP, today):
        return Decimal("0.10") + Decimal("0.45") * month / 12
    finish = project.planned_finish or project.deadline
    if project.status in DONE and finish.year == year:
        return min(Decimal("0.15") + Decimal("0.85") * month / max(finish.month, 1), Decimal(1))
    return Decimal("0.15") + Decimal("0.75") * month / 12


def _arrivals(projects: list[Project], today: datetime.date) -> int:
    year = today.year
    have = set(FundArrival.objects.filter(project__in=projects).values_list("project_id", flat=True))
    plans: dict[int, list[FundingPlan]] = {}
    for fp in FundingPlan.objects.filter(project__in=projects).select_related("source"):
        plans.setdefault(fp.project_id, []).append(fp)
    numbers: dict[tuple[str, int], int] = {}
    rows = []
    for p in projects:
        if p.pk in have or p.pk not in plans:
            continue
        total = sum((fp.amount for fp in plans[p.pk]), Decimal(0))
        before = Decimal(0)
        for t in (0, *TRANCHE_MONTHS):
            if t > today.month:
                break
            day = (
                datetime.date(year - 1, 12, 15) if t == 0 else datetime.date(year, t, 8 + _hash(p.code) % 12)
            )
            if day > today:
                break
            share = arrived_share(p, t, today)
            for fp in plans[p.pk]:
                amount = _round(fp.amount * share) - _round(fp.amount * before)
                if amount <= 0:
                    continue
                key = (fp.source.name, day.year)
                numbers[key] = numbers.get(key, 2 + _hash(fp.source.name) % 9) + 1 + _hash(p.code) % 3
                pattern = DOC_NUMBERS.get(fp.source.name, "区财预〔{year}〕{n}号")
                rows.append(
                    FundArrival(
                        project=p,
                        date=day,
                        source=fp.source,
                        amount=amount,
                        doc_no=pattern.format(year=day.year, n=numbers[key]),
                        source_channel=data.SOURCE,
                    )
                )
            before = share
            if share >= 1 or total <= 0:
                break
    for row in rows:
        row.full_clean()
    FundArrival.objects.bulk_create(rows)
    return len(rows)


def status_sentence(today: datetime.date) -> str:
    """The district's 投资完成情况 sentence for the demo's month (the briefing's, from investment_status)."""
    year, month = (today.year, today.month) if _months_due(today) == today.month else _previous(today)
    if year < today.year or month < 1:
        return ""
    status = investment_status(user=None, year=year, month=month, projects=Project.objects.all())
    return summary_sentence(status)


def _previous(today: datetime.date) -> tuple[int, int]:
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
