"""Reading a year's holiday arrangement typed or pasted from the State Council notice. No Django import.

One line per date or date range, with the festival's name and whether the days are off or worked:

    2027-01-01 元旦 放假
    2027-02-06至2027-02-14 春节 放假
    2月20日 春节 上班
    2027/10/09 国庆节 调休上班

Dates: 2027-02-06, 2027/2/6, 2027年2月6日, 2月6日 (the year being entered); ranges with 至, 到, ~ or
a dash, the second date may omit year and month (2月6日至14日). Off: 放假/休息/休; worked: 上班/补班/
调休上班/班. Blank lines and lines starting with # are ignored; columns may be separated by spaces,
tabs (pasted from Excel) or commas.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

HOLIDAY = "holiday"
WORKDAY = "workday"
_WEEKDAYS = "一二三四五六日"
MAX_RANGE = 15

_DATE = r"(?:(?P<{p}y>\d{{4}})\s*[-/.年]\s*)?(?P<{p}m>\d{{1,2}})\s*[-/.月]\s*(?P<{p}d>\d{{1,2}})\s*日?"
_SECOND = r"(?:(?:(?P<by>\d{4})\s*[-/.年]\s*)?(?P<bm>\d{1,2})\s*[-/.月]\s*)?(?P<bd>\d{1,2})\s*日?"
_WEEKDAY_NOTE = r"(?:\s*[（(](?:周|星期)[一二三四五六日天][)）])?"
_LINE = re.compile(
    r"^\s*"
    + _DATE.format(p="a")
    + _WEEKDAY_NOTE
    + r"(?:\s*(?:至|到|~|～|—|－|–|-{1,2})\s*"
    + _SECOND
    + _WEEKDAY_NOTE
    + r")?"
    + r"(?P<rest>.*)$"
)
_WORK_WORDS = ("调休上班", "补班", "上班", "工作日", "班")
_OFF_WORDS = ("放假", "休息", "休假", "假", "休")


@dataclass(frozen=True)
class NoticeDay:
    date: datetime.date
    kind: str
    name: str
    line: int


class NoticeError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("；".join(errors))


def parse_notice(year: int, text: str) -> list[NoticeDay]:
    """The days of `year`'s arrangement; raises NoticeError with every problem, each naming its line."""
    days: list[NoticeDay] = []
    errors: list[str] = []
    first_line: dict[datetime.date, int] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip().replace("\u3000", " ")
        if not line or line.startswith("#"):
            continue
        try:
            parsed = _parse_line(year, line)
        except ValueError as exc:
            errors.append(f"第{number}行：{exc}")
            continue
        start, end, kind, name = parsed
        day = start
        while day <= end:
            problem = _check_day(year, day, kind)
            if problem:
                errors.append(f"第{number}行：{problem}")
            elif day in first_line:
                errors.append(f"第{number}行：{day.isoformat()}与第{first_line[day]}行重复")
            else:
                first_line[day] = number
                days.append(NoticeDay(day, kind, name, number))
            day += datetime.timedelta(days=1)
    if not errors and not any(d.kind == HOLIDAY for d in days):
        errors.append(f"没有读到任何放假日期；请按每行「日期 节日 放假/上班」填写{year}年的安排")
    if errors:
        raise NoticeError(errors)
    return sorted(days, key=lambda d: d.date)


def _parse_line(year: int, line: str):
    m = _LINE.match(line)
    if not m:
        raise ValueError(f"无法识别日期「{line[:30]}」，应写作如 2027-02-06 或 2月6日")
    start = _date(m["ay"] or year, m["am"], m["ad"], line)
    end = start
    if m["bd"]:
        end = _date(m["by"] or start.year, m["bm"] or start.month, m["bd"], line)
        if end < start:
            raise ValueError(f"日期范围的结束日期早于开始日期「{line[:30]}」")
        if (end - start).days + 1 > MAX_RANGE:
            raise ValueError(f"日期范围超过{MAX_RANGE}天「{line[:30]}」")
    rest = re.sub(r"[\s,，;；:：、()（）]+", " ", m["rest"]).strip()
    kind = None
    for words, k in ((_WORK_WORDS, WORKDAY), (_OFF_WORDS, HOLIDAY)):
        for word in words:
            if word in rest:
                kind = k
                rest = rest.replace(word, " ")
                break
        if kind:
            break
    if kind is None:
        raise ValueError("请注明「放假」或「上班」")
    name = "、".join(rest.replace("调休", " ").split())[:50]
    return start, end, kind, name


def _date(y, m, d, line) -> datetime.date:
    try:
        return datetime.date(int(y), int(m), int(d))
    except ValueError:
        raise ValueError(f"日期无效「{line[:30]}」") from None


def _check_day(year: int, day: datetime.date, kind: str) -> str | None:
    in_year = day.year == year or (day.year == year - 1 and day.month == 12)
    if not in_year:
        return f"{day.isoformat()}不属于{year}年的安排"
    if kind == WORKDAY and day.weekday() < 5:
        return f"{day.isoformat()}是周{_WEEKDAYS[day.weekday()]}，本来就是工作日，无需调休上班"
    return None


def format_notice(days) -> str:
    """Lines parse_notice reads back, one per day (days: objects with date, kind, name)."""
    words = {HOLIDAY: "放假", WORKDAY: "上班"}
    return "\n".join(f"{d.date.isoformat()} {d.name} {words[d.kind]}" for d in days)
