"""The inbox: mark notifications read."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tiaodu.supervision.models import Notification


@transaction.atomic
def notifications_mark_read(*, user, ids=None) -> int:
    """Mark the user's notifications read (all unread ones when ids is None); returns how many changed."""
    qs = Notification.objects.filter(recipient=user, unread=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(unread=False, read_at=timezone.now())
