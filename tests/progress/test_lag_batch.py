"""All indicators at once (lag_batch.evaluate_linear) give every planned figure and lag that
analysis.evaluate_indicator gives one by one — the numbers the overview showed before, exactly."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.progress.test_lag_closed_form import lag_before, linear_cases
from tiaodu.progress import analysis, lag_batch
from tiaodu.progress.analysis import IndicatorInput, LinearPlan

HUGE = st.builds(
    lambda target, days, t, actual: (LinearPlan(target, days), t, actual),
    st.integers(10**15, 10**18).map(float) | st.decimals(10**12, 10**15, places=3).map(float),
    st.integers(1, 5000),
    st.integers(-3, 6000),
    st.floats(0, 1e18, allow_nan=False),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(linear_cases() | HUGE, max_size=40))
def test_all_at_once_gives_each_indicators_figures(cases):
    plans = [p for p, _t, _x in cases]
    ts = [t for _p, t, _x in cases]
    actuals = [x for _p, _t, x in cases]
    planned, lags = lag_batch.evaluate_linear(plans, ts, actuals)
    for (plan, t, actual), q, lag in zip(cases, planned, lags, strict=True):
        one = analysis.evaluate_indicator(
            IndicatorInput("道路长度", "m", float(plan.target), actual, plan, t)
        )
        assert (repr(q), lag) == (repr(one.planned), one.lag_days), (plan, t, actual)
        assert lag == lag_before(plan, t, actual)
        assert type(q) is float and type(lag) is int


def test_a_long_district_of_plans_on_and_behind_schedule():
    """Every day of a few hundred plans, against actual figures at, just under and just over the plan."""
    cases = []
    for target in (160.0, 1000.0, 33333.333, 0.001, 7.0, 2.5e9):
        for days in (1, 2, 7, 250, 613):
            plan = LinearPlan(target, days)
            for t in range(-2, days + 3, max(days // 40, 1)):
                for s in (t - 30, t - 5, t - 1, t):
                    q = plan.q(s)
                    cases += [
                        (plan, t, q),
                        (plan, t, q * (1 - 2e-9)),
                        (plan, t, q * (1 + 2e-9)),
                        (plan, t, q / 2),
                    ]
    planned, lags = lag_batch.evaluate_linear(*zip(*cases, strict=True))
    for (plan, t, actual), q, lag in zip(cases, planned, lags, strict=True):
        assert (q, lag) == (plan.q(t), lag_before(plan, t, actual)), (plan, t, actual)
