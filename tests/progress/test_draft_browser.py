"""Nothing lost at a session timeout: the report form keeps a draft in the browser, and signing in again
after the session ended goes back to the form (not to a POST-only address)."""

import datetime

import pytest

from tests.browser_shots import shot
from tests.progress.test_browser import PASSWORD, log_in, restore_migration_data  # noqa: F401

FORM = "/projects/ZD-001/reports/new/"


def key(district):
    return f"tiaodu:report-draft:{district.users['hq'].pk}:ZD-001:new"


def kept(page, district):
    return page.evaluate("k => window.localStorage.getItem(k)", key(district))


def started_project(district):
    from django.utils import timezone

    from tiaodu.projects.models import Project

    today = timezone.localdate()
    Project.objects.filter(pk=district.project.pk).update(
        planned_start=today - datetime.timedelta(days=120),
        planned_finish=today + datetime.timedelta(days=120),
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_form_keeps_a_draft_until_it_is_submitted(live_server, browser, district, tmp_path):
    from tiaodu.progress.models import Report, ReportStatus

    started_project(district)
    context, page = log_in(browser, live_server, "hq", {"width": 390, "height": 844})
    page.goto(f"{live_server.url}{FORM}")
    assert page.locator("#td-draft-restored").is_hidden()
    page.get_by_label("拆迁面积", exact=True).fill("30000")
    page.fill("#id_image_progress", "北段拆迁完成，南段进场")
    assert kept(page, district) is not None

    page.reload()
    assert page.get_by_text("已恢复未提交的草稿").is_visible()
    assert page.get_by_label("拆迁面积", exact=True).input_value() == "30000"
    assert page.input_value("#id_image_progress") == "北段拆迁完成，南段进场"
    shot(page, "draft-restored-390", full_page=True)

    # 放弃草稿: the page's own values come back and the draft is gone.
    page.get_by_role("button", name="放弃草稿").click()
    assert page.locator("#td-draft-restored").is_hidden()
    assert page.get_by_label("拆迁面积", exact=True).input_value() == ""
    assert kept(page, district) is None
    page.reload()
    assert page.locator("#td-draft-restored").is_hidden()

    # Typed again and submitted: the report is stored and the browser's draft is gone.
    page.get_by_label("拆迁面积", exact=True).fill("31000")
    page.fill("#id_image_progress", "南段路基完成")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1].isdigit())
    assert page.inner_text("#report-status").startswith("已提交")
    assert kept(page, district) is None
    report = Report.objects.get()
    assert report.status == ReportStatus.SUBMITTED and report.image_progress == "南段路基完成"
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_a_session_timeout_signing_in_again_returns_to_the_form_with_the_draft(
    live_server, browser, district, tmp_path
):
    from django.contrib.sessions.models import Session

    from tiaodu.progress.models import Report

    started_project(district)
    context, page = log_in(browser, live_server, "hq", {"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}{FORM}")
    page.get_by_label("拆迁面积", exact=True).fill("42000")
    page.fill("#id_image_progress", "主线桥梁桩基完成")
    page.fill("#id_problems", "南段两户未签约")

    Session.objects.all().delete()  # the session ends on the server (as after the timeout)
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(lambda url: "/login/" in url)
    assert not Report.objects.exists()
    page.fill("#id_username", "hq")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{FORM}")
    assert page.get_by_text("已恢复未提交的草稿").is_visible()
    assert page.get_by_label("拆迁面积", exact=True).input_value() == "42000"
    assert page.input_value("#id_image_progress") == "主线桥梁桩基完成"
    assert page.input_value("#id_problems") == "南段两户未签约"
    shot(page, "draft-after-login-1920", full_page=True)

    page.get_by_role("button", name="提交").click()
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1].isdigit())
    assert Report.objects.get().problems == "南段两户未签约"
    assert kept(page, district) is None
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_post_only_action_after_a_timeout_lands_on_the_page_it_was_sent_from(
    live_server, browser, district
):
    from django.contrib.sessions.models import Session

    from tests.progress.conftest import draft, figures_of

    started_project(district)
    from django.utils import timezone

    report = draft(
        district.users["hq"], district.project, timezone.localdate(), figures_of(district.project, 拆迁面积=5)
    )
    context, page = log_in(browser, live_server, "hq", {"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    Session.objects.all().delete()
    page.get_by_role("button", name="提交").click()  # POST /reports/<pk>/submit/ (POST only)
    page.wait_for_url(lambda url: "/login/" in url)
    page.fill("#id_username", "hq")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/reports/{report.pk}/")
    assert page.inner_text("#report-status").startswith("草稿")
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_last_weeks_image_progress_is_marked_until_it_is_edited(live_server, browser, district, tmp_path):
    from django.utils import timezone

    from tests.progress.conftest import figures_of, submitted

    started_project(district)
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    p = district.project
    submitted(district.users["hq"], p, last_week, figures_of(p, 拆迁面积=100), image_progress="北段拆迁完成")
    context, page = log_in(browser, live_server, "hq", {"width": 390, "height": 844})
    page.goto(f"{live_server.url}{FORM}")
    notice = page.locator("#td-carried")
    assert notice.is_visible() and "上周形象进度（请修改或确认）" in notice.inner_text()
    assert page.input_value("#id_image_progress") == "北段拆迁完成"
    shot(page.locator("#field-image_progress"), "carried-390")
    shot(page, "carried-page-390", full_page=True)

    page.fill("#id_image_progress", "北段拆迁完成，南段路基完成200米")
    assert notice.is_hidden()
    page.fill("#id_image_progress", "北段拆迁完成")
    assert notice.is_visible()
    page.get_by_label("确认沿用上周形象进度（本周无变化）").check()
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1].isdigit())
    assert page.inner_text("#report-status").startswith("已提交")
    context.close()
