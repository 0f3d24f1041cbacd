"""Who may do what with the money side (`<noun>_can_<verb>(*, user, obj=None)`)."""

from __future__ import annotations

from tiaodu.core.permissions import signed_in
from tiaodu.orgs.models import Role
from tiaodu.projects.models import Project

# --- funds: sources, funding plans, annual plans, arrivals (资金来源、资金计划、年度计划、资金到位) -------------
#
# * the list of funding sources: the office and administrators;
# * a project's funding plan (资金计划) and annual plans (年度计划) are the baseline the project is measured
#   against (到位率, 年度完成率): the office and administrators only — the measured do not grade themselves;
# * funds arriving (资金到位): the office and administrators, and the users of the project's lead unit;
# * reading: whoever may see the project (the selectors restrict).

SOURCE_DENIED = "只有领导小组办公室或系统管理员可以管理资金来源"
FUNDING_PLAN_DENIED = "资金计划属于项目的考核基线，只有领导小组办公室或系统管理员可以修改"
ANNUAL_PLAN_DENIED = "年度计划属于项目的考核基线，只有领导小组办公室或系统管理员可以修改"
ARRIVAL_DENIED = "只有项目的牵头单位、领导小组办公室或系统管理员可以登记资金到位"


def _visible(user, project: Project) -> bool:
    return Project.objects.restrict(user, "view").filter(pk=project.pk).exists()


def funding_source_can_manage(*, user, obj=None) -> bool:
    """Add, rename, reorder or deactivate a funding source."""
    return signed_in(user) and user.manages_all


def funding_plan_can_edit(*, user, obj: Project | None = None) -> bool:
    """Replace the project `obj`'s funding plan (obj None: any project's)."""
    return signed_in(user) and user.manages_all


def annual_plan_can_edit(*, user, obj: Project | None = None) -> bool:
    """Create, change or delete the project `obj`'s annual plans (obj None: any project's)."""
    return signed_in(user) and user.manages_all


def arrival_can_record(*, user, obj: Project | None = None) -> bool:
    """Add or delete funds arriving for the project `obj` (obj None: whether the user records any)."""
    if not signed_in(user):
        return False
    if user.manages_all:
        return True
    unit = user.unit
    if user.role != Role.UNIT or unit is None:
        return False
    if obj is None:
        return Project.objects.filter(lead_unit=unit).exists()
    return obj.lead_unit_id == unit.pk and _visible(user, obj)


# --- end of funds ------------------------------------------------------------------------------------
