"""tests/browser_quiet.py: `settle(page)` returns only once what `networkidle` waited for is done, a
request that a response leads to included (a script reading fetched JSON and fetching more, an image it
then adds), and after a form's navigation, the new page's own requests."""

import json

import pytest

from tests.browser_quiet import settle, watch

ORIGIN = "http://quiet.test"
PAGE = """<!doctype html><html><body><form method="post" action="/next/"><button>go</button></form>
<script src="/chain.js"></script></body></html>"""
# Three fetches, each asked for only once the one before has been read, then an image.
CHAIN = """
fetch("/a.json").then(r => r.json()).then(a => fetch(a.next)).then(r => r.json())
  .then(b => fetch(b.next)).then(r => r.json()).then(c => {
    const img = document.createElement("img");
    img.onload = () => { document.body.dataset.done = c.word; };
    img.src = "/pixel.png";
    document.body.append(img);
  });
"""
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e5270de40000000049454e44ae426082"
)


def _serve(route):
    path = route.request.url.removeprefix(ORIGIN)
    bodies = {
        "/": ("text/html", PAGE),
        "/next/": ("text/html", PAGE.replace("/chain.js", "/chain.js?again")),
        "/chain.js": ("text/javascript", CHAIN),
        "/chain.js?again": ("text/javascript", CHAIN),
        "/a.json": ("application/json", json.dumps({"next": "/b.json"})),
        "/b.json": ("application/json", json.dumps({"next": "/c.json"})),
        "/c.json": ("application/json", json.dumps({"word": "done"})),
        "/pixel.png": ("image/png", PIXEL),
    }
    if path not in bodies:
        route.fulfill(status=404, body="")
        return
    content_type, body = bodies[path]
    route.fulfill(status=200, content_type=content_type, body=body)


@pytest.mark.browser
def test_settle_waits_for_the_requests_the_responses_lead_to(browser):
    context = browser.new_context()
    page = watch(context.new_page())
    asked = []
    page.on("request", lambda r: asked.append(r.url.removeprefix(ORIGIN)))
    page.route(f"{ORIGIN}/**", _serve)

    page.goto(f"{ORIGIN}/")
    settle(page)
    assert page.evaluate("document.body.dataset.done") == "done"
    assert asked[-4:] == ["/a.json", "/b.json", "/c.json", "/pixel.png"]

    asked.clear()
    page.click("button")  # a form's navigation: the new page and its own chain
    settle(page)
    assert page.url == f"{ORIGIN}/next/"
    assert page.evaluate("document.body.dataset.done") == "done"
    assert asked[0] == "/next/" and asked[-4:] == ["/a.json", "/b.json", "/c.json", "/pixel.png"]
    context.close()


@pytest.mark.browser
def test_settle_needs_the_page_watched_from_its_start(browser):
    context = browser.new_context()
    page = context.new_page()
    with pytest.raises(RuntimeError, match="watch"):
        settle(page)
    context.close()
