"""The investment figures (issue 13 item 5) on the pure module, every expected number computed by hand."""

import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiaodu.investment import figures as f

KEY, REM = "key_construction", "remediation"


def project(code="P1", **kw):
    base = {"name": f"项目{code}", "type": KEY, "lead_unit": "甲指挥部"}
    base.update(kw)
    return f.ProjectInput(code=code, **base)


# A: plan 1200, months Jan 100, Feb 150, (Mar none), Apr 200, May 999; 截至上年末累计 800; total 5000.
A = project(
    "A",
    total_investment=D(5000),
    annual_plan=D(1200),
    prior_cumulative=D(800),
    months={(2026, 1): D(100), (2026, 2): D(150), (2026, 4): D(200), (2026, 5): D(999)},
)


@pytest.mark.parametrize(
    "month, shown",
    [
        (1, "8.3"),
        (2, "16.7"),
        (3, "25.0"),
        (4, "33.3"),
        (5, "41.7"),
        (6, "50.0"),
        (7, "58.3"),
        (8, "66.7"),
        (9, "75.0"),
        (10, "83.3"),
        (11, "91.7"),
        (12, "100.0"),
    ],
)
def test_it_gives_the_time_progress_of_each_month(month, shown):
    assert str(f.time_progress_pct(month)) == shown


def test_it_refuses_a_month_outside_one_to_twelve():
    with pytest.raises(ValueError):
        f.time_progress_pct(13)


def test_it_computes_month_ytd_and_the_points_against_time_progress():
    p = f.project_money(A, year=2026, month=4)
    assert p.month == D(200)
    assert p.ytd == D(450)  # 100 + 150 + 200; May's 999 is later
    assert p.ytd_pct == D("37.5")  # 450 / 1200
    assert p.ahead_of_time_pp == D("4.2")  # 37.5 − 33.3
    assert p.cumulative == D(1250)  # 800 + 450
    assert p.total_pct == D(25)  # 1250 / 5000


def test_it_counts_a_month_without_a_figure_as_nothing():
    p = f.project_money(A, year=2026, month=3)
    assert p.month is None
    assert p.ytd == D(250)
    # 250 / 1200 = 20.8333…; 20.8333… − 25.0 = −4.1666… shown −4.2 (落后)
    assert f.pct_text(p.ytd_pct) == "20.8%"
    assert f.pct_text(p.ahead_of_time_pp, sign=True) == "−4.2"
    assert f.against_time_text(p.ahead_of_time_pp) == "落后时间进度4.2个百分点"


def test_it_sums_every_month_since_the_start_without_prior_cumulative():
    p = project(
        "B",
        total_investment=D(4000),
        annual_plan=D(1000),
        months={(2025, 11): D(300), (2025, 12): D(200), (2026, 1): D(100), (2026, 3): D(50), (2026, 4): D(7)},
    )
    m = f.project_money(p, year=2026, month=3)
    assert m.ytd == D(150)
    assert m.cumulative == D(650)  # 300 + 200 + 100 + 50; April's 7 is later
    assert m.total_pct == D("16.25")
    assert f.pct_text(m.total_pct) == "16.3%"


def test_it_adds_the_earlier_years_sum_when_given_instead_of_their_months():
    p = project("B", annual_plan=D(1000), months={(2026, 1): D(100)}, earlier_years=D(500))
    assert f.project_money(p, year=2026, month=1).cumulative == D(600)


def test_prior_cumulative_wins_over_the_earlier_months():
    p = project("B", prior_cumulative=D(10), months={(2025, 12): D(300), (2026, 1): D(100)})
    assert f.project_money(p, year=2026, month=1).cumulative == D(110)


def test_a_project_without_a_plan_has_no_percentages():
    for plan in (None, D(0)):
        p = f.project_money(project("C", annual_plan=plan, months={(2026, 1): D(80)}), year=2026, month=1)
        assert p.ytd == D(80)
        assert p.ytd_pct is None and p.ahead_of_time_pp is None
        assert p.total_pct is None  # no total investment either
        assert f.pct_text(p.ytd_pct) == "—"


def _starter(code, history):
    return project(code, annual_plan=D(100), planned_new_start=True, status_history=history)


LATE = _starter(
    "S1",
    [(datetime.date(2025, 12, 1), "not_started"), (datetime.date(2026, 5, 10), "under_construction")],
)
EARLY = _starter("S2", [(datetime.date(2026, 2, 28), "under_construction")])
NOT_PLANNED = project("S3", status_history=[(datetime.date(2026, 1, 5), "under_construction")])


def test_a_project_that_started_after_the_month_is_not_a_new_start_yet():
    april = f.compute([LATE, EARLY, NOT_PLANNED], year=2026, month=4).summary["all"]
    assert (april.planned_new_starts, april.new_starts) == (2, 1)
    assert april.new_start_rate == D(50)
    may = f.compute([LATE, EARLY, NOT_PLANNED], year=2026, month=5).summary["all"]
    assert (may.planned_new_starts, may.new_starts, may.new_start_rate) == (2, 2, D(100))
    jan = f.compute([LATE, EARLY], year=2026, month=1).summary["all"]
    assert (jan.new_starts, jan.new_start_rate) == (0, D(0))


