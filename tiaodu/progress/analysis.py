"""Plan against actual: pure functions over working-day numbers. No Django import.

Semantics (issue 4; anyone can check an answer by hand):

* Working days are numbered from the project's planned start as in the scheduling engine (day 0 is the
  start moved forward to a working day). t is the number of the last working day on or before the
  as-of date A (negative when A is before day 0). The caller maps dates to numbers.
* Q(t), the planned cumulative quantity at the end of day t, is defined once, in
  tiaodu.scheduling.accrual (the period plans use the same functions): 0 for t < 0 and otherwise either
  - from task accruals (the latest baseline, else the current early schedule): a task with quantity q
    and duration d ≥ 1 starting on day s contributes q·min(max((t+1−s)/d, 0), 1); a milestone
    (d = 0) at position s contributes q once t ≥ s − 1; or
  - linear (an indicator no task is linked to): target·min(max((t+1)/N, 0), 1), N the working days
    from planned start to planned finish inclusive (at least 1).
* planned = Q(t). lag_days = 0 when actual ≥ planned, else t − t*, t* the smallest t* ≥ −1 with
  Q(t*) ≥ actual (Q(−1) = 0). Q never decreases, so t* is found by bisection on [−1, t].
* A project's lag is the largest lag of its indicators; its level is normal (lag ≤ lagging_after,
  default 5), lagging (≤ severe_after, default 15) or severe. A 已竣工/已验收 project has lag 0 and level
  normal (its indicators keep their own figures for the record).
* The driving indicator is the indicator whose lag is the project's lag (none when that lag is 0); among
  several with that lag, the one with the larger shortfall as a share of its target ((planned − actual) /
  target), then the first by name (code-point order).
* A territorial share (条块分工) of an indicator with target T: the share's target S, its plan
  Q_s(t) = Q(t)·S/T (the indicator's plan scaled, `ScaledPlan`), its actual the share unit's own figure, and
  its lag the same rule on Q_s (`evaluate_share`). The indicator's actual is then the sum of its shares'.
* planned_pct / actual_pct: the average over the indicators of min(planned/target, 1) and
  min(actual/target, 1), in percent.

Q(t) is exact, and taken here as a float (plan.q(t): the exact value rounded once; see
tiaodu.scheduling.accrual for why), as are the target and the actual figure (speed: the overview
evaluates every indicator of every project). Every comparison tolerates a relative 1e-9 so that
floating-point rounding (0.3·1/3 = 0.0999…) never turns an equal figure into a lag. Planned figures
are shown rounded as the period plans round them (decimal, half to even), so the two agree to the
last digit shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

# Levels and statuses are defined once, in tiaodu.core.domain (pure).
from tiaodu.core.domain import (  # noqa: F401 (re-exported)
    ACCEPTED,
    COMPLETED,
    DONE_STATUSES,
    LAGGING,
    LEVEL_LABELS,
    LEVEL_ORDER,
    NORMAL,
    NOT_STARTED,
    SEVERE,
    SUSPENDED,
    UNDER_CONSTRUCTION,
)

# The plans (Q(t)) are the scheduling app's, shared with the period plans; used here as plan.q(t).
from tiaodu.scheduling.accrual import AccrualPlan as AccrualPlan
from tiaodu.scheduling.accrual import LinearPlan as LinearPlan
from tiaodu.scheduling.accrual import Plan
from tiaodu.scheduling.accrual import accrual_plan as accrual_plan

LAGGING_AFTER = 5
SEVERE_AFTER = 15

EPS = 1e-9


def at_least(a: float, b: float) -> bool:
    """a ≥ b, tolerating floating-point rounding."""
    return a >= b - EPS * max(1.0, abs(b))


# --- the lag --------------------------------------------------------------------------------------


def first_day_reaching(plan: Plan, actual: float, t: int) -> int:
    """t*: the smallest t* ≥ −1 with Q(t*) ≥ actual, searched on [−1, t] (Q(t) ≥ actual is assumed)."""
    if at_least(0.0, actual):
        return -1
    if type(plan) is LinearPlan:
        return _first_day_linear(plan, actual, t)
    return _bisect(plan, actual, t)


def _bisect(plan: Plan, actual: float, t: int) -> int:
    lo, hi = -1, t  # Q(lo) < actual ≤ Q(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if at_least(plan.q(mid), actual):
            hi = mid
        else:
            lo = mid
    return hi


def _first_day_linear(plan: LinearPlan, actual: float, t: int) -> int:
    """first_day_reaching's bisection for a linear plan, started from the closed form instead of halving.

    The bisection's test, at_least(plan.q(s), actual), never turns false again once true for s ≥ 0: q is
    an exact non-decreasing fraction rounded once (Python divides integers correctly rounded) and the
    threshold is fixed and above 0 here (a target ≤ 0 never reaches it). So the bisection's answer is the
    first s ≥ 0 passing the test (t when none does: the bisection then leaves hi there), which is found
    here from the estimate s ≈ ⌈threshold·N·b/a⌉ − 1 (target = a/b) by checking it and its neighbours —
    the same day (tests/progress/test_lag_closed_form.py: against the bisection)."""
    if t <= 0:
        return t
    a, b = plan._ratio
    if a <= 0:
        return t
    try:
        k = (actual - EPS * max(1.0, abs(actual))) * b * plan.days / a
    except OverflowError:  # a fraction past the floats (a tiny or huge target): as before
        return _bisect(plan, actual, t)
    s = max(math.ceil(k) - 1, 0) if k < t + 1 else t  # (not a number: t)
    if at_least(plan.q(s), actual):
        while s > 0 and at_least(plan.q(s - 1), actual):
            s -= 1
        return s
    while s < t:
        s += 1
        if at_least(plan.q(s), actual):
            return s
    return t


def lag_days(plan: Plan, t: int, actual: float) -> int:
    """Working days the actual figure is behind the plan at day t (0 when on or ahead of plan)."""
    return _lag(plan, t, actual, plan.q(t))


def _lag(plan: Plan, t: int, actual: float, q: float) -> int:
    """lag_days with the plan's figure at t known: q = plan.q(t)."""
    if at_least(actual, q):
        return 0
    return t - first_day_reaching(plan, actual, t)


