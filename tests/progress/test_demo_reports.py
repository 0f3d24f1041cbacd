"""The demo district's weekly reports: up to last week, a mix of on-time and lagging projects."""

import datetime

import pytest

from tiaodu.demo.loader import load_demo
from tiaodu.orgs.models import User
from tiaodu.progress.models import Report, ReportStatus
from tiaodu.progress.selectors import progress_status, verify_queue
from tiaodu.projects.models import Project, ProjectStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 29)  # a Sunday


def test_it_loads_weekly_reports_up_to_last_week_with_on_time_and_lagging_projects():
    result = load_demo(today=TODAY)

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


def test_it_adds_no_reports_when_loaded_again():
    load_demo(today=TODAY)
    count = Report.objects.count()
    assert load_demo(today=TODAY).created["reports"] == 0
    assert Report.objects.count() == count
