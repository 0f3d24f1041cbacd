"""Working-time arithmetic on a FileCalendar, in minutes: pure Python, no Django, no Java.

The model (the one MS Project, P6 and mpxj's ProjectCalendar use):

* W(t) is the number of working minutes from a fixed origin up to the moment t. W never decreases and is
  flat outside working periods.
* `add(t, m)` with m > 0 is the *earliest* moment u with W(u) = W(t) + m: a finish lands at the end of a
  working period (17:00), never at the start of the next one (next day 08:00).
* `add(t, m)` with m < 0 (`subtract`) is the *latest* moment u with W(u) = W(t) + m: a start lands at the
  start of a working period (08:00), never at the end of the previous one.
* `add(t, 0)` is t itself.
* `next_work_start(t)` is the latest u with W(u) = W(t): t when t is in working time [start, end) of a
  period, else the start of the next period (a start at 17:00 moves to the next day's 08:00).
* `previous_work_finish(t)` is the earliest u with W(u) = W(t): t when t is in (start, end] of a period,
  else the end of the previous period (a finish at 08:00 moves back to the previous day's 17:00).
* `between(a, b)` = W(b) − W(a) (negative when b is before a).
* Elapsed time (ed/ew/emo) is plain 24×7 arithmetic: `add_elapsed`.

Speed: the working periods of each date are computed once; W is a prefix sum of the working minutes per
day over a range of dates that grows as needed, so adding months of work is a binary search, not a walk.
The walk over the days is shared: the prefix sums are kept per calendar *content* (its merged working
week and exceptions — a value, so never stale) in a small table (`_shared_index`), so the forward and
backward passes of a schedule, and the imported projects of one overview on the same calendar, walk the
days once. Each WorkCalendar still covers exactly the dates it would cover alone (the same ranges, the
same limit and errors) as a window on the shared sums. An entry never changes once made (a wider one
replaces it), so threads may share them.
"""

from __future__ import annotations

import datetime
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict

from tiaodu.scheduling.engine import ScheduleError
from tiaodu.scheduling.file_model import FileCalendar

_DAY = datetime.timedelta(days=1)
_MARGIN = 400  # days of working time prepared around the first moment asked about
_LIMIT = 200 * 366  # no calendar is searched further than this many days
_SHARED_ENTRIES = 32  # calendar contents kept in the shared table (least recently used dropped first)
_SHARED_DAYS = 400_000  # days of prefix sums kept in it in all (about 15 MB)
_LAST_ORDINAL = datetime.date.max.toordinal() - 1  # the shared walk stays before the last date


def add_elapsed(t: datetime.datetime, minutes: float) -> datetime.datetime:
    """Calendar time, 24 hours a day, 7 days a week."""
    return t + datetime.timedelta(minutes=minutes)


def _merge(ranges) -> tuple[tuple[int, int], ...]:
    if not ranges:  # a day off (most exceptions)
        return ()
    out: list[list[int]] = []
    for start, end in sorted((r.start, r.end) for r in ranges if r.end > r.start):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((a, b) for a, b in out)


class _Index:
    """The prefix sums of one calendar content over the days with ordinals first … first + len(days) − 1:
    days[i] the working periods of day i, cum[i] the working minutes of days 0 … i − 1. Never changed."""

    __slots__ = ("first", "days", "cum")

    def __init__(self, first: int, days: list, cum: list):
        self.first, self.days, self.cum = first, days, cum

    def covers(self, first: int, last: int) -> bool:
        return self.first <= first and last < self.first + len(self.days)


_shared: OrderedDict[tuple, _Index] = OrderedDict()
_shared_lock = threading.Lock()


def _walk(week: dict, exceptions: dict, first: int, last: int) -> _Index:
    """The prefix sums of a calendar (its merged week and exceptions) over the ordinals first … last."""
    week_minutes = [sum(b - a for a, b in week[d]) for d in range(7)]
    own = {day.toordinal(): (p, sum(b - a for a, b in p)) for day, p in exceptions.items()}
    days: list = []
    cum = [0]
    total = 0
    for o in range(first, last + 1):
        found = own.get(o)
        if found is None:
            wd = (o - 1) % 7  # ordinal 1 (1 January of the year 1) is a Monday
            days.append(week[wd])
            total += week_minutes[wd]
        else:
            days.append(found[0])
            total += found[1]
        cum.append(total)
    return _Index(first, days, cum)


