"""The copy of the demo district that most demo tests get (tests/demo_copy.py) is the loaded district."""

import datetime
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tests import demo_copy
from tests.demo_copy import demo_district

TODAY = datetime.date(2026, 11, 29)


def _files(root) -> dict:
    root = Path(root)
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.django_db
def test_the_copied_demo_district_has_the_loaded_rows_files_and_result(monkeypatch):
    # A snapshot another test of this process took from other starting rows would not be copied here.
    monkeypatch.setattr(demo_copy, "_SNAPSHOTS", {})
    with transaction.atomic():  # a real load the first time this process asks for the day
        demo_district(today=TODAY)
        transaction.set_rollback(True)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    snapshot = demo_copy._SNAPSHOTS[(TODAY, timezone.localdate())]
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