def level_of(
    lag: int, status: str = "", *, lagging_after: int = LAGGING_AFTER, severe_after: int = SEVERE_AFTER
) -> str:
    if status in DONE_STATUSES or lag <= lagging_after:
        return NORMAL
    if lag <= severe_after:
        return LAGGING
    return SEVERE


def share(value: float, target: float) -> float:
    """min(value/target, 1) (0 for a target that is not positive)."""
    if target <= 0:
        return 0.0
    return min(value / target, 1.0)


# --- territorial shares ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaledPlan:
    """An indicator's plan scaled to a share of its target: Q_s(t) = Q(t)·factor."""

    plan: Plan
    factor: float

    def q(self, t: int) -> float:
        return self.plan.q(t) * self.factor


@dataclass(frozen=True)
class ShareResult:
    unit: int  # the unit's id (names are the caller's)
    target: float
    planned: float | None
    actual: float
    lag_days: int

    def as_json(self, places: int = 3) -> dict:
        return {
            "unit": self.unit,
            "target": _round(self.target, places),
            "planned": None if self.planned is None else _round_as_planned(self.planned, places),
            "actual": _round(self.actual, places),
            "lag_days": self.lag_days,
        }


def evaluate_share(ind: IndicatorInput, unit: int, target: float, actual: float) -> ShareResult:
    """A share of `ind` (unit, share target, the unit's actual): plan = the indicator's plan × target/T."""
    if ind.plan is None or ind.t is None or ind.target <= 0:
        return ShareResult(unit, target, None, actual, 0)
    plan = ScaledPlan(ind.plan, target / ind.target)
    q = plan.q(ind.t)
    return ShareResult(unit, target, q, actual, _lag(plan, ind.t, actual, q))


# --- one project -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorInput:
    name: str
    unit: str
    target: float
    actual: float
    plan: Plan | None = None  # None: no plan can be computed (no planned start)
    t: int | None = None  # the number of the last working day on or before A on the plan's axis


@dataclass(frozen=True)
class IndicatorResult:
    name: str
    unit: str
    target: float
    planned: float | None
    actual: float
    lag_days: int

    def as_json(self, places: int = 3) -> dict:
        return indicator_json(
            self.name, self.unit, self.target, self.planned, self.actual, self.lag_days, places
        )


def indicator_json(
    name: str, unit: str, target: float, planned: float | None, actual: float, lag: int, places: int = 3
) -> dict:
    """An indicator's figures rounded for JSON (IndicatorResult.as_json; the overview calls it on the fields
    of its indicators' Figures tuples): `rounded` as a dict."""
    name, unit, target, planned, actual, lag = rounded(name, unit, target, planned, actual, lag, places)
    return {
        "name": name,
        "unit": unit,
        "target": target,
        "planned": planned,
        "actual": actual,
        "lag_days": lag,
    }


def rounded(
    name: str, unit: str, target: float, planned: float | None, actual: float, lag: int, places: int = 3
) -> Figures:
    """An indicator's figures as shown: quantities rounded to `places` (a plan as the period plans round)."""
    return (
        name,
        unit,
        _round(target, places),
        None if planned is None else _round_as_planned(planned, places),
        _round(actual, places),
        lag,
    )


# An indicator's figures as a plain tuple — IndicatorResult's fields in its order (name, unit, target,
# planned, actual, lag_days): what the overview builds for every indicator of every project (cheaper than
# the frozen dataclass; project_figures reads them).
Figures = tuple[str, str, float, "float | None", float, int]


