"""Writing and pruning the security audit log (安全审计日志)."""

from __future__ import annotations

import contextvars
import datetime
import ipaddress
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from tiaodu.orgs.models import SecurityEvent, SecurityEventKind

MIN_RETENTION_DAYS = 180
SYSTEM = "系统"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# The request being answered, set by SecurityControlsMiddleware: lets the model-signal receivers
# (permission changes, password changes) say who acted and from where.
_current_request: contextvars.ContextVar = contextvars.ContextVar("tiaodu_security_request", default=None)


def current_request():
    """The HTTP request this thread is answering, or None (management commands, jobs)."""
    return _current_request.get()


def client_ip(request) -> str | None:
    """The client's address as django-axes saw it (its proxy settings), else REMOTE_ADDR."""
    if request is None:
        return None
    meta = getattr(request, "META", {}) or {}
    value = getattr(request, "axes_ip_address", None) or meta.get("REMOTE_ADDR")
    try:
        return str(ipaddress.ip_address(str(value).strip())) if value else None
    except ValueError:
        return None


def _clean(text, limit: int | None) -> str:
    """Control characters shown as \\xNN (they come from visitors and would break the export)."""
    value = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text or ""))
    return value[:limit] if limit else value


def _actor(user, request):
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if user is not None and not getattr(user, "pk", None):
        user = None  # an anonymous user, or the system actor of the management commands
    return user


def security_event_log(
    *, kind: str, user=None, request=None, target: str = "", detail: str = "", username: str = ""
) -> SecurityEvent:
    """Record one security event. `user` defaults to the request's signed-in user; `username` names an
    account that has no user row (a failed sign-in with an unknown name). Without a user or a request
    (a management command), the event is the system's."""
    if kind not in SecurityEventKind.values:
        raise ValueError(f"unknown security event kind {kind!r}")
    actor = _actor(user, request)
    if actor is not None:
        username = actor.get_username()
    elif not username and request is None:
        username = SYSTEM  # a management command or a job (or the SystemActor they act as)
    meta = getattr(request, "META", {}) or {}
    return SecurityEvent.objects.create(
        kind=kind,
        user=actor,
        username=_clean(username, 150),
        ip_address=client_ip(request),
        user_agent=_clean(meta.get("HTTP_USER_AGENT", ""), 300),
        target=_clean(target, 300),
        detail=_clean(detail, 4000),
    )


def retention_days() -> int:
    days = settings.AUDIT_RETENTION_DAYS
    if days < MIN_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"AUDIT_RETENTION_DAYS 不能少于 {MIN_RETENTION_DAYS} 天（安全审计日志至少保存6个月），当前为 {days}"
        )
    return days


def security_events_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the events older than AUDIT_RETENTION_DAYS; returns how many were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    return SecurityEvent.objects.prune_before(cutoff)
