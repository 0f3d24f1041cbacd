"""三员分立: the system administrator, the security auditor and the security officer as Django groups.

Who they are is decided here; what they may do is in tiaodu/orgs/permissions.py (security_audit_can_view,
account_permissions_can_change).

The groups are created by migration orgs.0003 with these Django permissions (what the admin site lets
their members do; the platform's own pages follow the user's 角色):

* 系统管理员 — runs the system: adds and edits accounts, units and people (not their permissions when
  SEPARATION_OF_DUTIES is on), reads groups and the sign-in records.
* 安全保密管理员 — grants permissions: the groups and the role, staff, superuser and permission fields of
  accounts, and unlocks locked accounts (deletes django-axes lockouts).
* 安全审计员 — reads: the security audit log (page, export, admin), the accounts and the sign-in records;
  with SEPARATION_OF_DUTIES on, changes nothing at all.

SEPARATION_OF_DUTIES=1 makes the separation strict: administrators who are not auditors cannot read the
audit log, auditors cannot change anything, and only security officers change permission fields.
"""

from __future__ import annotations

from django.conf import settings

from tiaodu.orgs.models import Role

SYSTEM_ADMIN = "系统管理员"
SECURITY_AUDITOR = "安全审计员"
SECURITY_OFFICER = "安全保密管理员"
GROUPS = (SYSTEM_ADMIN, SECURITY_AUDITOR, SECURITY_OFFICER)

# The account fields that grant access: under SEPARATION_OF_DUTIES only security officers change them.
PERMISSION_FIELDS = ("role", "is_staff", "is_superuser", "groups", "user_permissions")


def _groups(user) -> set[str]:
    """The user's group names, read once per user object."""
    cached = getattr(user, "_security_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.pk else set()
        user._security_groups = cached
    return cached


def separation_of_duties() -> bool:
    return bool(settings.SEPARATION_OF_DUTIES)


def is_auditor(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and SECURITY_AUDITOR in _groups(user))


def is_security_officer(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and SECURITY_OFFICER in _groups(user))


def is_administrator(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.role == Role.ADMIN or SYSTEM_ADMIN in _groups(user)


def read_only_auditor(user) -> bool:
    """Under SEPARATION_OF_DUTIES an auditor may only read (and sign out, and change their password)."""
    return separation_of_duties() and is_auditor(user)
