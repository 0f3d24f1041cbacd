"""催报 in a real browser: the office presses 催报 on the dashboard's list of missing reports and is told how
many units were urged; a street office whose report is due finds the message in its inbox, on a phone."""

import pytest

from tests.progress.test_browser import log_in, restore_migration_data  # noqa: F401 - a fixture
from tests.supervision.test_notifications import Robot


@pytest.mark.django_db(transaction=True)
def test_the_office_urges_and_the_street_reads_it_on_its_phone(live_server, browser, district, settings):
    from tiaodu.progress.settings_services import reporting_units_set
    from tiaodu.supervision.models import ReportReminder, WebhookEndpoint

    settings.NOTIFY_WEBHOOK_URLS = []
    settings.NOTIFY_WEBHOOK_ALLOW = ["127.0.0.1"]
    robot = Robot()
    try:
        WebhookEndpoint.objects.create(
            name="北园街道工作群", unit=district.units["street"], kind="wecom", url=robot.url()
        )
        reporting_units_set(
            user=district.users["hq"], project=district.project, units=[district.units["street"]]
        )
        # Neither project has a report this week: ZD-001 (its HQ and 北园街道) and ZD-002 (its HQ).
        office, page = log_in(browser, live_server, "office", {"width": 1920, "height": 1080})
        page.goto(f"{live_server.url}/dashboard/")
        card = page.locator("#missing")
        assert card.get_by_text("北园大街道路拓宽及两侧整治").is_visible()
        card.locator("#urge").click()
        page.wait_for_url(f"{live_server.url}/dashboard/")
        assert page.get_by_text("已向3个单位发送催报提醒（涉及2个项目）").is_visible()
        office.close()
        assert ReportReminder.objects.filter(kind="urge", sent_by=district.users["office"]).count() == 3

        phone, page = log_in(browser, live_server, "street", {"width": 390, "height": 844})
        page.goto(f"{live_server.url}/inbox/")
        assert page.get_by_text("催报：北园街道有1个项目的周报尚未报送").is_visible()
        assert page.get_by_text("刘主任催报").first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        phone.close()
        # The street's group robot got the same message (sent right after the commit by the job runner).
        assert any("催报：北园街道" in r["json"]["text"]["content"] for r in robot.requests)
    finally:
        robot.close()
