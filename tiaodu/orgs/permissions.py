"""Who may do what with units, people and accounts (`<noun>_can_<verb>(*, user, obj=None)`).

Every signed-in user sees every unit and person (`Unit.objects.restrict(user, "view")` is all of
them); the office and administrators create and edit them (`restrict(user, "change")`, the default
rule of tiaodu.core.querysets.RestrictedQuerySet). The security audit log and the permission fields of
accounts follow 三员分立 (tiaodu/orgs/security/roles.py says who is an administrator, an auditor, a
security officer).
"""

from __future__ import annotations

from tiaodu.core.permissions import signed_in
from tiaodu.orgs.models import Person, Unit
from tiaodu.orgs.security.roles import is_administrator, is_auditor, is_security_officer, separation_of_duties

MANAGE_DENIED = "只有领导小组办公室或系统管理员可以维护单位和人员"


def unit_can_edit(*, user, obj: Unit | None = None) -> bool:
    """Create (obj None) or edit a unit."""
    return signed_in(user) and user.manages_all


def person_can_edit(*, user, obj: Person | None = None) -> bool:
    """Create (obj None) or edit a person: the same people who maintain the units."""
    return unit_can_edit(user=user, obj=obj.unit if obj is not None else None)


def security_audit_can_view(*, user, obj=None) -> bool:
    """The audit log is read by auditors, and by administrators unless duties are separated."""
    if not separation_of_duties() and is_administrator(user):
        return True
    return is_auditor(user)


def account_permissions_can_change(*, user, obj=None) -> bool:
    """Who may change an account's role, staff/superuser flags, groups and permissions."""
    if separation_of_duties():
        return is_security_officer(user) and not is_auditor(user)
    return bool(user and user.is_authenticated and user.is_active)
