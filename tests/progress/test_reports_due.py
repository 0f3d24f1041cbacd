"""Whose weekly report is due: one rule (figures.report_missing) for a project (any unit's report) and for
each of its reporting units (that unit's own reports); the reporting page shows both; the reminder time
is set on /reports/settings/ beside the deadline."""

import datetime

import pytest

from tests.progress.conftest import figures_of, submitted
from tiaodu.progress import figures, selectors
from tiaodu.progress.models import ReportingCycle

pytestmark = pytest.mark.django_db
FRIDAY = datetime.date(2026, 11, 27)


def test_the_one_rule_over_a_projects_or_a_units_reports():
    thursday = datetime.date(2026, 11, 26)
    assert figures.report_missing(True, None, thursday)
    assert figures.report_missing(True, datetime.date(2026, 11, 19), thursday)  # 8 days before: outside
    assert not figures.report_missing(True, datetime.date(2026, 11, 20), thursday)  # the window's first day
    assert not figures.report_missing(False, None, thursday)  # not due at all (not started yet, finished)


def test_a_street_owes_its_report_when_only_the_lead_unit_reported(reporters, frozen):
    d = reporters
    submitted(d.users["hq"], d.project, FRIDAY, figures_of(d.project, 拆迁面积=100))
    system = d.users["admin"]
    due = selectors.unit_reports_due(user=system, as_of=FRIDAY)
    # ZD-001: the lead HQ reported, its street office (a reporting unit) did not; ZD-002: its lead unit.
    assert [(x.code, x.unit_name, x.last_report) for x in due] == [
        ("ZD-001", "北园街道", None),
        ("ZD-002", "小清河综合治理指挥部", None),
    ]
    status = selectors.progress_status(user=system, as_of=FRIDAY, include_indicators=False)
    assert [m.code for m in status.missing_reports] == ["ZD-002"]  # the project figure: any unit's report
    # Seen by the street office: only what it sees, only its unit.
    street = d.users["street"]
    assert [(x.code, x.unit_name) for x in selectors.unit_reports_due(user=street, as_of=FRIDAY)] == [
        ("ZD-001", "北园街道")
    ]
    mine = selectors.unit_reports_due(user=street, as_of=FRIDAY, unit=d.units["hq"])
    assert mine == []


def test_the_reporting_page_shows_the_projects_status_and_the_units_own(reporters, frozen, client):
    d = reporters
    submitted(d.users["hq"], d.project, FRIDAY, figures_of(d.project, 拆迁面积=100))
    client.force_login(d.users["street"])
    html = client.get("/reports/").content.decode()
    assert "项目已报送" in html  # the project has its report (the lead unit's)
    assert 'data-unit-due-code="ZD-001">本单位本周待报' in html
    assert "本单位待报 <span data-unit-due>1</span>" in html
    submitted(d.users["street"], d.project, FRIDAY, figures_of(d.project, 拆迁面积=100))
    html = client.get("/reports/").content.decode()
    assert "本单位本周待报" not in html and "data-unit-due>" not in html


def test_the_reminder_time_is_set_beside_the_deadline_and_checked(district, client):
    client.force_login(district.users["office"])
    page = client.get("/reports/settings/").content.decode()
    assert "截止前提醒" in page and "提醒日" in page and 'value="17:00"' in page
    base = {"deadline_weekday": 3, "deadline_time": "17:00", "lagging_after": 5, "severe_after": 15}
    bad = client.post(
        "/reports/settings/", {**base, "remind_enabled": "on", "remind_weekday": 3, "remind_time": "17:30"}
    )
    assert bad.status_code == 200
    assert "提醒日与截止日同为周四时，提醒时间须早于截止时间" in bad.content.decode()
    ok = client.post(
        "/reports/settings/", {**base, "remind_enabled": "on", "remind_weekday": 1, "remind_time": "09:00"}
    )
    assert ok.status_code == 302
    cycle = ReportingCycle.objects.get(pk=1)
    assert (cycle.remind_weekday, cycle.remind_time, cycle.remind_label) == (
        1,
        datetime.time(9),
        "周二 09:00",
    )
    assert cycle.remind_before(datetime.date(2026, 12, 3)) == datetime.date(2026, 12, 1)
    client.post("/reports/settings/", {**base, "remind_weekday": 1, "remind_time": "09:00"})
    assert ReportingCycle.objects.get(pk=1).remind_label == "不提醒"
    # A unit user may not change it.
    client.force_login(district.users["street"])
    assert client.post("/reports/settings/", {**base, "remind_weekday": 2}).status_code == 403
