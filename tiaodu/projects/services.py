"""Writes of projects, indicators and responsibility letters. Each write keeps a change record."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import filetype
from django.core.exceptions import ValidationError
from django.db import transaction

from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.errors import NotAllowed
from tiaodu.core.uploads import check_upload_size
from tiaodu.projects.baseline import dates_of, record_direct_change
from tiaodu.projects.models import (
    STATUS_TRANSITIONS,
    Indicator,
    IndicatorShare,
    LetterItem,
    Project,
    ProjectStatus,
    ResponsibilityLetter,
)
from tiaodu.projects.permissions import (
    INDICATOR_BASELINE_DENIED,
    indicator_can_add,
    indicator_target_refusal,
    letter_can_edit,
    project_baseline_refusal,
    project_can_create,
    project_can_edit,
    project_responsibility_refusal,
    share_can_edit,
)
from tiaodu.projects.shares import orphaned_shares_problem, share_units, sum_problem, unit_problem
from tiaodu.projects.signals import shares_changed
from tiaodu.projects.status_history import record_statuses

_M2M = ("territorial_units", "supporting_units")


def _apply(obj, data: dict[str, Any]) -> dict[str, Any]:
    """Set plain fields on obj; return the many-to-many values to set after saving."""
    m2m = {}
    for key, value in data.items():
        if key in _M2M:
            m2m[key] = value
        else:
            setattr(obj, key, value)
    return m2m


@transaction.atomic
def project_create(*, user, data: dict[str, Any], source: str = "web") -> Project:
    if not project_can_create(user=user):
        raise NotAllowed("只有领导小组办公室或系统管理员可以新建项目")
    project = Project()
    m2m = _apply(project, data)
    if not m2m.get("territorial_units"):
        raise ValidationError({"territorial_units": "请至少选择一个属地单位"})
    project.full_clean()
    project.save()
    for key, value in m2m.items():
        getattr(project, key).set(value)
    record_change(
        obj=project, before=None, after=snapshot(project, Project.TRACKED_FIELDS), user=user, source=source
    )
    record_statuses([project], user=user, source=source)
    return project


@transaction.atomic
def project_update(
    *, user, project: Project, data: dict[str, Any], source: str = "web", record_baseline: bool = True
) -> Project:
    """Change a project. A change of its baseline dates by the office is recorded as an approved
    计划变更 too (record_baseline=False: the caller, approving a requested change, records it)."""
    if not project_can_edit(user=user, obj=project):
        raise NotAllowed("您无权修改该项目")
    # Units edit the work, not who is responsible for it nor the approved baseline (a field sent
    # unchanged is no change).
    refusal = project_responsibility_refusal(user=user, obj=project, data=data) or project_baseline_refusal(
        user=user, obj=project, data=data
    )
    if refusal is not None:
        raise NotAllowed(refusal)
    before = snapshot(project, Project.TRACKED_FIELDS)
    dates_before = dates_of(project)
    old_status = project.status
    new_status = data.get("status", old_status)
    if new_status != old_status and new_status not in STATUS_TRANSITIONS[old_status]:
        raise ValidationError(
            {
                "status": f"状态不能从「{ProjectStatus(old_status).label}」改为「{ProjectStatus(new_status).label}」"
                f"（允许：{'、'.join(ProjectStatus(s).label for s in STATUS_TRANSITIONS[old_status]) or '无'}）"
            }
        )
    m2m = _apply(project, data)
    if "territorial_units" in m2m and not m2m["territorial_units"]:
        raise ValidationError({"territorial_units": "请至少选择一个属地单位"})
    if "territorial_units" in m2m or "lead_unit" in data:
        territorial = (
            [u.pk for u in m2m["territorial_units"]]
            if "territorial_units" in m2m
            else list(project.territorial_units.values_list("pk", flat=True))
        )
        problem = orphaned_shares_problem(
            project, lead_unit_id=project.lead_unit_id, territorial_ids=territorial
        )
        if problem:
            raise ValidationError({"territorial_units": problem})
    project.full_clean()
    project.save()
    for key, value in m2m.items():
        getattr(project, key).set(value)
    record_change(
        obj=project, before=before, after=snapshot(project, Project.TRACKED_FIELDS), user=user, source=source
    )
    if project.status != old_status:
        record_statuses([project], user=user, source=source)
    if record_baseline:
        record_direct_change(user=user, project=project, dates_before=dates_before)
    return project


def project_change_status(*, user, project: Project, status: str, source: str = "web") -> Project:
    return project_update(user=user, project=project, data={"status": status}, source=source)


@transaction.atomic
def indicator_create(*, user, project: Project, data: dict[str, Any], source: str = "web") -> Indicator:
    if not project_can_edit(user=user, obj=project):
        raise NotAllowed("您无权修改该项目的指标")
    if not indicator_can_add(user=user, obj=project):
        raise NotAllowed(INDICATOR_BASELINE_DENIED)
    indicator = Indicator(project=project, **data)
    indicator.full_clean()
    indicator.save()
    record_change(
        obj=indicator,
        before=None,
        after=snapshot(indicator, Indicator.TRACKED_FIELDS),
        user=user,
        source=source,
        parent=project,
    )
    return indicator


@transaction.atomic
def indicator_update(
    *, user, indicator: Indicator, data: dict[str, Any], source: str = "web", record_baseline: bool = True
) -> Indicator:
    """Change an indicator. Its target is part of the approved baseline: a unit user is refused (it requests
    a change); the office's direct change is recorded as an approved 计划变更 (unless record_baseline=False)."""
    if not project_can_edit(user=user, obj=indicator.project):
        raise NotAllowed("您无权修改该项目的指标")
    refusal = indicator_target_refusal(user=user, obj=indicator, data=data)
    if refusal is not None:
        raise NotAllowed(refusal)
    before = snapshot(indicator, Indicator.TRACKED_FIELDS)
    target_before = indicator.target
    data = {k: v for k, v in data.items() if k != "project"}
    if "target" in data and data["target"] != indicator.target and indicator.shares.exists():
        raise ValidationError(
            {
                "target": f"指标「{indicator.name}」已分解到属地单位，修改目标值须同时修改属地分解"
                "（由领导小组办公室在「属地分解」中一并修改）"
            }
        )
    _apply(indicator, data)
    indicator.full_clean()
    indicator.save()
    record_change(
        obj=indicator,
        before=before,
        after=snapshot(indicator, Indicator.TRACKED_FIELDS),
        user=user,
        source=source,
        parent=indicator.project,
    )
    if record_baseline:
        record_direct_change(
            user=user, project=indicator.project, indicator=indicator, target_before=Decimal(target_before)
        )
    return indicator


