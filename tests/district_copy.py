"""The `district` fixture's rows, written for real once per test process, then copied into later tests.

Some 3,500 tests ask for the district (tests/conftest.py): eight units, people and accounts, two projects.
Built through the models it costs ~50 queries and every receiver on the way (the security audit log's
on each new account, the text and date rules on every save): 40-80 ms a test. `district(build)` runs
`build` for real the first time a process needs it, watching every statement it sends, and keeps:

* the rows it wrote, as the database stores them (every table it inserted into: units, people, accounts,
  the audit events of the new accounts, projects, their unit links, the indicator), primary keys included;
* what the build started from: the tables it wrote were empty, the rows of the tables it read (the
  categories), and on SQLite the next id of each table it wrote (`sqlite_sequence`);
* the moments it stamped (`timezone.now()`: date_joined, the audit time, created_at ...), in the order
  it stamped them;
* a deep copy of the District it returned (units, people, users, the projects, with the related objects
  each one holds, shared as in the original).

A later test that starts from the same (the check is three small queries) gets the rows inserted in bulk
and a fresh deep copy of the District, its stamps taken from `timezone.now()` again, in the build's
order, each later than the one before, both in the rows and in the objects: under a frozen clock
(time-machine's tick=False) they are all the frozen moment, as the real build's would be. Anything else
gets the real build: a transactional (browser) test, a database that differs (rows written first by the
test, a category changed, ids moved on by a transactional test before), other password hashers or time
settings, other receivers connected, a request being answered. A new starting point is recorded too
(the last three are kept), so the tests after it are copied again.

What a copy cannot repeat is chance: an account's password hash carries a random salt, different in
every real build; a copy repeats the first build's (the same password checks against it). On
PostgreSQL, whose sequences do not roll back with a test, a real build takes the ids that come next; a
copy writes the first build's ids and moves the sequences to them.

TIAODU_DISTRICT_VERIFY=1 (SQLite: on PostgreSQL the ids differ, as said) makes every copy first run the
real build in a savepoint, keep its rows and District, roll it back, copy, and fail the test if the two
differ (tests/district_compare.py; tests/test_district_copy.py does so for chosen cases, the variable
for a whole run).
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import signals
from django.utils import timezone, translation

from tiaodu.orgs.security.events import current_request

_WRITES = re.compile(r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"([^"]+)"', re.I)
_READS = re.compile(r'\b(?:FROM|JOIN)\s+"([^"]+)"', re.I)
_SIGNALS = (signals.pre_init, signals.post_init, signals.pre_save, signals.post_save, signals.m2m_changed)
_MAX_STARTS = 3  # starting points kept per key, the latest used first (a transactional test moves ids)
stats = {"built": 0, "copied": 0, "verified": 0}  # read by tests/test_district_copy.py


@dataclass
class _Table:
    model: type[models.Model]
    columns: list[str]  # database columns, in the model's field order
    rows: list[list]  # as the database stores them, in primary-key order
    insert_sql: str = ""


@dataclass
class _Stamp:
    table: int  # index into _Snapshot.tables
    row: int
    column: int
    field: models.Field
    pk: object


@dataclass
class _Snapshot:
    tables: list[_Table]  # in the order the build first wrote them
    read: dict[str, list]  # db_table -> rows of the tables the build only read
    read_models: list[type[models.Model]]
    sequences: dict[str, int | None]  # SQLite: sqlite_sequence of the written tables (None: no entry)
    stamps: list[_Stamp]  # in the order the build called timezone.now()
    district: object
    stamped: dict = field(default_factory=dict)  # (model label, pk) -> {attname: stamp index}


_SNAPSHOTS: dict[tuple, list[_Snapshot]] = {}


def district(build):
    """What `build()` returns and writes, copied from the first real build when the database, the
    settings and the receivers it depends on are as they were then."""
    if not connection.in_atomic_block or current_request() is not None:
        return _built(build)
    key = (build, *_key())
    starts = _SNAPSHOTS.setdefault(key, [])
    found: dict[tuple, tuple | None] = {}  # the same tables are checked once
    for snapshot in starts:
        tables = (tuple(t.model for t in snapshot.tables), tuple(snapshot.read_models))
        if tables not in found:
            found[tables] = _start(snapshot)
        if found[tables] is None:  # rows in a table the build writes: only the build knows what it does
            return _built(build)
        if found[tables] == (snapshot.read, snapshot.sequences):
            if snapshot is not starts[0]:  # the latest first: a transactional test's moved ids stay moved
                starts.remove(snapshot)
                starts.insert(0, snapshot)
            if os.environ.get("TIAODU_DISTRICT_VERIFY"):
                return _verified(build, snapshot)
            return _copy(snapshot)
    result, snapshot = _record(build)
    if snapshot is not None:
        starts.insert(0, snapshot)
        del starts[_MAX_STARTS:]
    return result


def _built(build):
    stats["built"] += 1
    return build()


def _key() -> tuple:
    """What the build depends on outside the database: hashers, time settings, the language, the
    connected receivers."""
    receivers = tuple(tuple(r[0] for r in s.receivers) for s in _SIGNALS)
    return (
        translation.get_language(),
        connection.vendor,
        connection.settings_dict["NAME"],
        tuple(settings.PASSWORD_HASHERS),
        settings.USE_TZ,
        settings.TIME_ZONE,
        settings.AUTH_USER_MODEL,
        receivers,
    )


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def raw_rows(model, columns=None) -> list[list]:
    """The rows of `model`'s table as the database driver returns them, in primary-key order."""
    columns = columns or _columns(model)
    sql = "SELECT {} FROM {} ORDER BY {}".format(
        ", ".join(_qn(c) for c in columns), _qn(model._meta.db_table), _qn(model._meta.pk.column)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [list(row) for row in cursor.fetchall()]


def _models() -> dict[str, type[models.Model]]:
    return {
        m._meta.db_table: m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    }


def _sqlite_sequences(tables) -> dict[str, int | None]:
    if connection.vendor != "sqlite":
        return {}
    names = list(tables)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, seq FROM sqlite_sequence WHERE name IN ({})".format(", ".join(["%s"] * len(names))),
            names,
        )
        found = dict(cursor.fetchall())
    return {name: found.get(name) for name in names}


