"""The `district` fixture's copy (tests/district_copy.py) leaves what a real build leaves: every table's
stored rows, and the District's objects, attributes and shared related objects (tests/district_compare.py
says what a compare sees). Each case records a snapshot by a real build, rolls it back, then compares the
copy taken from it with that build."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection, transaction
from django.utils import timezone

from tests import district_copy
from tests.conftest import build_district
from tests.district_compare import differences, state

NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
WRITTEN = {
    "orgs_unit",
    "orgs_person",
    "orgs_user",
    "orgs_securityevent",
    "projects_project",
    "projects_project_territorial_units",
    "projects_project_supporting_units",
    "projects_indicator",
}


class OneRoundPBKDF2(PBKDF2PasswordHasher):
    iterations = 1


@pytest.fixture
def fresh(monkeypatch):
    """No snapshot from the tests before, and counts of this test's own builds and copies."""
    monkeypatch.setattr(district_copy, "_SNAPSHOTS", {})
    monkeypatch.setattr(district_copy, "stats", {"built": 0, "copied": 0, "verified": 0})
    return district_copy.stats


def real_then_copy(keep=False):
    """(the state a real build leaves, the state its copy leaves, the copy). The real build is the
    first of the test (it records the snapshot), rolled back before the copy; the copy is rolled back
    too unless `keep`."""
    sid = transaction.savepoint()
    start = timezone.now()
    real = district_copy.district(build_district)
    real_state = state(real, start, timezone.now())
    transaction.savepoint_rollback(sid)
    sid = transaction.savepoint()
    start = timezone.now()
    copied = district_copy.district(build_district)
    copied_state = state(copied, start, timezone.now())
    if not keep:
        transaction.savepoint_rollback(sid)
    return real_state, copied_state, copied


def ids_as_recorded():
    """PostgreSQL: the sequences set back so that a real build takes the snapshot's ids again (they do
    not roll back with the builds before)."""
    if connection.vendor == "sqlite":
        return
    (snapshot,) = next(iter(district_copy._SNAPSHOTS.values()))
    with connection.cursor() as cursor:
        for table in snapshot.tables:
            meta = table.model._meta
            first = table.rows[0][table.columns.index(meta.pk.column)]
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s, false)",
                [meta.db_table, meta.pk.column, first],
            )


def test_a_copy_leaves_the_rows_and_objects_of_a_real_build(db, fresh):
    real, copied, result = real_then_copy(keep=True)
    assert fresh == {"built": 1, "copied": 1, "verified": 0}
    assert differences(real, copied) == []
    assert {t for t, rows in copied["tables"].items() if rows} >= WRITTEN
    (snapshot,) = next(iter(district_copy._SNAPSHOTS.values()))
    assert {t.model._meta.db_table for t in snapshot.tables} == WRITTEN
    assert set(snapshot.read) == {"projects_category"}
    # the accounts' audit events, one per account, as the receivers wrote them
    from tiaodu.orgs.models import SecurityEvent

    assert sorted(SecurityEvent.objects.values_list("target", flat=True)) == sorted(
        f"用户 {key}" for key in result.users
    )
    assert result.users["hq"].check_password("Tiaodu@2026!")
    assert result.project.territorial_units.get() == result.units["street"]
    assert result.project.lead_unit is result.units["hq"]
    assert result.users["hq"].person is result.people["hq"]


def test_its_moments_are_taken_from_the_clock_in_the_order_of_a_real_build(db, fresh):
    real, copied, result = real_then_copy()
    assert differences(real, copied) == []
    users = list(result.users.values())
    moments = [m for u in users for m in (u.date_joined, u.password_changed_at)]
    assert moments == sorted(moments) and len(set(moments)) == len(moments)
    assert result.project.created_at < result.project.updated_at < result.other.created_at
    assert max(moments) < result.project.created_at <= timezone.now()


def test_under_a_frozen_clock_every_moment_is_the_frozen_one(db, fresh):
    with time_machine.travel(NOW, tick=False):
        real, copied, result = real_then_copy(keep=True)
    assert fresh["copied"] == 1
    assert differences(real, copied) == []
    from tiaodu.orgs.models import SecurityEvent, User

    assert set(User.objects.values_list("date_joined", flat=True)) == {NOW}
    assert set(SecurityEvent.objects.values_list("at", flat=True)) == {NOW}
    assert {result.users["admin"].password_changed_at, result.other.updated_at} == {NOW}


