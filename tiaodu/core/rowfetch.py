"""`values_rows(queryset)`: the rows of a `values_list()` queryset as iterating it gives them, cheaper.

Iterating a queryset runs each row through Django's converters one value at a time (on SQLite a date
column is parsed and a decimal column turned into a Decimal for every row). The overview reads 20,000
projects and 60,000 indicators that way, where most values repeat (dates, targets, whole quantities).
Here the rows are fetched in large chunks and each column's converters — the very functions Django would
call, from the query's compiler — are applied once per distinct text or integer value (their answer is a
function of the value: the same value in, the same value out); any other value (a float, a Decimal, None)
goes through them every time, as before. Same rows, same values, same types (tests/core/test_rowfetch.py).
"""

from __future__ import annotations

from django.db.models.sql.constants import MULTI

CHUNK = 2000  # rows per fetchmany


def _converted(values, converters: list, expression, connection) -> list:
    """A column's values through `converters` (in order, as the compiler applies them), each text or
    integer value converted once."""
    memo: dict = {}
    out = []
    append = out.append
    for value in values:
        kind = type(value)
        if kind is str or kind is int:
            found = memo.get(value, memo)  # (memo itself: not yet converted)
            if found is memo:
                found = value
                for convert in converters:
                    found = convert(found, expression, connection)
                memo[value] = found
            append(found)
        else:
            for convert in converters:
                value = convert(value, expression, connection)
            append(value)
    return out


def values_rows(queryset) -> list[tuple]:
    """list(queryset) for a `values_list()` queryset (not flat, not named): the same tuples."""
    compiler = queryset.query.get_compiler(queryset.db)
    results = compiler.execute_sql(MULTI, chunk_size=CHUNK)
    rows = [row for chunk in results for row in chunk]
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    if compiler.has_composite_fields(fields):  # (not used here: the compiler's own path)
        return [tuple(row) for row in compiler.results_iter(results=[rows], tuple_expected=True)]
    converters = compiler.get_converters(fields)
    if not rows or not converters:
        return [tuple(row) for row in rows]
    columns = [list(column) for column in zip(*rows, strict=True)]
    for i, (convs, expression) in converters.items():
        columns[i] = _converted(columns[i], convs, expression, compiler.connection)
    return list(zip(*columns, strict=True))
