"""Changes of a project's approved baseline (计划变更): request, approve, reject, and their lines old → new.

The baseline is the planned start and finish, 完成时限 and the indicators' targets (and their 属地分解,
which only the office adjusts). A unit that may edit the project requests a change with a reason
(`change_request`); the office or an administrator approves it (`change_approve`, which applies the new
values through `services.project_update` / `indicator_update`, so the change log says who and when, and the
lag follows the new baseline at once) or rejects it with a note (`change_reject`). A direct change by the
office is recorded as an approved change by the services themselves (tiaodu.projects.baseline).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.errors import NotAllowed
from tiaodu.projects import services
from tiaodu.projects.baseline import account, dates_of, iso, target_json
from tiaodu.projects.models import BASELINE_FIELDS, ChangeStatus, Indicator, Project, ProjectChange
from tiaodu.projects.permissions import change_can_decide, change_can_request

REASON_MAX = 2000
NOTE_MAX = 2000
TRACKED = ["status", "reason", "planned_start", "planned_finish", "deadline", "targets", "decision_note"]
DECIDE_DENIED = "只有领导小组办公室或系统管理员可以审批计划变更"
REQUEST_DENIED = "您无权为该项目申请计划变更（只有牵头单位、属地单位和领导小组办公室可以申请）"
NOTHING_CHANGED = "计划开工、计划完工、完成时限和指标目标值均与现行计划相同，请至少修改一项"


@dataclass
class Proposal:
    """What a request proposes: a date left None is not changed; targets [(indicator, new target)]."""

    reason: str = ""
    planned_start: datetime.date | None = None
    planned_finish: datetime.date | None = None
    deadline: datetime.date | None = None
    targets: list[tuple[Indicator, Decimal | None]] = field(default_factory=list)


@dataclass(frozen=True)
class ChangeLine:
    """One value a change sets: 计划完工 2027-06-30 → 2027-09-30, or 指标「拆迁面积」目标值 120000 → 100000."""

    key: str  # planned_start | planned_finish | deadline | target
    label: str
    old: datetime.date | Decimal | None
    new: datetime.date | Decimal | None
    unit: str = ""  # the indicator's unit of measure (targets)


def target_key(indicator: Indicator) -> str:
    """The form field (and error key) of an indicator's proposed target."""
    return f"target_{indicator.pk}"


def _differing(project: Project, proposal: Proposal) -> tuple[dict, list]:
    dates = {
        key: getattr(proposal, key)
        for key in BASELINE_FIELDS
        if getattr(proposal, key) is not None and getattr(proposal, key) != getattr(project, key)
    }
    targets = [(ind, t) for ind, t in proposal.targets if t is not None and t != ind.target]
    return dates, targets


def _reason_problem(reason: str) -> str | None:
    if not reason:
        return "请填写变更理由"
    if len(reason) > REASON_MAX:
        return f"变更理由不能超过{REASON_MAX}字（现为{len(reason)}字）"
    try:
        ProjectChange._meta.get_field("reason").run_validators(reason)
    except ValidationError as exc:
        return "；".join(exc.messages)
    return None


def _date_problems(project: Project, proposal: Proposal, errors: dict) -> None:
    for key in BASELINE_FIELDS:
        value = getattr(proposal, key)
        if value is not None:
            try:
                Project._meta.get_field(key).run_validators(value)
            except ValidationError as exc:
                errors[key].extend(exc.messages)
    start = proposal.planned_start or project.planned_start
    finish = proposal.planned_finish or project.planned_finish
    if start and finish and finish < start:
        key = "planned_finish" if proposal.planned_finish else "planned_start"
        errors[key].append(f"计划完工（{finish.isoformat()}）不能早于计划开工（{start.isoformat()}）")


def _target_problems(project: Project, proposal: Proposal, errors: dict) -> None:
    seen = set()
    for indicator, target in proposal.targets:
        key = target_key(indicator)
        if indicator.project_id != project.pk:
            errors[key].append(f"指标「{indicator.name}」不属于项目 {project.code}")
        elif indicator.pk in seen:
            errors[key].append(f"指标「{indicator.name}」填写了不止一次")
        elif target is None:
            continue
        elif not target.is_finite() or target <= 0:
            errors[key].append(f"指标「{indicator.name}」的目标值须大于0")
        elif target != indicator.target and indicator.shares.exists():
            errors[key].append(
                f"指标「{indicator.name}」已按属地分解，目标值须由领导小组办公室连同属地分解一并调整，不能申请变更"
            )
        seen.add(indicator.pk)


def proposal_problems(project: Project, proposal: Proposal, *, require_change: bool = True) -> dict:
    """{field: [messages]} of what is wrong with `proposal` for `project` (empty: nothing). Fields are
    reason, planned_start, planned_finish, deadline, target_<indicator id> and __all__."""
    errors: dict[str, list[str]] = defaultdict(list)
    problem = _reason_problem((proposal.reason or "").strip())
    if problem:
        errors["reason"].append(problem)
    _date_problems(project, proposal, errors)
    _target_problems(project, proposal, errors)
    if require_change and not errors and _differing(project, proposal) == ({}, []):
        errors[NON_FIELD_ERRORS].append(NOTHING_CHANGED)
    return dict(errors)


