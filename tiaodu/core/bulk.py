"""The one raw-SQL bulk writer: INSERTs and UPDATE-by-primary-key without Django's per-object cost.

``QuerySet.bulk_create`` builds and prepares one model instance per row, and ``bulk_update`` writes one
``CASE WHEN`` per field and object (minutes for 80,000 rows). The ledger import and the warning sweep
write tens of thousands of rows, so they come here:

- ``insert_rows``: tuples of plain values for the named fields (no model instances at all);
- ``insert_returning``: like ``insert_rows``, giving back the new rows' primary keys (and keys to match them);
- ``insert_new_rows``: like ``insert_returning`` for whole new rows (the other fields get what ``save()`` gives);
- ``insert_objects``: model instances whose primary keys are not needed afterwards;
- ``update_rows``: the given fields of model instances, matched by primary key.

INSERTs: on SQLite multi-row statements (``INSERT … VALUES (…), (…)``) of up to 500 rows; on PostgreSQL
``COPY … FROM STDIN`` (the new primary keys drawn from the table's sequence first, when they are wanted
back). A multi-row ``INSERT … VALUES`` with tens of thousands of ``%s`` costs psycopg a Python regex pass
over the whole statement and the server a parse of it: 80,000 rows took 2.2 s that way, 0.4 s through COPY
(the one left is ``ignore_conflicts``, which COPY cannot do: multi-row statements of up to 1,000 rows).
UPDATEs: one statement per row through ``executemany`` on SQLite (in-process, no round trips), multi-row
``UPDATE … FROM (VALUES …)`` statements of up to 1,000 rows on PostgreSQL. Nothing here sends signals,
runs ``save()`` or fills primary keys back into objects.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.operations import BaseDatabaseOperations

PG_ROWS = 1000  # rows per PostgreSQL statement
PG_PARAMS = 65000  # PostgreSQL allows 65,535 parameters per statement
# rows per SQLite INSERT: one statement for 500 rows costs SQLite half of what executemany does row by row
# (80,500 change records into their table and its six indexes: 0.35 s instead of 0.68 s)
SQLITE_ROWS = 500
SQLITE_UPDATE_ROWS = 2000  # rows per executemany call of an UPDATE


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _pg_rows(columns: int) -> int:
    return max(1, min(PG_ROWS, PG_PARAMS // max(1, columns)))


def _field(meta, name: str) -> models.Field:
    """A concrete field by name or attribute name ("item" or "item_id")."""
    for f in meta.concrete_fields:
        if name in (f.name, f.attname):
            return f
    raise ValueError(f"{meta.label} has no concrete field {name!r}")


def _last_value_kept(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert` that reuses its last result for an equal value (a batch stamps every row with one
    moment: 80,000 change records, one conversion)."""
    last: list = [object(), None]

    def kept(value):
        if value != last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return kept


def _decimals_pass_through(db) -> bool:
    """Whether the backend hands a Decimal to its driver as it is (SQLite and PostgreSQL do)."""
    return type(db.ops).adapt_decimalfield_value is BaseDatabaseOperations.adapt_decimalfield_value


# json.dumps(value) with its default options makes a new C encoder per call (a third of its time for a
# change record); this one is made once. Without json's marker dict a circular value would recurse
# until RecursionError, so that case is handed back to json.dumps (its own error, or the same text).
_JSON_ENCODE = (
    json.encoder.c_make_encoder(
        None,
        json.JSONEncoder().default,
        json.encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )
    if json.encoder.c_make_encoder is not None
    else None
)


def _json_text(value: dict) -> str:
    """``json.dumps(value)`` of a dict (what Django's JSONField stores on SQLite), with one encoder."""
    try:
        return "".join(_JSON_ENCODE(value, 0))
    except RecursionError:
        return json.dumps(value)


