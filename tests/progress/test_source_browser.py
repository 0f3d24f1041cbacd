"""In a browser: a figure of the dashboard leads to the report it comes from — in one click from the lag's
driving indicator, in two through 综合进度 and the project page — and the report shows who filed it, who
verified it, and its photo's EXIF time and place."""

import datetime

import pytest

from tests.progress.conftest import exif_with_gps, figures_of, jpeg
from tests.progress.test_browser import log_in, restore_migration_data  # noqa: F401 (a module fixture)

DESK = {"width": 1920, "height": 1080}


def _lagging_report(district):
    """ZD-001 planned over 240 days from 120 days ago; its street office (a reporting unit) reports 1,000 m²
    of 120,000 today, with a photo, and the lead HQ verifies it: the project lags, 拆迁面积 drives."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from tiaodu.progress.services import ReportInput, report_save_draft, report_submit, report_verify
    from tiaodu.progress.settings_services import reporting_units_set
    from tiaodu.projects.models import Project

    today = timezone.localdate()
    Project.objects.filter(pk=district.project.pk).update(
        planned_start=today - datetime.timedelta(days=120),
        planned_finish=today + datetime.timedelta(days=120),
    )
    reporting_units_set(user=district.users["hq"], project=district.project, units=[district.units["street"]])
    # Taken on the as-of date: an older photo would be flagged (数据异常) and need a note to verify.
    taken = today.strftime("%Y:%m:%d 09:30:00")
    photo = SimpleUploadedFile("现场.jpg", jpeg(exif=exif_with_gps(taken=taken)), content_type="image/jpeg")
    data = ReportInput(
        as_of=today, figures=figures_of(district.project, 拆迁面积=1000), image_progress="北段进场"
    )
    street = district.users["street"]
    report = report_save_draft(user=street, project=district.project, data=data, photos=[photo])
    report = report_submit(user=street, report=report)
    return report_verify(user=district.users["hq"], report=report)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_dashboard_figure_leads_to_its_report_and_its_reporter(live_server, browser, district, media_root):
    report = _lagging_report(district)
    context, page = log_in(browser, live_server, "leader", DESK)
    page.goto(f"{live_server.url}/dashboard/")
    row = page.locator("#behind tr[data-code='ZD-001']")
    lag = row.locator("[data-lag-text]").inner_text()
    assert lag.startswith("滞后") and lag.endswith(
        "拆迁面积 计划" + lag.split("计划")[1].split("，")[0] + "，实际1,000m²"
    )

    # One click: the driving indicator's actual figure → the report.
    row.get_by_role("link", name="1,000m²").click()
    page.wait_for_url(f"{live_server.url}/reports/{report.pk}/")
    assert page.inner_text("#report-reporter") == "钱主任"
    assert page.inner_text("#report-verifier") == "赵指挥"
    photo = page.inner_text("#photos")
    day = report.as_of
    assert f"拍摄于 {day.year}年{day.month}月{day.day}日 09:30" in photo and "36.691667, 117.005" in photo
    assert "第1版" in page.inner_text("#revisions")

    # Two clicks: 综合进度 → the project page → its figure in the indicator table → the same report.
    page.goto(f"{live_server.url}/dashboard/")
    page.locator("#behind tr[data-code='ZD-001'] .td-pct-avg a").click()
    page.wait_for_url(f"{live_server.url}/projects/ZD-001/#progress")
    assert lag in page.inner_text("#progress")
    page.locator("#progress-indicators tr[data-indicator='拆迁面积'] a.td-source").click()
    page.wait_for_url(f"{live_server.url}/reports/{report.pk}/")
    assert page.inner_text("#report-reporter") == "钱主任"
    context.close()
