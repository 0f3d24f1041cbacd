"""SecurityControlsMiddleware: the 等保 controls that apply to every signed-in request.

* a session replaced by a later sign-in of the same account (SINGLE_SESSION) is signed out;
* a password older than PASSWORD_MAX_AGE_DAYS, or set by an administrator, leaves only the password page (and signing out) usable;
* under SEPARATION_OF_DUTIES a security auditor can change nothing (no POST, PUT, PATCH, DELETE).

API requests get JSON 403 instead of a redirect. Requests signed with an API token are checked the same
way by tiaodu.orgs.security.auth.TokenAuthentication (DRF authenticates them after the middleware).
Also makes the request known to the audit log's model-signal receivers while it is answered.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from tiaodu.orgs.security.events import _current_request
from tiaodu.orgs.security.passwords import expiry_message, password_expired, password_must_change
from tiaodu.orgs.security.roles import read_only_auditor
from tiaodu.orgs.security.sessions import session_replaced

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
AUDITOR_READ_ONLY = "安全审计员只能查看，不能修改任何数据（三员分立）"
SESSION_REPLACED = "您的账号已在其他地方登录，本次会话已结束，请重新登录"


def _always_allowed() -> set[str]:
    return {reverse("password_change"), reverse("logout"), reverse("admin:logout")}


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def access_refusal(*, user, method: str, path: str) -> str | None:
    """Why this signed-in user may not make this request now, or None. (Token requests: the API only.)"""
    if path in _always_allowed():
        return None
    if password_expired(user) or password_must_change(user):
        return expiry_message(user)
    if read_only_auditor(user) and method not in SAFE_METHODS:
        return AUDITOR_READ_ONLY
    return None


def _redirect(request, url: str) -> HttpResponse:
    """A redirect; for an htmx request, the whole page goes there (not the fragment being swapped)."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SecurityControlsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self._refuse(request) or self.get_response(request)
        finally:
            _current_request.reset(token)

    def _refuse(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if session_replaced(request):
            request._security_session_replaced = True
            logout(request)
            if is_api(request):
                return JsonResponse({"detail": SESSION_REPLACED}, status=403)
            messages.warning(request, SESSION_REPLACED)
            return _redirect(request, f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        refusal = access_refusal(user=user, method=request.method, path=request.path)
        if refusal is None:
            return None
        if is_api(request):
            return JsonResponse({"detail": refusal}, status=403)
        if refusal == AUDITOR_READ_ONLY:
            raise PermissionDenied(refusal)
        messages.warning(request, refusal)
        return _redirect(request, reverse("password_change"))
