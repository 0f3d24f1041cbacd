"""A real browser: a street sees the baseline read-only on the edit form, requests a change (errors beside
the fields first), the office approves it on 计划变更审批 (linked from the side navigation with its count),
and the project page shows the approved change old → new. Screenshots at 1920×1080 and 390×844."""

import datetime

import pytest

from tests import browser_shots
from tests.supervision.test_browser import restore_migration_data  # noqa: F401
from tiaodu.projects.models import ChangeStatus, Project, ProjectChange

PASSWORD = "Tiaodu@2026!"


def shot(page, name, tmp_path):
    browser_shots.shot(page, name, full_page=True)


def login(browser, live_server, username, size):
    context = browser.new_context(viewport=size, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    return context, page


WIDE = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_street_requests_and_the_office_approves_a_baseline_change(
    live_server, browser, district, tmp_path
):
    for size, suffix in ((WIDE, "1920"), (PHONE, "390")):
        ProjectChange.objects.all().delete()
        Project.objects.filter(code="ZD-001").update(planned_finish=datetime.date(2027, 6, 30))
        context, page = login(browser, live_server, "street", size)
        page.goto(f"{live_server.url}/projects/ZD-001/edit/")
        assert page.locator("input[name=planned_finish]").count() == 0
        assert "2027年6月30日" in page.locator("#baseline").inner_text()
        shot(page, f"baseline-edit-form-street-{suffix}", tmp_path)
        page.click("#baseline >> text=申请计划变更")
        page.wait_for_url(f"{live_server.url}/projects/ZD-001/changes/new/")

        # Finish before start, no reason: each message beside its field.
        page.fill("input[name=planned_finish]", "2026-01-31")
        page.click("form.td-form button[type=submit]")
        assert "不能早于计划开工" in page.locator("#field-planned_finish").inner_text()
        assert "请填写变更理由" in page.locator("#field-reason").inner_text()
        shot(page, f"baseline-request-errors-{suffix}", tmp_path)
        page.fill("input[name=planned_finish]", "2027-09-30")
        page.fill("textarea[name=reason]", "红线外3户商铺补偿未谈妥，东段无法进场，申请顺延计划完工")
        page.click("form.td-form button[type=submit]")
        page.wait_for_url(lambda url: url.split("#")[0].endswith("/projects/ZD-001/"))
        assert "计划变更申请已提交" in page.content()
        assert "待审批" in page.locator("#changes").inner_text()
        context.close()

        context, page = login(browser, live_server, "office", size)
        page.goto(f"{live_server.url}/projects/")
        if size is PHONE:
            page.click("button[aria-label=菜单]")
        link = page.locator("#td-sidebar >> text=计划变更审批")
        assert "1" in link.inner_text()
        link.click()
        page.wait_for_url(f"{live_server.url}/project-changes/")
        card = page.locator(".td-change").first
        assert "2027年6月30日 → 2027年9月30日" in card.inner_text()
        shot(page, f"baseline-approvals-{suffix}", tmp_path)
        card.locator("textarea[name=note]").fill("同意顺延")
        card.locator("text=批准").click()
        page.wait_for_url(lambda url: "/project-changes/" in url)
        assert "已批准" in page.locator(".td-change").first.inner_text()
        assert ProjectChange.objects.get().status == ChangeStatus.APPROVED
        page.goto(f"{live_server.url}/projects/ZD-001/")
        changes = page.locator("#changes").inner_text()
        assert "已批准" in changes and "2027年9月30日" in changes
        page.locator("#changes").scroll_into_view_if_needed()
        shot(page, f"baseline-project-page-{suffix}", tmp_path)
        context.close()