def test_a_status_recorded_on_the_last_day_of_the_month_counts():
    p = _starter("S4", [(datetime.date(2026, 4, 30), "under_construction")])
    assert f.project_money(p, year=2026, month=4).started is True
    suspended = _starter(
        "S5", [(datetime.date(2026, 1, 2), "under_construction"), (datetime.date(2026, 3, 1), "suspended")]
    )
    assert f.project_money(suspended, year=2026, month=4).started is True  # 暂停 is not 未开工


def test_no_planned_new_starts_gives_no_rate():
    a = f.compute([A], year=2026, month=4).summary["all"]
    assert (a.planned_new_starts, a.new_starts, a.new_start_rate) == (0, 0, None)


def _funded(arrived, planned=D(1000)):
    return project("F", funds_planned=planned, arrivals=[(datetime.date(2026, 6, 30), arrived)])


def test_it_computes_funds_arrived_up_to_the_months_end():
    p = project(
        "F",
        funds_planned=D(1000),
        arrivals=[
            (datetime.date(2026, 3, 31), D(200)),
            (datetime.date(2026, 4, 30), D(50)),
            (datetime.date(2026, 5, 1), D(500)),
        ],
    )
    m = f.project_money(p, year=2026, month=4)
    assert m.funds_arrived == D(250)
    assert m.funds_rate == D(25)
    assert m.funding_gap is False  # 33.3 − 25 = 8.3 points
    none = f.project_money(project("G", arrivals=[(datetime.date(2026, 1, 1), D(5))]), year=2026, month=4)
    assert none.funds_planned is None and none.funds_rate is None and none.funding_gap is False


def test_a_shortfall_of_exactly_twenty_points_is_not_a_funding_gap():
    # June: 时间进度 50.0; 300 / 1000 = 30.0% → 20 points below: not flagged
    assert f.project_money(_funded(D(300)), year=2026, month=6).funding_gap is False
    # 299 / 1000 = 29.9% → 20.1 points below: flagged
    flagged = f.project_money(_funded(D(299)), year=2026, month=6)
    assert flagged.funding_gap is True
    status = f.compute([_funded(D(299)), A], year=2026, month=6)
    assert [p.code for p in status.funding_gaps] == ["F"]


def test_the_gap_threshold_is_a_parameter():
    assert f.project_money(_funded(D(300)), year=2026, month=6, gap_points=D(10)).funding_gap is True


def test_aggregates_are_percentages_on_the_sums():
    b = project("B", type=REM, lead_unit="乙街道", annual_plan=D(800), months={(2026, 4): D(50)})
    c = project("C", type=REM, lead_unit="乙街道", months={(2026, 4): D(30)})  # no plan: adds 0
    s = f.compute([A, b, c], year=2026, month=4)
    district = s.summary["all"]
    assert district.annual_plan == D(2000)  # 1200 + 800
    assert district.month == D(280)  # 200 + 50 + 30
    assert district.ytd == D(530)  # 450 + 50 + 30
    assert district.ytd_pct == D("26.5")  # 530 / 2000, not the mean of 37.5 and 6.25
    assert f.pct_text(district.ahead_of_time_pp, sign=True) == "−6.8"  # 26.5 − 33.3
    rem = s.summary[REM]
    assert (rem.annual_plan, rem.ytd, rem.ytd_pct) == (D(800), D(80), D(10))
    assert s.summary[KEY].ytd_pct == D("37.5")
    # units ranked by ytd_pct, highest first
    assert [(u.unit, u.ytd_pct) for u in s.units] == [("甲指挥部", D("37.5")), ("乙街道", D(10))]


def test_units_without_a_plan_come_last():
    b = project("B", lead_unit="丙单位", months={(2026, 1): D(5)})
    s = f.compute([b, A], year=2026, month=4)
    assert [u.unit for u in s.units] == ["甲指挥部", "丙单位"]


def test_percentages_are_rounded_half_up_only_when_shown():
    tiny = f.project_money(project("T", annual_plan=D(2000), months={(2026, 1): D(1)}), year=2026, month=1)
    assert tiny.ytd_pct == D("0.05")  # kept exact
    assert f.pct_text(tiny.ytd_pct) == "0.1%"  # half-up, not to even
    assert f.pct_text(D("0.04999")) == "0.0%"
    assert f.pct_text(D("-0.05"), sign=True) == "−0.1"
    assert f.pct_text(D("0.04"), sign=True) == "0.0"
    assert f.money_text(D("0.005")) == "0.01"
    assert f.money_text(D("12345.6")) == "12,345.60"
    assert f.money_text(None) == "—"


