"""The copy of the demo district that most demo tests get (tests/demo_copy.py) is the loaded district."""

import datetime
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from tests import demo_copy
from tests.demo_copy import demo_district

TODAY = datetime.date(2026, 11, 29)


def _files(root) -> dict:
    root = Path(root)
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _day_snapshot(monkeypatch):
    """The day's snapshot for the database as it is, taken now if this process has none (rolled back)."""
    key = (TODAY, timezone.localdate())
    snapshot = demo_copy._SNAPSHOTS.get(key)
    if snapshot is None or snapshot.before != demo_copy._starting_rows(demo_copy._tables()):
        # No real load of the day in this process yet, or one from other starting rows (not copied here):
        # load for real now, keeping the rows and files, and go back to the starting rows.
        monkeypatch.setattr(demo_copy, "_SNAPSHOTS", {})
        with transaction.atomic():
            demo_district(today=TODAY)
            transaction.set_rollback(True)
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        snapshot = demo_copy._SNAPSHOTS[key]
    assert snapshot.after["projects.Project"] and snapshot.after["orgs.User"] and _files(snapshot.media)

    def no_second_load(**kwargs):
        raise AssertionError("the copy ran the loader")

    monkeypatch.setattr(demo_copy, "load_demo", no_second_load)
    return snapshot


def _sequences_as_loaded(snapshot) -> bool:
    """SQLite: the next ids as the real load left them (other databases: not recorded)."""
    sequences = demo_copy._sequences()
    if connection.vendor != "sqlite":
        return snapshot.sequences == {} == sequences
    projects = snapshot.after["projects.Project"]
    assert snapshot.sequences["projects_project"] == max(row[0] for row in projects)  # id: the first column
    return {t: s for t, s in sequences.items() if t in snapshot.sequences} == snapshot.sequences


@pytest.mark.django_db
def test_the_copied_demo_district_has_the_loaded_rows_files_and_result(monkeypatch):
    snapshot = _day_snapshot(monkeypatch)
    result = demo_district(today=TODAY)
    tables = demo_copy._tables()
    assert {label: rows for label, rows in tables.items() if label in snapshot.after} == snapshot.after
    untouched = {label: rows for label, rows in tables.items() if label not in snapshot.after}
    assert demo_copy._starting_rows(untouched) == {k: v for k, v in snapshot.before.items() if k in untouched}
    assert _files(settings.MEDIA_ROOT) == _files(snapshot.media)
    assert result == snapshot.result and result is not snapshot.result
    assert result.created["projects"] == 37 and result.today == TODAY
    assert _sequences_as_loaded(snapshot)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="sqlite_sequence: SQLite's next ids")
def test_after_a_transactional_test_the_copy_numbers_its_rows_as_the_load_did(monkeypatch):
    """A transactional test's end empties the tables but leaves their next ids further on; the copy's
    rows and next ids are the load's all the same (the restore's artefact is not copied)."""
    snapshot = _day_snapshot(monkeypatch)
    with connection.cursor() as cursor:
        for table in snapshot.sequences:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, 100000)", [table])
    demo_district(today=TODAY)
    tables = demo_copy._tables()
    assert {label: rows for label, rows in tables.items() if label in snapshot.after} == snapshot.after
    assert _sequences_as_loaded(snapshot)


@pytest.mark.django_db
def test_a_browser_tests_restore_gives_back_the_same_starting_rows():
    """After a transactional (browser) test the tables are emptied and the migrations' rows put back from
    Django's serialized copy: the copy is still used then (the rows compare equal)."""
    starting = demo_copy._starting_rows(demo_copy._tables())
    serialized = connection.creation.serialize_db_to_string()  # what the test database keeps for them
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
    assert not any(demo_copy._tables().values())
    connection.creation.deserialize_db_from_string(serialized)
    assert demo_copy._starting_rows(demo_copy._tables()) == starting


def _as_other_worker(monkeypatch, tmp_path, snapshot, shift=datetime.timedelta(seconds=3)):
    """The day's snapshot as another worker of the run shared it: taken on a database migrated at another
    moment (the migrations' rows written `shift` later); this process has none of its own."""
    monkeypatch.setenv("PYTEST_XDIST_TESTRUNUID", "test-run")
    monkeypatch.setattr(demo_copy, "run_folder", lambda run: tmp_path / run)
    before = {
        label: [tuple(v + shift if isinstance(v, datetime.datetime) else v for v in row) for row in rows]
        for label, rows in snapshot.before.items()
    }
    assert (before != snapshot.before) == bool(shift)
    key = (TODAY, timezone.localdate())
    demo_copy._share(key, demo_copy.replace(snapshot, before=before))
    monkeypatch.setattr(demo_copy, "_SNAPSHOTS", {})
    return key


@pytest.mark.django_db
def test_a_worker_copies_the_day_another_worker_loaded(monkeypatch, tmp_path):
    snapshot = _day_snapshot(monkeypatch)  # the loader may not run again (no_second_load)
    key = _as_other_worker(monkeypatch, tmp_path, snapshot)
    result = demo_district(today=TODAY)
    tables = demo_copy._tables()
    assert {label: rows for label, rows in tables.items() if label in snapshot.after} == snapshot.after
    assert _files(settings.MEDIA_ROOT) == _files(snapshot.media)
    assert result == snapshot.result and result.created["projects"] == 37
    assert demo_copy._SNAPSHOTS[key].shared and demo_copy._SNAPSHOTS[key].before == snapshot.before


@pytest.mark.django_db
def test_a_worker_does_not_copy_a_day_loaded_on_other_rows(monkeypatch, tmp_path):
    from tiaodu.projects.models import Category

    snapshot = _day_snapshot(monkeypatch)
    _as_other_worker(monkeypatch, tmp_path, snapshot, shift=datetime.timedelta(0))
    Category.objects.filter(pk=Category.objects.order_by("pk").values("pk")[:1]).update(name="另一类")
    with pytest.raises(AssertionError, match="the copy ran the loader"):
        demo_district(today=TODAY)
