"""The stored overview of all projects (ProgressSnapshot), so that the dashboard stays fast at 20,000 projects.

Reads never write. `stored_rows(as_of)` answers from the snapshot of that date when its fingerprint
(`stamp`: the working-day calendar, the cycle settings, this code's version) still matches, with the
projects changed since it was computed recomputed in memory; otherwise None and the caller computes
everything.

"Changed since" (`marks`): a project whose row may differ is one with a report changed (submitted,
verified, returned), one saved (its updated_at: status, dates, units…) or one named by the change log —
as the object or as the parent of the change (its indicators, tasks, links, baselines, schedule settings,
period plans; every service writes one). The marks keep, per source, the time of its latest row and
the ids of its rows in the PATCH_WINDOW before it: a row later than that time, or one in the window that
was not there then (a transaction that wrote before the marks were taken and committed after), names a
changed project. A read fetches only the later rows and counts the window (its ids are fetched only when
the count differs), so reading costs a few indexed queries besides the stored rows.

The writes keep the snapshots current:
* reports submitted, verified or returned (progress.services): once the transaction commits,
  `snapshots_catch_up` recomputes the changed projects' rows in every stored snapshot;
* any other change is caught up by the refresh job (`snapshots_refresh`, every minute, and `manage.py
  progress_snapshots`), which also rebuilds a snapshot whose fingerprint changed (a new calendar year,
  new thresholds) and stores today's. Until then reads recompute the few changed projects in memory.
Below PROGRESS_SNAPSHOT_MIN_PROJECTS projects (default 1000) nothing is stored.
"""

from __future__ import annotations

import datetime
import hashlib
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.db.models import Case, F, Max, Q, When
from django.utils import timezone

from tiaodu.core.models import ChangeRecord
from tiaodu.progress.models import ProgressSnapshot, Report, ReportingCycle
from tiaodu.progress.overview.rows import compute_rows
from tiaodu.projects.models import Project
from tiaodu.scheduling.models import CalendarDay, CalendarYear

log = logging.getLogger(__name__)

CALC_VERSION = 8  # bump when the semantics or the row format change: stored snapshots are then rebuilt
SNAPSHOTS_KEPT = 8
PATCH_WINDOW = datetime.timedelta(minutes=10)
PATCH_LIMIT = 2000  # more changed projects than this: recompute everything
CHANGES_LIMIT = 50000  # more rows than this to look at since the snapshot: likewise
STALE_FOLD = 200  # the refresh job folds stale indicator details into the stored ones past this many

Marks = dict[str, dict]  # source → {"latest": ISO time of its latest row or None, "ids": rows in the window}


def snapshot_min() -> int:
    return int(getattr(settings, "PROGRESS_SNAPSHOT_MIN_PROJECTS", 1000))


# --- what the rows depend on ------------------------------------------------------------------------


def _calendar_stamp() -> str:
    """The working-day calendar: every entered year and every holiday and make-up day."""
    digest = hashlib.sha1()
    for row in CalendarYear.objects.order_by("year").values_list("year", "entered_at"):
        digest.update(repr(row).encode())
    for row in CalendarDay.objects.order_by("date").values_list("date", "kind"):
        digest.update(repr(row).encode())
    return digest.hexdigest()[:16]


def stamp() -> str:
    """Fingerprint of what every project's row depends on: the calendar, the cycle settings (thresholds)
    and the version of this code."""
    cycle = ReportingCycle.objects.filter(pk=1).values_list("updated_at", flat=True).first()
    return f"{CALC_VERSION}|{_calendar_stamp()}|{cycle.isoformat() if cycle else ''}"


def _project_type() -> ContentType:
    return ContentType.objects.get_for_model(Project)


def _sources():
    """(name, queryset, time field, project id field) of everything that names a project whose row may
    have changed."""
    ct = _project_type()
    changes = ChangeRecord.objects.filter(Q(content_type=ct) | Q(parent_type=ct)).annotate(
        project=Case(When(content_type=ct, then=F("object_id")), default=F("parent_id"))
    )
    return [
        ("reports", Report.objects.all(), "updated_at", "project_id"),
        ("projects", Project.objects.all(), "updated_at", "id"),
        ("changes", changes, "at", "project"),
    ]


def marks() -> Marks:
    """Per source: the time of its latest row and the ids of its rows in the window before that time."""
    out: Marks = {}
    for name, qs, field, _project in _sources():
        latest = qs.aggregate(m=Max(field))["m"]
        ids = (
            qs.filter(**{f"{field}__gte": latest - PATCH_WINDOW}).values_list("id", flat=True)
            if latest
            else []
        )
        out[name] = {"latest": latest.isoformat() if latest else None, "ids": sorted(ids)}
    return out


def _rows_after(qs, field: str, project: str, latest: datetime.datetime | None) -> list[int] | None:
    """The projects of the rows later than `latest` (all rows when None); None when too many."""
    later = qs if latest is None else qs.filter(**{f"{field}__gt": latest})
    found = list(later.values_list(project, flat=True)[: CHANGES_LIMIT + 1])
    return None if len(found) > CHANGES_LIMIT else found


