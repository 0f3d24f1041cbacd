"""The approved baseline (计划基线) of a project: its planned start and finish, 完成时限 and indicator targets.

Only the office and administrators change it directly (tiaodu.projects.permissions.project_can_change_baseline);
such a direct change of an existing project is recorded here as an already-approved `ProjectChange`, so the
list of changes (计划变更) is complete. Units request changes (tiaodu.projects.changes).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from tiaodu.core.bulk import insert_objects
from tiaodu.projects.models import BASELINE_FIELDS, ChangeStatus, Indicator, Project, ProjectChange


def account(user):
    """The user to store on a record (the system actor and nobody are stored as None)."""
    return user if getattr(user, "pk", None) is not None else None


def direct_reason(user) -> str:
    if getattr(user, "is_office", False):
        return "领导小组办公室直接调整"
    return "系统管理员直接调整"


def iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def target_json(indicator: Indicator, target: Decimal) -> dict:
    return {
        "indicator": indicator.pk,
        "name": indicator.name,
        "unit": indicator.unit_of_measure,
        "target": format(Decimal(target).normalize(), "f"),
    }


def dates_of(project: Project) -> dict[str, datetime.date | None]:
    return {key: getattr(project, key) for key in BASELINE_FIELDS}


def direct_change(
    *,
    user,
    project: Project,
    dates_before: dict | None = None,
    indicator: Indicator | None = None,
    target_before: Decimal | None = None,
) -> ProjectChange | None:
    """The unsaved record of what the office (or an administrator) just changed directly: the baseline
    dates that differ from `dates_before`, or the target of `indicator` that differs from `target_before`.
    None if nothing."""
    old: dict = {}
    dates: dict = {}
    targets: list = []
    for key, before in (dates_before or {}).items():
        after = getattr(project, key)
        if after != before:
            old[key] = iso(before)
            dates[key] = after
    if indicator is not None and target_before is not None and Decimal(indicator.target) != target_before:
        targets.append(target_json(indicator, indicator.target))
        old["targets"] = {str(indicator.pk): format(target_before.normalize(), "f")}
    if not old:
        return None
    now = timezone.now()
    return ProjectChange(
        project=project,
        status=ChangeStatus.APPROVED,
        direct=True,
        reason=direct_reason(user),
        targets=targets,
        old_values=old,
        requested_by=account(user),
        requesting_unit=getattr(user, "unit", None),
        requested_at=now,
        decided_by=account(user),
        decided_at=now,
        **dates,
    )


def record_direct_change(**kwargs) -> ProjectChange | None:
    """Save the direct change `direct_change(**kwargs)` describes (None if nothing changed)."""
    change = direct_change(**kwargs)
    if change is not None:
        change.save()
    return change


def record_direct_changes(changes: Iterable[ProjectChange | None]) -> int:
    """Insert many direct changes (from `direct_change`; None skipped) in bulk statements, in order;
    their primary keys are not read back. How many."""
    return insert_objects(ProjectChange, [c for c in changes if c is not None])
