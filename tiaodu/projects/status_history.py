"""Writes of the status history (ProjectStatusChange): one row each time a project's status is set."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from tiaodu.projects.models import Project, ProjectStatusChange


def record_statuses(
    projects: Iterable[Project], *, user=None, source: str = "web", date: datetime.date | None = None
) -> None:
    """Record each project's current status as of `date` (default today, local time), in one insert."""
    day = date or timezone.localdate()
    actor = user if getattr(user, "pk", None) is not None else None
    rows = [
        ProjectStatusChange(project_id=p.pk, status=p.status, date=day, user=actor, source=source)
        for p in projects
    ]
    ProjectStatusChange.objects.bulk_create(rows, batch_size=1000)
