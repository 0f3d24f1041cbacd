"""Reading .xlsx workbooks for the importers: the workbook, its header row, its data rows and its cells.

Every importer (the ledger, the weekly reports, the schedule sheet) reads cells with these functions
and reports a bad cell with ONE type, ``CellError``. A reader raises it with the message only
(``日期无效「2026-13-01」``); the importer, which knows where the cell is, adds the place with
``error.at(sheet, row, column)``, and ``str()`` gives the message users see:

    工作表「项目」第5行「计划开工」：日期无效「2026-13-01」

Readers take the values python-calamine returns (str, int, float, bool, datetime, date, time, None)
and those openpyxl returns; an empty cell is None or "".

Every workbook the platform writes puts its rows through ``safe_row`` (or ``append_row``): text that
begins with ``=``, ``+``, ``-``, ``@``, tab or CR is written as a typed string cell with Excel's quote
prefix, so Excel shows it and never evaluates it (OWASP CSV/formula injection), and the importers read
the same text back; control characters XML cannot hold are dropped; a date outside 1900–2100 (a row
written behind the rules' back) is written as its ISO text.
"""

from __future__ import annotations

import datetime
import math
import os
import re
import zipfile
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeVar

from tiaodu.core.text_rules import DATE_RANGE_TEXT, MAX_DATE, MIN_DATE
from tiaodu.core.zipguard import zip_problem

V = TypeVar("V")

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

NOT_XLSX = "文件不是Excel工作簿（.xlsx），无法读取；请上传用Excel或WPS保存的 .xlsx 文件"
NO_WORKBOOK = "文件不是Excel工作簿（.xlsx）：压缩包中没有工作簿内容；请上传用Excel或WPS保存的 .xlsx 文件"
BROKEN = "文件已损坏或不是有效的Excel工作簿（.xlsx），无法读取"
DATE_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class CellError(ValueError):
    """A bad cell (or a bad sheet or file): where, and what is wrong, in Chinese for the user.

    Also the record importers keep in their error lists: equal when place and message are equal.
    """

    def __init__(self, sheet: str = "", row: int | None = None, column: str = "", message: str = ""):
        super().__init__(message)
        self.sheet = sheet
        self.row = row
        self.column = column
        self.message = message

    def at(self, sheet: str, row: int | None, column: str) -> CellError:
        """The same error placed in a sheet, row and column."""
        return CellError(sheet, row, column, self.message)

    def __str__(self) -> str:
        place = ""
        if self.sheet:
            place += f"工作表「{self.sheet}」"
        if self.row:
            place += f"第{self.row}行"
        if self.column:
            place += f"「{self.column}」"
        return f"{place}：{self.message}" if place else self.message

    def __repr__(self) -> str:
        return f"CellError({self.sheet!r}, {self.row!r}, {self.column!r}, {self.message!r})"

    def _key(self) -> tuple:
        return (self.sheet, self.row, self.column, self.message)

    def __eq__(self, other) -> bool:
        return isinstance(other, CellError) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __reduce__(self):
        return (CellError, self._key())

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "text": str(self),
        }


# --- cells ----------------------------------------------------------------------------------------


