"""The demo district's weekly reports: up to last week, a mix of on-time and lagging projects."""

import datetime

import pytest

from tests.demo_copy import demo_district
from tiaodu.demo.loader import load_demo
from tiaodu.orgs.models import User
from tiaodu.progress.models import Report, ReportStatus
from tiaodu.progress.selectors import progress_status, verify_queue
from tiaodu.projects.models import Project, ProjectStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 29)  # a Sunday


def test_it_loads_weekly_reports_up_to_last_week_with_on_time_and_lagging_projects():
    result = demo_district(today=TODAY)

    assert result.created["reports"] > 1000
    assert Report.objects.filter(as_of__gt=TODAY).count() == 0
    assert Report.objects.filter(as_of=datetime.date(2026, 11, 26)).count() > 20  # last Thursday
    assert not Report.objects.filter(project__status=ProjectStatus.NOT_STARTED).exists()
    data = progress_status(user=None, as_of=TODAY)
    levels = [p.level for p in data.projects if p.status != ProjectStatus.NOT_STARTED]
    assert levels.count("normal") >= 12 and levels.count("lagging") >= 3 and levels.count("severe") >= 2
    assert 1 <= len(data.missing_reports) <= 5
    hq = User.objects.get(username="beiyuan_hq")
    assert verify_queue(user=hq).exists()  # the newest report waits for verification
    returned = Report.objects.get(status=ReportStatus.RETURNED)
    assert returned.return_reason and Report.objects.get(previous=returned).counted
    # A street with a demo account reports on its project.
    street = User.objects.get(username="beiyuan_street")
    from tiaodu.progress.permissions import report_can_submit

    assert report_can_submit(user=street, obj=Project.objects.get(code="ZD-2026-01"))


def test_every_demo_report_is_submitted_by_its_units_reporter_and_verified_by_someone_else():
    from tiaodu.demo.reporters import reporting_unit_names
    from tiaodu.progress.permissions import report_can_verify

    demo_district(today=TODAY)
    reporters = {
        u.person.unit.name: u
        for u in User.objects.filter(username__startswith="tb").select_related("person__unit")
    }
    assert set(reporters) == set(reporting_unit_names()) and len(reporters) > 20
    assert reporters["北园大街改造指挥部"].username == "tb01"
    reports = Report.objects.select_related(
        "project", "reporting_unit", "submitted_by__person", "verified_by__person"
    )
    assert not reports.filter(submitted_by__isnull=True).exists()
    streets = 0
    for report in reports:
        assert report.submitted_by == reporters[report.reporting_unit.name], report
        verifier = report.verified_by
        if verifier is None:
            continue
        assert verifier != report.submitted_by, report
        if report.reporting_unit_id == report.project.lead_unit_id:
            assert verifier.manages_all, report  # the office
        else:
            streets += 1
            assert verifier.unit == report.project.lead_unit, report
    assert streets >= 2
    # What waits in the queues: the streets' newest reports for their lead units, the rest for the office.
    hq = User.objects.get(username="beiyuan_hq")
    # (北园街道 also reports its share of the split demolition; 无影山街道 and 药山街道 report theirs.)
    assert {r.reporting_unit.name for r in verify_queue(user=hq)} == {"北园街道", "无影山街道", "药山街道"}
    tb01 = reporters["北园大街改造指挥部"]
    assert not verify_queue(user=tb01).filter(submitted_by=tb01).exists()
    office = User.objects.get(username="office")
    waiting = list(verify_queue(user=office))
    assert waiting and all(report_can_verify(user=office, obj=r) for r in waiting)


def test_it_adds_no_reports_when_loaded_again():
    demo_district(today=TODAY)
    count = Report.objects.count()
    assert load_demo(today=TODAY).created["reports"] == 0
    assert Report.objects.count() == count