def _shared_index(key: tuple, week: dict, exceptions: dict, first: int, last: int) -> _Index:
    """An index of the calendar content `key` covering the ordinals first … last: the shared one when it
    does, else a new one over both ranges (the growing side doubled, so that a computation asking date
    after date walks each day a few times at most), which takes its place."""
    with _shared_lock:
        found = _shared.get(key)
        if found is not None:
            _shared.move_to_end(key)
    if found is not None and found.covers(first, last):
        return found
    lo, hi = first, last
    if found is not None:
        span = len(found.days)
        old_lo, old_hi = found.first, found.first + span - 1
        lo = min(first, old_lo - span) if first < old_lo else old_lo
        hi = max(last, old_hi + span) if last > old_hi else old_hi
        lo, hi = max(lo, 1), min(hi, _LAST_ORDINAL)
        if hi - lo >= _SHARED_DAYS:
            lo, hi = first, last
    index = _walk(week, exceptions, lo, hi)
    with _shared_lock:
        _shared[key] = index
        _shared.move_to_end(key)
        total = sum(len(x.days) for x in _shared.values())
        while len(_shared) > 1 and (len(_shared) > _SHARED_ENTRIES or total > _SHARED_DAYS):
            _key, dropped = _shared.popitem(last=False)
            total -= len(dropped.days)
    return index


