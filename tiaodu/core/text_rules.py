"""The text and date rules as plain functions (no Django): renderers and readers use them directly.

Text holds no control characters except tab and newline; dates lie between 1900-01-01 and 2100-12-31.
``tiaodu.core.validation`` turns them into the validators every model field carries.
"""

from __future__ import annotations

import datetime
import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)
DATE_RANGE_TEXT = f"{MIN_DATE.isoformat()}至{MAX_DATE.isoformat()}"


def strip_control(value: str) -> str:
    """The text without its control characters (tab and newline kept)."""
    return CONTROL_CHARACTERS.sub("", value)


def text_problem(value, label: str = "") -> str | None:
    """None when `value` may be stored as text, else the Chinese message naming the field."""
    if not isinstance(value, str):
        return None
    found = CONTROL_CHARACTERS.search(value)
    if not found:
        return None
    where = f"「{label}」" if label else ""
    return f"{where}含有不可见的控制字符（U+{ord(found.group()):04X}），请删除后重试"


def date_problem(value, label: str = "") -> str | None:
    """None when `value` (a date or datetime, or None) lies in the allowed range, else the message."""
    if value is None:
        return None
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not isinstance(day, datetime.date) or MIN_DATE <= day <= MAX_DATE:
        return None
    where = f"「{label}」" if label else "日期"
    return f"{where}须在{DATE_RANGE_TEXT}之间（填写的是{day.isoformat()}）"


def usable_date(value):
    """`value` when it lies in the allowed range, else None — for readers meeting a row written behind
    the rules' back (raw SQL, an old version): the row is shown without that date, the page still works."""
    return None if date_problem(value) else value