def _json_as_text(field: models.Field, db) -> bool:
    """Whether the field's database value is ``json.dumps(value)`` (a plain JSONField on a backend
    without its own JSON adaptation: SQLite; PostgreSQL wraps it in Jsonb)."""
    return (
        _JSON_ENCODE is not None
        and type(field) is models.JSONField
        and field.encoder is None
        and type(db.ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value
    )


def _converter(field: models.Field, db) -> Callable[[Any], Any] | None:
    """How a plain value becomes a database parameter (None: as it is)."""
    if _json_as_text(field, db):
        return lambda value: _json_text(value) if type(value) is dict else field.get_db_prep_save(value, db)
    if isinstance(field, models.DateTimeField):
        return _last_value_kept(db.ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return db.ops.adapt_datefield_value
    if isinstance(field, models.DecimalField) and _decimals_pass_through(db):
        # Django's preparation of a Decimal is Decimal(Decimal(value)), then the backend's (identity)
        return lambda value: (
            value if type(value) is Decimal and value.is_finite() else field.get_db_prep_save(value, db)
        )
    if isinstance(
        field,
        models.JSONField
        | models.DecimalField
        | models.TimeField
        | models.DurationField
        | models.UUIDField
        | models.BinaryField,
    ):
        return lambda value: field.get_db_prep_save(value, db)
    return None


def _direct(db) -> bool:
    """Whether the bulk statements go to SQLite's driver as they are, written with "?" placeholders.

    Django's SQLite cursor rewrites every "%s" of a statement with a regular expression before the
    driver sees it: 1.3 ms for 500 rows of 11 columns, as much as SQLite's own work for them. Inside
    Django's error wrapping and broken-transaction check the statement skips that rewrite — unless
    queries are being logged or wrapped (DEBUG, a test counting queries, a debugging tool): then it
    takes Django's way with "%s", like every other statement."""
    return db.vendor == "sqlite" and not db.queries_logged and not db.execute_wrappers


def _execute(cursor, db, direct: bool, sql: str, params: list) -> None:
    """cursor.execute(sql, params); with `direct` (``_direct``), straight to the SQLite driver."""
    if not direct:
        cursor.execute(sql, params)
        return
    db.validate_no_broken_transaction()
    with db.wrap_database_errors:
        sqlite3.Cursor.execute(cursor.cursor, sql, params)


def _statement_rows(db, columns: int) -> int:
    """Rows per multi-row INSERT: PG_ROWS on PostgreSQL, SQLITE_ROWS on SQLite, within the parameters one
    statement may hold."""
    if db.vendor == "postgresql":
        return _pg_rows(columns)
    return max(1, min(SQLITE_ROWS, _sqlite_params_limit(db) // max(1, columns)))


def _insert_head(db, model, fields: Sequence[str], mark: str):
    """The columns of `fields`, their value converters, "INSERT INTO t (…) VALUES " and one row's
    "(%s, …)" (or "(?, …)": `mark`)."""
    qn = db.ops.quote_name
    columns = [_field(model._meta, name) for name in fields]
    converters = [_converter(f, db) for f in columns]
    head = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in columns)}) VALUES "
    return columns, converters, head, "(" + ", ".join([mark] * len(columns)) + ")"


def _preparer(converters: list[Callable[[Any], Any] | None]) -> Callable[[Sequence], Sequence]:
    """A row of plain values as the driver's parameters: each value that is not None through its
    column's converter. Only the columns that have one are visited (a change record: 2 of 11)."""
    width = len(converters)
    convert = [(i, conv) for i, conv in enumerate(converters) if conv is not None]

    def prepare(row: Sequence) -> Sequence:
        if len(row) != width:
            raise ValueError(f"a row of {len(row)} values for {width} columns")
        if not convert:
            return row
        out = list(row)
        for i, conv in convert:
            value = out[i]
            if value is not None:
                out[i] = conv(value)
        return out

    return prepare


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    chunk: int = 5000,
    ignore_conflicts: bool = False,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """INSERT rows (tuples in the order of `fields`, names such as "item" or "item_id"); the number of
    rows sent. With ignore_conflicts a row that would break a unique constraint is skipped
    (SQLite ≥ 3.24, PostgreSQL). `rows` may be a generator; at most `chunk` rows are held at a time."""
    db = connections[using]
    direct = _direct(db)
    columns, converters, head, one = _insert_head(db, model, fields, "?" if direct else "%s")
    prepare = _preparer(converters)
    tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    size = min(chunk, _statement_rows(db, len(columns)))
    count = 0
    with db.cursor() as cursor:
        if db.vendor == "postgresql" and not ignore_conflicts:
            return _pg_copy(cursor, db, model, columns, prepare, rows)
        for batch in _batches(rows, size):
            params: list = []
            for row in batch:
                params.extend(prepare(row))
            _execute(cursor, db, direct, head + ", ".join([one] * len(batch)) + tail, params)
            count += len(batch)
    return count


def _pg_copy(
    cursor, db, model, columns, prepare, rows: Iterable[Sequence], ids: Sequence | None = None
) -> int:
    """COPY rows into the model's table on PostgreSQL (`prepare`: ``_preparer``'s, None for rows already
    prepared; with `ids`: the primary key column first, one id per row); the number of rows. COPY reads
    each value as the column's text, so a value must be of the column's own type (an INSERT would cast
    2.0 into an integer column; COPY refuses it) — the converters give every field its database type."""
    qn = db.ops.quote_name
    names = ([qn(model._meta.pk.column)] if ids is not None else []) + [qn(f.column) for f in columns]
    count = 0
    copy_sql = f"COPY {qn(model._meta.db_table)} ({', '.join(names)}) FROM STDIN"
    db.validate_no_broken_transaction()  # as execute() checks first: no write after a failed atomic block
    with db.wrap_database_errors, cursor.copy(copy_sql) as copy:  # Django's error types, as execute() gives
        for i, row in enumerate(rows):
            values = prepare(row) if prepare is not None else row
            copy.write_row(values if ids is None else [ids[i], *values])
            count += 1
    return count


def _pg_new_ids(cursor, db, model, count: int) -> list:
    """`count` new primary keys from the table's own sequence (identity or serial), ascending as the
    inserted rows' keys would have been."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [db.ops.quote_name(model._meta.db_table), model._meta.pk.column, count],
    )
    return sorted(r[0] for r in cursor.fetchall())


def _sqlite_params_limit(db) -> int:
    """The most parameters one SQLite statement may hold (Python 3.11+ reads the library's limit)."""
    db.ensure_connection()
    try:
        return db.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except AttributeError:
        return 999


def insert_returning(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence],
    *,
    returning: Sequence[str],
    using: str = DEFAULT_DB_ALIAS,
) -> list[tuple]:
    """INSERT rows like ``insert_rows`` and give back the `returning` columns (names such as "id",
    "code") of every inserted row. Multi-row ``INSERT … RETURNING`` on both SQLite (≥ 3.35) and
    PostgreSQL; neither promises the order of the returned rows, so return a unique key with the primary
    key and match on it."""
    db = connections[using]
    meta = model._meta
    qn = db.ops.quote_name
    direct = _direct(db)
    columns, converters, head, one = _insert_head(db, model, fields, "?" if direct else "%s")
    prepare = _preparer(converters)
    if (
        db.vendor == "postgresql"
        and rows
        and meta.pk not in columns
        and isinstance(meta.pk, models.AutoField)
    ):
        place = {f.attname: i for i, f in enumerate(columns)}
        wanted = [_field(meta, name) for name in returning]
        if all(f.primary_key or f.attname in place for f in wanted):
            with db.cursor() as cursor:
                ids = _pg_new_ids(cursor, db, model, len(rows))
                _pg_copy(cursor, db, model, columns, prepare, rows, ids)
            return [
                tuple(pk if f.primary_key else row[place[f.attname]] for f in wanted)
                for pk, row in zip(ids, rows, strict=True)
            ]
    tail = " RETURNING " + ", ".join(qn(_field(meta, name).column) for name in returning)
    out: list[tuple] = []
    with db.cursor() as cursor:
        for batch in _batches(rows, _statement_rows(db, len(columns))):
            params: list = []
            for row in batch:
                params.extend(prepare(row))
            _execute(cursor, db, direct, head + ", ".join([one] * len(batch)) + tail, params)
            out.extend(tuple(r) for r in cursor.fetchall())
    return out


def insert_new_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    returning: Sequence[str],
    using: str = DEFAULT_DB_ALIAS,
) -> list[tuple]:
    """INSERT new rows of `model` given as plain values for `fields` (like ``insert_rows``, no model
    instances) and give back the `returning` columns like ``insert_returning`` (the order is not
    promised: return a unique key with the primary key). Every other local concrete field but the
    primary key gets what ``save()`` of a new instance would store: an ``auto_now`` or ``auto_now_add``
    field the stamp save() gives (taken once: the same for every row), a field with a default its default
    (a callable one called per row), any other field its empty value. No signals."""
    meta = model._meta
    named = {_field(meta, name).attname for name in fields}
    rest = [f for f in meta.local_concrete_fields if not f.primary_key and f.attname not in named]
    blank = model()  # an unsaved instance: its defaults, and the stamps save() would give it
    constant: list = []
    per_row: list[tuple[int, Callable[[], Any]]] = []
    for i, f in enumerate(rest):
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            constant.append(f.pre_save(blank, True))
        elif f.has_default() and callable(f.default):
            constant.append(None)
            per_row.append((i, f.get_default))
        else:
            constant.append(getattr(blank, f.attname))
    tail = tuple(constant)

    def full(row: Sequence) -> tuple:
        if not per_row:
            return (*row, *tail)
        extra = list(tail)
        for i, make in per_row:
            extra[i] = make()
        return (*row, *extra)

    names = [*fields, *(f.attname for f in rest)]
    return insert_returning(model, names, [full(row) for row in rows], returning=returning, using=using)