@dataclass(frozen=True)
class ProjectResult:
    status: str
    level: str
    lag_days: int
    planned_pct: float | None
    actual_pct: float | None
    indicators: tuple[IndicatorResult, ...] = field(default=())
    driving: int | None = None  # the position of the driving indicator in `indicators` (None: no lag)

    @property
    def driving_indicator(self) -> IndicatorResult | None:
        return None if self.driving is None else self.indicators[self.driving]


def evaluate_indicator(ind: IndicatorInput) -> IndicatorResult:
    if ind.plan is None or ind.t is None:
        return IndicatorResult(ind.name, ind.unit, ind.target, None, ind.actual, 0)
    q = ind.plan.q(ind.t)
    return IndicatorResult(
        ind.name, ind.unit, ind.target, q, ind.actual, _lag(ind.plan, ind.t, ind.actual, q)
    )


def evaluate_project(
    status: str,
    indicators: Sequence[IndicatorInput],
    *,
    lagging_after: int = LAGGING_AFTER,
    severe_after: int = SEVERE_AFTER,
) -> ProjectResult:
    return project_result(
        status,
        tuple(map(evaluate_indicator, indicators)),
        lagging_after=lagging_after,
        severe_after=severe_after,
    )


def project_result(
    status: str,
    results: tuple[IndicatorResult, ...],
    *,
    lagging_after: int = LAGGING_AFTER,
    severe_after: int = SEVERE_AFTER,
) -> ProjectResult:
    """A project's figures from its indicators' (evaluate_indicator of each; see evaluate_project)."""
    level, lag, planned_pct, actual_pct, driving = project_figures(
        status,
        [(r.name, r.unit, r.target, r.planned, r.actual, r.lag_days) for r in results],
        lagging_after=lagging_after,
        severe_after=severe_after,
    )
    # status, level, lag_days, planned_pct, actual_pct, indicators, driving
    return ProjectResult(status, level, lag, planned_pct, actual_pct, results, driving)


def project_figures(
    status: str,
    indicators: Sequence[Figures],
    *,
    lagging_after: int = LAGGING_AFTER,
    severe_after: int = SEVERE_AFTER,
) -> tuple[str, int, float | None, float | None, int | None]:
    """A project's level, lag, planned_pct, actual_pct and driving position (ProjectResult's) from its
    indicators' figures as tuples (Figures): the one definition, project_result's too."""
    driving = None if status in DONE_STATUSES else _driving(indicators)
    lag = 0 if driving is None else indicators[driving][5]
    # share(value, target) of each, inline (0 for a target that is not positive)
    planned_shares = [0.0 if f[2] <= 0 else min(f[3] / f[2], 1.0) for f in indicators if f[3] is not None]
    actual_shares = [0.0 if f[2] <= 0 else min(f[4] / f[2], 1.0) for f in indicators]
    return (
        level_of(lag, status, lagging_after=lagging_after, severe_after=severe_after),
        lag,
        _mean_pct(planned_shares) if planned_shares else None,
        _mean_pct(actual_shares) if actual_shares else None,
        driving,
    )


def _shortfall(planned: float | None, actual: float, target: float) -> float:
    if planned is None or target <= 0:
        return 0.0
    return (planned - actual) / target


def shortfall_share(r: IndicatorResult) -> float:
    """(planned − actual) / target: how far behind, as a share of the target (0 without a plan or target)."""
    return _shortfall(r.planned, r.actual, r.target)


def _drives_before(r: Figures, b: Figures) -> bool:
    if r[5] != b[5]:
        return r[5] > b[5]
    sr, sb = _shortfall(r[3], r[4], r[2]), _shortfall(b[3], b[4], b[2])
    if abs(sr - sb) > EPS * max(1.0, abs(sb)):  # equal shares computed two ways stay equal
        return sr > sb
    return r[0] < b[0]


def _driving(indicators: Sequence[Figures]) -> int | None:
    best = None
    for i, f in enumerate(indicators):
        if f[5] > 0 and (best is None or _drives_before(f, indicators[best])):
            best = i
    return best


def driving_index(results: Sequence[IndicatorResult]) -> int | None:
    """The position of the driving indicator: the largest lag; ties by the larger shortfall share, then the
    first by name. None when no indicator lags."""
    return _driving([(r.name, r.unit, r.target, r.planned, r.actual, r.lag_days) for r in results])


def _mean_pct(values: Sequence[float]) -> float:
    return round(100.0 * sum(values) / len(values), 2)


def _round(value: float, places: int) -> float | int:
    value = float(value)
    if places >= 0 and value.is_integer():  # its own rounding (round() gives it back)
        return int(value)
    r = round(value, places)
    return int(r) if r.is_integer() else r


