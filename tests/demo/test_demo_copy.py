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


@pytest.mark.django_db
def test_the_copied_demo_district_has_the_loaded_rows_files_and_result(monkeypatch):
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
    result = demo_district(today=TODAY)
    tables = demo_copy._tables()
    assert {label: rows for label, rows in tables.items() if label in snapshot.after} == snapshot.after
    untouched = {label: rows for label, rows in tables.items() if label not in snapshot.after}
    assert demo_copy._starting_rows(untouched) == {k: v for k, v in snapshot.before.items() if k in untouched}
    assert _files(settings.MEDIA_ROOT) == _files(snapshot.media)
    assert result == snapshot.result and result is not snapshot.result
    assert result.created["projects"] == 37 and result.today == TODAY


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
