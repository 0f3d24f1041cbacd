"""Who may do what in weekly reporting (`<noun>_can_<verb>(*, user, obj=None)`).

* report (填报): users of a project's reporting units — its lead unit and the territorial units added to
  it — and the office / administrators (on behalf of the lead unit); leaders, the supervision office
  and supporting units read only;
* change a draft, submit it, delete it: its own unit (and the office / administrators);
* verify or return (审核/退回): users of the lead unit, and the office / administrators — the measured
  do not grade themselves, so a territorial unit that reports never verifies;
* revise (修改, a new revision of a submitted report): the unit that reported it, or the office;
* which territorial units report: the lead unit and the office; the cycle settings: the office.

Rows (which reports a user sees, which drafts it may change) are `Report.objects.restrict(user,
action)`, tiaodu/progress/querysets.py.
"""

from __future__ import annotations

from tiaodu.core.permissions import signed_in
from tiaodu.orgs.models import Role
from tiaodu.progress.models import Report
from tiaodu.progress.querysets import reporting_projects
from tiaodu.projects.models import Project

CYCLE_DENIED = "只有领导小组办公室或系统管理员可以设置报送周期"


def report_can_submit(*, user, obj: Project | None = None) -> bool:
    """Report on the project `obj` (start, submit, revise its reports); obj None: on any project at all
    (whether the reporting pages are for this user)."""
    if not signed_in(user):
        return False
    if obj is None:
        return user.manages_all or (user.role == Role.UNIT and user.unit is not None)
    return reporting_projects(Project.objects.filter(pk=obj.pk), user).exists()


def report_can_import(*, user, obj=None) -> bool:
    """Import the 周报 workbook: whoever reports on at least one project they see."""
    if not report_can_submit(user=user):
        return False
    return reporting_projects(Project.objects.restrict(user, "view"), user).exists()


def report_can_edit(*, user, obj: Report) -> bool:
    """Change, submit or delete the draft `obj` (a submitted report is never changed: it is revised)."""
    return signed_in(user) and Report.objects.restrict(user, "change").filter(pk=obj.pk).exists()


def report_can_revise(*, user, obj: Report) -> bool:
    """Open a new revision of the submitted, verified or returned report `obj`: its reporting unit, or the
    office / administrators (who may report on every project)."""
    if not report_can_submit(user=user, obj=obj.project):
        return False
    return user.manages_all or (user.unit is not None and user.unit.pk == obj.reporting_unit_id)


def report_can_verify(*, user, obj: Report) -> bool:
    """Verify or return the report `obj`: the project's lead unit, and the office / administrators."""
    return signed_in(user) and Report.objects.restrict(user, "verify").filter(pk=obj.pk).exists()


def reporting_units_can_edit(*, user, obj: Project) -> bool:
    """Which territorial units report on the project `obj`: its lead unit and the office / administrators."""
    if not signed_in(user):
        return False
    if user.manages_all:
        return True
    unit = user.unit
    return unit is not None and user.role == Role.UNIT and obj.lead_unit_id == unit.pk


def cycle_can_edit(*, user, obj=None) -> bool:
    """The reporting cycle (deadline) and the lag thresholds: the office and administrators."""
    return signed_in(user) and user.manages_all
