"""The investment figures (投资完成情况), pure: no Django, no database. Every page, export, API and the
briefing take them from `compute` (through tiaodu.investment.selectors.investment_status).

For month m (1–12) of year y:

- 时间进度 `time_progress_pct` = m / 12 × 100, rounded half-up to one decimal (8.3, 16.7, …, 100.0); the
  figures below use that one-decimal value.
- `month` — the project's counted figure for (y, m), None when there is none; `ytd` (年初至报告期累计) —
  the sum of its counted figures for months 1..m of y (a month without a figure adds nothing);
  `ytd_pct` = ytd ÷ 年度计划投资 × 100, None when the project has no annual plan for y or it is 0;
  `ahead_of_time_pp` = ytd_pct − time_progress_pct (negative: 落后时间进度), None with ytd_pct.
- `cumulative` (开工至报告期累计) = 截至上年末累计完成投资 of y's annual plan plus ytd when the plan gives
  it; otherwise the sum of every counted figure up to (y, m); `total_pct` = cumulative ÷ 总投资 × 100,
  None without a total investment or when it is 0.
- New starts: a project counts in `planned_new_starts` when its annual plan for y says 计划新开工; of
  those, `new_starts` are the ones whose status at the end of month m (`status_on`, from the status
  history) is not 未开工; `new_start_rate` = new_starts ÷ planned_new_starts × 100 (None when none are
  planned).
- Funds: `funds_planned` = the sum of the funding plan (None without one); `funds_arrived` = the funds
  arrived up to the last day of month m; `funds_rate` (到位率) = arrived ÷ planned × 100 (None when nothing
  is planned). A project is flagged 资金缺口 when time_progress_pct − funds_rate > the gap threshold
  (20 points by default).
- Aggregates (per project type, per lead unit, the whole district): sums of the annual plan, month and
  ytd over the group's projects (a missing month or plan adds 0), then the same percentages on the sums.

Percentages are kept exact (Decimal) and rounded half-up to one decimal only when shown (`pct_text`);
sums are in 万元, rounded half-up to two decimals (`money`).
"""

from __future__ import annotations

import calendar
import datetime
import functools
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from tiaodu.core.domain import NOT_STARTED, TYPE_NOUNS, TYPE_ORDER

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
DEFAULT_GAP_POINTS = Decimal(20)


# --- numbers ------------------------------------------------------------------------------------------


def money(value: Decimal | None) -> Decimal | None:
    """An amount in 万元, rounded half-up to two decimals."""
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def round_pct(value: Decimal | None) -> Decimal | None:
    """A percentage rounded half-up to one decimal (for showing it)."""
    return None if value is None else Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


def pct_text(value: Decimal | None, *, sign: bool = False) -> str:
    """97.2% — or — when there is no figure; `sign` writes +13.8 / −5.0 (points)."""
    shown = round_pct(value)
    if shown is None:
        return "—"
    if sign:
        if shown > 0:
            return f"+{shown}"
        if shown < 0:
            return f"−{-shown}"
        return f"{abs(shown)}"
    return f"{shown}%"


def money_text(value: Decimal | None) -> str:
    """12,345.60 — or — when there is no figure."""
    shown = money(value)
    return "—" if shown is None else f"{shown:,.2f}"


def ratio_pct(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part ÷ whole × 100, exact; None when whole is missing or 0."""
    if part is None or whole is None or whole == 0:
        return None
    return Decimal(part) * HUNDRED / Decimal(whole)


@functools.lru_cache(maxsize=16)
def time_progress_pct(month: int) -> Decimal:
    """时间进度 for month 1–12: m / 12 × 100, rounded half-up to one decimal."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1–12, not {month}")
    return (Decimal(month) * HUNDRED / 12).quantize(TENTH, rounding=ROUND_HALF_UP)


@functools.lru_cache(maxsize=256)
def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def status_on(history: Sequence[tuple[datetime.date, str]], day: datetime.date) -> str:
    """The status on `day` from a history of (date, status) in recording order: the last one dated on or
    before the day; 未开工 when every entry is later (the project had not been recorded as started)."""
    current = NOT_STARTED
    best: datetime.date | None = None
    for when, status in history:
        if when <= day and (best is None or when >= best):
            best, current = when, status
    return current


