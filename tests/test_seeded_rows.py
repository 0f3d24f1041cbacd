"""The bulk copy of the migrations' rows (tests/seeded_rows.py) puts back what Django's deserializer puts
back after a transactional test: the same serialized copy, the same links; and exactly the rows the test
started from (the times to the microsecond, the links with their ids)."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.backends.base.creation import BaseDatabaseCreation


def _rows(tables) -> dict:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        found = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {qn(table)}")
            found[table] = sorted(tuple(row) for row in cursor.fetchall())
        return found


def _links(rows: dict, link_tables) -> dict:
    """The link tables' rows without their own ids (Django's deserializer gives them new ones)."""
    return {table: sorted(row[1:] for row in rows[table]) for table in link_tables}


def _flush():
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_bulk_copy_puts_back_what_djangos_deserializer_does():
    contents = connection._test_serialized_contents
    seeded = connection.creation._seeded_rows
    tables = list(seeded.tables)
    link_tables = [t for t in tables if t not in {m._meta.db_table for m in apps.get_models()}]
    assert link_tables and {"projects_category", "scheduling_calendarday"} <= set(tables)
    started = _rows(tables)
    assert connection.creation.serialize_db_to_string() == contents

    _flush()
    BaseDatabaseCreation.deserialize_db_from_string(connection.creation, contents)  # Django's own
    by_django = _rows(tables)
    assert connection.creation.serialize_db_to_string() == contents

    _flush()
    assert all(rows == [] for rows in _rows(tables).values())
    connection.creation.deserialize_db_from_string(contents)
    by_copy = _rows(tables)
    assert connection.creation.serialize_db_to_string() == contents
    assert _links(by_copy, link_tables) == _links(by_django, link_tables)
    assert by_copy == started
