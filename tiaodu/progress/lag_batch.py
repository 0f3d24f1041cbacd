"""The planned figure and the lag of many indicators with linear plans at once (numpy): exactly what
analysis.evaluate_indicator gives one by one, for the overview, which evaluates every indicator of every
project. Pure: no Django.

A linear plan with target a/b (an integer fraction) over N days has Q(t) = a·k/(b·N) for k = t + 1 < N, a/b
from k ≥ N on and 0 before day 0; plan.q(t) divides those integers correctly rounded. float64 divides two
exactly represented numbers correctly rounded too, so where both lie below 2**53 the arrays hold the same
floats, and the comparisons (analysis.at_least) are the same IEEE operations in the same order. t*
(analysis.first_day_reaching) is the first day passing at_least(plan.q(s), actual), a test that never turns
false again once true: it is taken from the closed form's estimate once that day passes and the day before
does not. A row outside the exact range, or whose estimate does not check, is evaluated one by one
(analysis.lag_days). tests/progress/test_lag_batch.py compares every figure with evaluate_indicator's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from tiaodu.progress.analysis import EPS, LinearPlan, lag_days

_EXACT = float(2**53)


def _float(n: int) -> float:
    try:
        return float(n)
    except OverflowError:
        return math.inf if n > 0 else -math.inf


def _q(a, b, days, t):
    """Q(t) of each row, and whether it is exact (both integers of the division below 2**53)."""
    k = t + 1.0
    full = k >= days
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        num = np.where(full, a, a * k)
        den = np.where(full, b, b * days)
        q = num / den
    before = t < 0
    return np.where(before, 0.0, q), before | ((np.abs(num) < _EXACT) & (den < _EXACT))


def _first_days(a, b, days, t, threshold):
    """t* of each row from the estimate, and whether it checked (else the row is evaluated alone)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        k = threshold * b * days / a
        s = np.where(k < t + 1, np.maximum(np.ceil(k) - 1, 0.0), t)  # (not a number: t)
    trivial = (t <= 0) | (a <= 0)  # the bisection leaves t* at t
    s = np.where(trivial, t, s)
    q_s, exact_s = _q(a, b, days, s)
    q_p, exact_p = _q(a, b, days, s - 1)
    passes, before_passes = q_s >= threshold, q_p >= threshold
    first = (passes & ((s <= 0) | ~before_passes)) | ((s >= t) & ~passes)
    return s, trivial | (first & exact_s & exact_p)


def evaluate_linear(
    plans: Sequence[LinearPlan], ts: Sequence[int], actuals: Sequence[float]
) -> tuple[list[float], list[int]]:
    """(planned, lag) of each row: plan.q(t) and analysis.lag_days(plan, t, actual)."""
    if not plans:
        return [], []
    try:
        ratio = np.array([p._ratio for p in plans], dtype=float)  # ints → the nearest floats
    except OverflowError:  # a fraction past the floats (infinite here: evaluated alone)
        ratio = np.array([(_float(p._ratio[0]), _float(p._ratio[1])) for p in plans])
    a, b = ratio[:, 0], ratio[:, 1]
    days = np.array([p.days for p in plans], dtype=float)
    t = np.array(ts, dtype=float)
    actual = np.array(actuals, dtype=float)
    q, exact = _q(a, b, days, t)
    behind = ~(actual >= q - EPS * np.maximum(1.0, np.abs(q)))  # not at_least(actual, q)
    threshold = actual - EPS * np.maximum(1.0, np.abs(actual))
    none_yet = 0.0 >= threshold  # at_least(0.0, actual): t* = −1
    s, checked = _first_days(a, b, days, t, threshold)
    lag = np.where(behind, np.where(none_yet, t + 1, t - s), 0.0)
    alone = ~exact | (behind & ~none_yet & ~checked)
    planned = q.tolist()
    lags = lag.astype(np.int64).tolist()
    for i in np.flatnonzero(alone).tolist():
        planned[i] = plans[i].q(ts[i])
        lags[i] = lag_days(plans[i], ts[i], actuals[i])
    return planned, lags