# --- inputs and results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectInput:
    """What the figures need of one project (loaded by the selector)."""

    code: str
    name: str
    type: str
    lead_unit: str
    total_investment: Decimal | None = None
    annual_plan: Decimal | None = None  # 年度计划投资 of year y; None: no annual plan
    prior_cumulative: Decimal | None = None  # 截至上年末累计完成投资 of y's plan
    planned_new_start: bool = False
    # Counted monthly figures {(year, month): amount}: the months of year y (later ones are ignored), and
    # of earlier years unless `earlier_years` gives their sum.
    months: Mapping[tuple[int, int], Decimal] = field(default_factory=dict)
    earlier_years: Decimal | None = None  # the sum of the counted figures of the years before y
    # The sum of the counted figures of months 1..m−1 of y when the caller summed them (the selector
    # does, in the database): then `months` need only hold (y, m), and earlier years count through
    # `earlier_years` (None: nothing).
    ytd_before: Decimal | None = None
    # (date, status) in recording order; empty: the caller supplies the creation entry.
    status_history: Sequence[tuple[datetime.date, str]] = ()
    funds_planned: Decimal | None = None
    # (date, amount) of every arrival; those after the month's end are ignored.
    arrivals: Sequence[tuple[datetime.date, Decimal]] = ()


@dataclass(frozen=True)
class ProjectMoney:
    code: str
    name: str
    type: str
    lead_unit: str
    annual_plan: Decimal | None
    month: Decimal | None
    ytd: Decimal
    ytd_pct: Decimal | None
    ahead_of_time_pp: Decimal | None
    cumulative: Decimal
    total_pct: Decimal | None
    total_investment: Decimal | None
    funds_planned: Decimal | None
    funds_arrived: Decimal
    funds_rate: Decimal | None
    funding_gap: bool
    planned_new_start: bool
    started: bool  # status at the end of the month is not 未开工


@dataclass(frozen=True)
class Aggregate:
    projects: int
    annual_plan: Decimal
    month: Decimal
    ytd: Decimal
    ytd_pct: Decimal | None
    ahead_of_time_pp: Decimal | None
    planned_new_starts: int
    new_starts: int
    new_start_rate: Decimal | None


@dataclass(frozen=True)
class UnitMoney:
    unit: str
    projects: int
    annual_plan: Decimal
    month: Decimal
    ytd: Decimal
    ytd_pct: Decimal | None
    ahead_of_time_pp: Decimal | None


@dataclass(frozen=True)
class InvestmentStatus:
    year: int
    month: int
    time_progress_pct: Decimal
    summary: dict[str, Aggregate]  # each type in TYPE_ORDER, then "all"
    projects: list[ProjectMoney]  # by code
    units: list[UnitMoney]  # by ytd_pct, highest first (units without a plan last), then name
    gap_points: Decimal = DEFAULT_GAP_POINTS

    @property
    def funding_gaps(self) -> list[ProjectMoney]:
        """The projects flagged 资金缺口, the largest shortfall first."""
        gaps = [p for p in self.projects if p.funding_gap]
        return sorted(gaps, key=lambda p: (p.funds_rate or ZERO, p.code))

    @property
    def period_label(self) -> str:
        """1-10月 (1月 for January)."""
        return "1月" if self.month == 1 else f"1-{self.month}月"


# --- computing ----------------------------------------------------------------------------------------


def project_money(p: ProjectInput, *, year: int, month: int, gap_points: Decimal = DEFAULT_GAP_POINTS):
    """One project's figures for month `month` of `year` (the module docstring)."""
    return _project_money(p, year, month, time_progress_pct(month), month_end(year, month), gap_points)


