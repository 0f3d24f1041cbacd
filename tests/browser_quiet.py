"""Waiting until a page has finished what it does, for the browser tests: in place of Playwright's
`networkidle` (no request for 500 ms), which cost half a second after every page whatever the page did.

`watch(page)`, called when the page is made, counts the requests of the page and its frames in flight
(from `request` to `requestfinished` or `requestfailed`, each redirect a request of its own).
`settle(page)` returns when the document has loaded, no request is in flight, and the page's main thread
has then gone idle twice in a row (`requestIdleCallback`: the tasks queued by the last responses, such as
the script that reads a fetched JSON and asks for more, have run) with still no request in flight. A
request a response leads to is thus waited for however long the machine takes to get to it, where
`networkidle` gave up waiting after 500 ms. The pages' own timers start requests only 0 ms after an event
(static/js/tiaodu.js, static/command/map_page.js) or every few seconds and more (the big screen's refresh
and clock), which neither wait covers.
"""

from __future__ import annotations

import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

_IDLE = """() => new Promise(resolve => requestIdleCallback(
  () => requestIdleCallback(() => resolve(), {timeout: 5000}), {timeout: 5000}))"""
_POLL_MS = 20  # how often the count is looked at while requests are in flight (events arrive meanwhile)


class _InFlight:
    def __init__(self, page):
        self.requests = set()
        page.on("request", lambda request: self.requests.add(request))
        page.on("requestfinished", lambda request: self.requests.discard(request))
        page.on("requestfailed", lambda request: self.requests.discard(request))


_WATCHED: dict[int, tuple[object, _InFlight]] = {}


def watch(page):
    """Count the page's requests in flight from now on (call it before the page's first request)."""
    if id(page) not in _WATCHED or _WATCHED[id(page)][0] is not page:
        _WATCHED[id(page)] = (page, _InFlight(page))
    return page


def settle(page, timeout: float = 30_000) -> None:
    """Wait until the page has loaded, has no request in flight and its scripts are idle (see above);
    PlaywrightTimeout after `timeout` ms, like `wait_for_load_state`."""
    watched = _WATCHED.get(id(page))
    if watched is None or watched[0] is not page:
        raise RuntimeError("settle(page) needs watch(page) when the page is made")
    in_flight = watched[1].requests
    deadline = time.monotonic() + timeout / 1000

    def left() -> float:
        remaining = (deadline - time.monotonic()) * 1000
        if remaining <= 0:
            raise PlaywrightTimeout(f"settle: {len(in_flight)} request(s) still in flight after {timeout} ms")
        return remaining

    while True:
        while in_flight:
            left()
            page.wait_for_timeout(_POLL_MS)
        page.wait_for_load_state("load", timeout=left())
        try:
            page.evaluate(_IDLE)
        except PlaywrightError:  # the document was replaced meanwhile (a navigation): look again
            left()
            continue
        if not in_flight:
            return
