"""WorkCalendar's counting: add_working_days and working_days_between, the one definition of working days
(the engine's day axis, the period plans, the lag and the supervision warnings all use it). Pure, no
database. Hand-computed cases on the 2026 Labour Day arrangement (1–5 May off, Saturday 9 May worked),
then laws checked against a day-by-day count with hypothesis."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiaodu.scheduling.calendar import (
    CONTINUOUS,
    FILE,
    MAX_SPAN_DAYS,
    MON_FRI,
    MON_SAT,
    STATUTORY,
    CalendarRangeError,
    WorkCalendar,
)

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
LABOUR_DAY = WorkCalendar(holidays={D(2026, 5, d) for d in range(1, 6)}, workdays={D(2026, 5, 9)})


# --- hand-computed ----------------------------------------------------------------------------------


def test_it_counts_the_working_days_after_a_day_through_another():
    # After Thu 30 April: 6, 7, 8, 9 (make-up Saturday), 11 May.
    assert LABOUR_DAY.working_days_between(D(2026, 4, 30), D(2026, 5, 11)) == 5
    assert LABOUR_DAY.working_days_between(D(2026, 4, 30), D(2026, 5, 10)) == 4  # Sunday 10 May is off
    assert LABOUR_DAY.working_days_between(D(2026, 4, 29), D(2026, 4, 30)) == 1  # `through` counts
    assert LABOUR_DAY.working_days_between(D(2026, 4, 30), D(2026, 4, 30)) == 0  # `after` does not
    assert LABOUR_DAY.working_days_between(D(2026, 5, 11), D(2026, 4, 30)) == 0  # never negative
    assert LABOUR_DAY.working_days_between(D(2026, 4, 30), D(2026, 5, 5)) == 0  # the holiday


def test_it_adds_working_days_forwards_and_backwards_over_the_holiday():
    assert LABOUR_DAY.add_working_days(D(2026, 4, 30), 1) == D(2026, 5, 6)
    assert LABOUR_DAY.add_working_days(D(2026, 4, 30), 4) == D(2026, 5, 9)  # the make-up Saturday
    assert LABOUR_DAY.add_working_days(D(2026, 4, 30), 5) == D(2026, 5, 11)
    assert LABOUR_DAY.add_working_days(D(2026, 5, 6), -1) == D(2026, 4, 30)
    assert LABOUR_DAY.add_working_days(D(2026, 5, 12), -2) == D(2026, 5, 9)
    # From a day off: the day itself is never counted, either way.
    assert LABOUR_DAY.add_working_days(D(2026, 5, 3), 1) == D(2026, 5, 6)
    assert LABOUR_DAY.add_working_days(D(2026, 5, 3), -1) == D(2026, 4, 30)
    assert LABOUR_DAY.add_working_days(D(2026, 5, 3), 0) == D(2026, 5, 3)


def test_it_counts_every_day_in_continuous_mode():
    calendar = WorkCalendar(holidays=LABOUR_DAY.holidays, mode=CONTINUOUS)
    assert calendar.working_days_between(D(2026, 4, 30), D(2026, 5, 11)) == 11
    assert calendar.add_working_days(D(2026, 4, 30), 3) == D(2026, 5, 3)
    assert calendar.add_working_days(D(2026, 5, 3), -3) == D(2026, 4, 30)


def test_it_counts_a_year_without_an_arrangement_as_plain_weekends():
    calendar = WorkCalendar(entered_years={2026})
    assert calendar.working_days_between(D(2027, 1, 1), D(2027, 1, 31)) == 20  # Fri 1 Jan … Sun 31 Jan
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)


def test_it_refuses_an_answer_more_than_eighty_years_away():
    # No working day at all for MAX_SPAN_DAYS days after 2025-12-31 (everything a holiday).
    start = D(2025, 12, 31)
    closed = WorkCalendar(holidays={start + ONE_DAY * i for i in range(1, MAX_SPAN_DAYS + 2)})
    with pytest.raises(CalendarRangeError):
        closed.add_working_days(start, 1)
    with pytest.raises(CalendarRangeError):
        closed.axis(start + ONE_DAY)
    assert closed.working_days_between(start, start + ONE_DAY * MAX_SPAN_DAYS) == 0  # counting never fails
    assert closed.add_working_days(start, -1) == D(2025, 12, 30)  # the other way is open
    with pytest.raises(CalendarRangeError):
        WorkCalendar().add_working_days(D(9999, 12, 30), 2)
    with pytest.raises(CalendarRangeError):
        WorkCalendar(mode=CONTINUOUS).add_working_days(D(1, 1, 2), -5)
    with pytest.raises(CalendarRangeError):
        WorkCalendar().axis(D(2026, 1, 1)).number_on_or_before(D(2026, 1, 1) + ONE_DAY * (MAX_SPAN_DAYS + 1))


def test_it_counts_a_monday_to_saturday_week():
    week = WorkCalendar(mode=MON_SAT)  # a plain week (selectors.work_calendar gives it no holidays)
    assert week.is_working(D(2026, 5, 2)) and not week.is_working(D(2026, 5, 3))  # Saturday, Sunday
    # After Thu 30 April through Sun 10 May: 1, 2 (Sat), 4–9 May.
    assert week.working_days_between(D(2026, 4, 30), D(2026, 5, 10)) == 8
    assert week.add_working_days(D(2026, 4, 30), 2) == D(2026, 5, 2)
    assert week.add_working_days(D(2026, 5, 2), 1) == D(2026, 5, 4)
    plain = WorkCalendar(mode=MON_FRI)
    assert plain.working_days_between(D(2026, 4, 30), D(2026, 5, 10)) == 6
    assert (
        plain.missing_years(range(2020, 2030)) == [] and week.warnings_for(D(2026, 1, 1), D(2040, 1, 1)) == []
    )


def test_it_counts_a_file_calendar_with_its_own_week_and_exceptions():
    # Sunday to Thursday, 1 May (a Friday) worked, Mon 4 May off.
    cal = WorkCalendar(
        mode=FILE, weekdays={6, 0, 1, 2, 3}, holidays={D(2026, 5, 4)}, workdays={D(2026, 5, 1)}
    )
    assert [cal.is_working(D(2026, 5, d)) for d in range(1, 8)] == [
        True,
        False,
        True,
        False,
        True,
        True,
        True,
    ]
    assert cal.working_days_between(D(2026, 4, 30), D(2026, 5, 7)) == 5
    assert cal.add_working_days(D(2026, 4, 30), 3) == D(2026, 5, 5)


# --- laws ---------------------------------------------------------------------------------------------

YEAR = st.dates(min_value=D(2025, 10, 1), max_value=D(2027, 3, 31))


@st.composite
def calendars(draw):
    holidays = draw(st.sets(YEAR, max_size=80))
    workdays = draw(st.sets(YEAR, max_size=15))  # may overlap the holidays: a make-up day is worked
    mode = draw(st.sampled_from([STATUTORY, CONTINUOUS, MON_SAT, FILE]))
    # An imported file's week: any non-empty set of working weekdays.
    weekdays = draw(st.sets(st.integers(0, 6), min_size=1)) if mode == FILE else None
    return WorkCalendar(holidays=holidays, workdays=workdays, mode=mode, weekdays=weekdays)


def count_by_walking(calendar, after, through):
    day, n = after + ONE_DAY, 0
    while day <= through:
        n += calendar.is_working(day)
        day += ONE_DAY
    return n


DAYS = st.dates(min_value=D(2025, 9, 1), max_value=D(2027, 4, 30))


@settings(max_examples=300, deadline=None)
@given(calendars(), DAYS, DAYS)
def test_it_counts_exactly_the_working_days_a_walk_finds(calendar, after, through):
    assert calendar.working_days_between(after, through) == count_by_walking(calendar, after, through)


@settings(max_examples=300, deadline=None)
@given(calendars(), DAYS, st.integers(-60, 60))
def test_it_adds_the_working_days_it_counts(calendar, day, n):
    answer = calendar.add_working_days(day, n)
    if n == 0:
        assert answer == day
        return
    assert calendar.is_working(answer)
    if n > 0:
        # The earliest date with n working days after `day`: the n-th working day itself.
        assert answer > day and calendar.working_days_between(day, answer) == n
        assert calendar.working_days_between(day, answer - ONE_DAY) == n - 1
    else:
        # |n| working days in answer … day − 1 (the day itself never counts), the answer the first of them.
        assert answer < day and calendar.working_days_between(answer - ONE_DAY, day - ONE_DAY) == -n
    if calendar.is_working(day):
        assert calendar.add_working_days(answer, -n) == day


@settings(max_examples=200, deadline=None)
@given(calendars(), DAYS, DAYS)
def test_it_numbers_the_day_axis_by_the_same_count(calendar, start, day):
    axis = calendar.axis(start)
    n = axis.number_on_or_before(day)
    assert calendar.is_working(axis.date_of(n)) and axis.date_of(n) <= day < axis.date_of(n + 1)
    assert axis.origin == calendar.next_working(start) and axis.date_of(0) == axis.origin
