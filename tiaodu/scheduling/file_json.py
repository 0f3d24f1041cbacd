"""A FileProject's parts as JSON (kept on Task.detail, Dependency and ProjectSchedule.file_data) and back.

Pure: no Django. Datetimes are ISO text ("2026-03-02T08:00:00"), dates of calendar exceptions too.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from tiaodu.scheduling.file_model import ASAP, FileCalendar, FileLink, FileTask, WorkRange

# FileTask fields kept in Task.detail (everything but identity, name and links).
_IDENTITY = {"key", "code", "name", "links"}
_DATETIMES = {f.name for f in dataclasses.fields(FileTask) if "datetime" in str(f.type)}
DETAIL_FIELDS = [f.name for f in dataclasses.fields(FileTask) if f.name not in _IDENTITY]


def whole_days(minutes: int | float, minutes_per_day: int) -> int:
    """Minutes as whole days: half up, sign kept (lags, floats; durations: file_import.display_days)."""
    if not minutes:
        return 0
    value = Decimal(abs(minutes)) / Decimal(minutes_per_day or 480)
    days = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return days if minutes > 0 else -days


def _dt(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def parse_dt(value) -> datetime.datetime | None:
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def task_detail(task: FileTask, summary_links: list[FileLink] = ()) -> dict:
    """Task.detail of a file task; `summary_links`: its links from summary tasks (no Dependency row)."""
    out = {}
    for name in DETAIL_FIELDS:
        value = getattr(task, name)
        out[name] = _dt(value) if name in _DATETIMES else value
    out["summary_links"] = [link_json(link) for link in summary_links]
    return out


def task_from_detail(*, key: str, code: str, name: str, detail: dict, links: list[FileLink]) -> FileTask:
    """A FileTask from Task.detail (unknown or missing keys take FileTask's defaults)."""
    kwargs = {}
    for field_name in DETAIL_FIELDS:
        if field_name not in detail:
            continue
        value = detail[field_name]
        kwargs[field_name] = parse_dt(value) if field_name in _DATETIMES else value
    kwargs.setdefault("duration_minutes", 0)
    kwargs.setdefault("constraint", ASAP)
    extra = [link_from_json(x) for x in detail.get("summary_links") or []]
    return FileTask(key=key, code=code, name=name, links=[*links, *extra], **kwargs)


def link_json(link: FileLink) -> dict:
    return {
        "predecessor": link.predecessor,
        "type": link.type,
        "lag_minutes": link.lag_minutes,
        "lag_elapsed": link.lag_elapsed,
        "lag_percent": link.lag_percent,
    }


def link_from_json(data: dict) -> FileLink:
    return FileLink(
        predecessor=str(data["predecessor"]),
        type=data.get("type") or "FS",
        lag_minutes=int(data.get("lag_minutes") or 0),
        lag_elapsed=bool(data.get("lag_elapsed")),
        lag_percent=data.get("lag_percent"),
    )


def _ranges(ranges) -> list[list[int]]:
    return [[r.start, r.end] for r in ranges]


def _from_ranges(data) -> tuple[WorkRange, ...]:
    return tuple(WorkRange(int(a), int(b)) for a, b in data)


def calendar_json(cal: FileCalendar) -> dict:
    return {
        "key": cal.key,
        "name": cal.name,
        "week": {str(wd): _ranges(r) for wd, r in cal.week.items()},
        "exceptions": {d.isoformat(): _ranges(r) for d, r in sorted(cal.exceptions.items())},
        "minutes_per_day": cal.minutes_per_day,
        "minutes_per_week": cal.minutes_per_week,
        "minutes_per_month": cal.minutes_per_month,
    }


def calendar_from_json(data: dict) -> FileCalendar:
    return FileCalendar(
        key=str(data["key"]),
        name=data.get("name") or "",
        week={int(wd): _from_ranges(r) for wd, r in (data.get("week") or {}).items()},
        exceptions={
            datetime.date.fromisoformat(d): _from_ranges(r) for d, r in (data.get("exceptions") or {}).items()
        },
        minutes_per_day=int(data.get("minutes_per_day") or 480),
        minutes_per_week=int(data.get("minutes_per_week") or 2400),
        minutes_per_month=int(data.get("minutes_per_month") or 9600),
    )


def working_weekdays(cal: FileCalendar) -> frozenset[int]:
    return frozenset(wd for wd, ranges in cal.week.items() if ranges)


def day_minutes(ranges) -> int:
    return sum(r.end - r.start for r in ranges)


def calendar_summary(cal: FileCalendar) -> str:
    """周一至周六、每天8小时、含12个例外日期."""
    names = "一二三四五六日"
    days = sorted(working_weekdays(cal))
    if days and len(days) > 1 and days == list(range(days[0], days[-1] + 1)):
        week = f"周{names[days[0]]}至周{names[days[-1]]}"
    else:
        week = "、".join(f"周{names[d]}" for d in days) or "无工作日"
    per_day = {day_minutes(cal.week[d]) for d in days}
    hours = "、".join(f"{m / 60:g}" for m in sorted(per_day)) or "0"
    text = f"{week}、每天{hours}小时"
    if cal.exceptions:
        text += f"、含{len(cal.exceptions)}个例外日期"
    return text
