"""The rows the migrations seed, put back by a transactional test as they were after the migrations.

A transactional (browser) test runs with serialized rollback: Django deserializes the migrations' rows
(categories, the holiday calendar, content types, permissions: ~1,200 objects) when the test starts,
though they are there, and tests/conftest.py does again after the test emptied every table. Each time is
one save per object through the serializers: 0.3-0.5 s, twice a test.

`install(connection)` makes that connection's `deserialize_db_from_string(contents)`, for the serialized
copy of its own test database, cheaper with the same end: the first call keeps the rows of those tables
(the models in the copy and their many-to-many link tables) as the migrations left them, and every call
then empties those tables and inserts the kept rows in bulk, primary keys and times as they were. (The
serializers' copy gave the times back to the millisecond and the links new ids; now they come back
exactly as after the migrations.) Any other string, or a database whose rows do not match the copy's
count when first read, goes to Django's own deserializer.
"""

from __future__ import annotations

import json
from collections import Counter

from django.apps import apps
from django.db import transaction

_BATCH = 500


class SeededRows:
    def __init__(self, connection, contents: str):
        self.connection = connection
        self.contents = contents
        self.counts = Counter(obj["model"] for obj in json.loads(contents))
        self.tables: dict[str, tuple[list[str], list[tuple]]] | None = None  # table -> columns, rows

    def _table_names(self) -> list[str]:
        names = []
        for label in self.counts:
            model = apps.get_model(label)
            names.append(model._meta.db_table)
            names += [
                f.remote_field.through._meta.db_table
                for f in model._meta.local_many_to_many
                if f.remote_field.through._meta.auto_created
            ]
        return names

    def _read(self) -> dict[str, tuple[list[str], list[tuple]]]:
        qn = self.connection.ops.quote_name
        tables = {}
        with self.connection.cursor() as cursor:
            for table in self._table_names():
                cursor.execute(f"SELECT * FROM {qn(table)}")
                columns = [c[0] for c in cursor.description]
                tables[table] = (columns, [tuple(row) for row in cursor.fetchall()])
        return tables

    def _matches(self, tables) -> bool:
        """The tables hold as many rows of each model as the serialized copy (the migrations' state)."""
        for label, count in self.counts.items():
            columns, rows = tables[apps.get_model(label)._meta.db_table]
            if len(rows) != count:
                return False
        return True

    def restore(self) -> bool:
        """Put the kept rows back; False when there are none to put back (the caller deserializes)."""
        if self.tables is None:
            tables = self._read()
            if not self._matches(tables):
                return False
            self.tables = tables
        qn = self.connection.ops.quote_name
        # Foreign keys are deferred to the commit, where every row is back.
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(f"DELETE FROM {qn(table)}")
            for table, (columns, rows) in self.tables.items():
                if not rows:
                    continue
                sql = "INSERT INTO {} ({}) VALUES ({})".format(
                    qn(table), ", ".join(qn(c) for c in columns), ", ".join(["%s"] * len(columns))
                )
                for start in range(0, len(rows), _BATCH):
                    cursor.executemany(sql, rows[start : start + _BATCH])
        return True


def install(connection) -> None:
    """Route `connection.creation.deserialize_db_from_string(its serialized copy)` to SeededRows."""
    creation = connection.creation
    contents = getattr(connection, "_test_serialized_contents", None)
    if not contents or getattr(creation, "_seeded_rows", None) is not None:
        return
    seeded = SeededRows(connection, contents)
    deserialize = creation.deserialize_db_from_string  # Django's, bound to this creation

    def deserialize_db_from_string(data):
        if data == seeded.contents and seeded.restore():
            return
        deserialize(data)

    creation._seeded_rows = seeded
    creation.deserialize_db_from_string = deserialize_db_from_string
