"""Writes of the status history (ProjectStatusChange): one row each time a project's status is set."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from tiaodu.core.bulk import insert_rows
from tiaodu.projects.models import Project, ProjectStatusChange


def record_statuses(
    projects: Iterable[Project], *, user=None, source: str = "web", date: datetime.date | None = None
) -> None:
    """Record each project's current status as of `date` (default today, local time), in one insert (plain rows, no
    model instances: the ledger import records 20,000 at once)."""
    day = date or timezone.localdate()
    actor = user.pk if getattr(user, "pk", None) is not None else None
    now = timezone.now()
    insert_rows(
        ProjectStatusChange,
        ("project_id", "status", "date", "recorded_at", "user_id", "source"),
        ((p.pk, p.status, day, now, actor, source) for p in projects),
    )