def _late_commits(
    qs, field: str, project: str, latest: datetime.datetime, known: set[int]
) -> list[int] | None:
    """The projects of the rows in the window before `latest` that were not there when the marks were
    taken (a transaction that wrote before and committed after); None when too many to look at."""
    window = qs.filter(**{f"{field}__gte": latest - PATCH_WINDOW, f"{field}__lte": latest})
    if window.count() == len(known):  # the usual case: nothing came late (an index count, no rows)
        return []
    found = list(window.values_list("id", project)[: CHANGES_LIMIT + 1])
    if len(found) > CHANGES_LIMIT:
        return None
    return [pid for row_id, pid in found if row_id not in known]


def _changed_projects(seen: Marks) -> set[int] | None:
    """The projects changed since the marks `seen`: a row later than its source's latest time then, or a
    row in the window before it that was not there (committed later). None when more than PATCH_LIMIT
    (or the marks are of another form)."""
    changed: set[int] = set()
    for name, qs, field, project in _sources():
        mark = seen.get(name)
        if not isinstance(mark, dict):
            return None
        latest = datetime.datetime.fromisoformat(mark["latest"]) if mark["latest"] else None
        later = _rows_after(qs, field, project, latest)
        late = [] if latest is None else _late_commits(qs, field, project, latest, set(mark["ids"]))
        if later is None or late is None:
            return None
        changed.update(later, late)
        if len(changed) > PATCH_LIMIT:
            return None
    return changed


def _patched(rows: list[dict], as_of: datetime.date, changed: set[int]) -> tuple[list[dict], dict]:
    """The rows with those of the changed projects recomputed (new projects added, deleted ones dropped),
    and the recomputed projects' indicator details."""
    if not changed:
        return rows, {}
    fresh, details = compute_rows(as_of, scope=Project.objects.filter(pk__in=changed))
    by_id = {r["id"]: r for r in fresh}
    out = [by_id.pop(r["id"], r) for r in rows if r["id"] not in changed or r["id"] in by_id]
    out.extend(by_id.values())
    out.sort(key=lambda r: r["code"])
    return out, details


# --- reads ------------------------------------------------------------------------------------------


class StoredRows:
    """All projects' rows of an as-of date from the snapshot, brought up to date in memory."""

    def __init__(
        self, *, as_of: datetime.date, snapshot_id: int, rows: list[dict], stale: set[str], fresh: dict
    ):
        self.as_of = as_of
        self.rows = rows
        self._snapshot_id = snapshot_id
        self._stale = stale  # codes whose stored details are out of date (and not in `fresh`)
        self._fresh = fresh  # details recomputed in memory

    def details(self) -> dict[str, list[dict]]:
        stored = (
            ProgressSnapshot.objects.filter(pk=self._snapshot_id).values_list("details", flat=True).first()
        )
        details = dict(stored or {})
        if self._stale:
            ids = [r["id"] for r in self.rows if r["code"] in self._stale]
            details.update(compute_rows(self.as_of, scope=Project.objects.filter(pk__in=ids))[1])
        details.update(self._fresh)
        return details


def stored_rows(as_of: datetime.date) -> StoredRows | None:
    """The stored snapshot's rows for as_of, or None when there is none or its inputs changed. No writes."""
    snap = ProgressSnapshot.objects.filter(as_of=as_of).only("id", "stamp", "marks", "stale", "rows").first()
    if snap is None or snap.stamp != stamp():
        return None
    changed = _changed_projects(snap.marks)
    if changed is None:
        return None
    rows, fresh = _patched(snap.rows, as_of, changed)
    if len(rows) != Project.objects.count():  # a project added or deleted outside the services
        return None
    stale_ids = set(snap.stale)
    stale = {r["code"] for r in rows if r["id"] in stale_ids} - set(fresh)
    return StoredRows(as_of=as_of, snapshot_id=snap.pk, rows=rows, stale=stale, fresh=fresh)


def _heads() -> tuple:
    """Per source: the time of its latest row and the number of rows in the window before it — what
    _changed_projects compares the marks with (a later row, or a count in the window that differs)."""
    out = []
    for name, qs, field, _project in _sources():
        latest = qs.aggregate(m=Max(field))["m"]
        window = (
            qs.filter(**{f"{field}__gte": latest - PATCH_WINDOW, f"{field}__lte": latest}) if latest else None
        )
        out.append((name, latest.isoformat() if latest else None, window.count() if latest else 0))
    return tuple(out)


def version(as_of: datetime.date) -> tuple | None:
    """The identity of what stored_rows(as_of) answers, without reading the rows: the snapshot (its id,
    when it was computed or caught up), the fingerprint, per source the latest time and the count of the
    window before it (_heads), and the number of projects. The rows are the snapshot's with the projects
    changed since its marks recomputed; what makes stored_rows see a change (a later row, a count in the
    window that differs, a project more or less) changes the version. None when there is no snapshot of
    the current fingerprint. Take it before reading the rows (a change meanwhile then shows in the next
    version, never under this one)."""
    head = ProgressSnapshot.objects.filter(as_of=as_of).values_list("id", "stamp", "computed_at").first()
    if head is None:
        return None
    current = stamp()
    if head[1] != current:
        return None
    return (head[0], head[2].isoformat(), current, _heads(), Project.objects.count())


