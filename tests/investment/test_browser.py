"""The dashboard tab 投资 in a real browser: reached from the 进度 tab, the chart drawn, no console error."""

import pytest

from tests.browser_shots import shot
from tests.progress.test_browser import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_opens_the_investment_tab_from_the_dashboard_and_draws_the_chart(live_server, browser, money):
    context, page = log_in(browser, live_server, "office", {"width": 1920, "height": 1080})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/dashboard/")
    page.click("#td-dashboard-tabs >> text=投资")
    page.wait_for_url(f"{live_server.url}/dashboard/investment/")
    page.fill("#month", "2026-12")
    page.click("form.actions button[type=submit]")
    page.wait_for_url("**/dashboard/investment/?month=2026-12")
    page.wait_for_function("() => document.querySelector('#td-investment-chart canvas') !== null")
    assert "1-12月，全区重点项目累计完成投资600.00万元" in page.inner_text("#sentences")
    assert page.inner_text("#units-table tbody tr:first-child td:nth-child(2)") == "北园大街改造指挥部"
    assert "ZD-002" in page.inner_text("#gaps")
    assert page.locator("#td-dashboard-tabs .active").inner_text() == "投资"
    shot(page, "outputs-investment-1920", full_page=True)
    assert errors == []
    context.close()
    phone, page = log_in(browser, live_server, "hq", {"width": 390, "height": 844})
    page.goto(f"{live_server.url}/dashboard/investment/?month=2026-04")
    page.wait_for_function("() => document.querySelector('#td-investment-chart canvas') !== null")
    assert "ZD-002" not in page.content()
    shot(page, "outputs-investment-390", full_page=True)
    phone.close()