def _project_money(
    p: ProjectInput, year: int, month: int, tp: Decimal, end: datetime.date, gap_points: Decimal
) -> ProjectMoney:
    # The percentages as ratio_pct computes them, written out: this runs for every project of the
    # district on every page that shows the figures.
    this_month = p.months.get((year, month))
    if p.ytd_before is not None:
        ytd = p.ytd_before + (this_month or ZERO)
    else:
        ytd = sum((v for (y, m), v in p.months.items() if y == year and m <= month), ZERO)
    plan = p.annual_plan
    ytd_pct = None if plan is None or plan == 0 else ytd * HUNDRED / plan
    if p.prior_cumulative is not None:
        cumulative = p.prior_cumulative + ytd
    elif p.earlier_years is not None or p.ytd_before is not None:
        cumulative = (p.earlier_years or ZERO) + ytd
    else:
        cumulative = sum((v for key, v in p.months.items() if key <= (year, month)), ZERO)
    arrived = ZERO
    for day, amount in p.arrivals:
        if day <= end:
            arrived += amount
    planned = p.funds_planned
    funds_rate = None if planned is None or planned == 0 else arrived * HUNDRED / planned
    total = p.total_investment
    return ProjectMoney(
        code=p.code,
        name=p.name,
        type=p.type,
        lead_unit=p.lead_unit,
        annual_plan=plan,
        month=this_month,
        ytd=ytd,
        ytd_pct=ytd_pct,
        ahead_of_time_pp=None if ytd_pct is None else ytd_pct - tp,
        cumulative=cumulative,
        total_pct=None if total is None or total == 0 else cumulative * HUNDRED / total,
        total_investment=total,
        funds_planned=planned,
        funds_arrived=arrived,
        funds_rate=funds_rate,
        funding_gap=funds_rate is not None and tp - funds_rate > gap_points,
        planned_new_start=p.planned_new_start,
        # status_on of no history is 未开工.
        started=bool(p.status_history) and status_on(p.status_history, end) != NOT_STARTED,
    )


def aggregate(rows: Iterable[ProjectMoney], *, month: int) -> Aggregate:
    tp = time_progress_pct(month)
    count = planned = started = 0
    plan = month_sum = ytd = ZERO
    for r in rows:  # the sums in the rows' order, as sum() would add them
        count += 1
        plan += r.annual_plan or ZERO
        month_sum += r.month or ZERO
        ytd += r.ytd
        if r.planned_new_start:
            planned += 1
            if r.started:
                started += 1
    ytd_pct = ratio_pct(ytd, plan)
    return Aggregate(
        projects=count,
        annual_plan=plan,
        month=month_sum,
        ytd=ytd,
        ytd_pct=ytd_pct,
        ahead_of_time_pp=None if ytd_pct is None else ytd_pct - tp,
        planned_new_starts=planned,
        new_starts=started,
        new_start_rate=ratio_pct(Decimal(started), Decimal(planned)),
    )


def unit_ranking(rows: Sequence[ProjectMoney], *, month: int) -> list[UnitMoney]:
    """Per lead unit, ranked by ytd_pct (highest first; units without a plan last), then by name."""
    groups: dict[str, list[ProjectMoney]] = {}
    for r in rows:
        groups.setdefault(r.lead_unit, []).append(r)
    units = []
    for unit, members in groups.items():
        agg = aggregate(members, month=month)
        units.append(
            UnitMoney(
                unit=unit,
                projects=agg.projects,
                annual_plan=agg.annual_plan,
                month=agg.month,
                ytd=agg.ytd,
                ytd_pct=agg.ytd_pct,
                ahead_of_time_pp=agg.ahead_of_time_pp,
            )
        )
    units.sort(key=lambda u: (u.ytd_pct is None, -(u.ytd_pct or ZERO), u.unit))
    return units


def compute(
    inputs: Iterable[ProjectInput], *, year: int, month: int, gap_points: Decimal = DEFAULT_GAP_POINTS
) -> InvestmentStatus:
    tp, end = time_progress_pct(month), month_end(year, month)
    rows = sorted(
        (_project_money(p, year, month, tp, end, gap_points) for p in inputs),
        key=operator.attrgetter("code"),
    )
    by_type: dict[str, list[ProjectMoney]] = {t: [] for t in TYPE_ORDER}
    for r in rows:
        if r.type in by_type:
            by_type[r.type].append(r)
    summary = {t: aggregate(by_type[t], month=month) for t in TYPE_ORDER}
    summary["all"] = aggregate(rows, month=month)
    return InvestmentStatus(
        year=year,
        month=month,
        time_progress_pct=tp,
        summary=summary,
        projects=rows,
        units=unit_ranking(rows, month=month),
        gap_points=gap_points,
    )


