"""Reading the command center's own rows (the map's payload is tiaodu.command.map_data.map_payload)."""

from __future__ import annotations

from django.db.models import QuerySet

from tiaodu.command.models import CommandSettings, KioskLink


def command_settings() -> CommandSettings:
    return CommandSettings.load()


def kiosk_links() -> QuerySet[KioskLink]:
    """Every kiosk link, live ones first, by name."""
    return KioskLink.objects.order_by("revoked_at", "name")
