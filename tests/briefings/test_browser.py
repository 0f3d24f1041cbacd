"""A real browser: the office generates a briefing with the button and previews it."""

import re

import pytest

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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_generates_a_briefing_from_the_button_and_previews_it(live_server, browser, district):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/?next=/briefings/")
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/briefings/")
    assert "还没有调度通报" in page.content()

    page.click("#td-generate-btn")
    page.wait_for_url(
        lambda url: "/briefings/" in url and url.rstrip("/").split("/")[-1].isdigit(), timeout=60000
    )
    assert "重点工程建设调度通报" in page.inner_text("h1")
    assert "第1期" in page.inner_text("h1")
    frame = page.locator("#td-briefing-preview")
    src = frame.get_attribute("src")
    assert src.endswith("?inline=1")
    pdf = page.request.get(f"{live_server.url}{src}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline")
    assert pdf.body()[:5] == b"%PDF-"

    # The Word file's page in the document center previews it through the PDF of the same content.
    page.click("text=Word >> nth=-1")
    page.wait_for_url(lambda url: "/documents/" in url)
    assert "预览显示同一内容、同一版式的PDF" in page.content()
    assert page.locator("iframe[data-testid=preview]").get_attribute("src").endswith("?inline=1")
    with page.expect_download() as info:
        page.click("#td-download")
    assert re.fullmatch(r"重点工程建设调度通报（\d{4}年第1期）\.docx", info.value.suggested_filename)

    # Favourite it and find it in the center.
    page.click("[data-testid=favorite]")
    page.wait_for_selector("[data-testid=favorite][aria-pressed=true]")
    page.goto(f"{live_server.url}/documents/?favorites=on")
    rows = page.locator("#td-documents tbody tr")
    assert rows.count() == 1 and "Word" in rows.first.inner_text()
    context.close()
