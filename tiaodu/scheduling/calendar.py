"""The working-day calendar: dates ↔ working-day numbers. Pure Python, no Django import.

Two modes:
* 法定工作日 (statutory): Monday–Friday, minus the holidays, plus the make-up working days (调休上班).
* 连续施工 (continuous): every calendar day is a working day.

The holiday and make-up sets come from the database (seeded from `chinesecalendar`, later years entered
by the office). A year without an entered arrangement falls back to plain weekends, and a schedule
touching such a year carries the warning `2027年节假日安排尚未录入` (statutory mode only: in continuous
mode the arrangement changes nothing).
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

STATUTORY = "statutory"
CONTINUOUS = "continuous"
MODE_LABELS = {STATUTORY: "法定工作日", CONTINUOUS: "连续施工"}

ONE_DAY = datetime.timedelta(days=1)
# The axis refuses to walk further than this many calendar days from the origin (about 80 years).
MAX_SPAN_DAYS = 30000


class CalendarRangeError(ValueError):
    pass


@dataclass
class WorkCalendar:
    holidays: frozenset[datetime.date] = frozenset()
    workdays: frozenset[datetime.date] = frozenset()  # make-up working days
    mode: str = STATUTORY
    entered_years: frozenset[int] = frozenset()

    def __post_init__(self):
        self.holidays = frozenset(self.holidays)
        self.workdays = frozenset(self.workdays)
        self.entered_years = frozenset(self.entered_years)
        if self.mode not in MODE_LABELS:
            raise ValueError(f"未知的日历模式「{self.mode}」")

    def is_working(self, day: datetime.date) -> bool:
        if self.mode == CONTINUOUS:
            return True
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def next_working(self, day: datetime.date) -> datetime.date:
        """The first working day on or after `day`."""
        for _ in range(MAX_SPAN_DAYS):
            if self.is_working(day):
                return day
            day += ONE_DAY
        raise CalendarRangeError("日历中找不到工作日")

    def prev_working(self, day: datetime.date) -> datetime.date:
        """The last working day on or before `day`."""
        for _ in range(MAX_SPAN_DAYS):
            if self.is_working(day):
                return day
            day -= ONE_DAY
        raise CalendarRangeError("日历中找不到工作日")

    def missing_years(self, years: Iterable[int]) -> list[int]:
        if self.mode == CONTINUOUS:
            return []
        return sorted({y for y in years if y not in self.entered_years})

    def warnings_for(self, first: datetime.date, last: datetime.date) -> list[str]:
        """The warnings of a schedule whose dates span first … last."""
        if last < first:
            first, last = last, first
        return [f"{y}年节假日安排尚未录入" for y in self.missing_years(range(first.year, last.year + 1))]

    def axis(self, start: datetime.date) -> DayAxis:
        return DayAxis(self, start)


@dataclass
class DayAxis:
    """Working days numbered from a project's start moved forward to a working day (day 0).

    Negative numbers count back before day 0 (late dates of a schedule that cannot hold its deadline).
    """

    calendar: WorkCalendar
    start: datetime.date
    origin: datetime.date = field(init=False)
    _fwd: list[datetime.date] = field(init=False, repr=False)  # _fwd[n] = date of day n ≥ 0
    _back: list[datetime.date] = field(init=False, repr=False)  # _back[k] = date of day −(k+1)

    def __post_init__(self):
        self.origin = self.calendar.next_working(self.start)
        self._fwd = [self.origin]
        self._back = []

    def date_of(self, n: int) -> datetime.date:
        if n >= 0:
            fwd = self._fwd
            while len(fwd) <= n:
                fwd.append(self._step(fwd[-1], ONE_DAY))
            return fwd[n]
        k = -n - 1
        back = self._back
        while len(back) <= k:
            back.append(self._step(back[-1] if back else self.origin, -ONE_DAY))
        return back[k]

    def _step(self, day: datetime.date, delta: datetime.timedelta) -> datetime.date:
        for _ in range(MAX_SPAN_DAYS):
            try:
                day += delta
            except OverflowError:
                break
            if self.calendar.is_working(day):
                if abs((day - self.origin).days) > MAX_SPAN_DAYS:
                    break
                return day
        raise CalendarRangeError("工期超出日历范围（距开工超过80年）")

    def number_on_or_before(self, day: datetime.date) -> int:
        """The number of the last working day on or before `day` (−1 when that is the day before day 0)."""
        if abs((day - self.origin).days) > MAX_SPAN_DAYS:
            raise CalendarRangeError("日期超出日历范围（距开工超过80年）")
        if day >= self.origin:
            fwd = self._fwd
            while fwd[-1] <= day:
                self.date_of(len(fwd))
            return bisect.bisect_right(fwd, day) - 1
        k = 0
        while self.date_of(-(k + 1)) > day:
            k += 1
        return -(k + 1)

    def number_on_or_after(self, day: datetime.date) -> int:
        n = self.number_on_or_before(day)
        return n if self.date_of(n) == day else n + 1

    def count_through(self, day: datetime.date) -> int:
        """How many of days 0, 1, 2, … fall on or before `day` (0 when day is before the origin)."""
        if day < self.origin:
            return 0
        return self.number_on_or_before(day) + 1

    # Dates as shown to users (see the README): finish = day EF − 1; a milestone at k shows day k − 1.
    def start_date(self, es: int, duration: int) -> datetime.date:
        return self.milestone_date(es) if duration == 0 else self.date_of(es)

    def finish_date(self, ef: int, duration: int) -> datetime.date:
        return self.milestone_date(ef) if duration == 0 else self.date_of(ef - 1)

    def milestone_date(self, k: int) -> datetime.date:
        return self.date_of(k - 1) if k >= 1 else self.date_of(k)

    def exclusive_end_number(self, day: datetime.date) -> int:
        """Inverse of the finish rule for a finish date: the exclusive end EF whose finish shows `day`."""
        return self.number_on_or_before(day) + 1


def dekad_of(day: datetime.date) -> int:
    """1, 2 or 3: 上旬 (1–10), 中旬 (11–20), 下旬 (21–end)."""
    return 1 if day.day <= 10 else 2 if day.day <= 20 else 3


def month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - ONE_DAY


@dataclass(frozen=True)
class Period:
    key: str  # 2026-Q4, 2026-10, 2026-10-1 (上旬)
    kind: str  # quarter, month, dekad
    label: str
    end: datetime.date


DEKAD_LABELS = {1: "上旬", 2: "中旬", 3: "下旬"}
KIND_LABELS = {"dekad": "旬", "month": "月", "quarter": "季"}


def periods_between(first: datetime.date, last: datetime.date, kind: str) -> list[Period]:
    """The periods of one kind that contain any day of first … last, in order."""
    out: list[Period] = []
    if last < first:
        return out
    year, month = first.year, first.month
    if kind == "quarter":
        month = (month - 1) // 3 * 3 + 1
    while True:
        if kind == "dekad":
            ends = [
                (1, datetime.date(year, month, 10)),
                (2, datetime.date(year, month, 20)),
                (3, month_end(year, month)),
            ]
            for d, end in ends:
                begin = datetime.date(year, month, 1 if d == 1 else 11 if d == 2 else 21)
                if end >= first and begin <= last:
                    out.append(
                        Period(f"{year}-{month:02d}-{d}", "dekad", f"{year}年{month}月{DEKAD_LABELS[d]}", end)
                    )
            step = 1
        elif kind == "month":
            out.append(Period(f"{year}-{month:02d}", "month", f"{year}年{month}月", month_end(year, month)))
            step = 1
        elif kind == "quarter":
            q = (month - 1) // 3 + 1
            out.append(Period(f"{year}-Q{q}", "quarter", f"{year}年第{q}季度", month_end(year, month + 2)))
            step = 3
        else:
            raise ValueError(kind)
        month += step
        if month > 12:
            month -= 12
            year += 1
        if datetime.date(year, month, 1) > last:
            return out


def period_label(key: str) -> str:
    """The Chinese label of a period key."""
    parts = key.split("-")
    year = int(parts[0])
    if parts[1].startswith("Q"):
        return f"{year}年第{parts[1][1:]}季度"
    month = int(parts[1])
    if len(parts) == 3:
        return f"{year}年{month}月{DEKAD_LABELS[int(parts[2])]}"
    return f"{year}年{month}月"
