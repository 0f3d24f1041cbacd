"""`progress_status(*, user, as_of)`: the overview of the projects a user may see, as a ProgressStatus."""

from __future__ import annotations

import datetime

from tiaodu.core.gcpause import gc_paused
from tiaodu.orgs.models import Unit
from tiaodu.progress import figures
from tiaodu.progress.overview import snapshot
from tiaodu.progress.overview.rows import compute_rows
from tiaodu.projects.selectors import project_list


class _Computed:
    def __init__(self, rows: list[dict], details: dict[str, list[dict]]):
        self.rows = rows
        self._details = details

    def details(self) -> dict[str, list[dict]]:
        return self._details


def _rows(*, user, as_of: datetime.date, fresh: bool):
    """The visible projects' rows (rows.compute_rows) and their indicator details, from the stored snapshot
    when there is a current one (never written here), else computed."""
    sees_all = user is None or (user.is_authenticated and user.sees_all)
    loaded = None if fresh else snapshot.stored_rows(as_of)
    if loaded is None:
        scope = None if sees_all else project_list(user=user)
        return _Computed(*compute_rows(as_of, scope=scope))
    if not sees_all:
        visible = set(project_list(user=user).values_list("id", flat=True))
        loaded.rows = [r for r in loaded.rows if r["id"] in visible]
    return loaded


def progress_status(
    *, user, as_of: datetime.date, include_indicators: bool = True, fresh: bool = False
) -> figures.ProgressStatus:
    """The overview at `as_of` of the projects the user may see (user None: all projects).

    include_indicators=False leaves each project's `indicators` None (the dashboard needs none);
    fresh=True computes everything without the stored snapshot.
    """
    with gc_paused():
        loaded = _rows(user=user, as_of=as_of, fresh=fresh)
        units = list(Unit.objects.values_list("id", "name", "sort_order"))
        return figures.assemble(
            loaded.rows,
            as_of=as_of,
            unit_names={pk: name for pk, name, _order in units},
            unit_order={name: order for _pk, name, order in units},
            details=loaded.details() if include_indicators else None,
        )


def project_status(*, user, code: str, as_of: datetime.date) -> figures.ProjectFigures | None:
    """One project's figures with its indicators at `as_of` (None when the user may not see it): the rows
    of progress_status (rows.compute_rows), computed for that project alone — the project page's panel."""
    scope = project_list(user=user).filter(code=code)
    rows, details = compute_rows(as_of, scope=scope)
    if not rows:
        return None
    units = list(Unit.objects.values_list("id", "name", "sort_order"))
    status = figures.assemble(
        rows,
        as_of=as_of,
        unit_names={pk: name for pk, name, _order in units},
        unit_order={name: order for _pk, name, order in units},
        details=details,
    )
    return status.project(code)
