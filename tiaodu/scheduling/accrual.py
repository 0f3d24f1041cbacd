"""Q(t), the planned cumulative quantity of an indicator: the one definition. Pure Python, no Django import.

The period plans (季、月、旬, tiaodu.scheduling.selectors.period_plan) and the lag (plan against actual,
tiaodu.progress.analysis and the overview) both call these functions, so a period plan and the lag's
planned figure at the end of a period are the same number.

Working days are numbered as in the scheduling engine: day 0 is the plan's start moved forward to a
working day (tiaodu.scheduling.calendar.DayAxis). t is the number of the last working day on or before a
date (negative before day 0). Q(t) is the planned cumulative quantity at the END of working day t:

* t < 0: 0.
* From task accruals (the latest baseline, else the current early schedule): a task with quantity q,
  duration d ≥ 1 and start s contributes q·min(max((t+1−s)/d, 0), 1) — q/d on each of its days
  s … s+d−1; a milestone (d = 0) at position s contributes q once t ≥ s − 1 (it shows the date of day
  s − 1, the end of the working day before its position; at s = 0, from day 0).
* Linear (an indicator no task is linked to; the lag only — the period plans have no column for it):
  target·min(max((t+1)/N, 0), 1), N the working days from planned start to planned finish inclusive
  (at least 1).

Numbers. Q(t) is computed exactly, as a fraction of integers, and rounded once into the number its user
needs:
* `planned` (and `.planned(t)` of a plan) gives a Decimal — the figure of record. The period plan table
  shows it to users to three decimals, the office overrides single figures beside it, and quantities are
  entered as decimals (up to 18 digits, 3 places): a Decimal keeps them exact, where a float has 15–17
  significant digits and puts 0.0005 a hair above or below the half it is (so a table rounded from
  floats could differ from the quantities typed in by 0.001). The division is correctly rounded to 28
  significant digits, so rounding to 0.001 afterwards rounds the exact value.
* `.q(t)` of a plan gives a float — for the lag, which compares with a relative tolerance of 1e-9 (README,
  "Plan against actual") and evaluates Q many times per indicator (a bisection over every indicator of
  every project), where Decimal arithmetic would cost about 0.3 s per 60,000 indicators. It is the same
  exact value rounded once to the nearest float (Python divides integers correctly rounded), so it equals
  float(planned(t)) except, at most in the last bit, for values within 10^-28 of a halfway point between
  two floats — nineteen orders of magnitude below the lag's tolerance.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from math import gcd

ZERO = Decimal(0)


def to_decimal(value: Decimal | int | float) -> Decimal:
    """A quantity as a Decimal: Decimals and integers exactly, a float as the decimal it prints as."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


@dataclass(frozen=True)
class Accrual:
    """One task's contribution to an indicator (`key`): `quantity` spread evenly over working days
    start … start+duration−1, or delivered at once for a milestone (duration 0)."""

    key: Hashable  # the indicator (None inside one indicator's plan)
    quantity: Decimal
    start: int  # s: the task's (early or baseline) start, a working-day number
    duration: int  # d ≥ 1, or 0 for a milestone
    # The quantity as an integer fraction (numerator, denominator), for exact sums.
    _ratio: tuple[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        quantity = to_decimal(self.quantity)
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "_ratio", quantity.as_integer_ratio())


def _exact(items: Iterable[Accrual], t: int) -> tuple[int, int]:
    """Q(t) of `items` (t ≥ 0) as an exact fraction (numerator, denominator)."""
    num, den = 0, 1
    for item in items:
        k = t + 1 - item.start  # working days of the task done by the end of day t
        d = item.duration
        if k >= d:  # done, or a milestone with t ≥ s − 1
            a, b = item._ratio
        elif k > 0:
            a, b = item._ratio
            a, b = a * k, b * d
        else:
            continue
        if den % b == 0:
            num += a * (den // b)
        else:
            g = gcd(den, b)
            num, den = num * (b // g) + a * (den // g), den * (b // g)
    return num, den


def planned(items: Iterable[Accrual], t: int) -> Decimal:
    """Q(t) of the tasks `items` (all of one indicator), rounded once to 28 significant digits."""
    if t < 0:
        return ZERO
    num, den = _exact(items, t)
    return Decimal(num) / Decimal(den)


def planned_by_key(items: Iterable[Accrual], t: int) -> dict[Hashable, Decimal]:
    """Q(t) per indicator (`key`) for tasks of several indicators."""
    grouped: dict[Hashable, list[Accrual]] = {}
    for item in items:
        grouped.setdefault(item.key, []).append(item)
    return {key: planned(group, t) for key, group in grouped.items()}


# --- one indicator's plan, as the lag uses it -------------------------------------------------------


@dataclass(frozen=True)
class AccrualPlan:
    """Q(t) from the tasks linked to one indicator."""

    items: tuple[Accrual, ...]

    def planned(self, t: int) -> Decimal:
        return planned(self.items, t)

    def q(self, t: int) -> float:
        if t < 0:
            return 0.0
        num, den = _exact(self.items, t)
        return num / den


@dataclass(frozen=True)
class LinearPlan:
    """Q(t) of an indicator no task is linked to."""

    target: Decimal
    days: int  # N, working days from planned start to planned finish inclusive
    _ratio: tuple[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        target = to_decimal(self.target)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "_ratio", target.as_integer_ratio())

    def with_days(self, days: int) -> LinearPlan:
        """LinearPlan(self.target, days), without converting the target again (the overview makes one per
        indicator)."""
        plan = object.__new__(LinearPlan)
        object.__setattr__(plan, "target", self.target)
        object.__setattr__(plan, "days", days)
        object.__setattr__(plan, "_ratio", self._ratio)
        return plan

    def planned(self, t: int) -> Decimal:
        if t < 0:
            return ZERO
        k = t + 1
        if k >= self.days:  # (also N < 1, taken as 1)
            return self.target
        return self.target * k / self.days  # an exact product (≤ 18 + 5 digits), one rounding

    def q(self, t: int) -> float:
        if t < 0:
            return 0.0
        k = t + 1
        a, b = self._ratio
        if k >= self.days:
            return a / b
        return a * k / (b * self.days)


Plan = AccrualPlan | LinearPlan


def accrual_plan(items: Iterable[tuple[Decimal | int | float, int, int]]) -> AccrualPlan:
    """An AccrualPlan from (quantity, start, duration) triples."""
    return AccrualPlan(tuple(Accrual(None, q, int(s), int(d)) for q, s, d in items))
