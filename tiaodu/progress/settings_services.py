"""The reporting settings: the weekly cycle and its thresholds, and which units report on a project."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from tiaodu.core.actors import stored_user
from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.errors import NotAllowed
from tiaodu.orgs.models import Unit
from tiaodu.progress import selectors
from tiaodu.progress.models import (
    ReportingCycle,
    ReportingUnit,
)
from tiaodu.progress.permissions import (
    CYCLE_DENIED,
    cycle_can_edit,
    reporting_units_can_edit,
)
from tiaodu.projects.models import IndicatorShare, Project


@transaction.atomic
def cycle_update(*, user, data: dict[str, Any], source: str = "web") -> ReportingCycle:
    if not cycle_can_edit(user=user):
        raise NotAllowed(CYCLE_DENIED)
    cycle = ReportingCycle.objects.select_for_update().filter(pk=1).first()
    created = cycle is None
    if created:
        cycle = ReportingCycle(pk=1)
    before = None if created else snapshot(cycle, ReportingCycle.TRACKED_FIELDS)
    for key, value in data.items():
        if key in ReportingCycle.TRACKED_FIELDS:
            setattr(cycle, key, value)
    cycle.updated_by = stored_user(user)
    cycle.full_clean()
    cycle.save()
    record_change(
        obj=cycle,
        before=before,
        after=snapshot(cycle, ReportingCycle.TRACKED_FIELDS),
        user=user,
        source=source,
    )
    return cycle


@transaction.atomic
def reporting_units_set(*, user, project: Project, units: Iterable[Unit], source: str = "web") -> list[Unit]:
    """The territorial units that report on the project besides its lead unit."""
    if not reporting_units_can_edit(user=user, obj=project):
        raise NotAllowed("只有牵头单位或领导小组办公室可以设置填报单位")
    territorial = {u.pk: u for u in project.territorial_units.all()}
    wanted = {u.pk: u for u in units}
    wrong = [u.name for pk, u in wanted.items() if pk not in territorial]
    if wrong:
        raise ValidationError({"units": f"只能添加本项目的属地单位（{'、'.join(wrong)}不是属地单位）"})
    current = {ru.unit_id: ru for ru in ReportingUnit.objects.filter(project=project).select_related("unit")}
    held = IndicatorShare.objects.filter(indicator__project=project).exclude(unit_id__in=list(wanted))
    held = held.filter(unit_id__in=list(current)).select_related("unit", "indicator").first()
    if held is not None:
        raise ValidationError(
            {"units": f"{held.unit.name}承担指标「{held.indicator.name}」的属地分解，须保留为填报单位"}
        )
    for pk, ru in current.items():
        if pk not in wanted:
            record_change(
                obj=ru,
                before={"填报单位": ru.unit.name},
                after=None,
                user=user,
                source=source,
                parent=project,
            )
            ru.delete()
    for pk, unit in wanted.items():
        if pk not in current:
            ru = ReportingUnit.objects.create(project=project, unit=unit)
            record_change(
                obj=ru, before=None, after={"填报单位": unit.name}, user=user, source=source, parent=project
            )
    return selectors.reporting_units(project)


def share_reporters_added(sender=None, *, project_ids, **kwargs) -> None:
    """Receiver of projects.signals.shares_changed: every unit holding a share of a project's indicator
    (other than its lead unit, which reports anyway) becomes one of its reporting units."""
    pairs = set(
        IndicatorShare.objects.filter(indicator__project_id__in=list(project_ids))
        .exclude(unit_id=models.F("indicator__project__lead_unit_id"))
        .values_list("indicator__project_id", "unit_id")
    )
    ReportingUnit.objects.bulk_create(
        [ReportingUnit(project_id=p, unit_id=u) for p, u in sorted(pairs)], ignore_conflicts=True
    )
