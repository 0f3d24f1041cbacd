"""The rows of a `values_list` queryset, equal to `list(queryset)` — value, type and decimal exponent —
converted column by column instead of row by row.

On SQLite a decimal comes back as the database's float, and the ORM converts each one through two or
three calls per row (the backend's `create_decimal_from_float` with 15 digits, then, for a column, a
quantize to the field's places in the field's context; for a sum, a copy). At 20,000 projects that
cost as much as investment_status' queries. Here a decimal column is converted by one comprehension
doing exactly that; every other column goes through the ORM's own converters (one pass a column).
tests/investment/test_rows.py checks the rows against the ORM's on the queries investment_status runs.
"""

from __future__ import annotations

import decimal

from django.core.exceptions import EmptyResultSet
from django.db.models import DecimalField
from django.db.models.expressions import Col

_SQLITE_DIGITS = decimal.Context(prec=15)  # SQLite keeps 15 significant digits (as the ORM reads them)


def values_rows(queryset) -> list[tuple]:
    """`list(queryset)` of a values_list queryset, read in one fetch."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return []
    if not sql:
        return []
    connection = compiler.connection
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if compiler.has_extra_select:
        rows = [row[: compiler.col_count] for row in rows]
    converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
    if not rows or not converters:
        return [tuple(row) for row in rows]
    columns = list(zip(*rows, strict=True))
    for i, (functions, expression) in converters.items():
        columns[i] = _converted(columns[i], functions, expression, connection)
    return list(zip(*columns, strict=True))


def _converted(column, functions, expression, connection) -> list:
    field = expression.output_field
    if connection.vendor == "sqlite" and type(field) is DecimalField:
        create = _SQLITE_DIGITS.create_decimal_from_float
        if isinstance(expression, Col):
            places, context = decimal.Decimal(1).scaleb(-field.decimal_places), field.context
            return [None if v is None else create(v).quantize(places, context=context) for v in column]
        return [None if v is None else create(v) for v in column]
    for function in functions:
        column = [function(v, expression, connection) for v in column]
    return column
