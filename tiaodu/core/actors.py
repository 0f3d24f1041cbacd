"""The one "system" actor: who acts when no person does.

Management commands run without --user, the daily supervision sweep, the weekly briefing job, the demo
loader and imports without a user all act as `SYSTEM`. It is signed in, sees every project and may do what
an administrator may; it is nobody: `pk` is None, so nothing stores it as a user (`stored_user` gives None)
and the change log writes it as 系统.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

SYSTEM_NAME = "系统"


class SystemActor:
    pk = None
    id = None
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = True
    is_staff = False
    sees_all = True
    manages_all = True
    is_office = False
    role = "system"
    unit = None
    person = None
    person_id = None
    username = "system"
    display_name = SYSTEM_NAME

    def get_username(self) -> str:
        return SYSTEM_NAME

    def __str__(self) -> str:
        return SYSTEM_NAME

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


def is_system(user) -> bool:
    return isinstance(user, SystemActor)


def stored_user(user):
    """The user to keep on a record ("submitted by", "created by"): None for the system."""
    return user if getattr(user, "pk", None) else None


def command_user(username: str | None):
    """The user a management command acts as: `SYSTEM` without --user, else that user (CommandError when
    there is no such user)."""
    if not username:
        return SYSTEM
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"用户不存在：{username}")
    return user