def test_it_writes_the_sentence_of_the_district_and_of_each_type():
    b = project("B", type=REM, annual_plan=D(800), months={(2026, 4): D(50)})
    s = f.compute([A, b, LATE, EARLY], year=2026, month=4)
    # ytd 450 + 50 = 500 of 2200 (1200 + 800 + 100 + 100): 22.727…% − 33.3 = −10.57… → 10.6
    assert f.summary_sentence(s) == (
        "1-4月，全区重点项目累计完成投资500.00万元，占年度投资计划的22.7%，落后时间进度10.6个百分点。"
        "本年度计划新开工项目2项，实际已开工1项，开工率50.0%。"
    )
    assert (
        f.summary_sentence(s, REM)
        == (
            "1-4月，全区综合整治项目累计完成投资50.00万元，占年度投资计划的6.3%，落后时间进度27.1个百分点。"  # 6.25 − 33.3 = −27.05, half-up away from 0
            "本年度无计划新开工项目。"
        )
    )


def test_the_sentence_speaks_in_yi_yuan_from_ten_thousand_wan():
    big = project("Y", annual_plan=D("6471193.42"), months={(2026, m): D(629000) for m in range(1, 11)})
    s = f.compute([big], year=2026, month=10)
    # 6,290,000万元 = 629.0亿元; 6290000 / 6471193.42 = 97.1999…% → 97.2; 97.1999… − 83.3 = 13.8999… → 13.9
    assert f.summary_sentence(s).startswith(
        "1-10月，全区重点项目累计完成投资629.0亿元，占年度投资计划的97.2%，超过时间进度13.9个百分点。"
    )
    jan = f.compute([project("Z")], year=2026, month=1)
    assert (
        f.summary_sentence(jan)
        == "1月，全区重点项目累计完成投资0.00万元（未编制年度投资计划）。本年度无计划新开工项目。"
    )


def test_the_json_has_the_keys_of_the_issue():
    data = f.status_json(f.compute([A, _funded(D(299))], year=2026, month=4))
    assert data["month"] == "2026-04"
    assert data["time_progress_pct"] == 33.3
    assert set(data["summary"]) == {KEY, REM, "all"}
    all_keys = {"annual_plan", "month", "ytd", "ytd_pct", "ahead_of_time_pp"}
    all_keys |= {"planned_new_starts", "new_starts", "new_start_rate"}
    assert all_keys <= set(data["summary"]["all"])
    project_keys = {"code", "annual_plan", "month", "ytd", "ytd_pct", "ahead_of_time_pp", "cumulative"}
    project_keys |= {"total_pct", "funds_planned", "funds_arrived", "funds_rate"}
    assert project_keys <= set(data["projects"][0])
    assert {"unit", "annual_plan", "ytd", "ytd_pct", "ahead_of_time_pp"} <= set(data["units"][0])
    a = data["projects"][0]
    assert (a["code"], a["month"], a["ytd"], a["ytd_pct"], a["cumulative"]) == (
        "A",
        200.0,
        450.0,
        37.5,
        1250.0,
    )


# --- laws ---------------------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
month_figures = st.dictionaries(st.tuples(st.just(2026), st.integers(1, 12)), amounts, max_size=12)


@settings(max_examples=60, deadline=None)
@given(month_figures, st.integers(1, 12), st.integers(1, 12), amounts, st.none() | amounts)
def test_adding_a_months_figure_never_lowers_ytd_or_cumulative(months, m, new_month, value, plan):
    before = f.project_money(project(months=months, annual_plan=plan), year=2026, month=m)
    added = {**months, (2026, new_month): months.get((2026, new_month), D(0)) + value}
    after = f.project_money(project(months=added, annual_plan=plan), year=2026, month=m)
    assert after.ytd >= before.ytd
    assert after.cumulative >= before.cumulative
    if before.ytd_pct is not None:
        assert after.ytd_pct >= before.ytd_pct


@settings(max_examples=60, deadline=None)
@given(month_figures, st.integers(1, 12), st.none() | amounts, st.sampled_from([KEY, REM]))
def test_the_aggregate_of_one_project_is_that_project(months, m, plan, type_):
    s = f.compute([project(type=type_, months=months, annual_plan=plan)], year=2026, month=m)
    p, agg, unit = s.projects[0], s.summary["all"], s.units[0]
    assert s.summary[type_] == agg
    assert (agg.annual_plan, agg.month, agg.ytd) == (plan or D(0), p.month or D(0), p.ytd)
    assert (unit.ytd, unit.ytd_pct, unit.ahead_of_time_pp) == (p.ytd, agg.ytd_pct, agg.ahead_of_time_pp)
    if plan:
        assert (agg.ytd_pct, agg.ahead_of_time_pp) == (p.ytd_pct, p.ahead_of_time_pp)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(month_figures, st.none() | amounts), max_size=5), st.integers(1, 12))
def test_the_district_sums_its_types(rows, m):
    inputs = [
        project(f"P{i}", type=KEY if i % 2 else REM, months=ms, annual_plan=pl)
        for i, (ms, pl) in enumerate(rows)
    ]
    s = f.compute(inputs, year=2026, month=m)
    assert s.summary["all"].ytd == s.summary[KEY].ytd + s.summary[REM].ytd
    assert s.summary["all"].annual_plan == s.summary[KEY].annual_plan + s.summary[REM].annual_plan
