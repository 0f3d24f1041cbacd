"""Plain multi-row INSERTs for the sweep's bulk writes (events, change records): no model instances.

Django's bulk_create spends most of its time building one model instance and preparing every field of
every row; the sweep writes tens of thousands of narrow rows, so it converts only the columns it sets,
with the database backend's own adapters, and hands them to executemany.
"""

from __future__ import annotations

from django.db import connection, models


def _converter(field: models.Field):
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_rows(
    model: type[models.Model], fields: list[str], rows, *, chunk: int = 5000, ignore_conflicts: bool = False
) -> int:
    """INSERT rows (tuples in the order of `fields`, attribute names such as "item_id") into model's table;
    with ignore_conflicts a row that would break a unique constraint is skipped (SQLite ≥ 3.24, PostgreSQL)."""
    meta = model._meta
    columns, converters = [], []
    for name in fields:
        field = meta.get_field(
            name[:-3] if name.endswith("_id") and name[:-3] in {f.name for f in meta.fields} else name
        )
        columns.append(connection.ops.quote_name(field.column))
        converters.append(_converter(field))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
        + (" ON CONFLICT DO NOTHING" if ignore_conflicts else "")
    )
    count = 0
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(
                tuple(
                    conv(v) if conv is not None and v is not None else v
                    for conv, v in zip(converters, row, strict=True)
                )
            )
            if len(batch) >= chunk:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
