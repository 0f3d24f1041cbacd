"""The lag math on hand-computed cases and hypothesis properties (pure, no database)."""

import datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiaodu.progress import analysis
from tiaodu.progress.analysis import IndicatorInput, LinearPlan, accrual_plan
from tiaodu.scheduling.calendar import WorkCalendar

D = datetime.date


# --- hand-computed ----------------------------------------------------------------------------------


def test_it_plans_linearly_without_a_schedule():
    plan = LinearPlan(target=100, days=10)  # 10 a day over days 0 … 9

    assert [plan.q(t) for t in (-5, -1, 0, 4, 9, 10, 50)] == [0, 0, 10, 50, 100, 100, 100]
    assert analysis.lag_days(plan, 4, 50) == 0
    assert analysis.lag_days(plan, 4, 60) == 0  # ahead of plan
    assert analysis.lag_days(plan, 4, 30) == 2  # Q(2) = 30: t* = 2, lag = 4 − 2
    assert analysis.lag_days(plan, 4, 31) == 1  # Q(2) = 30 < 31 ≤ Q(3) = 40
    assert analysis.lag_days(plan, 4, 0) == 5  # nothing done: t* = −1
    assert analysis.lag_days(plan, 20, 95) == 20 - 9  # Q(9) = 100 is the first day reaching 95


def test_it_plans_from_task_accruals_and_milestones():
    # A: 60 over days 0–2 (20 a day); B: 40 over days 5–6; milestone M at position 8: 10 once t ≥ 7.
    plan = accrual_plan([(60, 0, 3), (40, 5, 2), (10, 8, 0)])

    assert [plan.q(t) for t in range(-1, 10)] == [0, 20, 40, 60, 60, 60, 80, 100, 110, 110, 110]
    assert analysis.lag_days(plan, 6, 60) == 4  # Q(2) = 60
    assert analysis.lag_days(plan, 6, 61) == 1  # first reached on day 5
    assert analysis.lag_days(plan, 6, 100) == 0
    assert analysis.lag_days(plan, 7, 100) == 1  # the milestone is due at the end of day 7
    assert analysis.lag_days(plan, 7, 0) == 8


def test_it_counts_a_milestone_at_position_zero_only_from_day_zero():
    plan = accrual_plan([(5, 0, 0)])
    assert plan.q(-1) == 0 and plan.q(0) == 5
    assert analysis.lag_days(plan, 0, 0) == 1


def test_it_does_not_count_working_days_lost_to_a_holiday():
    # 2026 National Day: 1–7 October off, Saturday 10 October worked (调休).
    holidays = {D(2026, 10, d) for d in range(1, 8)}
    calendar = WorkCalendar(holidays=holidays, workdays={D(2026, 10, 10)})
    axis = calendar.axis(D(2026, 9, 28))  # a Monday: day 0
    finish = D(2026, 10, 23)
    n = axis.number_on_or_before(finish) + 1  # days 0 … n−1 lie on or before the finish
    assert n == 3 + 2 + 1 + 10  # 28–30 Sep, 8–9 Oct, Sat 10 Oct, 12–23 Oct
    plan = LinearPlan(target=160, days=n)  # 10 a working day

    t = axis.number_on_or_before(D(2026, 10, 9))
    assert t == 4 and plan.q(t) == 50
    # 30 done on 9 October: planned 30 by day 2 (30 Sep): the holiday week is not lag.
    assert analysis.lag_days(plan, t, 30) == 2
    # Without the holiday: 20 working days to the finish (8 a day), day 9 on 9 October, and 30 is first
    # reached on day 3 (32): 6 days behind.
    plain = WorkCalendar().axis(D(2026, 9, 28))
    t_plain = plain.number_on_or_before(D(2026, 10, 9))
    assert (
        t_plain == 9
        and analysis.lag_days(LinearPlan(160, plain.number_on_or_before(finish) + 1), t_plain, 30) == 6
    )


