"""Reading the ledger workbook into rows of raw cells (python-calamine), checking its sheets and headers.

The cells themselves are read with ``tiaodu.core.xlsx`` (text, date, decimal, choice), which raise the
importers' one cell-error type.
"""

from __future__ import annotations

from tiaodu.core.xlsx import (
    BROKEN,
    CellError,
    close_workbook,
    control_problems,
    data_rows,
    header_problem,
    header_row,
    open_workbook,
    sheet_rows,
)
from tiaodu.projects.ledger import extensions
from tiaodu.projects.ledger.result import ErrorList
from tiaodu.projects.ledger.schema import HEADERS, OPTIONAL_SHEETS

Rows = list[tuple[int, list]]  # (Excel row number, cells) of the data rows


def read_sheets(path_or_file, errors: ErrorList) -> dict[str, Rows] | None:
    """{sheet: data rows} for the ledger's sheets (an optional sheet that is absent: no rows), or None after adding every structural error
    (not a workbook, a sheet missing, a wrong header row)."""
    try:
        book = open_workbook(path_or_file)
    except CellError as e:
        errors.append(e)
        return None
    sheets: dict[str, Rows] = {}
    try:
        names = book.sheet_names
        optional = OPTIONAL_SHEETS | set(extensions.headers())
        for sheet, header in {**HEADERS, **extensions.headers()}.items():
            if sheet not in names:
                if sheet in optional:
                    sheets[sheet] = []
                else:
                    errors.add("", None, "", f"缺少工作表「{sheet}」")
                continue
            rows = sheet_rows(book, sheet)
            problem = header_problem(header_row(rows[0] if rows else []), header)
            if problem:
                errors.add(sheet, None, "", problem)
                continue
            sheets[sheet] = data_rows(rows, len(header))
            for error in control_problems(sheet, header, sheets[sheet]):
                errors.append(error)
    except Exception:  # noqa: BLE001 — calamine raises several error types for broken sheets
        errors.add("", None, "", BROKEN)
        return None
    finally:
        close_workbook(book)
    if errors:
        return None
    return sheets
