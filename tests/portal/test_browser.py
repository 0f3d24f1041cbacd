"""A real browser: log in through the form, filter the project list, open a project."""

import pytest

PASSWORD = "Tiaodu@2026!"


@pytest.fixture(scope="module", autouse=True)
def restore_migration_data(django_db_blocker):
    """Leave the test database as the migrations made it (seeded categories, calendar…).

    A transactional test empties every table when it ends; tests that run after this module in
    the same process (and do not use serialized_rollback) would otherwise find no seed data.
    """
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_logs_in_filters_the_list_and_opens_a_project(live_server, browser, district):
    from tiaodu.projects.models import Category, Project, ProjectType

    remediation = Project.objects.create(
        code="ZZ-001",
        name="北园片区建筑亮化",
        type=ProjectType.REMEDIATION,
        category=Category.objects.get(name="道路"),
        lead_unit=district.units["hq"],
    )
    remediation.territorial_units.set([district.units["street"]])
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/projects/")
    assert "/login/" in page.url
    page.fill("#id_username", "hq")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/projects/")

    # The stylesheets and scripts load (the side bar is dark, Bootstrap's JS is there).
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.td-sidebar')).backgroundColor")
        == "rgb(31, 45, 61)"
    )
    assert page.evaluate("typeof bootstrap") == "object"

    rows = page.locator("table.td-project-table tbody tr")
    assert rows.count() == 2
    page.select_option("#id_type", "remediation")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(lambda url: url.endswith("/projects/?type=remediation"))
    assert rows.count() == 1
    assert "ZZ-001" in rows.first.inner_text()

    page.fill("#id_q", "道路拓宽")
    page.select_option("#id_type", "")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(lambda url: "q=" in url and "type=" not in url)
    assert rows.count() == 1
    assert "ZD-001" in rows.first.inner_text()
    assert "北园街道" in rows.first.inner_text()

    page.click("text=北园大街道路拓宽及两侧整治")
    page.wait_for_url(f"{live_server.url}/projects/ZD-001/")
    assert page.locator("h1").inner_text() == "北园大街道路拓宽及两侧整治"
    indicators = page.locator("#indicators tbody tr")
    assert indicators.count() == 1
    assert "拆迁面积" in indicators.first.inner_text()
    assert "120,000" in indicators.first.inner_text()

    # A status step from the page, then it shows in the history.
    page.select_option("#id_status", "under_construction")
    page.click("text=更改状态")
    page.wait_for_selector("text=状态已由「未开工」改为「在建」")
    assert "在建" in page.locator("#history").inner_text()
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_fits_the_project_list_on_a_phone(live_server, browser, district):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    for url in ("/projects/", "/projects/ZD-001/", "/units/", "/letters/", "/account/"):
        page.goto(f"{live_server.url}{url}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{url} is {overflow}px wider than the phone"
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_street_reporter_follows_my_work_to_the_items_it_must_answer(live_server, browser, district):
    """390×844: the street's 我的待办 shows one item to answer; the link lists exactly that item."""
    import datetime

    from huey.contrib.djhuey import HUEY

    from tests.supervision.conftest import make_item

    old, HUEY.immediate = HUEY.immediate, True
    try:
        make_item(district, deadline=datetime.date(2099, 12, 31), title="清理北园大街沿线建筑垃圾")
        make_item(district, deadline=datetime.date(2099, 12, 31), title="小清河排污口封堵", units=("dept",))
    finally:
        HUEY.immediate = old
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "street")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    row = page.locator('#my-work [data-work="feedback"]')
    assert row.locator("[data-count]").inner_text() == "1"
    assert page.locator("#my-work [data-work]").count() == 1  # nothing else open: no rows of 0
    row.click()
    page.wait_for_url(lambda url: url.endswith("/supervision/?awaiting=feedback"))
    rows = page.locator("#td-register tbody tr")
    assert rows.count() == 1
    assert "清理北园大街沿线建筑垃圾" in rows.first.inner_text()
    assert "待本单位反馈" in page.locator("#td-filter-awaiting").inner_text()
    context.close()
