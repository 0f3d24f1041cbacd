"""Who may do what with the money side (`<noun>_can_<verb>(*, user, obj=None)`): the monthly investment figures
(月度投资统计) and, in the marked block at the end, the funds (资金来源、资金计划、年度计划、资金到位).

Monthly figures:

* enter (填报) a project's monthly figure: users of its lead unit, and the office / administrators on
  the lead unit's behalf; territorial and supporting units, leaders and the supervision office read only;
* change, submit or delete a draft: its own unit (and the office / administrators);
* revise (修改, a new revision of a submitted figure): the lead unit, or the office;
* verify or return (审核/退回): the office / administrators, never a figure one submitted oneself (the
  lead unit enters its own figures and does not grade them);
* import the 月度投资 sheet: whoever may enter figures.

Rows (which figures a user sees, which drafts it may change) are `MonthlyInvestment.objects.restrict(
user, action)`, tiaodu/investment/querysets.py.
"""

from __future__ import annotations

from tiaodu.core.permissions import signed_in
from tiaodu.investment.models import MonthlyInvestment
from tiaodu.orgs.models import Role
from tiaodu.projects.models import Project

VERIFIER = "领导小组办公室"


def _leads(user) -> bool:
    return user.role == Role.UNIT and user.unit is not None


def monthly_can_submit(*, user, obj: Project | None = None) -> bool:
    """Enter the monthly figures of the project `obj`; obj None: of any project at all (whether the
    monthly pages' 填报 is for this user: the office, or a unit that leads a project)."""
    if not signed_in(user):
        return False
    if user.manages_all:
        return True
    if not _leads(user):
        return False
    if obj is None:
        return Project.objects.filter(lead_unit=user.unit).exists()
    return obj.lead_unit_id == user.unit.pk


def monthly_can_import(*, user, obj=None) -> bool:
    """Import the 月度投资 sheet."""
    return monthly_can_submit(user=user)


def monthly_can_edit(*, user, obj: MonthlyInvestment) -> bool:
    """Change, submit or delete the draft `obj` (a submitted figure is never changed: it is revised)."""
    return signed_in(user) and MonthlyInvestment.objects.restrict(user, "change").filter(pk=obj.pk).exists()


def monthly_can_revise(*, user, obj: MonthlyInvestment) -> bool:
    """Open a new revision of the submitted, verified or returned figure `obj`."""
    if not monthly_can_submit(user=user, obj=obj.project):
        return False
    return user.manages_all or (user.unit is not None and user.unit.pk == obj.reporting_unit_id)


def monthly_can_verify(*, user, obj: MonthlyInvestment | None = None) -> bool:
    """Verify or return the figure `obj` (not one's own submission); obj None: whether the user verifies
    monthly figures at all (the queue)."""
    if not signed_in(user) or not user.manages_all:
        return False
    if obj is None:
        return True
    return MonthlyInvestment.objects.restrict(user, "verify").filter(pk=obj.pk).exists()


def monthly_verify_refusal(*, user, obj: MonthlyInvestment, verb: str = "审核") -> str:
    """Why `user` may not verify (审核) or return (退回) the figure: the message of the 403."""
    if (
        signed_in(user)
        and user.manages_all
        and obj.submitted_by_id is not None
        and obj.submitted_by_id == user.pk
    ):
        return f"不能{verb}自己提交的月度投资，须由{VERIFIER}的其他人员或系统管理员{verb}"
    return f"月度投资由牵头单位填报，只有{VERIFIER}或系统管理员可以{verb}"


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