class WorkCalendar:
    """Working time of one FileCalendar. Moments are naive datetimes at minute resolution."""

    def __init__(self, calendar: FileCalendar):
        self.calendar = calendar
        self.name = calendar.name
        merged: dict[int, tuple] = {}  # by the id of the ranges: one calendar often repeats one tuple
        self._week = {d: self._merged(calendar.week.get(d, ()), merged) for d in range(7)}
        self._exceptions = {day: self._merged(r, merged) for day, r in calendar.exceptions.items()}
        self._periods: dict[datetime.date, tuple[tuple[int, int], ...]] = {}
        self._key: tuple | None = None  # the content, as the shared table knows it
        # The covered days: day 0 (_origin) … _n − 1, a window on the shared prefix sums (_index) from
        # its position _off; W = 0 at the start of day 0 (_index.cum[_off] = _base minutes).
        self._origin: datetime.date | None = None
        self._n = 0
        self._index = _Index(0, [], [0])
        self._off = 0
        self._base = 0

    @staticmethod
    def _merged(ranges, seen: dict[int, tuple]) -> tuple[tuple[int, int], ...]:
        """_merge(ranges), once per ranges object of the calendar (alive while it is read)."""
        got = seen.get(id(ranges))
        if got is None:
            got = seen[id(ranges)] = _merge(ranges)
        return got

    # The working periods of a date.
    def periods(self, day: datetime.date) -> tuple[tuple[int, int], ...]:
        got = self._periods.get(day)
        if got is None:
            got = self._exceptions.get(day)
            if got is None:
                got = self._week[day.weekday()]
            self._periods[day] = got
        return got

    def minutes_on(self, day: datetime.date) -> int:
        return sum(b - a for a, b in self.periods(day))

    def is_working(self, t: datetime.datetime) -> bool:
        m = t.hour * 60 + t.minute
        return any(a <= m < b for a, b in self.periods(t.date()))

    # The prefix sums.
    def _build(self, first: datetime.date, last: datetime.date) -> None:
        """Cover the days first … last (a window on the shared prefix sums of this content)."""
        if (last - first).days > _LIMIT:
            raise ScheduleError(f"日历「{self.name}」在很长时间内没有工作时间，无法排程")
        if last == datetime.date.max:  # as a walk of its own would fail, stepping past the last date
            raise OverflowError("date value out of range")
        if self._key is None:
            self._key = (tuple(self._week[d] for d in range(7)), frozenset(self._exceptions.items()))
        a, b = first.toordinal(), last.toordinal()
        index = _shared_index(self._key, self._week, self._exceptions, a, b)
        self._origin = first
        self._n = b - a + 1
        self._index = index
        self._off = a - index.first
        self._base = index.cum[self._off]

    def _total(self) -> int:
        """W at the end of the last covered day."""
        return self._index.cum[self._off + self._n] - self._base

    def _last(self) -> datetime.date:
        return self._origin + datetime.timedelta(days=self._n - 1)

    def _cover(self, day: datetime.date) -> None:
        if self._origin is None:
            self._build(day - datetime.timedelta(days=_MARGIN), day + datetime.timedelta(days=_MARGIN))
        elif day < self._origin + _DAY or day > self._last() - _DAY:
            span = self._n
            first = min(self._origin, day - datetime.timedelta(days=span))
            last = max(self._last(), day + datetime.timedelta(days=span))
            self._build(first, last)

    def _grow(self, forward: bool) -> None:
        span = datetime.timedelta(days=self._n)
        if forward:
            self._build(self._origin, self._last() + span)
        else:
            self._build(self._origin - span, self._last())

    def _w(self, t: datetime.datetime) -> int:
        """W(t); t's date must be covered (not the first or last covered day)."""
        i = self._off + (t.date() - self._origin).days
        m = t.hour * 60 + t.minute
        w = self._index.cum[i] - self._base
        for a, b in self._index.days[i]:
            if m <= a:
                break
            w += (m if m < b else b) - a
        return w

    def _at(self, d: int, minute: int) -> datetime.datetime:
        return datetime.datetime.combine(self._origin, datetime.time()) + datetime.timedelta(
            days=d, minutes=minute
        )

    def _earliest(self, target: int) -> datetime.datetime:
        """The earliest moment with W = target (0 < target ≤ total)."""
        cum, off = self._index.cum, self._off
        i = bisect_left(cum, target + self._base, off, off + self._n + 1) - 1
        rem = target + self._base - cum[i]
        for a, b in self._index.days[i]:
            if rem <= b - a:
                return self._at(i - off, a + rem)
            rem -= b - a
        raise AssertionError("prefix sums out of step")  # pragma: no cover

    def _latest(self, target: int) -> datetime.datetime:
        """The latest moment with W = target (0 ≤ target < total)."""
        cum, off = self._index.cum, self._off
        i = bisect_right(cum, target + self._base, off, off + self._n + 1) - 1
        rem = target + self._base - cum[i]
        for a, b in self._index.days[i]:
            if rem < b - a:
                return self._at(i - off, a + rem)
            rem -= b - a
        raise AssertionError("prefix sums out of step")  # pragma: no cover

    # Public arithmetic.
    def add(self, t: datetime.datetime, minutes: int) -> datetime.datetime:
        """t plus `minutes` of working time (minus, when negative): see the module docstring."""
        if not minutes:
            return t
        self._cover(t.date())
        while True:
            target = self._w(t) + minutes
            if minutes > 0:
                if target <= self._total():
                    return self._earliest(target)
                self._grow(forward=True)
            elif target >= 0:
                return self._latest(target)
            else:
                self._grow(forward=False)

    def subtract(self, t: datetime.datetime, minutes: int) -> datetime.datetime:
        return self.add(t, -minutes)

    def between(self, a: datetime.datetime, b: datetime.datetime) -> int:
        """Working minutes from a to b (negative when b < a)."""
        lo, hi = (a, b) if a <= b else (b, a)
        self._cover(lo.date())
        self._cover(hi.date())
        return self._w(b) - self._w(a)

    def next_work_start(self, t: datetime.datetime) -> datetime.datetime:
        """t when it is working time, else the start of the next working period."""
        self._cover(t.date())
        while True:
            w = self._w(t)
            if w < self._total():
                return self._latest(w)
            self._grow(forward=True)

    def previous_work_finish(self, t: datetime.datetime) -> datetime.datetime:
        """t when working time lies just before it, else the end of the previous working period."""
        self._cover(t.date())
        while True:
            w = self._w(t)
            if w > 0:
                return self._earliest(w)
            self._grow(forward=False)


def calendars(cals: dict[str, FileCalendar]) -> dict[str, WorkCalendar]:
    return {key: WorkCalendar(cal) for key, cal in cals.items()}
