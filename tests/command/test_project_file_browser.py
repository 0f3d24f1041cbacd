"""The project file in a real browser (Chromium) at 1920×1080 and on a phone (390×844): every section there,
the before/after photos loaded, no console error, nothing wider than the screen. Screenshots
file-test-*.png in the folder TIAODU_SCREENSHOTS names, if any."""

from __future__ import annotations

import pytest

from tests.browser_shots import shot
from tests.command.conftest import remediation_project
from tests.progress.test_browser import log_in, restore_migration_data  # noqa: F401 (module fixture)

SECTIONS = [
    "file-summary",
    "progress",
    "scurve",
    "critical-tasks",
    "latest-report",
    "before-after",
    "open-problems",
    "open-items",
    "file-investment",
    "file-documents",
    "file-map",
    "indicators",
    "timeline",
]
# Wide tables and the S-curve scroll inside their own box; Leaflet's panes are clipped by the map.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('.card, .card *')].filter(
    (e) => !e.closest('.table-responsive, .td-scurve-wrap, .leaflet-container') && e.getBoundingClientRect().right > width + 1);
  return {page: document.documentElement.scrollWidth - width, elements: wide.slice(0, 5).map((e) => e.outerHTML.slice(0, 120))};
}"""
LOADED = """() => [...document.querySelectorAll('#before-after img')].every((i) => i.complete && i.naturalWidth > 0)"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("who", "viewport"), [("office", (1920, 1080)), ("street", (390, 844))])
def test_the_project_file_fits_the_screen(live_server, browser, district, who, viewport, settings):
    # The page's photos are fetched at once; each request saving the session (SESSION_SAVE_EVERY_REQUEST)
    # at the same moment finds the in-memory SQLite test database locked (a test-only contention).
    settings.SESSION_SAVE_EVERY_REQUEST = False
    project = remediation_project(district)
    _ctx, page = log_in(browser, live_server, who, {"width": viewport[0], "height": viewport[1]})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/projects/{project.code}/")
    page.wait_for_selector("#timeline")
    for section in SECTIONS:
        assert page.locator(f"#{section}").count() == 1, section
    assert page.locator("#before-after img").count() == 2
    page.wait_for_function(LOADED)
    assert "整治前" in page.locator("#before-after").inner_text()
    assert page.locator("#scurve svg polyline").count() >= 2
    page.wait_for_selector("#file-map .leaflet-container")  # the shared small map (static/command/tdmap.js)
    overflow = page.evaluate(OVERFLOW)
    assert overflow["page"] <= 0 and overflow["elements"] == [], overflow
    assert [e for e in errors if "favicon" not in e] == []
    shot(page, f"file-test-{who}-{viewport[0]}", full_page=True)
    # the PDF link
    link = page.locator("#td-file-pdf")
    assert link.get_attribute("href") == f"/projects/{project.code}/file.pdf"
