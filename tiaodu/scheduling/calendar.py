"""The working-day calendar: dates ↔ working-day numbers. Pure Python, no Django import.

Modes (a project chooses one):
* 法定工作日 (statutory): Monday–Friday, minus the holidays, plus the make-up working days (调休上班).
* 周一至周五 / 周一至周六 (mon_fri / mon_sat): a plain week, no holidays.
* 导入文件日历 (file): the imported MS Project / P6 file's calendar — its working weekdays, minus the
  dates it marks non-working, plus the dates it marks working (built by tiaodu.scheduling.file_schedule).
* 连续施工 (continuous): every calendar day is a working day.

A WorkCalendar is any set of working weekdays with holiday and make-up exceptions; counting stays
arithmetic for every such calendar.

The holiday and make-up sets come from the database (seeded from `chinesecalendar`, later years entered
by the office; loading them is `tiaodu.scheduling.selectors.work_calendar`, not this module). A year
without an entered arrangement falls back to plain weekends, and a schedule touching such a year carries
the warning `2027年节假日安排尚未录入` (statutory mode only: in continuous mode the arrangement changes
nothing).

This is the one place working days are counted: the scheduling engine's day axis, the period plans, the
lag and the supervision warnings (tiaodu.supervision.rules) all use `WorkCalendar.add_working_days` and
`WorkCalendar.working_days_between`. There is one limit, MAX_SPAN_DAYS: a working day is never searched
for more than 30,000 calendar days (about 80 years) away, and a date outside the years 1–9999 does not
exist; both raise CalendarRangeError. Counting (working_days_between) is arithmetic and never fails.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

STATUTORY = "statutory"
CONTINUOUS = "continuous"
MON_FRI = "mon_fri"
MON_SAT = "mon_sat"
FILE = "file"
MODE_LABELS = {
    STATUTORY: "法定工作日",
    FILE: "导入文件日历",
    MON_FRI: "周一至周五",
    MON_SAT: "周一至周六",
    CONTINUOUS: "连续施工",
}
# The working weekdays of each mode (Monday = 0); the file mode's come from the file.
MODE_WEEKDAYS = {
    STATUTORY: frozenset(range(5)),
    FILE: frozenset(range(5)),
    MON_FRI: frozenset(range(5)),
    MON_SAT: frozenset(range(6)),
    CONTINUOUS: frozenset(range(7)),
}
# Only the statutory mode reads the entered holiday arrangements (and warns about missing years).
USES_ARRANGEMENTS = {STATUTORY}

ONE_DAY = datetime.timedelta(days=1)
# No working day is searched for further than this many calendar days away (about 80 years).
MAX_SPAN_DAYS = 30000


class CalendarRangeError(ValueError):
    """An answer would lie more than MAX_SPAN_DAYS calendar days away, or outside the years 1–9999."""


def _week_prefix(weekdays: frozenset[int]) -> tuple[int, ...]:
    """prefix[r] = how many of the weekdays 0 … r−1 (Monday = 0) are working, for r = 0 … 7."""
    out = [0]
    for wd in range(7):
        out.append(out[-1] + (wd in weekdays))
    return tuple(out)


def _weekdays_through(ordinal: int, prefix: tuple[int, ...] = _week_prefix(frozenset(range(5)))) -> int:
    """How many of the days with ordinals 1 … `ordinal` fall on a working weekday (ordinal 1 is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return prefix[7] * weeks + prefix[rest]


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[datetime.date] = frozenset()
    workdays: frozenset[datetime.date] = frozenset()  # make-up working days
    mode: str = STATUTORY
    entered_years: frozenset[int] = frozenset()
    # The working weekdays (Monday = 0); None: the mode's (MODE_WEEKDAYS).
    weekdays: frozenset[int] | None = None
    # For counting: ordinals of the working weekdays that are off, and of the other days that are worked.
    _off: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _extra: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _prefix: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        holidays, workdays = frozenset(self.holidays), frozenset(self.workdays)
        if self.mode not in MODE_LABELS:
            raise ValueError(f"未知的日历模式「{self.mode}」")
        if self.mode == CONTINUOUS:
            holidays = workdays = frozenset()
        weekdays = MODE_WEEKDAYS[self.mode] if self.weekdays is None else frozenset(self.weekdays)
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "workdays", workdays)
        object.__setattr__(self, "weekdays", weekdays)
        object.__setattr__(self, "entered_years", frozenset(self.entered_years))
        off = sorted(d.toordinal() for d in holidays - workdays if d.weekday() in weekdays)
        extra = sorted(d.toordinal() for d in workdays if d.weekday() not in weekdays)
        object.__setattr__(self, "_off", tuple(off))
        object.__setattr__(self, "_extra", tuple(extra))
        object.__setattr__(self, "_prefix", _week_prefix(weekdays))

    def is_working(self, day: datetime.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() in self.weekdays

    def working_days_between(self, after: datetime.date, through: datetime.date) -> int:
        """How many working days d with after < d ≤ through: `after` itself does not count, `through` does.

        0 when through ≤ after (never negative). Exact for any two dates, without a limit: the count is
        arithmetic (weekdays by formula, corrected by the holidays and make-up days in between), nothing
        is walked. Years without an entered arrangement count as plain weekends.
        """
        a, b = after.toordinal(), through.toordinal()
        if b <= a:
            return 0
        if self.mode == CONTINUOUS:
            return b - a
        off = bisect.bisect_right(self._off, b) - bisect.bisect_right(self._off, a)
        extra = bisect.bisect_right(self._extra, b) - bisect.bisect_right(self._extra, a)
        prefix = self._prefix
        return _weekdays_through(b, prefix) - _weekdays_through(a, prefix) - off + extra

    def add_working_days(self, day: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `day` (n > 0), the |n|-th working day before it (n < 0), `day` itself
        (n = 0, working or not). `day` itself is never counted:

            add_working_days(Thu 30 Apr 2026, 1) = Wed 6 May (1–5 May are holidays)
            add_working_days(Wed 6 May 2026, −1) = Thu 30 Apr
            add_working_days(Sun 3 May 2026, −1) = Thu 30 Apr;  add_working_days(Sun 3 May, 1) = Wed 6 May

        So for n ≥ 1 the answer is the earliest date with working_days_between(day, answer) = n, and for
        n ≤ −1 the answer is a working day with |n| − 1 working days strictly between it and `day`.
        The answer must lie within MAX_SPAN_DAYS calendar days of `day` and within the years 1–9999,
        else CalendarRangeError. Years without an entered arrangement count as plain weekends.
        """
        if n == 0:
            return day
        if self.mode == CONTINUOUS and abs(n) <= MAX_SPAN_DAYS:
            try:
                return day + datetime.timedelta(days=n)
            except OverflowError:
                raise CalendarRangeError("日期超出日历范围（公元1年至9999年）") from None
        step = ONE_DAY if n > 0 else -ONE_DAY
        left = abs(n)
        for _ in range(MAX_SPAN_DAYS):
            try:
                day += step
            except OverflowError:
                raise CalendarRangeError("日期超出日历范围（公元1年至9999年）") from None
            if self.is_working(day):
                left -= 1
                if left == 0:
                    return day
        raise CalendarRangeError("日历中找不到足够的工作日（超出日历范围：距起算日超过80年）")

    def next_working(self, day: datetime.date) -> datetime.date:
        """The first working day on or after `day`."""
        return day if self.is_working(day) else self.add_working_days(day, 1)

    def missing_years(self, years: Iterable[int]) -> list[int]:
        if self.mode not in USES_ARRANGEMENTS:
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
    Numbers and dates are the calendar's: the number of a working day d is
    working_days_between(origin, d) (after day 0) or −1 − working_days_between(d, origin − 1 day) (before).
    The axis reaches MAX_SPAN_DAYS calendar days either side of day 0; beyond, CalendarRangeError.
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
                fwd.append(self._step(fwd[-1], 1))
            return fwd[n]
        k = -n - 1
        back = self._back
        while len(back) <= k:
            back.append(self._step(back[-1] if back else self.origin, -1))
        return back[k]

    def _step(self, day: datetime.date, direction: int) -> datetime.date:
        try:
            day = self.calendar.add_working_days(day, direction)
        except CalendarRangeError:
            day = None
        if day is None or abs((day - self.origin).days) > MAX_SPAN_DAYS:
            raise CalendarRangeError("工期超出日历范围（距开工超过80年）")
        return day

    def number_on_or_before(self, day: datetime.date) -> int:
        """The number of the last working day on or before `day` (−1 when that is the day before day 0)."""
        if abs((day - self.origin).days) > MAX_SPAN_DAYS:
            raise CalendarRangeError("日期超出日历范围（距开工超过80年）")
        if day >= self.origin:
            return self.calendar.working_days_between(self.origin, day)
        return -1 - self.calendar.working_days_between(day, self.origin - ONE_DAY)

    # Dates as shown to users (see the README): finish = day EF − 1; a milestone at k shows day k − 1.
    def start_date(self, es: int, duration: int) -> datetime.date:
        return self.milestone_date(es) if duration == 0 else self.date_of(es)

    def finish_date(self, ef: int, duration: int) -> datetime.date:
        return self.milestone_date(ef) if duration == 0 else self.date_of(ef - 1)

    def milestone_date(self, k: int) -> datetime.date:
        return self.date_of(k - 1) if k >= 1 else self.date_of(k)


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
