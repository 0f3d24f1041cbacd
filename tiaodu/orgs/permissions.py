"""Who may do what with units and people (`<noun>_can_<verb>(*, user, obj=None)`).

Every signed-in user sees every unit and person (`Unit.objects.restrict(user, "view")` is all of
them); the office and administrators create and edit them (`restrict(user, "change")`, the default
rule of tiaodu.core.querysets.RestrictedQuerySet).
"""

from __future__ import annotations

from tiaodu.core.permissions import signed_in
from tiaodu.orgs.models import Person, Unit

MANAGE_DENIED = "只有领导小组办公室或系统管理员可以维护单位和人员"


def unit_can_edit(*, user, obj: Unit | None = None) -> bool:
    """Create (obj None) or edit a unit."""
    return signed_in(user) and user.manages_all


def person_can_edit(*, user, obj: Person | None = None) -> bool:
    """Create (obj None) or edit a person: the same people who maintain the units."""
    return unit_can_edit(user=user, obj=obj.unit if obj is not None else None)
