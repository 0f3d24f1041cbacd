"""One active session per account (SINGLE_SESSION=1): a new sign-in ends the account's other sessions.

At sign-in the session and the account get the same new random token; a request whose session holds
another token than its account belongs to a session a later sign-in has replaced, and is signed out
(SecurityControlsMiddleware). The token lives in the session's data, so it survives the session key
changing (Django rotates the key when the password changes).
"""

from __future__ import annotations

import secrets

from django.conf import settings

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