@transaction.atomic
def indicator_delete(*, user, indicator: Indicator, source: str = "web") -> None:
    if not project_can_edit(user=user, obj=indicator.project):
        raise NotAllowed("您无权修改该项目的指标")
    if not indicator_can_add(user=user, obj=indicator.project):
        raise NotAllowed(INDICATOR_BASELINE_DENIED)
    if indicator.letter_items.exists():
        raise ValidationError("该指标已列入目标责任书，不能删除")
    before = snapshot(indicator, Indicator.TRACKED_FIELDS)
    record_change(
        obj=indicator, before=before, after=None, user=user, source=source, parent=indicator.project
    )
    indicator.delete()


# --- territorial shares (条块分工) -----------------------------------------------------------------


@transaction.atomic
def indicator_shares_set(
    *, user, indicator: Indicator, shares: dict, target: Decimal | None = None, source: str = "web"
) -> list[IndicatorShare]:
    """Replace the indicator's territorial shares ({Unit: share target}; empty: not split) and, when
    `target` is given, its target together with them. The shares must sum to the (new) target exactly and
    belong to the project's lead or territorial units; each change is in the change log (parent: the
    project). The share units become reporting units of the project (signals.shares_changed)."""
    if not share_can_edit(user=user, obj=indicator):
        raise NotAllowed("只有领导小组办公室或系统管理员可以设置指标的属地分解")
    project = indicator.project
    allowed = {u.pk: u for u in share_units(project)}
    for unit in shares:
        problem = unit_problem(project.name, unit.name, [u.name for u in allowed.values()])
        if problem:
            raise ValidationError({"shares": problem})
    new_target = indicator.target if target is None else target
    problem = sum_problem(indicator.name, indicator.unit_of_measure, new_target, shares.values())
    if problem:
        raise ValidationError({"shares": problem})
    if new_target != indicator.target:
        before = snapshot(indicator, Indicator.TRACKED_FIELDS)
        indicator.target = new_target
        indicator.full_clean()
        indicator.save()
        after = snapshot(indicator, Indicator.TRACKED_FIELDS)
        record_change(obj=indicator, before=before, after=after, user=user, source=source, parent=project)
    existing = {s.unit_id: s for s in indicator.shares.select_related("unit")}
    wanted = {unit.pk: (unit, value) for unit, value in shares.items()}
    for unit_id, share in existing.items():
        if unit_id not in wanted:
            before = snapshot(share, IndicatorShare.TRACKED_FIELDS)
            record_change(obj=share, before=before, after=None, user=user, source=source, parent=project)
            share.delete()
    out = []
    for unit_id, (unit, value) in wanted.items():
        share = existing.get(unit_id)
        before = None if share is None else snapshot(share, IndicatorShare.TRACKED_FIELDS)
        share = share or IndicatorShare(indicator=indicator, unit=unit)
        share.target = value
        share.full_clean()
        share.save()
        after = snapshot(share, IndicatorShare.TRACKED_FIELDS)
        record_change(obj=share, before=before, after=after, user=user, source=source, parent=project)
        out.append(share)
    shares_changed.send(sender=IndicatorShare, project_ids=[project.pk])
    return out