def _raise(problems: dict) -> None:
    """The service's ValidationError: the targets' messages under "targets" (the API's field)."""
    out: dict[str, list[str]] = defaultdict(list)
    for key, messages in problems.items():
        out["targets" if key.startswith("target_") else key].extend(messages)
    raise ValidationError(dict(out))


@transaction.atomic
def change_request(*, user, project: Project, proposal: Proposal, source: str = "web") -> ProjectChange:
    """A unit's request to change the project's baseline (待审批). Only the values that differ are kept."""
    if not change_can_request(user=user, obj=project):
        raise NotAllowed(REQUEST_DENIED)
    problems = proposal_problems(project, proposal)
    if problems:
        _raise(problems)
    dates, targets = _differing(project, proposal)
    change = ProjectChange.objects.create(
        project=project,
        status=ChangeStatus.PENDING,
        reason=proposal.reason.strip(),
        targets=[target_json(ind, t) for ind, t in targets],
        requested_by=account(user),
        requesting_unit=getattr(user, "unit", None),
        requested_at=timezone.now(),
        **dates,
    )
    record_change(
        obj=change, before=None, after=snapshot(change, TRACKED), user=user, source=source, parent=project
    )
    return change


def _pending(change: ProjectChange) -> ProjectChange:
    change = ProjectChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeStatus.PENDING:
        raise ValidationError({"status": f"该计划变更已{change.get_status_display()}，不能再审批"})
    return change


def _note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationError({"note": "驳回须填写审批意见（驳回理由）"})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"审批意见不能超过{NOTE_MAX}字（现为{len(note)}字）"})
    return note


def _decide(*, user, change: ProjectChange, status: str, note: str, old: dict, source: str) -> ProjectChange:
    before = snapshot(change, TRACKED)
    change.status = status
    change.old_values = old
    change.decided_by = account(user)
    change.decided_at = timezone.now()
    change.decision_note = note
    change.save()
    record_change(
        obj=change,
        before=before,
        after=snapshot(change, TRACKED),
        user=user,
        source=source,
        parent=change.project,
    )
    return change


@transaction.atomic
def change_approve(*, user, change: ProjectChange, note: str = "", source: str = "web") -> ProjectChange:
    """Approve a pending change: the new values replace the project's (their old values are kept)."""
    if not change_can_decide(user=user, obj=change):
        raise NotAllowed(DECIDE_DENIED)
    note = _note(note, required=False)
    change = _pending(change)
    project = Project.objects.select_for_update().get(pk=change.project_id)
    wanted = change.proposed_targets()
    indicators = {i.pk: i for i in project.indicators.filter(pk__in=wanted)}
    gone = [t["name"] for t in change.targets if int(t["indicator"]) not in indicators]
    if gone:
        raise ValidationError({"targets": f"指标「{'、'.join(gone)}」已被删除，不能批准，请驳回该申请"})
    proposal = Proposal(
        reason=change.reason,
        targets=[(indicators[pk], target) for pk, target in wanted.items()],
        **change.proposed_dates(),
    )
    problems = proposal_problems(project, proposal, require_change=False)
    if problems:
        _raise(problems)
    dates = change.proposed_dates()
    current = dates_of(project)
    old: dict = {key: iso(current[key]) for key in dates}
    if wanted:
        old["targets"] = {str(pk): format(indicators[pk].target.normalize(), "f") for pk in wanted}
    if dates:
        services.project_update(user=user, project=project, data=dates, source=source, record_baseline=False)
    for pk, target in wanted.items():
        services.indicator_update(
            user=user, indicator=indicators[pk], data={"target": target}, source=source, record_baseline=False
        )
    return _decide(user=user, change=change, status=ChangeStatus.APPROVED, note=note, old=old, source=source)


@transaction.atomic
def change_reject(*, user, change: ProjectChange, note: str = "", source: str = "web") -> ProjectChange:
    """Reject a pending change with a note (required): the baseline stays as it is."""
    if not change_can_decide(user=user, obj=change):
        raise NotAllowed(DECIDE_DENIED)
    note = _note(note, required=True)
    change = _pending(change)
    return _decide(user=user, change=change, status=ChangeStatus.REJECTED, note=note, old={}, source=source)


# --- reading a change ---------------------------------------------------------------------------------


def _date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def change_lines(change: ProjectChange, project: Project | None = None) -> list[ChangeLine]:
    """What the change sets, old → new. The old values are those captured at approval; while the change
    is pending (or when it was rejected) they are the project's current values."""
    project = project or change.project
    decided = change.status == ChangeStatus.APPROVED
    old = change.old_values or {}
    keys = [k for k in BASELINE_FIELDS if k in old] if decided else list(change.proposed_dates())
    lines = [
        ChangeLine(
            key=key,
            label=BASELINE_FIELDS[key],
            old=_date(old.get(key)) if decided else getattr(project, key),
            new=getattr(change, key),
        )
        for key in keys
    ]
    current = {}
    if not decided and change.targets:
        current = dict(project.indicators.values_list("pk", "target"))
    for t in change.targets or ():
        pk = int(t["indicator"])
        before = (old.get("targets") or {}).get(str(pk)) if decided else current.get(pk)
        lines.append(
            ChangeLine(
                key="target",
                label=f"指标「{t['name']}」目标值",
                old=Decimal(str(before)) if before is not None else None,
                new=Decimal(str(t["target"])),
                unit=t.get("unit", ""),
            )
        )
    return lines
