"""The big screen in a real browser on the demo district, at 1920×1080 and 1366×768: it renders with no
console error, nothing scrolls or overflows, no request leaves the server; a kiosk link made on the links
page works signed out and the open screen stops at its next refresh once the link is revoked."""

import os
import re

import pytest

from tests.demo_copy import demo_district
from tiaodu.demo.data import PASSWORD

SHOTS = os.environ.get("TIAODU_SCREENSHOTS", "")  # a folder: keep the screenshots there
VIEWPORTS = [{"width": 1920, "height": 1080}, {"width": 1366, "height": 768}]

# Every panel's content fits in it (nothing cut), the document fits the window (no scrolling).
MEASURE = """() => {
  const d = document.documentElement;
  const over = [...document.querySelectorAll('.sc-head, .sc-panel, .sc-ticker-label')]
    .filter(e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)
    .map(e => e.className);
  return {scrollHeight: d.scrollHeight, innerHeight: window.innerHeight, scrollWidth: d.scrollWidth,
          innerWidth: window.innerWidth, over: over};
}"""


pytestmark = pytest.mark.usefixtures("sessions_saved_at_sign_in_only")  # tests/conftest.py


@pytest.fixture
def demo(transactional_db):
    demo_district()


def _context(browser, live_server, viewport, foreign, console):
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.on(
        "console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda exc: console.append(f"pageerror: {exc}"))
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else foreign.append(r.url))
    return context, page


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _check_screen(page, viewport, console, foreign, shot=""):
    page.wait_for_selector("#sc[data-loaded]")
    page.wait_for_selector("#sc-map .leaflet-interactive")
    page.wait_for_function("() => [...document.querySelectorAll('#sc-photos img')].every(i => i.complete)")
    assert page.locator("#sc-campaign").inner_text() == "决战2027"  # the demo's campaign
    assert re.fullmatch(r"距目标还有\d+天", page.locator("#sc-countdown").inner_text())
    assert page.locator("#sc-updated").inner_text().startswith("数据更新于 ")
    assert page.locator("#sc-types tr").count() == 2
    assert page.locator("#sc-lagging li.sc-lag").count() == 10
    first = page.locator("#sc-lagging li.sc-lag").first
    assert first.locator(".sc-lag-text").inner_text().startswith("滞后")
    assert page.locator("#sc-units tr").count() >= 8
    assert page.locator("#sc-money .sc-money-row").count() == 3
    assert page.locator("#sc-ticker .sc-ticker-item").count() >= 1
    assert page.locator("#sc-ticker .sc-card-red, #sc-ticker .sc-card-yellow").count() >= 1
    assert page.locator("#sc-photos img").count() >= 1
    assert page.evaluate("() => document.querySelector('#sc-photos img').naturalWidth") > 0
    m = page.evaluate(MEASURE)
    assert m["scrollHeight"] <= m["innerHeight"] == viewport["height"], m
    assert m["scrollWidth"] <= m["innerWidth"] == viewport["width"], m
    assert m["over"] == [], m
    if shot and SHOTS:
        page.screenshot(path=os.path.join(SHOTS, shot))
    assert console == [] and foreign == []


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_the_screen_fits_and_draws_everything(live_server, browser, demo, viewport):
    console, foreign = [], []
    context, page = _context(browser, live_server, viewport, foreign, console)
    _sign_in(page, live_server, "leader")
    console.clear()
    page.goto(f"{live_server.url}/screen/")
    _check_screen(page, viewport, console, foreign, f"screen-{viewport['width']}x{viewport['height']}.png")
    context.close()


def test_a_kiosk_link_works_signed_out_and_stops_when_revoked(live_server, browser, demo):
    viewport = VIEWPORTS[0]
    console, foreign = [], []
    office, page = _context(browser, live_server, viewport, foreign, console)
    _sign_in(page, live_server, "office")
    page.goto(f"{live_server.url}/screen/links/")
    page.fill("#td-link-name", "三楼会议室大屏")
    page.click("button:has-text('生成链接')")
    page.wait_for_selector("#td-new-link")
    url = page.input_value("#td-kiosk-url")
    assert url.startswith(f"{live_server.url}/screen/k/")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "screen-links.png"), full_page=True)

    wall_console, wall_foreign = [], []
    wall, screen = _context(browser, live_server, viewport, wall_foreign, wall_console)
    screen.goto(url)
    _check_screen(screen, viewport, wall_console, wall_foreign, "screen-kiosk-1920x1080.png")
    assert wall.cookies() == []  # no session: the link grants the screen alone
    screen.goto(f"{live_server.url}/dashboard/")
    assert screen.url.startswith(f"{live_server.url}/login/")
    screen.goto(url)
    screen.wait_for_selector("#sc[data-loaded]")

    page.goto(f"{live_server.url}/screen/links/")
    row = page.locator("#td-links tr[data-name='三楼会议室大屏']")
    assert "有效" in row.inner_text() and "从未使用" not in row.inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button:has-text('停用')").click()
    page.wait_for_selector("#td-links tr[data-name='三楼会议室大屏'] .text-bg-secondary")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "screen-links-revoked.png"), full_page=True)

    wall_console.clear()
    screen.evaluate("() => document.dispatchEvent(new Event('sc:refresh'))")
    screen.wait_for_selector("#sc-stopped:not([hidden])")
    assert screen.locator("#sc-stopped").inner_text().startswith("链接已停用")
    assert screen.locator("#sc-updated").inner_text() == "链接已停用"
    if SHOTS:
        screen.screenshot(path=os.path.join(SHOTS, "screen-kiosk-stopped.png"))
    response = screen.goto(url)
    assert response.status == 403
    assert screen.locator("#sc-refused").inner_text() == "链接已停用"
    assert wall_foreign == [] and foreign == []
    assert all("403" in m for m in wall_console), wall_console  # only the refused data request
    wall.close()
    office.close()
