"""Who may do what in weekly reporting (`<noun>_can_<verb>(*, user, obj=None)`).

* report (填报): users of a project's reporting units — its lead unit and the territorial units added to
  it — and the office / administrators (on behalf of the lead unit); leaders, the supervision office
  and supporting units read only;
* change a draft, submit it, delete it: its own unit (and the office / administrators);
* verify or return (审核/退回) — never a report one submitted oneself: a territorial unit's report the
  users of the project's lead unit and the office / administrators; the lead unit's own report (and one
  the office submitted on its behalf) only the office / administrators (领导小组办公室), another office
  user than the one who submitted it. The measured do not grade themselves: a territorial unit that
  reports never verifies, a lead unit never verifies its own figures;
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
    """Verify or return the report `obj` (Report.objects.restrict(user, "verify")): not one's own; a
    territorial unit's report the lead unit or the office / administrators; the lead unit's own report
    only the office / administrators."""
    return signed_in(user) and Report.objects.restrict(user, "verify").filter(pk=obj.pk).exists()


def report_verifier(report: Report) -> str:
    """Who verifies the report, in words (the pages and the refusals say it the same way)."""
    if report.reporting_unit_id == report.project.lead_unit_id:
        return "领导小组办公室"
    return f"牵头单位（{report.project.lead_unit.name}）或领导小组办公室"


def report_verify_refusal(*, user, report: Report, verb: str = "审核") -> str:
    """Why `user` may not verify (verb 审核) or return (退回) `report`: the message of the 403."""
    if signed_in(user) and report.submitted_by_id is not None and report.submitted_by_id == user.pk:
        return f"不能{verb}自己提交的周报，须由{_another(report)}{verb}"
    if report.reporting_unit_id == report.project.lead_unit_id:
        return f"该周报由牵头单位自己填报，须由领导小组办公室{verb}"
    return f"只有{report_verifier(report)}可以{verb}该周报"


def _another(report: Report) -> str:
    if report.reporting_unit_id == report.project.lead_unit_id:
        return "领导小组办公室的其他人员或系统管理员"
    return report_verifier(report)


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
