"""SecurityHeadersMiddleware: the response headers every page carries.

* ``Content-Security-Policy`` on every HTML response: scripts, styles, fonts and frames from our own
  origin only (``static/``), no inline script or style, images also from ``data:`` and ``blob:`` (ECharts
  exports, Bootstrap's icons) and, only when settings.MAP_TILE_URL is set, from the map tiles' host. ``frame-ancestors 'none'`` except where a view allows its response to be
  framed by our own pages (the document previews set ``X-Frame-Options: SAMEORIGIN``; then
  ``frame-ancestors 'self'``). A response that already has a policy (files served with their own) keeps it.
* ``Permissions-Policy``: the camera for our own pages (the phone report form takes photos), the
  clipboard for the copy buttons, fullscreen for the PDF preview, nothing else.
* ``Cache-Control: private, no-store`` on every answer to a signed-in request (a session or an API token),
  so a shared computer's browser or a proxy keeps no copy. Static files never reach this middleware
  (WhiteNoise answers them before it).

``Referrer-Policy`` (SECURE_REFERRER_POLICY), ``X-Content-Type-Options`` and ``Cross-Origin-Opener-Policy``
come from Django's SecurityMiddleware, ``X-Frame-Options`` from its XFrameOptionsMiddleware (DENY).
"""

from __future__ import annotations

import base64
import hashlib
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.cache import patch_cache_control

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "frame-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}

PERMISSIONS_POLICY = ", ".join(
    [
        "camera=(self)",
        "clipboard-write=(self)",
        "fullscreen=(self)",
        "accelerometer=()",
        "autoplay=()",
        "display-capture=()",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "xr-spatial-tracking=()",
    ]
)


def tile_source(url: str) -> str | None:
    """The CSP source of a map tile URL (settings.MAP_TILE_URL): its scheme and host, a templated label
    ({s}) and those left of it as `*` — `https://webrd0{s}.is.autonavi.com/…` → `https://*.is.autonavi.com`.
    None for no URL, a same-origin path or anything not http(s)."""
    parts = urlsplit(url.strip()) if url else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host, _, port = parts.netloc.rpartition("@")[2].partition(":")
    labels = host.split(".")
    templated = [i for i, label in enumerate(labels) if "{" in label or "}" in label]
    if templated:
        labels = ["*", *labels[templated[-1] + 1 :]]
    if len(labels) < 2 or any(not label or "{" in label for label in labels):
        return None
    return f"{parts.scheme}://{'.'.join(labels)}" + (f":{port}" if port and port.isdigit() else "")


def content_security_policy(*, frameable: bool, style_attributes: tuple[str, ...] = ()) -> str:
    directives = dict(CSP, **{"frame-ancestors": "'self'" if frameable else "'none'"})
    tiles = tile_source(settings.MAP_TILE_URL)
    if tiles:  # the map's base layer (only when a tile URL is set)
        directives["img-src"] = f"{CSP['img-src']} {tiles}"
    if style_attributes:
        directives["style-src-attr"] = " ".join(["'unsafe-hashes'", *style_attributes])
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def csp_allow_style_attributes(*values: str):
    """A view decorator: its page may carry style attributes with exactly these values (nothing else).

    For third-party scripts that write fixed style attributes (frappe-gantt): each value is allowed by
    its hash (CSP ``'unsafe-hashes'``), so no other inline style runs on the page."""
    hashes = tuple(
        "'sha256-" + base64.b64encode(hashlib.sha256(v.encode()).digest()).decode() + "'" for v in values
    )

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.csp_style_attributes = hashes
            return response

        return wrapped

    return decorator


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and "Content-Security-Policy" not in response:
            frameable = response.get("X-Frame-Options", "").upper() == "SAMEORIGIN"
            response["Content-Security-Policy"] = content_security_policy(
                frameable=frameable, style_attributes=getattr(response, "csp_style_attributes", ())
            )
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if _signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response
