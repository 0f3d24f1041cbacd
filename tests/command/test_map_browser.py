"""The map in a real browser on the demo district (1920×1080): the demo's projects drawn, a click opens the
card, an editor draws a line and saves it, and no request leaves the server. Screenshots
map-*.png in the folder TIAODU_SCREENSHOTS names, if any."""

import pytest

from tests.browser_shots import shot
from tests.progress.test_browser import restore_migration_data  # noqa: F401 (module fixture)

WIDE = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


pytestmark = pytest.mark.usefixtures("sessions_saved_at_sign_in_only")  # tests/conftest.py


def demo_log_in(browser, live_server, username, viewport):
    from tiaodu.demo.data import PASSWORD

    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=viewport["width"] < 500)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    return context, page


def watch(page, live_server):
    """Every request the page makes that goes anywhere but the live server (data: and blob: stay local)."""
    outside = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith((live_server.url, "data:", "blob:")) else None
        ),
    )
    return outside


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_map_shows_the_demo_opens_a_card_and_an_editor_saves_a_drawn_line(live_server, browser):
    from tests.demo_copy import demo_district
    from tiaodu.core.audit import history_for
    from tiaodu.projects.models import Project

    demo_district()
    assert Project.objects.count() == 37  # every demo project has a point or a line

    context, page = demo_log_in(browser, live_server, "office", WIDE)
    outside = watch(page, live_server)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/map/")
    page.wait_for_selector("#project-map[data-td-map-state=ready]")
    assert page.locator("#project-map path.leaflet-interactive[data-code]").count() == 37
    assert page.get_attribute("#project-map", "data-feature-count") == "37"
    assert page.inner_text("#map-counts") == "地图显示 37 个项目"
    assert page.locator(".td-map-legend").inner_text().split() == [
        "正常",
        "滞后",
        "严重滞后",
        "已竣工/已验收",
    ]
    assert page.locator(".leaflet-tile").count() == 0  # no tiles configured: the boundary is the base
    shot(page, "map-page")

    # A click on the road opens its card.
    page.locator('path[data-code="ZD-2026-01"]').click()
    card = page.locator('.td-map-card[data-code="ZD-2026-01"]')
    card.wait_for()
    text = card.inner_text()
    assert "北园大街道路拓宽及两侧整治" in text and "北园大街改造指挥部" in text and "项目状态" in text
    assert card.get_by_role("link", name="查看项目档案").get_attribute("href") == "/projects/ZD-2026-01/"
    page.keyboard.press("Escape")

    # The level filter re-fetches: only the severely lagging projects remain.
    severe = page.locator("#f-level")
    severe.select_option("severe")
    page.wait_for_function(
        "() => document.querySelectorAll('#project-map path.leaflet-interactive[data-code]').length < 37"
    )
    page.wait_for_selector("#project-map[data-td-map-state=ready]")
    shown = page.locator("#project-map path.leaflet-interactive[data-code]").count()
    assert 0 < shown < 37 and page.inner_text("#map-counts") == f"地图显示 {shown} 个项目"
    page.get_by_role("button", name="重置筛选").click()
    page.wait_for_function(
        "() => document.querySelectorAll('#project-map path.leaflet-interactive[data-code]').length === 37"
    )

    # The office redraws a point project as a line and saves it.
    target = Project.objects.get(code="ZZ-2026-05")
    assert target.geometry is None and target.longitude is not None
    page.evaluate("(code) => document.getElementById('project-map').tdMap.openCard(code)", target.code)
    page.locator(f'.td-map-card[data-code="{target.code}"]').get_by_role(
        "button", name="标绘/修改空间范围"
    ).click()
    assert page.locator("#map-editbar").is_visible()
    page.get_by_role("button", name="画线").click()
    box = page.locator("#project-map").bounding_box()
    x, y = box["x"] + 260, box["y"] + 160
    page.mouse.click(x, y)
    page.mouse.click(x + 140, y + 40)
    page.mouse.click(x + 280, y + 10)
    page.mouse.dblclick(x + 280, y + 10)
    shot(page, "map-drawing")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("#map-message.alert-success")
    assert page.inner_text("#map-message") == f"已保存「{target.name}」的空间范围。"
    target.refresh_from_db()
    assert target.geometry["type"] == "LineString" and len(target.geometry["coordinates"]) >= 3
    lons = [lon for lon, _lat in target.geometry["coordinates"]]
    assert lons == sorted(lons) and 116.9 < lons[0] < 117.1  # drawn left to right inside the district
    record = history_for(target).first()
    assert record.user.username == "office" and "空间范围(GeoJSON)" in record.changes
    # The saved line shows at once (a polyline path, no longer a circle).
    page.wait_for_selector(f'path.leaflet-interactive[data-code="{target.code}"]')
    kind = page.evaluate(
        "(code) => document.getElementById('project-map').tdMap.layerFor(code).feature.geometry.type",
        target.code,
    )
    assert kind == "LineString" and page.locator("#map-editbar").is_hidden()

    # The settings page: the demo's boundary, previewed by the shared widget.
    page.goto(f"{live_server.url}/command/settings/")
    page.wait_for_selector("[data-td-map][data-td-map-state=ready]")
    assert "当前边界：示范区辖区边界（虚构）.geojson，1个面" in page.inner_text("#boundary-current")
    shot(page, "map-settings", full_page=True)

    assert outside == [] and errors == []
    context.close()

    phone, page = demo_log_in(browser, live_server, "beiyuan_street", PHONE)
    outside = watch(page, live_server)
    page.goto(f"{live_server.url}/map/")
    page.wait_for_selector("#project-map[data-td-map-state=ready]")
    drawn = page.locator("#project-map path.leaflet-interactive[data-code]").count()
    assert 0 < drawn < 37  # a street office sees its own territory
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "map-page-phone")
    assert outside == []
    phone.close()
