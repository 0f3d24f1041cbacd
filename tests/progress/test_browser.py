"""A phone submits a weekly report with a photo; the lead unit verifies; the dashboard shows it."""

import datetime

import pytest

from tests.progress.conftest import exif_with_gps, jpeg

PASSWORD = "Tiaodu@2026!"


@pytest.fixture(scope="module", autouse=True)
def restore_migration_data(django_db_blocker):
    """Leave the test database as the migrations made it (a transactional test empties every table)."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


def log_in(browser, live_server, username, viewport):
    context = browser.new_context(
        viewport=viewport,
        locale="zh-CN",
        is_mobile=viewport["width"] < 500,
        has_touch=viewport["width"] < 500,
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_submits_a_report_from_a_phone_and_shows_it_on_the_dashboard_after_verification(
    live_server, browser, district
):
    from django.utils import timezone

    from tiaodu.progress.models import Report, ReportStatus
    from tiaodu.progress.settings_services import reporting_units_set
    from tiaodu.projects.models import Project

    today = timezone.localdate()
    Project.objects.filter(pk=district.project.pk).update(
        planned_start=today - datetime.timedelta(days=120),
        planned_finish=today + datetime.timedelta(days=120),
    )
    reporting_units_set(user=district.users["hq"], project=district.project, units=[district.units["street"]])

    # The street office, on a phone: its reports page, the project, the form.
    phone, page = log_in(browser, live_server, "street", {"width": 390, "height": 844})
    page.goto(f"{live_server.url}/reports/")
    assert page.locator("#due").get_by_text("项目未报送", exact=True).is_visible()
    page.locator("#due a", has_text="填报").first.click()
    page.wait_for_url(f"{live_server.url}/projects/ZD-001/reports/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    camera = page.locator("input[type=file]")
    assert camera.get_attribute("capture") == "environment" and camera.get_attribute("accept") == "image/*"
    quantity = page.get_by_label("拆迁面积", exact=True)
    quantity.fill("30000")
    page.fill("#id_image_progress", "北段拆迁完成，南段进场")
    # Taken today (EXIF): a photo without its time would be flagged (数据异常) and need a note to verify.
    taken = datetime.datetime.now().strftime("%Y:%m:%d %H:%M:%S")
    photo = jpeg(exif=exif_with_gps(taken=taken))
    camera.set_input_files([{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    assert "已选择 1 张：现场.jpg" in page.inner_text("#td-photo-count")
    submit = page.get_by_role("button", name="提交")
    assert submit.is_visible()
    submit.click()
    page.wait_for_url(lambda url: "/reports/" in url and url.rstrip("/").split("/")[-1].isdigit())
    assert page.inner_text("#report-status").startswith("已提交")
    assert page.locator("#photos img").count() == 1
    phone.close()

    report = Report.objects.get()
    assert report.reporting_unit == district.units["street"] and report.photos.count() == 1
    assert report.flags == []

    # The lead HQ verifies from its queue.
    desk, page = log_in(browser, live_server, "hq", {"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/reports/verify/")
    card = page.locator(f"[data-report='{report.pk}']")
    assert "北园街道" in card.inner_text()
    card.get_by_role("button", name="审核通过").click()
    page.wait_for_url(f"{live_server.url}/reports/verify/")
    assert "没有待审核的周报" in page.inner_text("main")
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED

    # The dashboard: the project is under construction now and its figure is there.
    page.goto(f"{live_server.url}/dashboard/")
    assert page.inner_text("[data-type='key_construction'][data-key='under_construction'] .td-stat") == "1"
    row = page.locator("#behind tr[data-code='ZD-001']")
    assert "实际 25.0%" in row.inner_text()
    row.locator("[data-curve-code]").click()
    # A function, not a bare expression: Playwright polls a bare expression with eval(), which the CSP forbids.
    page.wait_for_function(
        "() => document.getElementById('td-curve-title').textContent.indexOf('ZD-001') === 0"
    )
    assert page.evaluate("!!echarts.getInstanceByDom(document.getElementById('td-curve'))")
    page.click("#behind tr[data-code='ZD-001'] a")
    page.wait_for_url(f"{live_server.url}/projects/ZD-001/reports/")
    assert "已审核" in page.inner_text("main")
    desk.close()
