"""The driving indicator (the indicator whose lag is the project's lag) and finished projects, on hand-computed
cases: in the pure analysis, then through progress_status, the stored snapshot, the CLI and the API."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.progress.conftest import figures_of, submitted
from tests.progress.test_overview import make_project
from tiaodu.progress import analysis, figures
from tiaodu.progress.analysis import IndicatorInput, LinearPlan
from tiaodu.progress.overview import snapshot
from tiaodu.progress.selectors import progress_status
from tiaodu.projects.models import Indicator

D = datetime.date

# LinearPlan(target, N) plans target·(t+1)/N at day t. At t = 5 of 10 days: 60 % of the target planned.


def test_the_indicator_with_the_largest_lag_drives():
    result = analysis.evaluate_project(
        "under_construction",
        [
            IndicatorInput("拆迁面积", "m²", 100, 30, LinearPlan(100, 10), 4),  # planned 50, lag 2
            IndicatorInput("清淤量", "m³", 200, 250, LinearPlan(200, 10), 4),  # ahead
            IndicatorInput("绿化面积", "m²", 50, 0, LinearPlan(50, 10), 19),  # planned 50, lag 20
        ],
    )
    assert result.lag_days == 20
    assert result.driving_indicator.name == "绿化面积"
    assert (result.driving_indicator.planned, result.driving_indicator.actual) == (50, 0)


def test_a_tie_on_days_goes_to_the_larger_shortfall_as_a_share_of_the_target():
    # A: planned 60 of 100, actual 40 → 40 was planned on day 3: lag 2; shortfall 20/100 = 0.2.
    # B: planned 100·6/20 = 30 of 100, actual 20 → planned on day 3: lag 2; shortfall 10/100 = 0.1.
    # B is listed first and B's name comes first: neither decides.
    result = analysis.evaluate_project(
        "under_construction",
        [
            IndicatorInput("A道路长度", "m", 100, 20, LinearPlan(100, 20), 5),
            IndicatorInput("B拆迁面积", "m²", 100, 40, LinearPlan(100, 10), 5),
        ],
    )
    assert [i.lag_days for i in result.indicators] == [2, 2]
    assert result.driving_indicator.name == "B拆迁面积"


def test_a_tie_on_days_and_share_goes_to_the_first_by_name():
    # Both: planned 60 %, actual 40 % of the target: lag 2, shortfall 0.2 (20/100 and 40/200).
    tied = [
        IndicatorInput("道路长度", "m", 200, 80, LinearPlan(200, 10), 5),
        IndicatorInput("绿化面积", "m²", 100, 40, LinearPlan(100, 10), 5),
    ]
    for order in (tied, list(reversed(tied))):
        result = analysis.evaluate_project("under_construction", order)
        assert result.lag_days == 2
        # The first by name, in code-point order: 绿 (U+7EFF) before 道 (U+9053).
        assert result.driving_indicator.name == "绿化面积"


def test_a_project_that_does_not_lag_has_no_driving_indicator():
    result = analysis.evaluate_project(
        "under_construction", [IndicatorInput("拆迁面积", "m²", 100, 60, LinearPlan(100, 10), 5)]
    )
    assert (result.lag_days, result.driving_indicator) == (0, None)


@pytest.mark.parametrize("status", ["completed", "accepted"])
def test_a_finished_project_does_not_lag_though_its_indicator_keeps_its_figures(status):
    result = analysis.evaluate_project(
        status, [IndicatorInput("拆迁面积", "m²", 100, 0, LinearPlan(100, 10), 19)]
    )
    assert (result.lag_days, result.level, result.driving_indicator) == (0, "normal", None)
    assert result.indicators[0].lag_days == 20 and result.indicators[0].planned == 100


def test_a_finished_project_counts_as_on_time_with_no_lag_in_the_unit_ranking():
    rows = [(("少年路指挥部",), "normal", 0), (("少年路指挥部",), "severe", 30)]
    (unit,) = analysis.rank_units(rows)
    assert (unit.on_time, unit.on_time_share, unit.avg_lag) == (1, 0.5, 15.0)


@st.composite
def indicator_inputs(draw):
    n = draw(st.integers(1, 5))
    out = []
    for i in range(n):
        target = draw(st.integers(1, 1000))
        days = draw(st.integers(1, 60))
        out.append(
            IndicatorInput(
                draw(st.sampled_from(["拆迁", "道路", "绿化", "管网"])) + str(i),
                "m",
                target,
                draw(st.integers(0, target)),
                LinearPlan(target, days),
                draw(st.integers(0, 80)),
            )
        )
    return out


@settings(max_examples=200, deadline=None)
@given(indicator_inputs())
def test_the_driving_indicator_carries_the_projects_lag(inputs):
    result = analysis.evaluate_project("under_construction", inputs)
    if result.lag_days == 0:
        assert result.driving_indicator is None
    else:
        assert (
            result.driving_indicator.lag_days == result.lag_days == max(i.lag_days for i in result.indicators)
        )


def test_the_lag_is_put_in_words_with_its_driving_indicator():
    driving = figures.DrivingIndicator("道路长度", "m", 8000, 5200, 3300, 88)
    assert driving.text == "道路长度 计划5,200m，实际3,300m"
    assert (driving.planned_pct, driving.actual_pct) == (65.0, 41.25)
    assert figures.quantity_text(1234.5) == "1,234.5" and figures.quantity_text(0.125) == "0.125"


# --- through the database ---------------------------------------------------------------------------


def _two_indicator_project(district):
    # 10 working days from Mon 2 Nov 2026; as of Fri 13 Nov, day 9: all of each target planned.
    p = make_project(district, "DRV", D(2026, 11, 2), D(2026, 11, 13), target=100)
    Indicator.objects.create(project=p, name="道路长度", unit_of_measure="m", target=1000, sort_order=2)
    report = submitted(district.users["hq"], p, D(2026, 11, 13), figures_of(p, 拆迁面积=40, 道路长度=200))
    return p, report


@pytest.mark.django_db
def test_progress_status_the_snapshot_the_cli_and_the_api_name_the_same_driving_indicator(
    frozen, district, client
):
    _p, report = _two_indicator_project(district)
    as_of = D(2026, 11, 13)
    # 拆迁面积: planned 100, actual 40 (planned on day 3): lag 6. 道路长度: planned 1000, actual 200 (day 1): lag 8.
    fresh = progress_status(user=None, as_of=as_of, fresh=True).project("DRV")
    assert (fresh.lag_days, fresh.level) == (8, "lagging")
    assert fresh.driving_indicator == figures.DrivingIndicator("道路长度", "m", 1000, 1000, 200, 8, report.pk)
    assert fresh.lag_text == "滞后8个工作日：道路长度 计划1,000m，实际200m"
    assert [i.source_report for i in fresh.indicators] == [report.pk, report.pk]

    snapshot.snapshot_store(as_of)
    stored = progress_status(user=None, as_of=as_of).project("DRV")
    assert stored.driving_indicator == fresh.driving_indicator

    out = io.StringIO()
    call_command("progress_status", "--as-of", "2026-11-13", "--json", stdout=out)
    (cli,) = [p for p in json.loads(out.getvalue())["projects"] if p["code"] == "DRV"]
    expected = {"name": "道路长度", "unit": "m", "planned": 1000, "actual": 200, "lag_days": 8}
    assert cli["driving_indicator"] == expected
    assert [i["source_report"] for i in cli["indicators"]] == [report.pk, report.pk]

    text = io.StringIO()
    call_command("progress_status", "--as-of", "2026-11-13", stdout=text)
    assert "DRV 测试项目DRV  滞后8个工作日：道路长度 计划1,000m，实际200m  综合进度" in text.getvalue()

    client.force_login(district.users["office"])
    api = client.get("/api/v1/progress", {"as_of": "2026-11-13"}).json()
    (row,) = [p for p in api["projects"] if p["code"] == "DRV"]
    assert row["driving_indicator"] == expected and row["lag_days"] == 8


@pytest.mark.django_db
def test_a_finished_project_shows_no_lag_anywhere(frozen, district, client):
    p, _report = _two_indicator_project(district)
    as_of, hq = D(2026, 11, 13), district.units["hq"].name
    client.force_login(district.users["office"])

    def unit_row(data):
        (row,) = [u for u in data["units"] if u["unit"] == hq]
        return row

    before = unit_row(client.get("/api/v1/progress", {"as_of": "2026-11-13"}).json())
    p.status = "accepted"
    p.save()
    data = progress_status(user=None, as_of=as_of).project("DRV")
    assert (data.lag_days, data.level, data.driving_indicator) == (0, "normal", None)
    assert [i.lag_days for i in data.indicators] == [6, 8]  # kept for the record
    api = client.get("/api/v1/progress", {"as_of": "2026-11-13"}).json()
    (row,) = [r for r in api["projects"] if r["code"] == "DRV"]
    assert (row["lag_days"], row["level"], row["driving_indicator"]) == (0, "normal", None)
    # In the unit ranking, DRV's 8 days are gone from the headquarters' average.
    after = unit_row(api)
    assert after["projects"] == before["projects"]
    assert after["avg_lag"] == pytest.approx(before["avg_lag"] - 8 / before["projects"], abs=0.01)
