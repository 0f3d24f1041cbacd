"""The one place that reads the progress app (issue 4): project levels and missing reports.

Everything goes through tiaodu.progress.selectors.progress_status(user=..., as_of=...), the one source
of those figures, and its reporting cycle. Should the progress app be missing, the functions answer
"unavailable" and the agenda and the project warnings say so instead of failing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass
class ProjectLevel:
    code: str
    level: str  # normal / lagging / severe
    lag_days: int | None = None
    name: str = ""


@dataclass
class ProgressSnapshot:
    available: bool
    as_of: datetime.date
    projects: dict[str, ProjectLevel] = field(default_factory=dict)  # by code
    missing: list[str] = field(default_factory=list)  # project codes without a report
    note: str = ""


def _get(obj, key, default=None):
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def progress_snapshot(*, user, as_of: datetime.date) -> ProgressSnapshot:
    try:
        from tiaodu.progress.selectors import progress_status
    except ImportError:
        return ProgressSnapshot(
            available=False, as_of=as_of, note="进度模块尚未启用，无法列出滞后项目和未报送项目"
        )
    try:
        status = progress_status(user=user, as_of=as_of, include_indicators=False)
    except TypeError:  # an older signature without the option
        status = progress_status(user=user, as_of=as_of)
    snap = ProgressSnapshot(available=True, as_of=as_of)
    for row in _get(status, "projects", []) or []:
        code = _get(row, "code")
        if code is None and _get(row, "project") is not None:
            code = _get(_get(row, "project"), "code")
        if not code:
            continue
        snap.projects[code] = ProjectLevel(
            code=code,
            level=str(_get(row, "level", "normal")),
            lag_days=_get(row, "lag_days"),
            name=_get(row, "name", "") or "",
        )
    missing = _get(status, "missing_reports", None)
    if missing is None:
        missing = _get(status, "missing", None)
    if missing is None:
        missing = [row for row in (_get(status, "projects", []) or []) if _get(row, "reported") is False]
    for row in missing or []:
        code = (
            row if isinstance(row, str) else _get(row, "code") or _get(_get(row, "project", {}) or {}, "code")
        )
        if code:
            snap.missing.append(code)
    return snap


def last_cycle_as_of(now: datetime.datetime) -> datetime.date:
    """The as-of date of the last weekly reporting cycle whose deadline has passed by `now` (local time).

    A cycle is named by its deadline day (the progress app's ReportingCycle: default Thursday 17:00);
    its figures are those of progress_status(as_of=that day).
    """
    weekday, at = 3, datetime.time(17, 0)
    try:
        from tiaodu.progress.selectors import reporting_cycle

        cycle = reporting_cycle()
        weekday, at = cycle.deadline_weekday, cycle.deadline_time
    except ImportError:
        pass
    day = now.date()
    back = (day.weekday() - weekday) % 7
    candidate = day - datetime.timedelta(days=back)
    if back == 0 and now.time() < at:
        candidate -= datetime.timedelta(days=7)
    return candidate
