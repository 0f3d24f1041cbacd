"""Everything a test could see of a built district, to compare a copy with a real build
(tests/district_copy.py's TIAODU_DISTRICT_VERIFY, tests/test_district_copy.py).

`state(result, start, end)` takes every table's rows as stored (on SQLite, `quote()` of each value: its
storage class and bytes) and the District object graph (each instance's attributes, the related objects
it holds and which of them are the same object). What differs between two real builds by design is made
comparable: the moments taken from the clock between `start` and `end` become their rank (equal moments,
equal ranks: a frozen clock stays visible), and a password hash becomes its algorithm and whether it
checks against the fixture's password (the salt is random).
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.contrib.auth.hashers import check_password, identify_hasher
from django.db import connection, models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

PASSWORD = "Tiaodu@2026!"


def _models():
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]


def _stored(model) -> list[list]:
    qn = connection.ops.quote_name
    columns = [f.column for f in model._meta.concrete_fields]
    wrap = "quote({})" if connection.vendor == "sqlite" else "{}"
    sql = "SELECT {} FROM {} ORDER BY {}".format(
        ", ".join(wrap.format(qn(c)) for c in columns), qn(model._meta.db_table), qn(model._meta.pk.column)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [list(row) for row in cursor.fetchall()]


def _moment(value) -> datetime.datetime | None:
    """A stored date-time as an aware datetime (SQLite: the quoted text Django wrote, in UTC)."""
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and value.startswith("'"):
        parsed = parse_datetime(value.strip("'"))
        if parsed is not None and timezone.is_naive(parsed):
            parsed = parsed.replace(tzinfo=datetime.UTC)
        return parsed
    return None


def _password(value) -> tuple:
    text = value.strip("'") if isinstance(value, str) else value
    if not text:
        return ("password", text)
    return ("password", identify_hasher(text).algorithm, check_password(PASSWORD, text))


def state(result, start, end) -> dict:
    """Every table's stored rows and the object graph of `result`, with the clock's moments taken
    between `start` and `end` as ranks and password hashes as what they check."""
    moments: set[datetime.datetime] = set()
    tables = {}
    for model in _models():
        rows = _stored(model)
        kinds = [
            "moment" if isinstance(f, models.DateTimeField) else "password" if f.attname == "password" else ""
            for f in model._meta.concrete_fields
        ]
        for row in rows:
            for i, kind in enumerate(kinds):
                if kind == "moment":
                    moment = _moment(row[i])
                    if moment is not None and start <= moment <= end:
                        row[i] = moment
                        moments.add(moment)
                elif kind == "password" and model is apps.get_model("orgs.User"):
                    row[i] = _password(row[i])
        tables[model._meta.db_table] = rows
    if connection.vendor == "sqlite":  # the next ids (PostgreSQL's sequences do not roll back)
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
            tables["sqlite_sequence"] = [list(row) for row in cursor.fetchall()]
    graph = _describe(result, start, end, moments)
    ranks = {m: i for i, m in enumerate(sorted(moments))}

    def ranked(x):
        if isinstance(x, datetime.datetime) and x in ranks:
            return ("moment", ranks[x])
        if isinstance(x, list | tuple):
            return type(x)(ranked(v) for v in x)
        if isinstance(x, dict):
            return {k: ranked(v) for k, v in x.items()}
        return x

    return {"tables": ranked(tables), "district": ranked(graph)}


def _describe(root, start, end, moments: set) -> object:
    """The object graph as nested tuples: instances by label, attributes and held related objects; an
    instance met again is named by the number it got the first time (the same object, not an equal one)."""
    numbers: dict[int, int] = {}

    def value(x, name=""):
        if isinstance(x, datetime.datetime) and start <= x <= end:
            moments.add(x)
            return x
        if name == "password" and isinstance(x, str):
            return _password(x)
        return (type(x).__name__, repr(x))

    def walk(x, name=""):
        if isinstance(x, models.Model):
            if id(x) in numbers:
                return ("the same object as", numbers[id(x)])
            numbers[id(x)] = len(numbers)
            attrs = [(k, walk(v, k)) for k, v in sorted(vars(x).items()) if k != "_state"]
            held = [(k, walk(v)) for k, v in sorted(x._state.fields_cache.items())]
            state = (x._state.adding, x._state.db)
            return ("instance", type(x).__name__, x._meta.label, numbers[id(x)], state, attrs, held)
        if isinstance(x, dict):
            return ("dict", [(k, walk(v)) for k, v in x.items()])
        if isinstance(x, list | tuple):
            return (type(x).__name__, [walk(v) for v in x])
        if hasattr(x, "__dict__") and not callable(x):
            return ("object", type(x).__qualname__, [(k, walk(v)) for k, v in vars(x).items()])
        return value(x, name)

    return walk(root)


def differences(a: dict, b: dict) -> list[str]:
    """What differs between two states, table by table, then in the object graph."""
    problems = []
    for table in sorted(set(a["tables"]) | set(b["tables"])):
        rows_a, rows_b = a["tables"].get(table), b["tables"].get(table)
        if rows_a != rows_b:
            only_a = [r for r in rows_a or [] if r not in (rows_b or [])]
            only_b = [r for r in rows_b or [] if r not in (rows_a or [])]
            problems.append(f"{table}: real build only {only_a[:3]}; copy only {only_b[:3]}")
    if a["district"] != b["district"]:
        problems.append(f"District objects differ:\n real {a['district']}\n copy {b['district']}")
    return problems