def _start(snapshot: _Snapshot) -> tuple[dict, dict] | None:
    """The rows of the tables the snapshot's build read and the next ids of those it wrote, or None when
    a table it wrote holds rows."""
    counts = ", ".join(f"(SELECT COUNT(*) FROM {_qn(t.model._meta.db_table)})" for t in snapshot.tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        if any(cursor.fetchone()):
            return None
    read = {m._meta.db_table: raw_rows(m) for m in snapshot.read_models}
    return read, _sqlite_sequences(t.model._meta.db_table for t in snapshot.tables)


# --- the first build: watched and recorded -----------------------------------------------------------


def _record(build):
    """Run the real build, watching its statements; returns its result and the snapshot to copy it
    from (None when the build did more than insert into empty tables)."""
    by_table = _models()
    before = {table: raw_rows(model) for table, model in by_table.items()}
    sequences = _sqlite_sequences(by_table)
    statements: list[str] = []

    def watch(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    start = timezone.now()
    with connection.execute_wrapper(watch):
        result = _built(build)
    end = timezone.now()
    written = [m.group(1) for m in map(_WRITES.match, statements) if m]
    order = list(dict.fromkeys(written))
    after = {table: raw_rows(model) for table, model in by_table.items()}
    changed = {table for table in by_table if after[table] != before[table]}
    only_inserts = all(s.lstrip().upper().startswith("INSERT") for s in statements if _WRITES.match(s))
    if not only_inserts or changed - set(order) or any(before[t] for t in order):
        return result, None
    read = {t for s in statements if not _WRITES.match(s) for t in _READS.findall(s)} - set(order)
    tables = [_Table(by_table[t], _columns(by_table[t]), after[t]) for t in order]
    for table in tables:
        table.insert_sql = "INSERT INTO {} ({}) VALUES ({})".format(
            _qn(table.model._meta.db_table),
            ", ".join(_qn(c) for c in table.columns),
            ", ".join(["%s"] * len(table.columns)),
        )
    stamps = _stamps(tables, statements, start, end)
    snapshot = _Snapshot(
        tables=tables,
        read={t: before[t] for t in sorted(read)},
        read_models=[by_table[t] for t in sorted(read)],
        sequences={t: sequences[t] for t in order if t in sequences},  # SQLite only
        stamps=stamps,
        district=copy.deepcopy(result),
    )
    for i, stamp in enumerate(stamps):
        label = tables[stamp.table].model._meta.label
        snapshot.stamped.setdefault((label, stamp.pk), {})[stamp.field.attname] = i
    return result, snapshot


def _stamps(tables: list[_Table], statements: list[str], start, end) -> list[_Stamp]:
    """The date-times the build took from the clock (those between its start and end), ordered as it
    took them: by time, then by the statement that wrote the row, then by the row's field order (the
    order a frozen clock does not tell)."""
    inserts: dict[str, list[int]] = {}
    for i, sql in enumerate(statements):
        m = _WRITES.match(sql)
        if m:
            inserts.setdefault(m.group(1), []).append(i)
    found = []
    for ti, table in enumerate(tables):
        meta = table.model._meta
        fields = [f for f in meta.concrete_fields if isinstance(f, models.DateTimeField)]
        if not fields:
            continue
        values = list(
            table.model._base_manager.order_by("pk").values_list("pk", *(f.attname for f in fields))
        )
        statement_of = inserts.get(meta.db_table, [])
        for ri, (pk, *moments) in enumerate(values):
            order = statement_of[ri] if len(statement_of) == len(values) else 0
            for f, moment in zip(fields, moments, strict=True):
                if moment is not None and start <= moment <= end:
                    column = table.columns.index(f.column)
                    found.append(((moment, order, column), _Stamp(ti, ri, column, f, pk)))
    found.sort(key=lambda pair: pair[0])
    return [stamp for _, stamp in found]


# --- later builds: copied ----------------------------------------------------------------------------


def _copy(snapshot: _Snapshot):
    stats["copied"] += 1
    moments = _moments(len(snapshot.stamps))
    rows = {i: t.rows for i, t in enumerate(snapshot.tables)}
    for stamp, moment in zip(snapshot.stamps, moments, strict=True):
        table = rows[stamp.table]
        if table is snapshot.tables[stamp.table].rows:
            table = rows[stamp.table] = [list(row) for row in table]
        table[stamp.row][stamp.column] = stamp.field.get_db_prep_save(moment, connection)
    with transaction.atomic(), connection.cursor() as cursor:
        for i, table in enumerate(snapshot.tables):
            cursor.executemany(table.insert_sql, rows[i])
        if connection.vendor != "sqlite":  # PostgreSQL's sequences did not roll back with the last test
            for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in snapshot.tables]):
                cursor.execute(sql)
    result = copy.deepcopy(snapshot.district)
    for instance in _instances(result):
        instance.__dict__.pop(models.base.DJANGO_VERSION_PICKLE_KEY, None)  # added by the deep copy
        for attname, i in snapshot.stamped.get((instance._meta.label, instance.pk), {}).items():
            setattr(instance, attname, moments[i])
    return result


