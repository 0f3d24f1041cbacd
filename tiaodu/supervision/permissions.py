"""Who may do what in the supervision loop (`<noun>_can_<verb>(*, user, obj=None)`).

* items (督办事项): leaders (批示), the supervision office (督查室), the office and administrators assign and
  adjust them; the assignee units report progress and request closure; only 督查 accounts confirm
  closure or send it back — the measured do not grade themselves;
* problems (难题): raised by anyone who sees the project; handled (feedback, resolve, escalate) by those
  who see everything, the owner unit and the project's lead unit;
* meetings (调度会): the supervision office, the office and administrators;
* accountability records (问责): the supervision office and administrators;
* 催报 (urging the units whose weekly report is due): leaders, 督查室, the office and administrators;
* the supervision settings (time limits, group robots): the office, administrators and 督查室.

Rows (which items, problems, meetings and records a user sees) are `Model.objects.restrict(user,
action)`, tiaodu/supervision/querysets.py, whose "change" rules are the functions below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiaodu.core.permissions import signed_in
from tiaodu.orgs.models import Role
from tiaodu.projects.permissions import project_can_view

if TYPE_CHECKING:
    from tiaodu.projects.models import Project
    from tiaodu.supervision.models import Problem, SupervisionItem

ITEM_CREATE_DENIED = "只有领导、督查室、领导小组办公室和系统管理员可以交办督办事项"
ITEM_EDIT_DENIED = "只有交办人员可以调整办理中的督办事项"
ITEM_RESPOND_DENIED = "只有承办单位可以报送办理进展和申请办结"
ITEM_CLOSE_DENIED = "只有督查室可以确认办结或退回"
MEETING_DENIED = "只有督查室、领导小组办公室和系统管理员可以管理调度会"
ACCOUNTABILITY_DENIED = "只有督查室和系统管理员可以登记问责记录"
URGE_DENIED = "只有领导、督查室、领导小组办公室和系统管理员可以催报"
CONFIG_DENIED = "只有领导小组办公室、系统管理员和督查室可以修改督办设置"


def _role(user, *roles) -> bool:
    return signed_in(user) and user.role in roles


def item_can_create(*, user, obj=None) -> bool:
    """Assign (交办) items: leaders, the supervision office, the office and administrators."""
    return signed_in(user) and (user.manages_all or _role(user, Role.LEADER, Role.SUPERVISOR))


def reports_can_urge(*, user, obj=None) -> bool:
    """催报 (urge the units whose weekly report is due): leaders, 督查室, the office and administrators."""
    return item_can_create(user=user)


def item_can_edit(*, user, obj: SupervisionItem | None = None) -> bool:
    """Adjust an item (deadline, units, …): those who assign items, while it is not closed."""
    return item_can_create(user=user) and (obj is None or not obj.is_closed)


def item_can_respond(*, user, obj: SupervisionItem) -> bool:
    """Report progress and request closure: users of an assignee unit."""
    if not _role(user, Role.UNIT) or user.unit is None:
        return False
    return obj.assignee_units.filter(pk=user.unit.pk).exists()


def item_can_close(*, user, obj: SupervisionItem | None = None) -> bool:
    """Confirm the closure of an item or send it back: only the supervision office (督查)."""
    return _role(user, Role.SUPERVISOR)


def problem_can_raise(*, user, obj: Project) -> bool:
    """Raise a problem on the project `obj`: whoever may see it."""
    return project_can_view(user=user, obj=obj)


def problem_can_handle(*, user, obj: Problem) -> bool:
    """Feedback, resolve, escalate: those who see everything, the owner unit and the project's lead unit."""
    if not signed_in(user):
        return False
    if user.sees_all:
        return True
    unit = user.unit
    return unit is not None and unit.pk in (obj.owner_unit_id, obj.project.lead_unit_id)


def meeting_can_manage(*, user, obj=None) -> bool:
    """Create and edit meetings, their minutes, agenda and decisions."""
    return signed_in(user) and (user.manages_all or _role(user, Role.SUPERVISOR))


def accountability_can_manage(*, user, obj=None) -> bool:
    """Record and edit accountability (问责): the supervision office and administrators."""
    return signed_in(user) and (user.is_superuser or _role(user, Role.ADMIN, Role.SUPERVISOR))


def config_can_edit(*, user, obj=None) -> bool:
    """The supervision settings (ladder time limits, warnings) and the group robots."""
    return signed_in(user) and (user.manages_all or _role(user, Role.SUPERVISOR))
