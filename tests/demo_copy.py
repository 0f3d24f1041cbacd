"""The demo district, loaded for real once per test process and day, then copied into later tests.

`load_demo` writes a few thousand rows through the services (~10 s on the 2-core CI machine) and some
thirty tests need its district. `demo_district(today)` runs the real loader the first time a process
asks for a day, keeping every table's rows before and after and the uploaded files it wrote; a later
test that asks for the same day, starting from the same rows, gets those rows and files copied in
(a fraction of a second) and the loader's own result. Transactional (browser) tests too: the copy
commits its rows like the loader, and the test's end empties the tables either way. A test whose
database differs from the one the snapshot was taken on (other rows written first) gets the real
loader, and its load becomes the day's snapshot. On SQLite the copy leaves each table's next id
(sqlite_sequence) as the load did, also after a transactional test whose end left them further on
(see _insert). The loader's own command tests
(tests/demo/test_load_demo.py) call it directly.

Under xdist the workers of one run share their snapshots: the first worker that loads a day for real also
writes the snapshot (rows, result, next ids, files) to a folder of the run (`shared_folder()`), and another
worker that has none of that day takes it from there when its starting rows are the same — all but the
times: each worker's database was migrated at its own moment, so the migrations' rows differ in the time
they were written (the holiday calendar's 录入时间) and in nothing else. The xdist controller removes the
folder when the run ends (tests/conftest.py).
"""

from __future__ import annotations

import atexit
import copy
import datetime
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from tests.support import run_folder
from tiaodu.demo.loader import DemoResult, load_demo

_BATCH = 500


@dataclass
class _Snapshot:
    before: dict  # model label -> rows (tuples of column values, in primary-key order)
    after: dict  # the same after loading, for the models whose rows changed
    result: DemoResult
    media: Path  # a copy of the files the loader wrote under MEDIA_ROOT
    sequences: dict  # SQLite: the next ids the load moved on (table -> sqlite_sequence after it, None: none)
    shared: bool = False  # taken from another worker: its files are the run's, not this process's


_SNAPSHOTS: dict[tuple[datetime.date, datetime.date], _Snapshot] = {}


def _models():
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]