def raw_text(raw) -> str:
    """A cell as the user typed it, for messages (101.0 -> "101", a date -> "2026-04-01")."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.strftime("%Y-%m-%d %H:%M") if (raw.hour or raw.minute) else raw.date().isoformat()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return str(raw).strip()


def text(raw) -> str:
    """A text cell, stripped; numbers as typed (101.0 -> "101"); True/False as 是/否; empty -> ""."""
    if raw is None or raw == "":
        return ""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool):
        return "是" if raw else "否"
    return raw_text(raw)


def is_blank(raw) -> bool:
    """Whether a cell is empty (None, "" or only spaces)."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def date(raw) -> datetime.date | None:
    """A date cell: a real Excel date or text YYYY-MM-DD; None when empty."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime.datetime):
        return _in_range(raw.date(), raw)
    if isinstance(raw, datetime.date):
        return _in_range(raw, raw)
    if isinstance(raw, str):
        stripped = raw.strip()
        if not stripped:
            return None
        m = DATE_TEXT.match(stripped)
        if m:
            try:
                day = datetime.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                day = None
            if day is not None:
                return _in_range(day, raw)
    raise CellError(message=f"日期无效「{raw_text(raw)}」")


def _in_range(day: datetime.date, raw) -> datetime.date:
    if not (MIN_DATE <= day <= MAX_DATE):
        raise CellError(message=f"日期须在{DATE_RANGE_TEXT}之间「{raw_text(raw)}」")
    return day


_QUANTUM: dict[int, Decimal] = {}  # places -> Decimal("1E-places"), for quantize
_LIMIT: dict[int, Decimal] = {}  # max_digits - places -> 10 ** that (the first value too large)


def decimal(raw, *, places: int, max_digits: int, nonnegative: bool = False) -> Decimal | None:
    """A number cell rounded half up to `places` decimals (text may carry thousands separators);
    None when empty. Too many digits for max_digits is an error, and with nonnegative so is a value
    below 0 (checked before rounding)."""
    kind = type(raw)  # exact types first (the common cells); anything else takes the general path
    if kind is float:
        if not math.isfinite(raw):
            raise CellError(message=f"不是有效的数字「{raw}」")
        value = Decimal(repr(raw))
    elif kind is int:
        value = Decimal(raw)
    elif kind is str and raw:
        value = _text_value(raw)
        if value is None:
            return None
    else:
        value = _decimal_value(raw)
        if value is None:
            return None
    if nonnegative and value < 0:
        raise CellError(message=f"不能为负数「{raw_text(raw)}」")
    digits = max_digits - places
    limit = _LIMIT.get(digits)
    if limit is None:
        limit = _LIMIT[digits] = Decimal(10) ** digits
    if abs(value) >= limit:
        raise CellError(message=f"数值过大「{raw_text(raw)}」")
    quantum = _QUANTUM.get(places)
    if quantum is None:
        quantum = _QUANTUM[places] = Decimal(1).scaleb(-places)
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def _decimal_value(raw) -> Decimal | None:
    """`decimal`'s reading of a cell that is not exactly a float, int or non-empty str (None, "",
    bool, subclasses, dates...): the unrounded value, None when empty."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise CellError(message=f"不是有效的数字「{raw_text(raw)}」")
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise CellError(message=f"不是有效的数字「{raw}」")
        return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    if isinstance(raw, str):
        return _text_value(raw)
    raise CellError(message=f"不是有效的数字「{raw_text(raw)}」")


def _text_value(raw: str) -> Decimal | None:
    """A number written as text (thousands separators allowed), None when blank."""
    stripped = raw.strip().replace(",", "").replace("，", "")
    if not stripped:
        return None
    try:
        value = Decimal(stripped)
    except InvalidOperation:
        raise CellError(message=f"不是有效的数字「{raw.strip()}」") from None
    if not value.is_finite():
        raise CellError(message=f"不是有效的数字「{raw.strip()}」")
    return value


def integer(raw) -> int | None:
    """A whole-number cell (5, 5.0 or "5"); None when empty."""
    if raw is None or raw == "" or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise CellError(message=f"不是整数「{raw_text(raw)}」")
    try:
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(str(raw).strip())
    except InvalidOperation:
        raise CellError(message=f"不是整数「{raw_text(raw)}」") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise CellError(message=f"不是整数「{raw_text(raw)}」")
    return int(value)


def choice(raw, by_label: Mapping[str, V], *, noun: str) -> V | None:
    """The value whose label the cell holds; None when empty. An unknown label names the choices:
    未知的项目类型「学校」（应为：重点建设、…）."""
    label = text(raw)
    if not label:
        return None
    try:
        return by_label[label]
    except KeyError:
        raise CellError(message=f"未知的{noun}「{label}」（应为：{'、'.join(by_label)}）") from None


# --- workbooks ------------------------------------------------------------------------------------


def _is_path(path_or_file) -> bool:
    return isinstance(path_or_file, str | os.PathLike)


def check_xlsx(path_or_file) -> str | None:
    """None when the file is an .xlsx workbook (a zip holding xl/workbook.xml) that is safe to parse
    (``tiaodu.core.zipguard``: no zip bomb, no macros), else why not.

    A file object is left at the position where it was.
    """
    problem = _structure_problem(path_or_file)
    if problem:
        return problem
    return zip_problem(path_or_file, not_zip=NOT_XLSX)


