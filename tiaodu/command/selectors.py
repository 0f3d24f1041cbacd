"""Reading the command center's own rows (the map's payload is tiaodu.command.map_data.map_payload)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from tiaodu.command.models import CommandSettings, KioskLink
from tiaodu.core.models import ChangeRecord


def command_settings() -> CommandSettings:
    return CommandSettings.load()


def kiosk_links() -> QuerySet[KioskLink]:
    """Every kiosk link, live ones first, by name."""
    return KioskLink.objects.order_by("revoked_at", "name")


def kiosk_history() -> QuerySet[ChangeRecord]:
    """The change history of every kiosk link (made, stopped), newest first."""
    ct = ContentType.objects.get_for_model(KioskLink)
    return (
        ChangeRecord.objects.filter(content_type=ct)
        .select_related("user__person", "content_type")
        .order_by("-at", "-id")
    )