# --- responsibility letters -------------------------------------------------------------------

SCAN_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


def scan_check(uploaded) -> str:
    """The MIME type of an uploaded scan, checked by content; ValidationError otherwise."""
    check_upload_size(uploaded.size, setting="LETTER_SCAN_MAX_BYTES", what="扫描件", field="scan")
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in SCAN_TYPES:
        found = kind.mime if kind else "无法识别"
        raise ValidationError({"scan": f"扫描件须为PDF、JPEG或PNG文件（按内容识别为：{found}）"})
    return kind.mime


@transaction.atomic
def letter_create(*, user, data: dict[str, Any], scan=None, source: str = "web") -> ResponsibilityLetter:
    if not letter_can_edit(user=user):
        raise NotAllowed("只有领导小组办公室或系统管理员可以管理目标责任书")
    letter = ResponsibilityLetter(**data)
    if scan is not None:
        letter.scan_type = scan_check(scan)
        letter.scan_name = scan.name[:200]
    letter.full_clean(exclude=["scan"])
    if scan is not None:
        letter.scan.save(scan.name, scan, save=False)
    letter.save()
    record_change(
        obj=letter,
        before=None,
        after=snapshot(letter, ResponsibilityLetter.TRACKED_FIELDS),
        user=user,
        source=source,
    )
    return letter


@transaction.atomic
def letter_update(
    *, user, letter: ResponsibilityLetter, data: dict[str, Any], scan=None, source: str = "web"
) -> ResponsibilityLetter:
    if not letter_can_edit(user=user, obj=letter):
        raise NotAllowed("只有领导小组办公室或系统管理员可以管理目标责任书")
    before = snapshot(letter, ResponsibilityLetter.TRACKED_FIELDS)
    _apply(letter, data)
    if scan is not None:
        letter.scan_type = scan_check(scan)
        letter.scan_name = scan.name[:200]
    letter.full_clean(exclude=["scan"])
    if scan is not None:
        # The earlier scan stays on disk: nothing is lost, the history names both files.
        letter.scan.save(scan.name, scan, save=False)
    letter.save()
    record_change(
        obj=letter,
        before=before,
        after=snapshot(letter, ResponsibilityLetter.TRACKED_FIELDS),
        user=user,
        source=source,
    )
    return letter


@transaction.atomic
def letter_item_create(
    *, user, letter: ResponsibilityLetter, data: dict[str, Any], source="web"
) -> LetterItem:
    if not letter_can_edit(user=user, obj=letter):
        raise NotAllowed("只有领导小组办公室或系统管理员可以管理目标责任书")
    item = LetterItem(letter=letter, **data)
    item.full_clean()
    item.save()
    record_change(
        obj=item,
        before=None,
        after=snapshot(item, LetterItem.TRACKED_FIELDS),
        user=user,
        source=source,
        parent=letter,
    )
    return item


@transaction.atomic
def letter_item_update(*, user, item: LetterItem, data: dict[str, Any], source="web") -> LetterItem:
    if not letter_can_edit(user=user, obj=item.letter):
        raise NotAllowed("只有领导小组办公室或系统管理员可以管理目标责任书")
    before = snapshot(item, LetterItem.TRACKED_FIELDS)
    _apply(item, {k: v for k, v in data.items() if k != "letter"})
    item.full_clean()
    item.save()
    record_change(
        obj=item,
        before=before,
        after=snapshot(item, LetterItem.TRACKED_FIELDS),
        user=user,
        source=source,
        parent=item.letter,
    )
    return item


@transaction.atomic
def letter_item_delete(*, user, item: LetterItem, source="web") -> None:
    if not letter_can_edit(user=user, obj=item.letter):
        raise NotAllowed("只有领导小组办公室或系统管理员可以管理目标责任书")
    record_change(
        obj=item,
        before=snapshot(item, LetterItem.TRACKED_FIELDS),
        after=None,
        user=user,
        source=source,
        parent=item.letter,
    )
    item.delete()