# --- writes -----------------------------------------------------------------------------------------


def snapshot_store(as_of: datetime.date) -> None:
    """Compute every project's figures at as_of and store them (replacing the stored ones)."""
    current, seen = stamp(), marks()  # before computing: a change meanwhile shows as a difference
    rows, details = compute_rows(as_of)
    ProgressSnapshot.objects.update_or_create(
        as_of=as_of,
        defaults={"stamp": current, "marks": seen, "rows": rows, "details": details, "stale": []},
    )


def _catch_up(snap: ProgressSnapshot) -> bool:
    """Recompute the rows of the projects changed since the snapshot; False when it must be rebuilt."""
    seen = marks()  # before computing: a change meanwhile shows as a difference
    changed = _changed_projects(snap.marks)
    if changed is None:
        return False
    if not changed:
        return True
    rows, _details = _patched(snap.rows, snap.as_of, changed)
    # Their indicator details are marked stale: rewriting every project's details for one report would
    # cost more than recomputing a few on the next read that wants them (or in the refresh job).
    stale = sorted(set(snap.stale) | changed)
    # Only if nobody patched it meanwhile (else their newer rows stay; a read sees any difference).
    ProgressSnapshot.objects.filter(pk=snap.pk, stamp=snap.stamp, computed_at=snap.computed_at).update(
        rows=rows, stale=stale, marks=seen, computed_at=timezone.now()
    )
    return True


def snapshots_catch_up() -> None:
    """Bring every stored snapshot of the current fingerprint up to date with the changed projects."""
    snaps = list(ProgressSnapshot.objects.defer("details"))
    if not snaps:
        return
    current = stamp()
    for snap in snaps:
        if snap.stamp == current:
            _catch_up(snap)


class _CatchUp:
    """The on-commit callback of one transaction (marked once it has run)."""

    ran = False

    def __call__(self) -> None:
        self.ran = True
        snapshots_catch_up()


def after_reports_changed() -> None:
    """Called inside a report service's transaction: catch the snapshots up once it commits (once per
    transaction however many reports it writes; a failure is logged, never the user's error)."""
    if not ProgressSnapshot.objects.exists():
        return
    pending = getattr(transaction.get_connection(), "run_on_commit", [])
    if any(isinstance(entry[1], _CatchUp) and not entry[1].ran for entry in pending):
        return
    transaction.on_commit(_CatchUp(), robust=True)


def _fold_details(snap_id: int) -> None:
    """Recompute the stale indicator details of a snapshot into its stored details."""
    snap = ProgressSnapshot.objects.get(pk=snap_id)
    if not snap.stale:
        return
    _rows, fresh = compute_rows(snap.as_of, scope=Project.objects.filter(pk__in=snap.stale))
    ProgressSnapshot.objects.filter(pk=snap.pk, computed_at=snap.computed_at).update(
        details={**snap.details, **fresh}, stale=[], computed_at=timezone.now()
    )


def _keep_others(wanted: set[datetime.date], current: str) -> None:
    """Other dates stored before (`manage.py progress_snapshots --as-of`): caught up while that is cheap,
    dropped once they would have to be rebuilt, and at most SNAPSHOTS_KEPT in all (the latest dates)."""
    for snap in ProgressSnapshot.objects.exclude(as_of__in=wanted).defer("details"):
        if snap.stamp != current or not _catch_up(snap):
            snap.delete()
    room = max(SNAPSHOTS_KEPT - len(wanted), 0)
    extra = list(
        ProgressSnapshot.objects.exclude(as_of__in=wanted).order_by("-as_of").values_list("pk", flat=True)
    )
    ProgressSnapshot.objects.filter(pk__in=extra[room:]).delete()


def snapshots_refresh(*, dates: list[datetime.date]) -> list[datetime.date]:
    """Keep the snapshots of `dates` current — store them, rebuild them when the fingerprint changed, catch
    them up with the changed projects, fold stale indicator details — and the other stored ones as far as
    cheap (see _keep_others). Returns the dates stored anew."""
    if Project.objects.count() < snapshot_min():
        ProgressSnapshot.objects.all().delete()
        return []
    wanted = sorted(set(dates), reverse=True)[:SNAPSHOTS_KEPT]
    current = stamp()
    _keep_others(set(wanted), current)
    stored = []
    for day in wanted:
        snap = ProgressSnapshot.objects.filter(as_of=day).defer("details").first()
        try:
            if snap is None or snap.stamp != current or not _catch_up(snap):
                with transaction.atomic():
                    snapshot_store(day)
                stored.append(day)
            elif (
                len(ProgressSnapshot.objects.filter(pk=snap.pk).values_list("stale", flat=True)[0])
                > STALE_FOLD
            ):
                _fold_details(snap.pk)
        except DatabaseError:  # another process stored it at the same moment: theirs is as good
            log.warning("进度快照 %s 未能保存", day, exc_info=True)
    return stored