def test_it_takes_the_last_working_day_for_a_report_on_a_non_working_day():
    holidays = {D(2026, 10, d) for d in range(1, 8)}
    axis = WorkCalendar(holidays=holidays).axis(D(2026, 9, 28))
    plan = LinearPlan(target=100, days=10)

    # Saturday 3 October (a holiday) counts as the end of Wednesday 30 September, day 2.
    assert axis.number_on_or_before(D(2026, 10, 3)) == 2
    assert axis.number_on_or_before(D(2026, 10, 7)) == 2
    assert plan.q(axis.number_on_or_before(D(2026, 10, 4))) == 30
    # A report before the start: nothing is planned yet.
    assert axis.number_on_or_before(D(2026, 9, 27)) == -1
    assert plan.q(-1) == 0 and analysis.lag_days(plan, -1, 0) == 0


def test_it_lags_more_when_a_figure_decreases():
    plan = LinearPlan(target=100, days=10)
    assert analysis.lag_days(plan, 6, 70) == 0
    assert analysis.lag_days(plan, 7, 60) == 2  # the figure went down from 70 to 60
    assert analysis.lag_days(plan, 7, 50) == 3


def test_it_sets_the_level_by_the_configurable_thresholds():
    assert [analysis.level_of(n) for n in (0, 5, 6, 15, 16)] == [
        "normal",
        "normal",
        "lagging",
        "lagging",
        "severe",
    ]
    assert analysis.level_of(3, lagging_after=2, severe_after=3) == "lagging"
    assert analysis.level_of(4, lagging_after=2, severe_after=3) == "severe"
    assert analysis.level_of(40, "completed") == "normal"
    assert analysis.level_of(40, "accepted") == "normal"
    assert analysis.level_of(40, "suspended") == "severe"


def test_it_takes_the_largest_lag_and_averages_the_percentages():
    result = analysis.evaluate_project(
        "under_construction",
        [
            IndicatorInput("拆迁面积", "m²", 100, 30, LinearPlan(100, 10), 4),  # planned 50, lag 2
            IndicatorInput("清淤量", "m³", 200, 250, LinearPlan(200, 10), 4),  # planned 100, ahead
            IndicatorInput("绿化面积", "m²", 50, 0, LinearPlan(50, 10), 19),  # planned 50, lag 20
        ],
    )
    assert result.lag_days == 20 and result.level == "severe"
    assert [i.lag_days for i in result.indicators] == [2, 0, 20]
    assert result.planned_pct == pytest.approx(100 * (0.5 + 0.5 + 1) / 3, abs=0.01)
    assert result.actual_pct == pytest.approx(100 * (0.3 + 1 + 0) / 3, abs=0.01)
    assert result.indicators[1].as_json() == {
        "name": "清淤量",
        "unit": "m³",
        "target": 200,
        "planned": 100,
        "actual": 250,
        "lag_days": 0,
    }


def test_it_leaves_an_indicator_without_a_plan_unplanned_and_not_lagging():
    result = analysis.evaluate_project("not_started", [IndicatorInput("拆迁面积", "m²", 100, 0)])
    assert result.lag_days == 0 and result.level == "normal"
    assert result.planned_pct is None and result.actual_pct == 0
    assert result.indicators[0].planned is None


def test_it_summarizes_statuses_and_the_started_rate():
    statuses = [
        "completed",
        "accepted",
        "under_construction",
        "under_construction",
        "not_started",
        "suspended",
    ]
    assert analysis.summarize(statuses) == {
        "total": 6,
        "completed": 2,
        "under_construction": 2,
        "not_started": 1,
        "suspended": 1,
        "started_rate": round(5 / 6, 4),
    }
    assert analysis.summarize([])["started_rate"] == 0