def _moments(count: int) -> list:
    """`count` moments from the clock, as the real build takes them: each later than the one before (the
    build's statements lie between them), unless the clock stands still (time-machine's tick=False):
    then all the same moment."""
    moments: list = []
    still = False
    for _ in range(count):
        moment = timezone.now()
        tries = 0
        while moments and not still and moment <= moments[-1]:
            tries += 1
            still = tries > 200  # a running clock moves a microsecond within a few calls
            moment = timezone.now()
        moments.append(moment)
    return moments


def _instances(root) -> list[models.Model]:
    """Every model instance reachable from `root`: its attributes, dicts and lists, and the related
    objects each instance holds."""
    seen: dict[int, models.Model] = {}
    visited: set[int] = set()
    todo = [root]
    while todo:
        item = todo.pop()
        if id(item) in visited:
            continue
        visited.add(id(item))
        if isinstance(item, models.Model):
            seen[id(item)] = item
            todo.extend(item._state.fields_cache.values())
        elif isinstance(item, dict):
            todo.extend(item.values())
        elif isinstance(item, list | tuple | set):
            todo.extend(item)
        elif hasattr(item, "__dict__") and not callable(item):
            todo.extend(vars(item).values())
    return list(seen.values())


# --- checking a copy against the real build ----------------------------------------------------------


def _verified(build, snapshot: _Snapshot):
    """TIAODU_DISTRICT_VERIFY: the real build in a savepoint, rolled back, then the copy; both compared."""
    from tests.district_compare import differences, state

    sid = transaction.savepoint()
    start = timezone.now()
    real = build()
    real_state = state(real, start, timezone.now())
    transaction.savepoint_rollback(sid)
    start = timezone.now()
    result = _copy(snapshot)
    problems = differences(real_state, state(result, start, timezone.now()))
    if problems:
        raise AssertionError("the copied district differs from a real build:\n" + "\n".join(problems))
    stats["verified"] += 1
    return result
