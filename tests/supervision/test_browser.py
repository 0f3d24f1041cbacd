"""A real browser: the supervision office turns a meeting decision into a supervision item, and the
assignee unit finds it in its inbox."""

import datetime

import pytest

PASSWORD = "Tiaodu@2026!"


@pytest.fixture(scope="module", autouse=True)
def restore_migration_data(django_db_blocker):
    """Leave the test database as the migrations made it (categories, the holiday calendar…)."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


def login(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)  # signed in, and the page it leads to has loaded
    return context, page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_meeting_decision_becomes_an_item_in_the_assignees_inbox(live_server, browser, district, settings):
    from tiaodu.supervision import services
    from tiaodu.supervision.models import SupervisionItem

    settings.NOTIFY_WEBHOOK_URLS = []
    today = datetime.date.today()
    meeting = services.meeting_create(
        user=district.users["supervisor"], data={"date": today, "chair": district.people["leader"]}
    )
    decision = services.decision_add(
        user=district.users["supervisor"], meeting=meeting, content="北园街道两周内完成北园大街12号院清表。"
    )

    context, page = login(browser, live_server, "supervisor")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    row = page.locator(f"#decision-{decision.pk}")
    row.get_by_text("转为督办事项").click()
    row.get_by_label("北园街道").check()
    row.locator("input[type=date]").fill((today + datetime.timedelta(days=14)).isoformat())
    row.get_by_role("button", name="交办").click()
    page.wait_for_url(lambda url: "/supervision/" in url)
    assert page.locator("#td-item-title").inner_text() == "北园街道两周内完成北园大街12号院清表"
    assert "已转为督办事项" in page.locator(".alert-success").inner_text()
    item = SupervisionItem.objects.get()
    assert item.source == "meeting" and item.meeting_id == meeting.pk
    context.close()

    context, page = login(browser, live_server, "street")
    page.goto(f"{live_server.url}/inbox/")
    assert page.locator("#td-unread-count").inner_text() == "1 条未读"
    entry = page.locator("#td-inbox .td-inbox-item.unread").first
    assert "新督办事项：北园街道两周内完成北园大街12号院清表" in entry.inner_text()
    entry.locator("button").click()
    page.wait_for_url(f"{live_server.url}/supervision/{item.pk}/")
    assert page.locator("#feedback").is_visible()  # the assignee may report progress
    page.goto(f"{live_server.url}/inbox/")
    assert page.locator("#td-unread-count").inner_text() == "0 条未读"
    context.close()
