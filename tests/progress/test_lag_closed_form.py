"""The lag's shortcuts give exactly the figures of the algorithms they replaced (pure, no database):

* a linear plan's first day reaching a figure from the closed form (analysis._first_day_linear) against the
  bisection over every plan used before;
* planned figures rounded through repr and round() where that is the same (analysis._round_as_planned)
  against Decimal of the printed float, as every figure was rounded before.
"""

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tiaodu.progress import analysis
from tiaodu.progress.analysis import IndicatorInput, LinearPlan, accrual_plan, at_least


def bisection(plan, actual: float, t: int) -> int:
    """analysis.first_day_reaching as it was: a bisection on [−1, t] for every plan."""
    if at_least(0.0, actual):
        return -1
    lo, hi = -1, t
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if at_least(plan.q(mid), actual):
            hi = mid
        else:
            lo = mid
    return hi


def lag_before(plan, t: int, actual: float) -> int:
    q = plan.q(t)
    if at_least(actual, q):
        return 0
    return t - bisection(plan, actual, t)


TARGETS = st.one_of(
    st.integers(-50, 10**6).map(float),
    st.decimals(min_value=-1000, max_value=10**9, places=3).map(float),
    st.floats(min_value=-1e6, max_value=1e15, allow_nan=False, allow_infinity=False),
    st.fractions(min_value=0, max_value=10**6, max_denominator=1000).map(
        lambda f: f.numerator / f.denominator
    ),
)


@st.composite
def linear_cases(draw):
    """A linear plan, a day t and an actual figure — often the plan's own figure on some day, a hair
    either side of it, or at the tolerance's edge, where a closed form would slip."""
    plan = LinearPlan(draw(TARGETS), draw(st.integers(-2, 3000)))
    t = draw(st.integers(-5, 4000))
    q = plan.q(draw(st.integers(-1, max(t, 0) + 3)))
    edge = q - analysis.EPS * max(1.0, abs(q))
    actual = draw(
        st.one_of(
            st.floats(min_value=-1e3, max_value=2e15, allow_nan=False, allow_infinity=False),
            st.sampled_from(
                [
                    q,
                    math.nextafter(q, math.inf),
                    math.nextafter(q, -math.inf),
                    q * (1 + 1e-9),
                    q * (1 - 1e-9),
                    q + 1e-9,
                    edge,
                    math.nextafter(edge, math.inf),
                    q / 3 * 3,
                    0.0,
                    1e-10,
                ]
            ),
        )
    )
    return plan, t, actual


@settings(max_examples=3000, deadline=None)
@given(linear_cases())
@example((LinearPlan(160, 300), 299, 160.0))
@example((LinearPlan(0.001, 7), 12, 0.0005))
@example((LinearPlan(-5, 10), 9, 1.0))
@example((LinearPlan(100, 0), 5, 50.0))
def test_the_closed_form_finds_the_day_the_bisection_found(case):
    plan, t, actual = case
    assert analysis.first_day_reaching(plan, actual, t) == bisection(plan, actual, t)
    assert analysis.lag_days(plan, t, actual) == lag_before(plan, t, actual)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 60), st.integers(0, 10)), min_size=1, max_size=5),
    st.integers(-3, 200),
    st.floats(0, 6000, allow_nan=False),
)
def test_other_plans_keep_the_bisection(items, t, actual):
    plan = accrual_plan(items)
    assert analysis.lag_days(plan, t, actual) == lag_before(plan, t, actual)
    scaled = analysis.ScaledPlan(LinearPlan(1000, 80), 0.37)
    assert analysis.lag_days(scaled, t, actual) == lag_before(scaled, t, actual)


@settings(max_examples=500, deadline=None)
@given(linear_cases(), st.floats(0, 2, allow_nan=False))
def test_an_indicator_and_its_share_lag_as_before(case, part):
    plan, t, actual = case
    ind = IndicatorInput("拆迁面积", "m²", float(plan.target), actual, plan, t)
    result = analysis.evaluate_indicator(ind)
    assert (result.planned, result.lag_days) == (plan.q(t), lag_before(plan, t, actual))
    if ind.target > 0:
        share = analysis.evaluate_share(ind, 7, ind.target * part, actual * part)
        scaled = analysis.ScaledPlan(plan, ind.target * part / ind.target)
        assert (share.planned, share.lag_days) == (scaled.q(t), lag_before(scaled, t, actual * part))


# --- rounding -----------------------------------------------------------------------------------------


def round_before(value, places: int):
    """analysis._round_as_planned as it was: Decimal of the printed float, half to even."""
    try:
        r = float(round(Decimal(repr(float(value))), places))
    except (InvalidOperation, ValueError, OverflowError):
        return analysis._round(value, places)
    return int(r) if r.is_integer() else r


VALUES = st.one_of(
    st.floats(),  # any float: nan, infinities, subnormals, huge
    st.floats(min_value=-1e7, max_value=1e7),
    st.integers(-(10**9), 10**9).map(lambda k: k / 10000),  # four decimals: printed ties at 0.0005
    st.integers(-(10**9), 10**9).map(lambda k: k / 2000),
    st.integers(-(10**12), 10**12).map(lambda k: k / 10**7),
    st.fractions(min_value=-(10**7), max_value=10**7, max_denominator=10**6).map(
        lambda f: f.numerator / f.denominator  # a plan's figure: an exact fraction rounded once
    ),
    st.integers(0, 10**17).map(float),
)


@settings(max_examples=5000, deadline=None)
@given(VALUES, st.sampled_from([3, 3, 3, 0, 1, 2, 4, 6]))
@example(0.0005, 3)
@example(2.675, 2)
@example(0.0625, 3)
@example(-0.0005, 3)
@example(1.0005, 3)
@example(1e16 + 2, 3)
@example(123456789012.3455, 3)
@example(float("nan"), 3)
@example(float("-inf"), 3)
@example(-0.0, 3)
def test_planned_figures_round_as_before(value, places):
    assert repr(analysis._round_as_planned(value, places)) == repr(round_before(value, places))


def test_plan_figures_of_every_day_round_as_before():
    """Every day of a few plans whose figures are long fractions (the planned figures the overview shows)."""
    for target, days in ((1000, 7), (0.001, 3), (33333.333, 241), (160, 366), (5, 9999)):
        plan = LinearPlan(target, days)
        for t in range(-1, days + 1):
            q = plan.q(t)
            assert repr(analysis._round_as_planned(q, 3)) == repr(round_before(q, 3)), (target, days, t)
    for n in range(-3000, 3000):
        value = float(Fraction(n, 2000))
        assert repr(analysis._round_as_planned(value, 3)) == repr(round_before(value, 3)), n
