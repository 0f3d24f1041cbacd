"""`progress_status(*, user, as_of)`: the overview of the projects a user may see, as a ProgressStatus."""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict

from tiaodu.core.gcpause import gc_paused
from tiaodu.orgs.models import Unit
from tiaodu.progress import figures
from tiaodu.progress.overview import snapshot
from tiaodu.progress.overview.rows import compute_figures, compute_rows
from tiaodu.projects.selectors import project_list


class _Memo:
    """The last overviews answered from the snapshot, per (as-of date, snapshot version, unit names,
    user scope), in this process: a repeated dashboard request costs the version's few queries instead of
    decoding and assembling every row. Least recently used dropped first, at most MAX_PROJECTS projects
    in all (a full overview at 20,000 projects is a few tens of MB)."""

    MAX_ENTRIES = 32
    MAX_PROJECTS = 60000

    def __init__(self):
        self._entries: OrderedDict[tuple, figures.ProgressStatus] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> figures.ProgressStatus | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple, status: figures.ProgressStatus) -> None:
        with self._lock:
            self._entries[key] = status
            self._entries.move_to_end(key)
            total = sum(len(s.projects) for s in self._entries.values())
            while len(self._entries) > 1 and (
                len(self._entries) > self.MAX_ENTRIES or total > self.MAX_PROJECTS
            ):
                _key, dropped = self._entries.popitem(last=False)
                total -= len(dropped.projects)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


MEMO = _Memo()


def _scope(user) -> frozenset[int] | None:
    """The ids of the projects the user may see; None when the user sees all."""
    if user is None or (user.is_authenticated and user.sees_all):
        return None
    return frozenset(project_list(user=user).values_list("id", flat=True))


def _stored(*, as_of: datetime.date, fresh: bool, visible: frozenset[int] | None):
    """The visible projects' rows and indicator details from the stored snapshot when there is a current one
    (never written here); None when they are to be computed. `visible`: see _scope."""
    loaded = None if fresh else snapshot.stored_rows(as_of)
    if loaded is not None and visible is not None:
        loaded.rows = [r for r in loaded.rows if r["id"] in visible]
    return loaded


def progress_status(
    *, user, as_of: datetime.date, include_indicators: bool = True, fresh: bool = False
) -> figures.ProgressStatus:
    """The overview at `as_of` of the projects the user may see (user None: all projects).

    include_indicators=False leaves each project's `indicators` None (the dashboard needs none); that
    answer, when read from the stored snapshot, is kept in MEMO under the snapshot's version (taken before
    the rows are read) and the user's scope, so it is answered again until anything it depends on changes.
    fresh=True computes everything without the stored snapshot.
    """
    with gc_paused():
        visible = _scope(user)
        units = tuple(Unit.objects.values_list("id", "name", "sort_order"))
        version = None if include_indicators or fresh else snapshot.version(as_of)
        key = None if version is None else (as_of, version, units, visible)
        if key is not None and (kept := MEMO.get(key)) is not None:
            return kept
        unit_names = {pk: name for pk, name, _order in units}
        unit_order = {name: order for _pk, name, order in units}
        loaded = _stored(as_of=as_of, fresh=fresh, visible=visible)
        if loaded is None:  # computed: the figures straight from the computation (rows.compute_figures)
            scope = None if visible is None else project_list(user=user)
            projects = compute_figures(as_of, scope, unit_names, include_indicators=include_indicators)
            return figures.status_of(tuple(projects), as_of=as_of, unit_order=unit_order)
        status = figures.assemble(
            loaded.rows,
            as_of=as_of,
            unit_names=unit_names,
            unit_order=unit_order,
            details=loaded.details() if include_indicators else None,
        )
        if key is not None and isinstance(loaded, snapshot.StoredRows):
            MEMO.put(key, status)
        # The rows go before the collector resumes: it then walks what the answer holds, not them too.
        del loaded
        return status


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
