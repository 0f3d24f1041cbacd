"""Reading a month written YYYY-MM from a URL or a command line (`?month=2026-10`, `--month 2026-10`)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from tiaodu.core.params import BadParameter

_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")


def parse_month(text: str) -> tuple[int, int] | None:
    """(year, month) from YYYY-MM (ASCII digits, years 2000–2100); None for anything else."""
    match = _MONTH.fullmatch((text or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return year, month


def month_param(
    params: Mapping, name: str, *, label: str, default: tuple[int, int], strict: bool = True
) -> tuple[int, int]:
    """A month query parameter; `default` when absent or blank, BadParameter (a 400 naming the parameter)
    when it is not a month of the years 2000 to 2100 written YYYY-MM."""
    value = params.get(name)
    text = "" if value is None else str(value).strip()
    if not text:
        return default
    parsed = parse_month(text)
    if parsed is None:
        if not strict:
            return default
        shown = text.replace("\x00", "")[:30]
        raise BadParameter(name, f"{label}无效「{shown}」，请按YYYY-MM填写（2000年至2100年）")
    return parsed
