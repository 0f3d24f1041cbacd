"""The Content-Security-Policy in a real browser: every main page works under it with no violation, and
loads every static file it asks for (collectstatic collects only the vendor files the pages use).

Chromium reports each blocked inline script, inline style, eval or foreign source both as a console
message and as a `securitypolicyviolation` event; the test listens to both on every page (frames too).
"""

import datetime
import os

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.briefings.conftest import pdf_bytes, png_bytes, upload

PASSWORD = "Tiaodu@2026!"
SCREENSHOTS = os.environ.get("TIAODU_SCREENSHOTS", "")  # a folder: keep the 1920×1080 screenshots there
# Pages loading at once in `_visit_all` (the live server answers them on threads of one in-memory database).
TABS = 6

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile
    + ":" + e.lineNumber);
});
"""


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


def _sign_in(browser, live_server, username, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    context.add_init_script(LISTEN)
    page, console = _tab(context)
    if username:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
    return context, page, console


def _tab(context):
    """A new page of the context, and the list its console messages, errors and failed static files go to."""
    page = context.new_page()
    # A walk over every main page while another worker runs the suite on a 2-core machine: a page's last
    # request may wait its turn at the live server for a while; 60 s, not 30, before calling it hung.
    page.set_default_timeout(60_000)
    console = []
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda exc: console.append(f"pageerror: {exc}"))
    # Every asset a page loads is collected (collectstatic copies only the listed vendor files).
    page.on(
        "response",
        lambda r: r.status >= 400 and "/static/" in r.url and console.append(f"static: {r.status} {r.url}"),
    )
    # A request the browser cancels because the page navigated on (the favicon of the page just left) is
    # not a missing file: a missing file answers 404 above. Any other failure (refused, reset) counts.
    page.on(
        "requestfailed",
        lambda r: (
            "/static/" in r.url
            and r.failure != "net::ERR_ABORTED"
            and console.append(f"static: failed {r.failure} {r.url}")
        ),
    )
    return page, console


def _violations(page, console) -> list[str]:
    found = [m for m in console if "Content Security Policy" in m or m.startswith(("pageerror", "static:"))]
    for frame in page.frames:
        try:
            found += frame.evaluate("window.__cspViolations || []")
        except Exception:  # a PDF viewer frame has no page script
            pass
    return found


def _visit(page, console, url, *, wait_for=None):
    console.clear()
    response = page.goto(url, wait_until="commit")
    return _checked(page, console, url, response, wait_for=wait_for)


def _checked(page, console, url, response, *, wait_for=None):
    """The checks of a page whose navigation to `url` has committed: its status and policy, then, once it
    has loaded and its own fetches are done, no violation, no error and no missing static file."""
    assert response.status < 500, url
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
    if wait_for:
        page.wait_for_selector(wait_for)
    page.wait_for_load_state("load")
    try:  # the page's own fetches; on a loaded 2-core machine the live server may not go quiet in time
        page.wait_for_load_state("networkidle", timeout=15_000)
    except PlaywrightTimeout:
        pass  # every request the page made so far was checked; a violation is reported when it happens
    assert _violations(page, console) == [], url
    return response


def _visit_all(context, visits, *, tabs=TABS):
    """`_visit` of each (URL, selector to wait for or None, then: a check of (page, console, response) or
    None), `tabs` of them at once, each in a tab of the context: the half second of quiet that network-idle
    waits for passes in all of them together, not in one page after the other. The same checks on the same
    pages; each tab's messages are its own, cleared before its next page as `_visit` does. (The pages send
    their requests together: the session is saved at sign-in only, see tests/conftest.py.)"""
    opened = [_tab(context) for _ in range(min(tabs, len(visits)))]
    for start in range(0, len(visits), tabs):
        started = []
        for (page, console), (url, wait_for, then) in zip(opened, visits[start : start + tabs], strict=False):
            console.clear()
            started.append((page, console, url, wait_for, then, page.goto(url, wait_until="commit")))
        for page, console, url, wait_for, then, response in started:
            _checked(page, console, url, response, wait_for=wait_for)
            if then:
                then(page, console, response)
    for page, _ in opened:
        page.close()


# Checks of a page after `_checked` (see `_visit_all`).
def _gantt_popup(page, console, response):
    page.locator("#gantt .bar-wrapper .bar-label").first.click()  # the popup builds its own markup
    page.locator(".popup-wrapper").wait_for(state="visible")
    assert _violations(page, console) == []
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "gantt.png"), full_page=True)


def _pdf_preview(page, console, response):  # a PDF in a same-origin frame
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    frame = page.frame_locator("iframe[data-testid=preview]")
    frame.locator("embed, body").first.wait_for()
    preview = page.request.get(f"{response.url}file/?inline=1")
    assert preview.headers["x-frame-options"] == "SAMEORIGIN"


def _image_preview(page, console, response):
    assert page.locator("img[data-testid=preview]").evaluate("img => img.naturalWidth") > 0


def _dashboard_shot(page, console, response):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "dashboard.png"), full_page=True)


def _ok(page, console, response):
    assert response.status == 200, response.url


@pytest.fixture
def site(district):
    from tiaodu.briefings.services import document_upload, share_create
    from tiaodu.progress.settings_services import reporting_units_set
    from tiaodu.projects.models import Project
    from tiaodu.scheduling.engine import Link
    from tiaodu.scheduling.importers import ImportedTask
    from tiaodu.scheduling.services import tasks_replace

    today = datetime.date.today()
    Project.objects.filter(pk=district.project.pk).update(
        planned_start=today - datetime.timedelta(days=60), planned_finish=today + datetime.timedelta(days=200)
    )
    district.project.refresh_from_db()
    tasks_replace(
        user=district.users["hq"],
        project=district.project,
        tasks=[
            ImportedTask(1, "A", "征收拆迁", 20, []),
            ImportedTask(2, "B", "道路施工", 30, [Link("A", "FS", 2)]),
            ImportedTask(3, "M", "竣工验收", 0, [Link("B")]),
        ],
    )
    reporting_units_set(user=district.users["hq"], project=district.project, units=[district.units["street"]])
    office = district.users["office"]
    pdf = document_upload(user=office, file=upload("调度通报.pdf", pdf_bytes()))
    image = document_upload(user=office, file=upload("现场.png", png_bytes()))
    link = share_create(
        user=office, document=pdf, expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3)
    )
    district.pdf, district.image, district.link = pdf, image, link
    type(district.users["admin"]).objects.filter(username="admin").update(is_superuser=True)  # the admin site
    return district


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_shows_every_main_page_with_no_content_security_policy_violation(
    live_server, browser, site, sessions_saved_at_sign_in_only
):
    base = live_server.url
    context, page, console = _sign_in(browser, live_server, "admin", {"width": 1920, "height": 1080})
    pages = [
        ("/", None, None),
        ("/dashboard/", "#td-curve canvas", _dashboard_shot),
        ("/projects/ZD-001/schedule/", "#gantt svg .bar-wrapper", _gantt_popup),
        # The document previews.
        (f"/documents/{site.pdf.pk}/", "iframe[data-testid=preview]", _pdf_preview),
        (f"/documents/{site.image.pk}/", "img[data-testid=preview]", _image_preview),
        ("/api/docs/", ".opblock", None),  # Swagger UI draws the API's operations
    ]
    pages += [
        (path, None, None)
        for path in [
            "/projects/",
            "/projects/ZD-001/",
            "/projects/ZD-001/reports/",
            "/dashboard/projects/",
            "/map/",
            "/screen/",
            "/reports/",
            "/supervision/",
            "/problems/",
            "/meetings/",
            "/inbox/",
            "/briefings/",
            "/documents/",
            "/ledger/",
            "/letters/",
            "/units/",
            "/calendar/",
            "/account/",
            "/security/audit/",
            "/no-such-page/",
        ]
    ]
    pages += [  # the admin site
        (path, None, _ok)
        for path in [
            "/admin/",
            "/admin/projects/project/",
            f"/admin/projects/project/{site.project.pk}/change/",
        ]
    ]
    _visit_all(context, [(f"{base}{path}", wait_for, then) for path, wait_for, then in pages])
    context.close()

    # The phone report form (the camera input, the chosen-photo count from our script).
    context, page, console = _sign_in(browser, live_server, "street", {"width": 390, "height": 844})
    _visit(page, console, f"{base}/projects/ZD-001/reports/new/")
    page.locator("input[type=file]").set_input_files(
        [{"name": "现场.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    assert "已选择 1 张：现场.png" in page.inner_text("#td-photo-count")
    assert _violations(page, console) == []
    context.close()

    # Signed out: the sign-in page, and a share link's page with its preview frame.
    context, page, console = _sign_in(browser, live_server, None, {"width": 1366, "height": 900})
    _visit_all(
        context,
        [
            (f"{base}/login/", None, None),
            (f"{base}/s/{site.link.token}/", "iframe[data-testid=preview]", None),
        ],
    )
    context.close()
