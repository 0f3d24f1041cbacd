"""Requests no page can answer, and the way back after signing in again.

RejectNulMiddleware — a NUL character in the address (`/projects/%00/`).

PostgreSQL can neither store nor compare text with NUL in it (the query fails), and no address of ours
contains one; such a request gets a 400 in Chinese before any view sees it (JSON under /api/).
NUL in a query parameter is the parameter's business (tiaodu.core.params, form fields): a list page
leaves such a filter out.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from tiaodu.core.views import error_page

MESSAGE = "请求地址含有空字符（%00），无法处理"


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": MESSAGE}, status=400, json_dumps_params={"ensure_ascii": False}
                )
            return error_page(request, 400, "请求有误", MESSAGE)
        return self.get_response(request)


SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _referring_page(request) -> str:
    """The path (with query) of the same-site page a form was sent from, or ""."""
    referer = request.headers.get("Referer", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(referer)
    if parts.path == resolve_url(settings.LOGIN_URL):
        return ""
    return urlunsplit(("", "", parts.path or "/", parts.query, ""))


class LoginReturnMiddleware:
    """A form sent after the session ended (提交 on a report, 审核…) is sent to the sign-in page like any
    request; signing in then opens `next`. For a POST that address is the form's target, often POST-only
    (a 405 after signing in): `next` becomes the page the form was on (its Referer), or is left out (the
    home page) when that is unknown. GET requests keep Django's `next` (the page asked for)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in SAFE_METHODS or response.status_code not in (301, 302, 303):
            return response
        location = urlsplit(response.get("Location", ""))
        if location.path != resolve_url(settings.LOGIN_URL):
            return response
        query = [(k, v) for k, v in parse_qsl(location.query, keep_blank_values=True) if k != "next"]
        back = _referring_page(request)
        if back:
            query.append(("next", back))
        response["Location"] = urlunsplit(location._replace(query=urlencode(query)))
        return response