def _columns(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _rows(model) -> list[tuple]:
    return list(model._base_manager.order_by("pk").values_list(*_columns(model)))


def _tables() -> dict:
    return {m._meta.label: _rows(m) for m in _models()}


def _sequences() -> dict:
    """SQLite: each table's sqlite_sequence (the last id given out); {} on other databases."""
    if connection.vendor != "sqlite":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, seq FROM sqlite_sequence")
        return dict(cursor.fetchall())


def _ms(value):
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def _starting_rows(tables: dict) -> dict:
    """The rows as a transactional test's restore gives them back. Django's serialized copy keeps times
    to the millisecond, so the migrations' rows (e.g. the holiday calendar's 录入时间) differ in their
    microseconds from then on; and it sets many-to-many links anew, so a link table's rows (e.g. the
    migrations' group permissions) get new ids of their own — ids no row refers to. Without these two the
    copy would never be used after a browser test. (tests/seeded_rows.py now puts those rows back exactly as
    the migrations wrote them; the two still hold where Django's deserializer does the restoring.)"""
    starting = {label: [tuple(_ms(v) for v in row) for row in rows] for label, rows in tables.items()}
    for model in _models():
        label = model._meta.label
        if model._meta.auto_created and label in starting:  # a many-to-many link table: its links
            pk = _columns(model).index(model._meta.pk.attname)
            starting[label] = sorted(row[:pk] + row[pk + 1 :] for row in starting[label])
    return starting


def shared_folder() -> Path | None:
    """The folder where the workers of this xdist run share their snapshots (None outside xdist)."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    return run_folder(run) if run else None


def _timeless(rows: dict) -> dict:
    return {
        label: [tuple(None if isinstance(v, datetime.datetime) else v for v in row) for row in table]
        for label, table in rows.items()
    }


def _shared_file(key) -> Path | None:
    folder = shared_folder()
    return folder / f"{key[0].isoformat()}_{key[1].isoformat()}.pickle" if folder else None


def _from_other_worker(key, before: dict) -> _Snapshot | None:
    path = _shared_file(key)
    if path is None or not path.exists():
        return None
    snapshot = pickle.loads(path.read_bytes())
    return snapshot if _timeless(snapshot.before) == _timeless(before) else None


def _share(key, snapshot: _Snapshot) -> None:
    """Write the snapshot for the other workers (once per day: the first one written stays)."""
    path = _shared_file(key)
    if path is None or path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    media = path.with_suffix(f".{os.getpid()}.media")
    shutil.copytree(snapshot.media, media, dirs_exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.write_bytes(pickle.dumps(replace(snapshot, media=media, shared=True)))
    os.replace(partial, path)


def demo_district(today: datetime.date | None = None) -> DemoResult:
    """The database as `load_demo(today=today)` leaves it, and the loader's result."""
    today = today or timezone.localdate()
    key = (today, timezone.localdate())  # the loader writes briefings only for a day not in the future
    tables = _tables()
    before = _starting_rows(tables)
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is None:
        snapshot = _from_other_worker(key, before)
        if snapshot is not None:
            _SNAPSHOTS[key] = snapshot = replace(snapshot, before=before)
    if snapshot is not None and snapshot.before == before:
        _restore(snapshot)
        return copy.deepcopy(snapshot.result)
    sequences = _sequences()
    result = load_demo(today=today)
    after = _tables()
    changed = {label: rows for label, rows in after.items() if rows != tables[label]}
    written = {m._meta.db_table for m in _models() if m._meta.label in changed}
    moved = {t: seq for t, seq in _sequences().items() if t in written or seq != sequences.get(t)}
    media = Path(tempfile.mkdtemp(prefix="tiaodu-demo-media-"))
    atexit.register(shutil.rmtree, media, ignore_errors=True)
    if Path(settings.MEDIA_ROOT).exists():
        shutil.copytree(settings.MEDIA_ROOT, media, dirs_exist_ok=True)
    if snapshot is not None and not snapshot.shared:
        # taken on other starting rows: the later tests more likely start from these (a shared snapshot's
        # files stay for the other workers)
        shutil.rmtree(snapshot.media, ignore_errors=True)
    _SNAPSHOTS[key] = _Snapshot(before, changed, copy.deepcopy(result), media, moved)
    _share(key, _SNAPSHOTS[key])
    return result


def _restore(snapshot: _Snapshot) -> None:
    models = [apps.get_model(label) for label in snapshot.after]
    # The rows are copied as they were written, timestamps included (bulk_create would stamp `now`).
    stamped = [
        (f, f.auto_now, f.auto_now_add)
        for m in models
        for f in m._meta.concrete_fields
        if hasattr(f, "auto_now")
    ]
    try:
        for f, _, _ in stamped:
            f.auto_now = f.auto_now_add = False
        _insert(snapshot, models)
    finally:
        for f, auto_now, auto_now_add in stamped:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
    shutil.copytree(snapshot.media, settings.MEDIA_ROOT, dirs_exist_ok=True)


def _insert(snapshot: _Snapshot, models) -> None:
    with transaction.atomic():  # foreign keys are checked when the outermost block commits
        for model in models:
            model._base_manager.all()._raw_delete(connection.alias)
        for model in models:
            columns = _columns(model)
            objs = [
                model(**dict(zip(columns, row, strict=True))) for row in snapshot.after[model._meta.label]
            ]
            model._base_manager.bulk_create(objs, batch_size=_BATCH)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            # SQLite: the next ids as the load left them. A transactional test's end empties the tables
            # but keeps their sqlite_sequence (its restore puts back only the migrations' rows), so a
            # real load after it would number its rows on from the ids that test used: an artefact of
            # the restore, like the times to the millisecond; the copy numbers them as on a fresh database.
            for table, seq in snapshot.sequences.items():
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, seq])
