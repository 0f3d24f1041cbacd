"""The working-time index as it was before its prefix sums were shared (tiaodu.scheduling.worktime until
2026-11-30): each WorkCalendar walked its own days. The reference of test_worktime_shared.py."""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right

from tiaodu.scheduling.engine import ScheduleError
from tiaodu.scheduling.file_model import FileCalendar

_DAY = datetime.timedelta(days=1)
_MARGIN = 400
_LIMIT = 200 * 366


def _merge(ranges) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for start, end in sorted((r.start, r.end) for r in ranges if r.end > r.start):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((a, b) for a, b in out)


class WorkCalendar:
    """Working time of one FileCalendar. Moments are naive datetimes at minute resolution."""

    def __init__(self, calendar: FileCalendar):
        self.calendar = calendar
        self.name = calendar.name
        self._week = {d: _merge(calendar.week.get(d, ())) for d in range(7)}
        self._exceptions = {day: _merge(r) for day, r in calendar.exceptions.items()}
        self._periods: dict[datetime.date, tuple[tuple[int, int], ...]] = {}
        self._origin: datetime.date | None = None  # day 0 of the prefix sums
        self._cum: list[int] = [0]  # _cum[k]: working minutes of days 0 … k−1
        self._days: list[tuple[tuple[int, int], ...]] = []

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
        if (last - first).days > _LIMIT:
            raise ScheduleError(f"日历「{self.name}」在很长时间内没有工作时间，无法排程")
        self._origin = first
        days = []
        cum = [0]
        total = 0
        day = first
        while day <= last:
            p = self.periods(day)
            days.append(p)
            total += sum(b - a for a, b in p)
            cum.append(total)
            day += _DAY
        self._days = days
        self._cum = cum

    def _last(self) -> datetime.date:
        return self._origin + datetime.timedelta(days=len(self._days) - 1)

    def _cover(self, day: datetime.date) -> None:
        if self._origin is None:
            self._build(day - datetime.timedelta(days=_MARGIN), day + datetime.timedelta(days=_MARGIN))
        elif day < self._origin + _DAY or day > self._last() - _DAY:
            span = len(self._days)
            first = min(self._origin, day - datetime.timedelta(days=span))
            last = max(self._last(), day + datetime.timedelta(days=span))
            self._build(first, last)

    def _grow(self, forward: bool) -> None:
        span = datetime.timedelta(days=len(self._days))
        if forward:
            self._build(self._origin, self._last() + span)
        else:
            self._build(self._origin - span, self._last())

    def _w(self, t: datetime.datetime) -> int:
        """W(t); t's date must be covered (not the first or last covered day)."""
        d = (t.date() - self._origin).days
        m = t.hour * 60 + t.minute
        w = self._cum[d]
        for a, b in self._days[d]:
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
        d = bisect_left(self._cum, target) - 1
        rem = target - self._cum[d]
        for a, b in self._days[d]:
            if rem <= b - a:
                return self._at(d, a + rem)
            rem -= b - a
        raise AssertionError("prefix sums out of step")  # pragma: no cover

    def _latest(self, target: int) -> datetime.datetime:
        """The latest moment with W = target (0 ≤ target < total)."""
        d = bisect_right(self._cum, target) - 1
        rem = target - self._cum[d]
        for a, b in self._days[d]:
            if rem < b - a:
                return self._at(d, a + rem)
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
                if target <= self._cum[-1]:
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
            if w < self._cum[-1]:
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