def insert_objects(
    model: type[models.Model], objs: Sequence[models.Model], *, using: str = DEFAULT_DB_ALIAS
) -> int:
    """INSERT model instances (every local concrete field but the primary key, after pre_save, so
    auto_now_add and defaults apply); the primary keys are not read back. The number of rows."""
    if not objs:
        return 0
    db = connections[using]
    direct = _direct(db)
    names = [f.attname for f in model._meta.local_concrete_fields if not f.primary_key]
    columns, _, head, one = _insert_head(db, model, names, "?" if direct else "%s")

    def prepared(chunk):
        return ([f.get_db_prep_save(f.pre_save(o, True), db) for f in columns] for o in chunk)

    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            return _pg_copy(cursor, db, model, columns, None, prepared(objs))
        for chunk in _batches(objs, _statement_rows(db, len(columns))):
            params = [v for row in prepared(chunk) for v in row]
            _execute(cursor, db, direct, head + ", ".join([one] * len(chunk)), params)
    return len(objs)


def update_rows(
    model: type[models.Model],
    objs: Sequence[models.Model],
    fields: Sequence[str],
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """UPDATE the given fields of each object, by primary key, to the objects' current values (no
    pre_save: set auto_now fields yourself). Any object with `pk` and the fields' attributes will do
    (the ledger passes light dataclasses). The number of objects."""
    if not objs:
        return 0
    db = connections[using]
    meta = model._meta
    columns = [_field(meta, name) for name in fields]
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            _update_postgres(cursor, db, meta, columns, objs)
        else:
            _update_sqlite(cursor, db, meta, columns, objs)
    return len(objs)


def _update_postgres(cursor, db, meta, columns: list[models.Field], objs: Sequence[models.Model]) -> None:
    qn = db.ops.quote_name
    table, pk = qn(meta.db_table), meta.pk
    names = ", ".join(qn(f.column) for f in [pk, *columns])
    sets = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in columns)
    typed = "(" + ", ".join(f"%s::{f.db_type(db)}" if f.db_type(db) else "%s" for f in [pk, *columns]) + ")"
    for chunk in _batches(objs, _pg_rows(len(columns) + 1)):
        params = []
        for o in chunk:
            params.append(o.pk)
            params.extend(f.get_db_prep_save(getattr(o, f.attname), db) for f in columns)
        cursor.execute(
            f"UPDATE {table} AS t SET {sets} FROM (VALUES {', '.join([typed] * len(chunk))}) "
            f"AS v({names}) WHERE t.{qn(pk.column)} = v.{qn(pk.column)}",
            params,
        )


def _update_sqlite(cursor, db, meta, columns: list[models.Field], objs: Sequence[models.Model]) -> None:
    qn = db.ops.quote_name
    sql = (
        f"UPDATE {qn(meta.db_table)} SET {', '.join(f'{qn(f.column)} = %s' for f in columns)} "
        f"WHERE {qn(meta.pk.column)} = %s"
    )
    for chunk in _batches(objs, SQLITE_UPDATE_ROWS):
        cursor.executemany(
            sql, [[f.get_db_prep_save(getattr(o, f.attname), db) for f in columns] + [o.pk] for o in chunk]
        )
