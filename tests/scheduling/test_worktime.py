"""Working-time arithmetic (worktime): the period-boundary conventions by hand, then laws checked with
hypothesis against a minute-by-minute count."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiaodu.scheduling.engine import ScheduleError
from tiaodu.scheduling.file_model import FileCalendar, WorkRange
from tiaodu.scheduling.worktime import WorkCalendar, add_elapsed

D = datetime.datetime
DAY = (WorkRange(480, 720), WorkRange(780, 1020))  # 08:00–12:00, 13:00–17:00


def standard(**exceptions):
    week = {d: DAY if d < 5 else () for d in range(7)}
    return WorkCalendar(FileCalendar("1", "标准", week, exceptions=exceptions.get("exc", {})))


NIGHT = WorkCalendar(
    FileCalendar("2", "夜班", {d: (WorkRange(0, 360), WorkRange(1320, 1440)) for d in range(7)})
)


def test_a_finish_stays_at_the_end_of_a_working_period():
    cal = standard()
    monday = D(2026, 3, 2, 8)
    assert cal.add(monday, 480) == D(2026, 3, 2, 17)  # not Tuesday 08:00
    assert cal.add(monday, 240) == D(2026, 3, 2, 12)  # not 13:00
    assert cal.add(D(2026, 3, 6, 17), 60) == D(2026, 3, 9, 9)  # Friday 17:00 + 1 h: Monday 09:00


def test_a_start_stays_at_the_start_of_a_working_period():
    cal = standard()
    assert cal.subtract(D(2026, 3, 9, 17), 480) == D(2026, 3, 9, 8)
    assert cal.subtract(D(2026, 3, 9, 12), 240) == D(2026, 3, 9, 8)
    assert cal.subtract(D(2026, 3, 9, 9), 60) == D(2026, 3, 9, 8)  # not Friday 17:00
    assert cal.subtract(D(2026, 3, 9, 8), 60) == D(2026, 3, 6, 16)


def test_next_start_and_previous_finish():
    cal = standard()
    assert cal.next_work_start(D(2026, 3, 6, 17)) == D(2026, 3, 9, 8)
    assert cal.next_work_start(D(2026, 3, 6, 12)) == D(2026, 3, 6, 13)
    assert cal.next_work_start(D(2026, 3, 6, 10, 30)) == D(2026, 3, 6, 10, 30)
    assert cal.previous_work_finish(D(2026, 3, 9, 8)) == D(2026, 3, 6, 17)
    assert cal.previous_work_finish(D(2026, 3, 9, 13)) == D(2026, 3, 9, 12)
    assert cal.previous_work_finish(D(2026, 3, 9, 17)) == D(2026, 3, 9, 17)
    assert cal.add(D(2026, 3, 6, 17), 0) == D(2026, 3, 6, 17)


def test_exceptions_holiday_and_working_saturday():
    cal = standard(exc={datetime.date(2026, 3, 4): (), datetime.date(2026, 3, 7): (WorkRange(480, 720),)})
    assert cal.add(D(2026, 3, 3, 8), 960) == D(2026, 3, 5, 17)  # Wednesday off
    assert cal.add(D(2026, 3, 6, 8), 720) == D(2026, 3, 7, 12)  # Saturday morning works
    assert cal.between(D(2026, 3, 2, 8), D(2026, 3, 9, 8)) == 4 * 480 + 240


def test_a_period_ending_at_midnight():
    assert NIGHT.add(D(2026, 3, 2, 22), 120) == D(2026, 3, 3, 0)
    assert NIGHT.add(D(2026, 3, 2, 22), 180) == D(2026, 3, 3, 1)
    assert NIGHT.previous_work_finish(D(2026, 3, 3, 8)) == D(2026, 3, 3, 6)
    assert NIGHT.next_work_start(D(2026, 3, 3, 8)) == D(2026, 3, 3, 22)
    assert NIGHT.subtract(D(2026, 3, 3, 1), 180) == D(2026, 3, 2, 22)


def test_years_of_work_and_elapsed_time():
    cal = standard()
    assert cal.add(D(2026, 3, 2, 8), 480 * 5 * 250) == D(2030, 12, 13, 17)
    assert cal.subtract(D(2030, 12, 13, 17), 480 * 5 * 250) == D(2026, 3, 2, 8)
    assert cal.between(D(2030, 12, 13, 17), D(2026, 3, 2, 8)) == -480 * 5 * 250
    assert add_elapsed(D(2026, 3, 6, 17), 2880) == D(2026, 3, 8, 17)


def test_a_calendar_without_working_time_is_refused_in_words():
    cal = WorkCalendar(FileCalendar("9", "全休", {d: () for d in range(7)}))
    with pytest.raises(ScheduleError, match="日历「全休」"):
        cal.add(D(2026, 3, 2, 8), 60)


# Laws, against a minute-by-minute count.
def _brute_between(cal: WorkCalendar, a: D, b: D) -> int:
    count, t = 0, a
    while t < b:
        count += cal.is_working(t)
        t += datetime.timedelta(minutes=1)
    return count


WEEKS = st.sampled_from(
    [
        {d: DAY if d < 5 else () for d in range(7)},
        {d: (WorkRange(450, 690), WorkRange(780, 1050)) if d < 6 else () for d in range(7)},
        {d: (WorkRange(0, 360), WorkRange(1320, 1440)) for d in range(7)},
        {d: (WorkRange(0, 1440),) for d in range(7)},
    ]
)
MOMENTS = st.datetimes(min_value=D(2026, 3, 1), max_value=D(2026, 3, 20)).map(
    lambda t: t.replace(second=0, microsecond=0)
)
HOLIDAYS = st.sets(
    st.dates(min_value=datetime.date(2026, 3, 1), max_value=datetime.date(2026, 3, 31)), max_size=4
)


def _calendar(week, holidays) -> WorkCalendar:
    return WorkCalendar(FileCalendar("1", "c", week, exceptions=dict.fromkeys(holidays, ())))


@settings(max_examples=60, deadline=None)
@given(week=WEEKS, holidays=HOLIDAYS, t=MOMENTS, minutes=st.integers(min_value=1, max_value=4000))
def test_add_then_subtract_round_trips(week, holidays, t, minutes):
    cal = _calendar(week, holidays)
    finish = cal.add(t, minutes)
    assert cal.between(t, finish) == minutes
    assert cal.subtract(finish, minutes) == cal.next_work_start(t)
    start = cal.subtract(t, minutes)
    assert cal.between(start, t) == minutes
    assert cal.add(start, minutes) == cal.previous_work_finish(t)


@settings(max_examples=40, deadline=None)
@given(week=WEEKS, holidays=HOLIDAYS, a=MOMENTS, b=MOMENTS)
def test_between_counts_working_minutes(week, holidays, a, b):
    cal = _calendar(week, holidays)
    lo, hi = min(a, b), max(a, b)
    assert cal.between(lo, hi) == _brute_between(cal, lo, hi)
    assert cal.between(hi, lo) == -cal.between(lo, hi)


@settings(max_examples=60, deadline=None)
@given(week=WEEKS, holidays=HOLIDAYS, t=MOMENTS)
def test_boundaries_are_where_no_work_lies_between(week, holidays, t):
    cal = _calendar(week, holidays)
    start = cal.next_work_start(t)
    finish = cal.previous_work_finish(t)
    assert start >= t >= finish
    assert cal.between(t, start) == 0 and cal.between(finish, t) == 0
    assert cal.is_working(start)
