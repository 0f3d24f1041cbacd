"""Password expiry (PASSWORD_MAX_AGE_DAYS) and no reuse of the last PASSWORD_HISTORY passwords.

Django calls every configured validator's `password_changed(password, user)` after a user with a new
password is saved (the account page, the admin, `changepassword`, `create_user`): that is where the
change is stamped and the new hash kept, whatever path changed it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.hashers import check_password, is_password_usable
from django.core.exceptions import ValidationError
from django.utils import timezone

from tiaodu.orgs.models import PasswordHistory, SecurityEventKind, User
from tiaodu.orgs.security.events import current_request, security_event_log


def password_expired(user) -> bool:
    """True when the user's password is older than PASSWORD_MAX_AGE_DAYS (0: passwords never expire)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not user.is_authenticated or not user.has_usable_password():
        return False
    changed = getattr(user, "password_changed_at", None)
    return changed is None or changed < timezone.now() - datetime.timedelta(days=days)


def password_must_change(user) -> bool:
    """True when the password was set by someone else (an administrator's reset) and not changed since."""
    return bool(getattr(user, "password_must_change", False)) and user.is_authenticated


def expiry_message(user=None) -> str:
    if user is not None and password_must_change(user):
        return "您的密码由管理员设置，请先修改为只有您知道的密码后再使用系统"
    return f"您的密码已超过 {settings.PASSWORD_MAX_AGE_DAYS} 天未修改，请先修改密码后再使用系统"


def remember_previous_password(sender, instance, raw=False, **kwargs):
    """pre_save of User: when a new password is about to be saved, keep the hash it replaces, so the
    history holds it even if it was never recorded (accounts made by create_user or the demo loader)."""
    if raw or instance._state.adding or getattr(instance, "_password", None) is None:
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._security_previous_password = stored


class PasswordHistoryValidator:
    """Refuses the current password and the previous ones, up to `history` (PASSWORD_HISTORY) in all."""

    def __init__(self, history: int | None = None):
        self._history = history

    @property
    def history(self) -> int:
        return settings.PASSWORD_HISTORY if self._history is None else self._history

    def _recent_hashes(self, user) -> list[str]:
        hashes = [user.password] if user.password else []
        if self.history > 0:
            stored = PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)
            hashes += list(stored[: self.history])
        unique = list(dict.fromkeys(h for h in hashes if h))
        return unique[: self.history]

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None) or self.history <= 0:
            return
        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)):
            raise ValidationError(
                f"新密码不能与最近 {self.history} 次使用过的密码相同，请换一个密码",
                code="password_reused",
            )

    def password_changed(self, password, user):
        now = timezone.now()
        previous, user._security_previous_password = getattr(user, "_security_previous_password", None), None
        if previous and is_password_usable(previous):
            if not PasswordHistory.objects.filter(user=user, password=previous).exists():
                PasswordHistory.objects.create(
                    user=user, password=previous, changed_at=user.password_changed_at
                )
        request = current_request()
        actor = getattr(request, "user", None)
        by_self = actor is not None and actor.is_authenticated and actor.pk == user.pk
        # Set by someone signed in other than the user (an administrator's reset): changed at next sign-in.
        must_change = not by_self and actor is not None and actor.is_authenticated
        must_change = must_change and not getattr(user, "_security_created", False)
        User.objects.filter(pk=user.pk).update(password_changed_at=now, password_must_change=must_change)
        user.password_changed_at = now
        user.password_must_change = must_change
        PasswordHistory.objects.create(user=user, password=user.password, changed_at=now)
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[: max(self.history, 1)]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()
        if getattr(user, "_security_created", False):
            return  # the first password of a new account: its creation is the event
        security_event_log(
            kind=SecurityEventKind.PASSWORD_CHANGE,
            user=actor if actor is not None and actor.is_authenticated else None,
            request=request,
            target=f"用户 {user.get_username()}",
            detail="本人修改密码" if by_self else "由他人或命令设置密码",
        )

    def get_help_text(self):
        return f"新密码不能与最近 {self.history} 次使用过的密码相同。"
