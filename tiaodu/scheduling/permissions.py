"""Who may do what with schedules, period plans, baselines and the holiday calendar.

`<noun>_can_<verb>(*, user, obj=None)`; a schedule belongs to its project, so seeing and editing it
follow the project (tiaodu.projects.permissions): a project the user may not see is a 404, and its
lead and territorial units (and the office) edit its tasks, links, import and calendar mode. Approving
(审定) a baseline, adjusting period plans and entering a year's holidays are the office's and the
administrators'.
"""

from __future__ import annotations

from tiaodu.core.permissions import signed_in
from tiaodu.projects.models import Project
from tiaodu.projects.permissions import project_can_edit

OFFICE_ONLY = "只有领导小组办公室或系统管理员可以{what}"


def schedule_can_edit(*, user, obj: Project | None = None) -> bool:
    """Tasks, links, import and calendar mode of the project's schedule: whoever may edit the project."""
    return project_can_edit(user=user, obj=obj)


def schedule_can_approve(*, user, obj: Project | None = None) -> bool:
    """审定 (a baseline) and period-plan overrides: the office and administrators."""
    return signed_in(user) and user.manages_all


def calendar_can_enter(*, user, obj=None) -> bool:
    """Entering (or re-entering) a year's holidays and make-up days: the office and administrators."""
    return signed_in(user) and user.manages_all