def test_a_snapshot_of_a_running_clock_copies_into_a_frozen_one_and_back(db, fresh):
    real, _, _ = real_then_copy()
    with time_machine.travel(NOW, tick=False):
        sid = transaction.savepoint()
        frozen = state(district_copy.district(build_district), NOW, NOW)
        transaction.savepoint_rollback(sid)
    assert fresh == {"built": 1, "copied": 2, "verified": 0}
    assert differences(real, frozen) != []  # a frozen clock's moments all rank the same
    with time_machine.travel(NOW, tick=False):
        sid = transaction.savepoint()
        ids_as_recorded()
        frozen_real = state(build_district(), NOW, NOW)
        transaction.savepoint_rollback(sid)
    assert differences(frozen_real, frozen) == []


def test_each_copy_is_new_objects(db, fresh):
    _, _, first = real_then_copy()
    first.units["hq"].name = "改过的名字"
    sid = transaction.savepoint()
    second = district_copy.district(build_district)
    transaction.savepoint_rollback(sid)
    assert second.units["hq"].name == "北园大街改造指挥部"
    assert second.units["hq"] is not first.units["hq"]
    assert "_django_version" not in vars(second.units["hq"])


def test_rows_written_first_get_the_real_build(db, fresh):
    from tiaodu.orgs.models import Unit, UnitType

    real_then_copy()
    sid = transaction.savepoint()
    Unit.objects.create(name="先建的单位", type=UnitType.STREET)
    result = district_copy.district(build_district)
    assert fresh == {"built": 2, "copied": 1, "verified": 0}
    assert result.units["gov"].pk > Unit.objects.get(name="先建的单位").pk
    transaction.savepoint_rollback(sid)


def test_a_changed_category_gets_the_real_build(db, fresh):
    from tiaodu.projects.models import Category

    real_then_copy()
    road = Category.objects.get(name="道路")
    Category.objects.filter(pk=road.pk).update(sort_order=road.sort_order + 1)
    result = district_copy.district(build_district)
    assert fresh["built"] == 2
    assert result.project.category.sort_order == road.sort_order + 1


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL's sequences do not roll back: a real build's ids vary"
)
def test_moved_ids_get_the_real_build_then_a_copy_of_it(db, fresh):
    """After a transactional test, SQLite's next ids stay moved on: the next build is real, and recorded."""
    from tiaodu.orgs.models import Unit, UnitType

    _, _, first = real_then_copy()
    Unit.objects.create(name="先建的单位", type=UnitType.STREET).delete()
    real, copied, result = real_then_copy()
    assert fresh == {"built": 2, "copied": 2, "verified": 0}
    assert differences(real, copied) == []
    assert result.units["gov"].pk == first.units["gov"].pk + 1  # after the deleted unit
    assert len(next(iter(district_copy._SNAPSHOTS.values()))) == 2


def test_other_password_hashers_get_a_snapshot_of_their_own(db, fresh, settings):
    real_then_copy()
    settings.PASSWORD_HASHERS = ["tests.test_district_copy.OneRoundPBKDF2"]
    real, copied, result = real_then_copy()
    assert fresh == {"built": 2, "copied": 2, "verified": 0}
    assert differences(real, copied) == []
    assert result.users["leader"].password.startswith("pbkdf2_sha256$1$")


def test_a_request_being_answered_gets_the_real_build(db, fresh, rf):
    from tiaodu.orgs.security.events import _current_request

    real_then_copy()
    token = _current_request.set(rf.get("/"))
    try:
        district_copy.district(build_district)
    finally:
        _current_request.reset(token)
    assert fresh["built"] == 2


def test_the_fixture_takes_the_copy(db, request):
    sid = transaction.savepoint()
    district_copy.district(build_district)  # the snapshot, if no test of this process left one
    transaction.savepoint_rollback(sid)
    copied = district_copy.stats["copied"]
    district = request.getfixturevalue("district")
    assert district_copy.stats["copied"] == copied + 1
    assert district.project.code == "ZD-001"
