"""The meeting, live, in a real browser at 1920×1080: walk the screens with the keyboard, record a decision,
see it appear without a page load; no console error, no request to another host."""

import datetime
from urllib.parse import urlparse

import pytest

from tests.supervision.test_browser import PASSWORD, restore_migration_data  # noqa: F401

pytestmark = pytest.mark.usefixtures("sessions_saved_at_sign_in_only")  # tests/conftest.py


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_walk_the_agenda_with_the_keyboard_and_record_a_decision(live_server, browser, district, settings):
    from tiaodu.supervision import services
    from tiaodu.supervision.models import Decision

    today = datetime.date.today()
    meeting = services.meeting_create(
        user=district.users["supervisor"], data={"date": today, "chair": district.people["leader"]}
    )
    codes = [r["code"] for r in meeting.agenda["lagging"]]
    codes += [r["code"] for r in meeting.agenda["missing"] if r["code"] not in codes]
    assert codes[:2] == ["ZD-001", "ZD-002"], meeting.agenda

    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    errors, hosts, failed = [], set(), []
    # A failed load is reported by its response (with its address); base.html's pages have no icon.
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None,
    )
    page.on(
        "response",
        lambda r: failed.append(r.url) if r.status >= 400 and "/favicon.ico" not in r.url else None,
    )
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)

    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.click("#enter-live")
    page.wait_for_url(f"{live_server.url}/meetings/{meeting.pk}/live/")
    total = len(codes) + 1
    assert page.locator("#live-step").inner_text() == f"第1项/共{total}项"
    assert page.locator(".td-live-name").inner_text() == "北园大街道路拓宽及两侧整治"

    page.keyboard.press("ArrowRight")
    page.wait_for_url(lambda url: url.endswith("?n=2"))
    assert page.locator("#live-step").inner_text() == f"第2项/共{total}项"
    assert page.locator(".td-live-name").inner_text() == "小清河综合治理"
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(lambda url: url.endswith("?n=1"))
    assert page.locator(".td-live-name").inner_text() == "北园大街道路拓宽及两侧整治"

    # Record a decision: a missing unit gets its error beside the field, then it is recorded.
    form = page.locator("#live-decision-form")
    form.get_by_label("决定事项").fill("北园街道两周内完成北园大街12号院清表")
    deadline = (today + datetime.timedelta(days=14)).isoformat()
    form.get_by_label("完成时限").fill(deadline)
    form.get_by_role("button", name="记录决定").click()
    error = page.locator("#field-live-assignee_units .invalid-feedback")
    error.wait_for()
    assert error.inner_text() == "请至少选择一个责任单位"
    form = page.locator("#live-decision-form")
    assert form.get_by_label("决定事项").input_value() == "北园街道两周内完成北园大街12号院清表"
    form.get_by_label("责任单位").select_option(label="北园街道")
    form.get_by_label("责任人").select_option(value=str(district.people["street"].pk))
    # the typed keys stay in the form (← → do not leave the screen while typing)
    form.get_by_label("决定事项").press("ArrowLeft")
    form.get_by_role("button", name="记录决定").click()
    recorded = page.locator("#live-decisions li.td-live-new")
    recorded.wait_for()
    assert page.url.endswith("?n=1")  # no page load: swapped in place
    assert "北园街道两周内完成北园大街12号院清表" in recorded.inner_text()
    assert "责任单位：北园街道" in recorded.inner_text() and "责任人：钱主任" in recorded.inner_text()
    assert page.locator("#decision-count").inner_text() == "1"
    assert page.locator("#live-decision-form textarea").input_value() == ""  # a fresh form
    decision = Decision.objects.get(meeting=meeting)
    assert decision.item.deadline.isoformat() == deadline

    page.keyboard.press("ArrowRight")
    page.wait_for_url(lambda url: url.endswith("?n=2"))
    page.keyboard.press("ArrowRight")
    page.wait_for_url(lambda url: url.endswith("?n=3"))
    assert page.locator("#all-decisions").inner_text().count("北园大街12号院清表") == 1
    assert page.locator("#make-minutes").is_visible()
    assert errors == [] and failed == []
    assert hosts == {urlparse(live_server.url).netloc}
    context.close()
