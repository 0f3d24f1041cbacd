"""One definition per figure (tiaodu.progress.figures): pure, on hand-made cases."""

import datetime

from tiaodu.progress import figures
from tiaodu.progress.figures import ProjectFigures, TypeSummary

D = datetime.date
AS_OF = D(2026, 11, 27)


def test_it_counts_accepted_projects_as_completed_and_rates_the_started_ones():
    pairs = [("key_construction", s) for s in ["completed", "accepted", "under_construction", "not_started"]]
    pairs += [("key_construction", "suspended"), ("key_construction", "under_construction")]
    summary = figures.type_summaries(pairs)
    assert list(summary) == ["key_construction", "remediation"]
    assert summary["key_construction"] == TypeSummary(6, 2, 2, 1, 1, 0.8333)
    assert summary["remediation"] == TypeSummary(0, 0, 0, 0, 0, 0.0)
    assert figures.summary_sentence("key_construction", summary["key_construction"], "本单位相关的") == (
        "本单位相关的6个重点建设项目中，已竣工2项，在建2项，未开工1项，暂停1项，开工率83.3%。"
    )


def test_it_asks_a_report_of_projects_under_way_and_of_those_past_their_planned_start():
    assert figures.must_report("under_construction", None, AS_OF)
    assert figures.must_report("suspended", None, AS_OF)
    assert figures.must_report("not_started", AS_OF, AS_OF)
    assert not figures.must_report("not_started", AS_OF + datetime.timedelta(days=1), AS_OF)
    assert not figures.must_report("not_started", None, AS_OF)
    assert not figures.must_report("completed", D(2025, 1, 1), AS_OF)
    assert not figures.must_report("accepted", D(2025, 1, 1), AS_OF)


def test_it_counts_a_report_in_the_seven_days_ending_at_the_as_of_date():
    assert figures.window_start(AS_OF) == D(2026, 11, 21)
    assert figures.has_reported(D(2026, 11, 21), AS_OF) and figures.has_reported(AS_OF, AS_OF)
    assert not figures.has_reported(D(2026, 11, 20), AS_OF) and not figures.has_reported(None, AS_OF)


def _project(code, status, reported, must_report, level="normal", lag=0, units=("甲",)):
    return ProjectFigures(
        code, code, "remediation", status, level, lag, None, None, reported, None, must_report, units
    )


def test_it_lists_as_missing_only_the_projects_that_must_report_and_did_not():
    projects = [
        _project("A", "under_construction", reported=False, must_report=True),
        _project("B", "completed", reported=False, must_report=False),  # the reporting page used to count it
        _project("C", "under_construction", reported=True, must_report=True),
    ]
    assert figures.missing_reports(projects) == (figures.MissingReport("A", "A", None),)
    assert [p.report_missing for p in projects] == [True, False, False]


def test_it_counts_levels_and_lists_the_projects_behind_plan_severe_first():
    projects = [
        _project("A", "under_construction", True, True, "lagging", 8),
        _project("B", "under_construction", True, True, "severe", 20),
        _project("C", "under_construction", True, True, "severe", 40),
        _project("D", "under_construction", True, True),
    ]
    assert figures.level_counts(projects) == {"severe": 2, "lagging": 1, "normal": 1}
    assert [p.code for p in figures.behind(projects)] == ["C", "B", "A"]


def test_it_assembles_the_answer_and_its_json_from_computed_rows():
    row = {
        "id": 1,
        "code": "A",
        "name": "甲项目",
        "type": "remediation",
        "status": "under_construction",
        "level": "severe",
        "lag_days": 20,
        "driving": {
            "name": "拆迁面积",
            "unit": "m²",
            "target": 100,
            "planned": 50,
            "actual": 10,
            "lag_days": 20,
        },
        "planned_pct": 50.0,
        "actual_pct": 10.0,
        "reported": False,
        "last_report": "2026-11-12",
        "must_report": True,
        "units": [7, 8, 99],
    }
    details = {
        "A": [
            {
                "name": "拆迁面积",
                "unit": "m²",
                "target": 100,
                "planned": 50,
                "actual": 10,
                "lag_days": 20,
                "source_report": 31,
                "shares": [],
            }
        ]
    }
    status = figures.assemble(
        [row],
        as_of=AS_OF,
        unit_names={7: "甲指挥部", 8: "乙街道"},
        unit_order={"甲指挥部": 1},
        details=details,
    )
    assert status.project("A").units == ("甲指挥部", "乙街道") and status.project("A").last_report == D(
        2026, 11, 12
    )
    assert status.missing_reports == (figures.MissingReport("A", "甲项目", D(2026, 11, 12)),)
    assert [(u.unit, u.on_time_share) for u in status.units] == [("甲指挥部", 0.0), ("乙街道", 0.0)]
    data = figures.status_json(status)
    assert data["projects"][0] == {
        "code": "A",
        "name": "甲项目",
        "type": "remediation",
        "status": "under_construction",
        "level": "severe",
        "lag_days": 20,
        "driving_indicator": {"name": "拆迁面积", "unit": "m²", "planned": 50, "actual": 10, "lag_days": 20},
        "planned_pct": 50.0,
        "actual_pct": 10.0,
        "reported": False,
        "last_report": "2026-11-12",
        "units": ["甲指挥部", "乙街道"],
        "indicators": details["A"],
    }
    assert status.project("A").lag_text == "滞后20个工作日：拆迁面积 计划50m²，实际10m²"
    assert data["missing_reports"] == [{"code": "A", "name": "甲项目", "last_report": "2026-11-12"}]
    assert (
        "indicators"
        not in figures.status_json(figures.assemble([row], as_of=AS_OF, unit_names={}, unit_order={}))[
            "projects"
        ][0]
    )


def test_a_plan_reads_to_the_precision_of_its_target_rounded_up():
    """计划557.143处 is no figure a user reads: a count target gives a whole plan, rounded up, so a lagging
    project never shows a plan equal to its actual figure."""
    from tiaodu.progress.figures import DrivingIndicator, IndicatorFigures, plan_text

    assert plan_text(557.143, 600) == "558"
    assert plan_text(2083.969, 5200.5) == "2,084"
    assert plan_text(12.3456, 20.25) == "12.35"
    assert plan_text(1000.0000000001, 2000) == "1,000"
    d = DrivingIndicator(name="点位整治", unit="处", target=600, planned=557.143, actual=557, lag_days=1)
    assert d.text == "点位整治 计划558处，实际557处"
    i = IndicatorFigures(name="点位整治", unit="处", target=600, planned=557.143, actual=557, lag_days=1)
    assert (i.planned_number, IndicatorFigures("x", "处", 600, None, 0, 0).planned_number) == ("558", "—")
