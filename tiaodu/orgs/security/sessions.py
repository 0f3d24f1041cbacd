"""One active session per account (SINGLE_SESSION=1): a new sign-in ends the account's other sessions.

At sign-in the session and the account get the same new random token; a request whose session holds
another token than its account belongs to a session a later sign-in has replaced, and is signed out
(SecurityControlsMiddleware). The token lives in the session's data, so it survives the session key
changing (Django rotates the key when the password changes).
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY

from tiaodu.orgs.models import User

SESSION_KEY = "_tiaodu_session_token"


def session_start(*, request, user) -> None:
    """Called at every sign-in: with SINGLE_SESSION on, this session becomes the account's only one."""
    if not settings.SINGLE_SESSION or request is None or not hasattr(request, "session"):
        return
    token = secrets.token_hex(16)
    request.session[SESSION_KEY] = token
    User.objects.filter(pk=user.pk).update(session_token=token)
    user.session_token = token


def session_replaced(request) -> bool:
    """True when SINGLE_SESSION is on and a later sign-in of the same account replaced this session."""
    if not settings.SINGLE_SESSION:
        return False
    user = request.user
    return bool(user.session_token) and request.session.get(SESSION_KEY, "") != user.session_token


RENEWED_KEY = "_tiaodu_renewed"
RENEW_EVERY_SECONDS = 60


class SessionRenewMiddleware:
    """Keeps a signed-in session alive while it is used: it expires SESSION_COOKIE_AGE after its last save,
    and a request saves it when its last renewal is a minute old or more — not on every request, which
    wrote the session table on every page view (several writes at once for a page's parallel requests).
    The idle timeout thus ends between SESSION_COOKIE_AGE − 60 s and SESSION_COOKIE_AGE after the last
    request. Listed right after SessionMiddleware, whose response step then saves the change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None or response.status_code >= 500:
            return response
        if AUTH_SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(RENEWED_KEY, 0) >= RENEW_EVERY_SECONDS:
                session[RENEWED_KEY] = now
        return response
