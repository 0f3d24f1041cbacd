"""Kiosk links of the big screen (大屏免登录链接): a random secret in the link, only its SHA-256 stored.

A link opens /screen/k/<secret>/ with no one signed in and reads the screen's data and carousel photos
under the same secret; it grants nothing else (no session, no cookie). Each use stamps its last use; a
revoked link is refused at once, so a screen already open stops getting data at its next refresh.
Creating and revoking are recorded in the change history (tiaodu.core.audit).
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tiaodu.command.models import KioskLink
from tiaodu.command.permissions import MANAGE_DENIED, command_can_manage
from tiaodu.core.audit import record_change
from tiaodu.core.errors import NotAllowed

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
TOKEN_MAX = 100  # a longer "secret" is junk: refused before it is hashed


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def kiosk_path(token: str) -> str:
    return reverse("screen_kiosk", args=[token])


def kiosk_url(token: str, base_url: str | None = None) -> str:
    """The absolute link: `base_url`, else settings.SITE_URL, else http://127.0.0.1:8000."""
    base = (base_url or getattr(settings, "SITE_URL", "") or DEFAULT_BASE_URL).rstrip("/")
    return base + kiosk_path(token)


def tracked(link: KioskLink) -> dict[str, str]:
    """What the change history shows of a link: its name and whether it is live."""
    return {"名称": link.name, "状态": "有效" if link.active else "已停用"}


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "请填写链接名称（例如：三楼会议室大屏）"})
    if len(name) > 100:
        raise ValidationError({"name": "链接名称最长100个字"})
    return name


@transaction.atomic
def kiosk_create(*, user, name: str, source: str = "web") -> tuple[KioskLink, str]:
    """A new live link named `name` and its secret (shown once). ValidationError when a live link has that
    name (a stopped link's name may be reused: its replacement)."""
    if not command_can_manage(user=user):
        raise NotAllowed(MANAGE_DENIED)
    name = clean_name(name)
    if KioskLink.objects.filter(name=name, revoked_at__isnull=True).exists():
        raise ValidationError({"name": f"已有名为「{name}」的大屏链接，请换一个名称"})
    token = secrets.token_urlsafe(32)
    link = KioskLink.objects.create(
        name=name, token_hash=token_hash(token), created_by=user if getattr(user, "pk", None) else None
    )
    record_change(obj=link, before=None, after=tracked(link), user=user, source=source)
    return link, token


@transaction.atomic
def kiosk_revoke(*, user, link: KioskLink, source: str = "web") -> KioskLink:
    """Stop the link (no effect on a link already stopped)."""
    if not command_can_manage(user=user):
        raise NotAllowed(MANAGE_DENIED)
    link = KioskLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        before = tracked(link)
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        record_change(obj=link, before=before, after=tracked(link), user=user, source=source)
    return link


def kiosk_find(token: str) -> KioskLink | None:
    """The link of that secret, live or revoked (None: no such link)."""
    if not token or len(token) > TOKEN_MAX:
        return None
    return KioskLink.objects.filter(token_hash=token_hash(token)).first()


def kiosk_use(link: KioskLink, *, ip: str | None) -> None:
    """Stamp a use of a live link (one UPDATE; the change history is not written for uses)."""
    now = timezone.now()
    KioskLink.objects.filter(pk=link.pk).update(last_used_at=now, last_used_ip=ip or None)
    link.last_used_at, link.last_used_ip = now, ip or None