def test_it_ranks_units_by_share_on_time_then_average_lag():
    rows = [
        (["甲指挥部", "北园街道"], "normal", 0),
        (["甲指挥部", "泺口街道"], "severe", 20),
        (["乙指挥部", "北园街道"], "normal", 4),
        (["乙指挥部", "北园街道"], "lagging", 8),
    ]
    ranked = analysis.rank_units(rows)
    assert [(r.unit, r.projects, r.on_time, r.on_time_share, r.avg_lag) for r in ranked] == [
        ("北园街道", 3, 2, 0.6667, 4.0),
        ("乙指挥部", 2, 1, 0.5, 6.0),
        ("甲指挥部", 2, 1, 0.5, 10.0),
        ("泺口街道", 1, 0, 0.0, 20.0),
    ]


def test_it_tolerates_floating_point_rounding_of_equal_figures():
    plan = LinearPlan(target=0.3, days=3)
    assert analysis.lag_days(plan, 0, 0.1) == 0  # 0.3·1/3 as floats is 0.0999… (the plan itself is exact)
    assert analysis.lag_days(plan, 2, 0.1) == 2
    assert analysis.lag_days(plan, 2, 0.7 - 0.4) == 0  # an actual figure of 0.29999999999999993


# --- properties -------------------------------------------------------------------------------------

DURATIONS = [0, 1, 2, 4, 5, 8, 10]  # small least common multiple: exact rationals stay far apart


@st.composite
def plans(draw):
    if draw(st.booleans()):
        return LinearPlan(draw(st.integers(1, 10_000)), draw(st.integers(1, 400)))
    items = draw(
        st.lists(
            st.tuples(st.integers(0, 1000), st.integers(0, 60), st.sampled_from(DURATIONS)),
            min_size=1,
            max_size=6,
        )
    )
    return accrual_plan(items)


def exact_q(plan, t) -> Fraction:
    if t < 0:
        return Fraction(0)
    if isinstance(plan, LinearPlan):
        return Fraction(int(plan.target)) * min(max(Fraction(t + 1, max(plan.days, 1)), 0), 1)
    total = Fraction(0)
    for item in plan.items:
        q = Fraction(int(item.quantity))
        if item.duration == 0:
            total += q if t >= item.start - 1 else 0
        else:
            total += q * min(max(Fraction(t + 1 - item.start, item.duration), 0), 1)
    return total


def exact_lag(plan, t, actual) -> int:
    if Fraction(actual) >= exact_q(plan, t):
        return 0
    star = -1
    while exact_q(plan, star) < actual:
        star += 1
    return t - star


@settings(max_examples=300, deadline=None)
@given(plans(), st.integers(-3, 500))
def test_it_never_plans_less_on_a_later_day(plan, t):
    assert plan.q(t) <= plan.q(t + 1) + 1e-9
    assert plan.q(-1) == 0


@settings(max_examples=300, deadline=None)
@given(plans(), st.integers(-3, 500), st.integers(0, 12_000))
def test_it_agrees_with_an_exact_linear_search(plan, t, actual):
    assert analysis.lag_days(plan, t, float(actual)) == exact_lag(plan, t, actual)


@settings(max_examples=300, deadline=None)
@given(plans(), st.integers(0, 500), st.floats(0, 12_000, allow_nan=False))
def test_it_finds_the_first_day_reaching_the_actual_figure(plan, t, actual):
    lag = analysis.lag_days(plan, t, actual)
    assert 0 <= lag <= t + 1
    if analysis.at_least(actual, plan.q(t)):
        assert lag == 0
    # lag may also be 0 below plan: when day t itself is the first day reaching the figure (t* = t).
    if lag:
        star = t - lag
        assert star == -1 or analysis.at_least(plan.q(star), actual)
        assert not analysis.at_least(plan.q(star - 1), actual) or star == -1


@settings(max_examples=300, deadline=None)
@given(plans(), st.integers(0, 500), st.integers(0, 12_000), st.integers(0, 12_000))
def test_it_lags_no_more_when_more_is_done(plan, t, a, b):
    low, high = sorted((a, b))
    assert analysis.lag_days(plan, t, float(high)) <= analysis.lag_days(plan, t, float(low))
