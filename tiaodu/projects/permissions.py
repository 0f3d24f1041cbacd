"""Who may do what with projects, indicators, responsibility letters and the ledger.

Every function is `<noun>_can_<verb>(*, user, obj=None)` and answers for pages, the API, services,
templates (through the views' context) and commands alike. Which rows a user may see or change is
`Model.objects.restrict(user, action)` (tiaodu/projects/querysets.py); the functions here ask it about
one object, so each rule is written once.

The README's table (角色与可见范围):
* the office and administrators create projects, import the ledger, and draw up letters;
* a unit user edits the projects its unit leads or holds territorially, and their indicators — but not
  their responsibility fields (code, type and units), which only the office and administrators change;
* a project's approved baseline (计划基线: planned start, planned finish, 完成时限, indicator targets) is
  changed directly only by the office and administrators; a unit user requests a change (计划变更) with a
  reason, which the office approves or rejects (tiaodu/projects/changes.py);
* a project the user may not see is a 404, an edit the user may not make a 403.
"""

from __future__ import annotations

from tiaodu.core.permissions import signed_in
from tiaodu.projects.models import BASELINE_FIELDS, Indicator, Project, ProjectChange, ResponsibilityLetter

# The fields that say who answers for a project; only the office and administrators change them.
RESPONSIBILITY_FIELDS: dict[str, str] = {
    "code": "项目编号",
    "type": "项目类型",
    "lead_unit": "牵头单位",
    "territorial_units": "属地单位",
    "supporting_units": "配合单位",
}


def project_can_view(*, user, obj: Project) -> bool:
    return signed_in(user) and Project.objects.restrict(user, "view").filter(pk=obj.pk).exists()


def project_can_create(*, user, obj=None) -> bool:
    return signed_in(user) and user.manages_all


def project_can_edit(*, user, obj: Project | None = None) -> bool:
    """The project's fields, status and indicators (obj None: whether the user edits any project)."""
    if not signed_in(user):
        return False
    if user.manages_all:
        return True
    qs = Project.objects.restrict(user, "change")
    return (qs.filter(pk=obj.pk) if obj is not None else qs).exists()


def project_can_change_responsibility(*, user, obj: Project | None = None) -> bool:
    """Code, type, lead, territorial and supporting units (RESPONSIBILITY_FIELDS)."""
    return signed_in(user) and user.manages_all


def project_responsibility_refusal(*, user, obj: Project, data: dict) -> str | None:
    """Why `data` may not be applied to `obj` by `user` (a responsibility field it may not change), or None.

    A responsibility field sent with its current value is no change and is accepted, so a client may send
    the whole project back. The pages and the API both go through `projects.services.project_update`,
    which asks this, so they give the same answer.
    """
    if project_can_change_responsibility(user=user, obj=obj):
        return None
    for key, label in RESPONSIBILITY_FIELDS.items():
        if key in data and not _same(obj, key, data[key]):
            return f"只有领导小组办公室或系统管理员可以修改{label}"
    return None


def _same(project: Project, key: str, value) -> bool:
    if key in ("territorial_units", "supporting_units"):
        if project.pk is None:
            return not value
        return {u.pk for u in value} == set(getattr(project, key).values_list("pk", flat=True))
    if key == "lead_unit":
        return value is not None and value.pk == project.lead_unit_id
    return value == getattr(project, key)


# --- the approved baseline (计划基线) and its changes (计划变更) ---------------------------------------


def baseline_request_hint(project: Project) -> str:
    return f"请提交计划变更申请（POST /api/v1/projects/{project.code}/changes/）"


def project_can_change_baseline(*, user, obj: Project | None = None) -> bool:
    """Planned start and finish, 完成时限 and indicator targets, directly: the office and administrators."""
    return signed_in(user) and user.manages_all


INDICATOR_BASELINE_DENIED = "指标及其目标值属于批准的计划基线，只有领导小组办公室或系统管理员可以新增或删除指标（调整目标值请提交计划变更申请）"


def indicator_can_add(*, user, obj: Project | None = None) -> bool:
    """Add an indicator to the project `obj`, or delete one of its indicators: its indicators and targets are
    its approved baseline (a street deleting a lagging indicator would drop its lag) — the office and
    administrators."""
    return project_can_edit(user=user, obj=obj) and project_can_change_baseline(user=user, obj=obj)


def project_baseline_refusal(*, user, obj: Project, data: dict) -> str | None:
    """Why `data` may not be applied to `obj` by `user` (a baseline date it may not change), or None.

    A date sent with its current value is no change and is accepted.
    """
    if project_can_change_baseline(user=user, obj=obj):
        return None
    for key, label in BASELINE_FIELDS.items():
        if key in data and data[key] != getattr(obj, key):
            return f"{label}属于批准的计划基线，{baseline_request_hint(obj)}"
    return None


def indicator_target_refusal(*, user, obj: Indicator, data: dict) -> str | None:
    """Why the target in `data` may not be set on the existing indicator `obj` by `user`, or None."""
    if obj.pk is None or "target" not in data or project_can_change_baseline(user=user, obj=obj.project):
        return None
    if data["target"] != obj.target:
        return f"指标「{obj.name}」的目标值属于批准的计划基线，{baseline_request_hint(obj.project)}"
    return None


def change_can_request(*, user, obj: Project | None = None) -> bool:
    """Requesting a baseline change of the project: whoever may edit it."""
    return project_can_edit(user=user, obj=obj)


def change_can_view(*, user, obj: ProjectChange) -> bool:
    return signed_in(user) and ProjectChange.objects.restrict(user, "view").filter(pk=obj.pk).exists()


def change_can_decide(*, user, obj: ProjectChange | None = None) -> bool:
    """Approving or rejecting a requested change: the office and administrators."""
    return signed_in(user) and user.manages_all


def letter_can_view(*, user, obj: ResponsibilityLetter) -> bool:
    return signed_in(user) and ResponsibilityLetter.objects.restrict(user, "view").filter(pk=obj.pk).exists()


def letter_can_edit(*, user, obj: ResponsibilityLetter | None = None) -> bool:
    """Only the office and administrators draw up and sign letters (and their items)."""
    return signed_in(user) and user.manages_all


def ledger_can_import(*, user, obj=None) -> bool:
    """Uploading the ledger workbook: the office and administrators (everyone may download)."""
    return signed_in(user) and user.manages_all


def share_can_edit(*, user, obj=None) -> bool:
    """An indicator's territorial shares (属地分解) are part of the approved baseline: only the office and
    administrators set them (obj: the indicator, or None)."""
    return signed_in(user) and user.manages_all
