"""Reading what a user typed into a URL: one function per kind of value, one error for all of them.

Query parameters (`?year=2026`, `?as_of=2026-05-01`, `?status=done`, `?unit=12`) are read with
`int_param`, `date_param`, `choice_param`, `id_param` and `text_param`; a value that is there but wrong
raises `BadParameter`, a 400 whose Chinese message names the parameter (the web pages show it on the error
page, the API as `{"year": ["…"]}`). The filters of a list page pass `strict=False`: a filter that cannot
be read is left out (the default is used), as a person who edits the address by hand would expect.
Ids in paths go through `path_id`: anything that cannot be a row's id is a 404.

Only ASCII digits count as digits: `"²".isdigit()` is True but `int("²")` raises, and `"１２"` (full-width)
would be read as 12 by int(). Ids must fit PostgreSQL's bigint (SQLite raises OverflowError beyond it).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping

from django.core.exceptions import BadRequest
from django.http import Http404

ID_MAX = 2**63 - 1
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


class BadParameter(BadRequest):
    """A query parameter with a value that cannot be used: HTTP 400 with `message` shown to the user."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


def has_nul(value) -> bool:
    """Whether text (or any text inside lists and dicts) contains a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False


def _shown(text: str) -> str:
    text = text.replace("\x00", "")
    return text if len(text) <= 30 else text[:30] + "…"


def _bad(strict: bool, name: str, message: str, default):
    if strict:
        raise BadParameter(name, message)
    return default


def _raw(params: Mapping, name: str) -> str:
    value = params.get(name)
    return "" if value is None else str(value).strip()


def parse_int(text: str) -> int | None:
    """ASCII digits with an optional sign, within ±(2**63 - 1); None for anything else."""
    text = (text or "").strip()
    if not _INTEGER.fullmatch(text):
        return None
    value = int(text)
    return value if -ID_MAX <= value <= ID_MAX else None


def parse_id(text) -> int | None:
    """A database id: a positive integer that fits a 64-bit signed integer; None for anything else."""
    value = parse_int("" if text is None else str(text))
    return value if value is not None and value > 0 else None


def parse_date(text: str) -> datetime.date | None:
    """A date written YYYY-MM-DD (ASCII digits; the month and day may have one digit); None otherwise."""
    match = _DATE.fullmatch((text or "").strip())
    if not match:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def int_param(
    params: Mapping,
    name: str,
    *,
    label: str,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
    strict: bool = True,
) -> int | None:
    """An integer query parameter; `default` when absent or blank, BadParameter when not an integer or
    outside [minimum, maximum]."""
    text = _raw(params, name)
    if not text:
        return default
    value = parse_int(text)
    if value is None:
        return _bad(strict, name, f"{label}须为整数，「{_shown(text)}」无法识别", default)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        low = "" if minimum is None else str(minimum)
        high = "" if maximum is None else str(maximum)
        return _bad(strict, name, f"{label}须在{low}至{high}之间，「{_shown(text)}」超出范围", default)
    return value


def date_param(
    params: Mapping,
    name: str,
    *,
    label: str,
    default: datetime.date | None = None,
    earliest: datetime.date = EARLIEST,
    latest: datetime.date = LATEST,
    strict: bool = True,
) -> datetime.date | None:
    """A date query parameter written YYYY-MM-DD; `default` when absent or blank, BadParameter when it is
    not a real date or lies outside [earliest, latest] (by default the years 2000 to 2100)."""
    text = _raw(params, name)
    if not text:
        return default
    day = parse_date(text)
    if day is None:
        return _bad(strict, name, f"{label}无效「{_shown(text)}」，请按YYYY-MM-DD填写", default)
    if not (earliest <= day <= latest):
        return _bad(strict, name, f"{label}须在{earliest.year}年至{latest.year}年之间", default)
    return day


def choice_param(
    params: Mapping,
    name: str,
    choices: Iterable[str],
    *,
    label: str,
    default: str | None = None,
    strict: bool = True,
) -> str | None:
    """One of `choices` (the values, e.g. `ProjectStatus.values`); `default` when absent or blank,
    BadParameter for any other value."""
    text = _raw(params, name)
    if not text:
        return default
    allowed = [str(c) for c in choices]
    if text not in allowed:
        return _bad(
            strict, name, f"{label}「{_shown(text)}」不是可选值（{'、'.join(allowed)[:200]}）", default
        )
    return text


def id_param(params: Mapping, name: str, *, label: str, strict: bool = True) -> int | None:
    """The id of a row named in a query parameter (`?unit=12`); None when absent or blank, BadParameter
    when it is not a positive 64-bit integer."""
    text = _raw(params, name)
    if not text:
        return None
    value = parse_id(text)
    if value is None:
        return _bad(strict, name, f"{label}编号无效「{_shown(text)}」", None)
    return value


def id_list_param(params, name: str, *, label: str, strict: bool = True) -> list[int]:
    """Ids given as a repeated parameter (`?items=3&items=5`), in order, without blanks."""
    values = params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]
    return [i for v in values if (i := id_param({name: v}, name, label=label, strict=strict)) is not None]


def text_param(params: Mapping, name: str, *, label: str, max_length: int = 200, strict: bool = True) -> str:
    """Free text (a search, a project code); BadParameter for NUL characters or text past `max_length`."""
    text = _raw(params, name)
    if has_nul(text):
        return _bad(strict, name, f"{label}不能包含空字符", "")
    if len(text) > max_length:
        return _bad(strict, name, f"{label}不能超过{max_length}个字符", "")
    return text


def path_id(value) -> int:
    """An id taken from a URL path; Http404 for anything that cannot be an id (`null,null`, `0`, `²`)."""
    parsed = parse_id(value)
    if parsed is None:
        raise Http404("不存在")
    return parsed
