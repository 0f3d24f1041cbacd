"""Writes of the district's investment settings (投资统计设置: the monthly deadline, the reminder and the
money flags' thresholds) — one row, pk = 1, changed only by the office and administrators."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tiaodu.core.actors import stored_user
from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.errors import NotAllowed
from tiaodu.investment.models import InvestmentSettings
from tiaodu.progress.permissions import cycle_can_edit

SETTINGS_DENIED = "只有领导小组办公室或系统管理员可以设置投资统计"


@transaction.atomic
def investment_settings_update(*, user, data: dict[str, Any], source: str = "web") -> InvestmentSettings:
    """Set the given fields of the settings (created with the defaults on the first save), with audit."""
    # The same right as the weekly reporting cycle (the office and administrators).
    if not cycle_can_edit(user=user):
        raise NotAllowed(SETTINGS_DENIED)
    row = InvestmentSettings.objects.select_for_update().filter(pk=1).first()
    created = row is None
    if created:
        row = InvestmentSettings(pk=1)
    before = None if created else snapshot(row, InvestmentSettings.TRACKED_FIELDS)
    for key, value in data.items():
        if key in InvestmentSettings.TRACKED_FIELDS:
            setattr(row, key, value)
    row.updated_by = stored_user(user)
    row.full_clean()
    row.save()
    record_change(
        obj=row,
        before=before,
        after=snapshot(row, InvestmentSettings.TRACKED_FIELDS),
        user=user,
        source=source,
    )
    return row