_NEAR_LIMIT = float(2**30)  # |value·10^places| below this: a printed tie lies within 2^-22 of a half


def _round_as_planned(value: float, places: int) -> float | int:
    """Rounded as the period plans round Q(t) (Decimal, half to even) — not as round() rounds the float,
    which puts 0.0005 (a hair above in binary) at 0.001 where the period plan shows 0.000.

    The two differ only at a tie of the printed decimal (repr: places + 1 decimals ending in 5). Printed
    with more decimals, no rounding boundary lies between it and the float's binary value (that boundary
    would print shorter or closer, and repr prints the shortest, closest decimal); with fewer, it is its
    own rounding and within half a unit of the last place of the binary value. So round() — the binary
    value rounded, then the nearest float — gives the same float, unless value·10^places lies near a
    half (a printed tie lies within |value·10^places|·2^-52 of one, below 10^-6 here): only then Decimal.
    """
    value = float(value)
    if 0 <= places <= 15 and -_NEAR_LIMIT < (x := value * 10.0**places) < _NEAR_LIMIT:
        if abs(x - math.floor(x) - 0.5) > 1e-6:  # far from a half: not a printed tie
            r = round(value, places)
            return int(r) if r.is_integer() else r
    try:
        r = float(round(Decimal(repr(float(value))), places))
    except (InvalidOperation, ValueError, OverflowError):  # not finite, or too many digits
        return _round(value, places)
    return int(r) if r.is_integer() else r


# --- the overview ----------------------------------------------------------------------------------


SUMMARY_KEYS = ("total", "completed", "under_construction", "not_started", "suspended", "started_rate")


def summarize(statuses: Iterable[str]) -> dict:
    """total, 已竣工 (completed or accepted), 在建, 未开工, 暂停 and 开工率 = (total − 未开工)/total."""
    counts = {COMPLETED: 0, UNDER_CONSTRUCTION: 0, NOT_STARTED: 0, SUSPENDED: 0}
    total = 0
    for status in statuses:
        total += 1
        key = COMPLETED if status in DONE_STATUSES else status
        if key in counts:
            counts[key] += 1
    return {
        "total": total,
        "completed": counts[COMPLETED],
        "under_construction": counts[UNDER_CONSTRUCTION],
        "not_started": counts[NOT_STARTED],
        "suspended": counts[SUSPENDED],
        "started_rate": round((total - counts[NOT_STARTED]) / total, 4) if total else 0.0,
    }


@dataclass(frozen=True)
class UnitRow:
    unit: str
    projects: int
    on_time: int
    on_time_share: float
    avg_lag: float

    def as_json(self) -> dict:
        return {
            "unit": self.unit,
            "projects": self.projects,
            "on_time": self.on_time,
            "on_time_share": self.on_time_share,
            "avg_lag": self.avg_lag,
        }


def rank_units(rows: Iterable[tuple], order: dict[str, int] | None = None) -> list[UnitRow]:
    """Per unit: its projects (as lead or territorial unit), those on time (normal), the share on time and
    the average lag; ranked by share (high first), then average lag (low first), then `order` / name.

    rows: (the project's responsible unit names, its level, its lag in days[, own]) where `own`, when
    given, maps a unit name to that unit's own (level, lag) on the project: a unit holding territorial
    shares of the project's indicators is judged by the largest lag of its shares there (`unit_lags`).
    """
    stats: dict[str, list[int]] = {}
    for units, level, lag, *rest in rows:
        own = rest[0] if rest else None
        for unit in units if len(units) < 2 else set(units):
            unit_level, unit_lag = own[unit] if own and unit in own else (level, lag)
            s = stats.setdefault(unit, [0, 0, 0])
            s[0] += 1
            s[1] += unit_level == NORMAL
            s[2] += unit_lag
    out = [
        UnitRow(unit, n, ok, round(ok / n, 4), round(total / n, 2)) for unit, (n, ok, total) in stats.items()
    ]
    order = order or {}
    out.sort(key=lambda r: (-r.on_time_share, r.avg_lag, order.get(r.unit, 1 << 30), r.unit))
    return out


def unit_lags(
    status: str,
    shares: Iterable[ShareResult],
    *,
    lagging_after: int = LAGGING_AFTER,
    severe_after: int = SEVERE_AFTER,
) -> dict[int, tuple[str, int]]:
    """{unit id: (level, lag)} of the units holding shares on a project: the largest lag of each unit's
    shares (0 and normal on a 已竣工/已验收 project)."""
    worst: dict[int, int] = {}
    for r in shares:
        worst[r.unit] = max(worst.get(r.unit, 0), r.lag_days)
    done = status in DONE_STATUSES
    return {
        u: (
            level_of(0 if done else lag, status, lagging_after=lagging_after, severe_after=severe_after),
            0 if done else lag,
        )
        for u, lag in worst.items()
    }