# --- JSON and words -----------------------------------------------------------------------------------


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _money_num(value: Decimal | None) -> float | None:
    return None if value is None else float(money(value))


def aggregate_json(a: Aggregate) -> dict:
    return {
        "projects": a.projects,
        "annual_plan": _money_num(a.annual_plan),
        "month": _money_num(a.month),
        "ytd": _money_num(a.ytd),
        "ytd_pct": _num(a.ytd_pct),
        "ahead_of_time_pp": _num(a.ahead_of_time_pp),
        "planned_new_starts": a.planned_new_starts,
        "new_starts": a.new_starts,
        "new_start_rate": _num(a.new_start_rate),
    }


def project_json(p: ProjectMoney) -> dict:
    return {
        "code": p.code,
        "name": p.name,
        "type": p.type,
        "lead_unit": p.lead_unit,
        "annual_plan": _money_num(p.annual_plan),
        "month": _money_num(p.month),
        "ytd": _money_num(p.ytd),
        "ytd_pct": _num(p.ytd_pct),
        "ahead_of_time_pp": _num(p.ahead_of_time_pp),
        "cumulative": _money_num(p.cumulative),
        "total_pct": _num(p.total_pct),
        "funds_planned": _money_num(p.funds_planned),
        "funds_arrived": _money_num(p.funds_arrived),
        "funds_rate": _num(p.funds_rate),
        "funding_gap": p.funding_gap,
        "planned_new_start": p.planned_new_start,
        "started": p.started,
    }


def unit_json(u: UnitMoney) -> dict:
    return {
        "unit": u.unit,
        "projects": u.projects,
        "annual_plan": _money_num(u.annual_plan),
        "month": _money_num(u.month),
        "ytd": _money_num(u.ytd),
        "ytd_pct": _num(u.ytd_pct),
        "ahead_of_time_pp": _num(u.ahead_of_time_pp),
    }


def status_json(status: InvestmentStatus) -> dict:
    """The JSON of `GET /api/v1/investment` and `manage.py investment_status --json` (README 投资与资金).
    Amounts are numbers in 万元 rounded to two decimals; percentages are exact (round them to show)."""
    return {
        "month": f"{status.year:04d}-{status.month:02d}",
        "time_progress_pct": float(status.time_progress_pct),
        "summary": {key: aggregate_json(a) for key, a in status.summary.items()},
        "projects": [project_json(p) for p in status.projects],
        "units": [unit_json(u) for u in status.units],
    }


def amount_text(value: Decimal) -> str:
    """An amount for a sentence: 629.0亿元 from 1亿元 up (one decimal), else 356.20万元."""
    shown = money(value)
    if shown >= 10000:
        return f"{(shown / 10000).quantize(TENTH, rounding=ROUND_HALF_UP)}亿元"
    return f"{shown}万元"


def against_time_text(ahead: Decimal | None) -> str:
    """超过时间进度13.8个百分点 / 落后时间进度5.0个百分点 / 与时间进度持平."""
    shown = round_pct(ahead)
    if shown is None:
        return ""
    if shown > 0:
        return f"超过时间进度{shown}个百分点"
    if shown < 0:
        return f"落后时间进度{-shown}个百分点"
    return "与时间进度持平"


def summary_sentence(status: InvestmentStatus, key: str = "all", *, scope: str = "全区") -> str:
    """1-10月，全区重点项目累计完成投资629.0亿元，占年度投资计划的97.2%，超过时间进度13.8个百分点。
    本年度计划新开工项目255项，实际已开工206项，开工率80.8%。 — for the district ("all") or one type."""
    a = status.summary[key]
    noun = "重点项目" if key == "all" else TYPE_NOUNS[key]
    text = f"{status.period_label}，{scope}{noun}累计完成投资{amount_text(a.ytd)}"
    if a.ytd_pct is None:
        text += "（未编制年度投资计划）。"
    else:
        text += f"，占年度投资计划的{pct_text(a.ytd_pct)}，{against_time_text(a.ahead_of_time_pp)}。"
    if a.planned_new_starts:
        text += (
            f"本年度计划新开工项目{a.planned_new_starts}项，实际已开工{a.new_starts}项，"
            f"开工率{pct_text(a.new_start_rate)}。"
        )
    else:
        text += "本年度无计划新开工项目。"
    return text