def _structure_problem(path_or_file) -> str | None:
    position = None
    if not _is_path(path_or_file):
        position = path_or_file.tell()
    try:
        with zipfile.ZipFile(path_or_file) as archive:
            names = set(archive.namelist())
    except FileNotFoundError:
        return "文件不存在"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return NOT_XLSX
    finally:
        if position is not None:
            path_or_file.seek(position)
    if "xl/workbook.xml" not in names:
        return NO_WORKBOOK
    return None


def open_workbook(path_or_file, *, check: bool = True, broken: str = BROKEN):
    """A python-calamine workbook; CellError (no place) when the file is not a readable .xlsx.

    With check=False the zip check is skipped and any failure gives the message `broken`.
    """
    from python_calamine import CalamineWorkbook

    # The zip-bomb and macro checks run always; `check` adds the "is it a workbook" messages.
    problem = check_xlsx(path_or_file) if check else zip_problem(path_or_file, not_zip=broken)
    if problem:
        raise CellError(message=problem)
    try:
        if _is_path(path_or_file):
            return CalamineWorkbook.from_path(os.fspath(path_or_file))
        return CalamineWorkbook.from_filelike(path_or_file)
    except Exception:  # noqa: BLE001 — calamine raises several error types for broken files
        raise CellError(message=broken) from None


def close_workbook(book) -> None:
    close = getattr(book, "close", None)
    if close:
        close()


def sheet_rows(book, name: str) -> list[list]:
    """Every row of a sheet, from the first (the header), empty cells as ""."""
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def header_row(row, *, clean: Callable[[Any], str] = text) -> list[str]:
    """The header cells as text, trailing empty cells dropped."""
    found = [clean(c) for c in row] if row is not None else []
    while found and not found[-1]:
        found.pop()
    return found


def header_problem(found: list[str], expected: list[str]) -> str | None:
    """None when the header row is right, else the message naming the first wrong column."""
    if found == expected:
        return None
    for i, want in enumerate(expected):
        actual = found[i] if i < len(found) else ""
        if actual != want:
            detail = f"（第{i + 1}列应为「{want}」，实际为「{actual or '空'}」）"
            break
    else:
        detail = f"（多出第{len(expected) + 1}列「{found[len(expected)]}」）"
    return f"表头不正确，第1行应依次为：{' | '.join(expected)}{detail}"


def control_problems(sheet: str, headers: list[str], rows: list[tuple[int, list]]) -> list[CellError]:
    """A CellError for every text cell of the data rows holding a control character other than tab and
    newline (the same rule as every text field, tiaodu.core.validation)."""
    from tiaodu.core.text_rules import CONTROL_CHARACTERS, text_problem

    found = []
    width = len(headers)
    for index, cells in rows:
        # one search over the row's text first: almost every row has no control character at all
        if not CONTROL_CHARACTERS.search("".join(c for c in cells[:width] if isinstance(c, str))):
            continue
        for column, cell in zip(headers, cells, strict=False):
            problem = text_problem(cell)
            if problem:
                found.append(CellError(sheet, index, column, problem))
    return found


def data_rows(rows: list[list], width: int) -> list[tuple[int, list]]:
    """(Excel row number, exactly `width` cells) for the rows below the header that hold anything."""
    out = []
    for index, row in enumerate(rows[1:], start=2):
        cells = list(row[:width])
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        out.append((index, cells))
    return out


# --- writing --------------------------------------------------------------------------------------


def cell_value(value):
    """`value` as it may be written: control characters dropped from text, a date outside
    1900-01-01..2100-12-31 as its ISO text (Excel has no serial number for it)."""
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    if isinstance(value, datetime.date) and not (1900 <= value.year <= 2100):
        return value.isoformat()
    return value


def text_cell(sheet, value: str):
    """A cell holding `value` as a typed string with the quote prefix: Excel shows `=SUM(A1)` as text."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=None)
    cell.value = value
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_cell(sheet, value):
    """What to hand openpyxl for `value`: the value itself, or a text cell when text could be taken
    for a formula. Cells (already built by the caller) pass through."""
    value = cell_value(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return text_cell(sheet, value)
    return value


def safe_row(sheet, values) -> list:
    """A row for ``sheet.append`` in which no text can act as a formula."""
    return [safe_cell(sheet, v) if isinstance(v, str | datetime.date) else v for v in values]


def append_row(sheet, values) -> None:
    """``sheet.append`` of a row written safely (see ``safe_row``)."""
    sheet.append(safe_row(sheet, values))
