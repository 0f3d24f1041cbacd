"""Writes of the command center: a project's geometry drawn on the map, and the command settings (the
campaign's name and date, the district boundary). Both recorded in the history (变更记录)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tiaodu.command.geojson import GeoJSONError, clean_geometry
from tiaodu.command.map_data import display_crs
from tiaodu.command.models import CommandSettings
from tiaodu.command.permissions import MANAGE_DENIED, command_can_manage, geometry_can_edit
from tiaodu.core.actors import stored_user
from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.errors import NotAllowed
from tiaodu.core.gcj02 import gcj02_to_wgs84, transform_geometry
from tiaodu.projects.models import Project
from tiaodu.projects.services import project_update

GEOMETRY_DENIED = "您无权标绘该项目的空间范围"


def stored_geometry(drawn) -> dict:
    """A geometry as drawn on the map (in the display datum) → clean WGS-84 GeoJSON, or ValidationError."""
    try:
        geometry = clean_geometry(drawn)
    except GeoJSONError as exc:
        raise ValidationError({"geometry": f"空间范围有误：{exc.message}"}) from None
    if display_crs() == "gcj02":
        geometry = transform_geometry(geometry, gcj02_to_wgs84)
    return geometry


def project_geometry_save(*, user, project: Project, drawn, source: str = "web") -> Project:
    """Save the geometry drawn on the map as the project's 空间范围, through project_update (history)."""
    if not geometry_can_edit(user=user, obj=project):
        raise NotAllowed(GEOMETRY_DENIED)
    return project_update(
        user=user, project=project, data={"geometry": stored_geometry(drawn)}, source=source
    )


@transaction.atomic
def command_settings_update(*, user, data: dict[str, Any], source: str = "web") -> CommandSettings:
    """Set the given fields (campaign_name, campaign_date, boundary with boundary_name), with audit."""
    if not command_can_manage(user=user):
        raise NotAllowed(MANAGE_DENIED)
    CommandSettings.load()
    row = CommandSettings.objects.select_for_update().get(pk=1)
    before = snapshot(row, CommandSettings.TRACKED_FIELDS)
    boundary_before = row.boundary
    for key in ("campaign_name", "campaign_date", "boundary", "boundary_name"):
        if key in data:
            setattr(row, key, data[key])
    row.full_clean()
    changed = before != snapshot(row, CommandSettings.TRACKED_FIELDS) or boundary_before != row.boundary
    if not changed:
        return row
    row.updated_by = stored_user(user)
    row.updated_at = timezone.now()
    row.save()
    after = snapshot(row, CommandSettings.TRACKED_FIELDS)
    if boundary_before != row.boundary and before.get("边界文件名") == after.get("边界文件名"):
        after["辖区边界"] = "已更新" if row.boundary else "已清除"
        before["辖区边界"] = "原边界" if boundary_before else ""
    record_change(obj=row, before=before, after=after, user=user, source=source)
    return row
