"""Q(t), the planned cumulative quantity (tiaodu/scheduling/accrual.py): hand-computed cases and exactness.
Pure, no database."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from tiaodu.scheduling.accrual import Accrual, LinearPlan, accrual_plan, planned, planned_by_key


def test_it_spreads_a_task_evenly_and_delivers_a_milestone_at_the_end_of_the_day_before():
    # A: 60 over days 0–2; B: 40 over days 5–6; milestone M at position 8: 10 once t ≥ 7.
    items = [Accrual("m2", 60, 0, 3), Accrual("m2", 40, 5, 2), Accrual("m2", 10, 8, 0)]
    assert [planned(items, t) for t in range(-2, 10)] == [0, 0, 20, 40, 60, 60, 60, 80, 100, 110, 110, 110]


def test_it_delivers_a_milestone_at_position_zero_on_day_zero():
    assert planned([Accrual(None, 5, 0, 0)], -1) == 0
    assert planned([Accrual(None, 5, 0, 0)], 0) == 5


def test_it_keeps_the_indicators_apart():
    items = [Accrual("m2", Decimal("0.3"), 0, 3), Accrual("m3", 7, 2, 1), Accrual("m2", 1, 1, 0)]
    assert planned_by_key(items, 0) == {"m2": Decimal("1.1"), "m3": 0}
    assert planned_by_key(items, 2) == {"m2": Decimal("1.3"), "m3": 7}


def test_it_plans_linearly_from_the_first_day_to_the_last():
    plan = LinearPlan(Decimal(100), 10)
    days = (-5, -1, 0, 4, 9, 10, 50)
    assert [plan.planned(t) for t in days] == [plan.q(t) for t in days] == [0, 0, 10, 50, 100, 100, 100]
    assert LinearPlan(Decimal(5), 0).planned(0) == 5  # at least one day
    assert LinearPlan(0.3, 3).planned(0) == Decimal("0.1")  # a float target is the decimal it prints as


def test_it_computes_exactly_so_that_a_half_rounds_as_it_should():
    # 0.003 over 6 days, one day done: exactly 0.0005 (1/6 first would give 0.00050000…001 and round up).
    q = planned([Accrual(None, Decimal("0.003"), 0, 6)], 0)
    assert q == Decimal("0.0005") and q.quantize(Decimal("0.001")) == Decimal("0.000")
    # 0.001/3 + 0.007/6 is exactly 0.0015, though neither part is a finite decimal.
    items = [Accrual(None, Decimal("0.001"), 0, 3), Accrual(None, Decimal("0.007"), 0, 6)]
    assert planned(items, 0) == Decimal("0.0015")


QUANTITIES = st.decimals(min_value=0, max_value=10**9, places=3)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(QUANTITIES, st.integers(0, 40), st.integers(0, 30)), min_size=1, max_size=12),
    st.integers(-2, 80),
)
def test_it_equals_the_exact_fraction_rounded_once(rows, t):
    exact = Fraction(0)
    for q, s, d in rows:
        if t < 0:
            continue
        if d == 0:
            exact += Fraction(q) if t >= s - 1 else 0
        else:
            exact += Fraction(q) * min(max(Fraction(t + 1 - s, d), 0), 1)
    expected = Decimal(exact.numerator) / Decimal(exact.denominator)
    assert planned([Accrual(None, q, s, d) for q, s, d in rows], t) == expected
    # The lag's float: the same exact value, rounded once to the nearest float.
    plan = accrual_plan(rows)
    assert plan.planned(t) == expected and plan.q(t) == float(exact) == float(expected)


@settings(max_examples=300, deadline=None)
@given(QUANTITIES, st.integers(-3, 500), st.integers(-3, 500))
def test_it_plans_linearly_exactly_in_both_number_types(target, days, t):
    plan = LinearPlan(target, days)
    exact = Fraction(target) * min(max(Fraction(t + 1, max(days, 1)), 0), 1)
    assert plan.planned(t) == Decimal(exact.numerator) / Decimal(exact.denominator)
    assert plan.q(t) == float(exact) == float(plan.planned(t))
