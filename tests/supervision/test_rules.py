"""The warning and escalation rules as pure functions, on the 2026 Labour Day arrangement:
1–5 May off, Saturday 9 May a make-up working day."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tiaodu.scheduling.calendar import WorkCalendar
from tiaodu.supervision import rules

D = datetime.date
LABOUR_DAY = WorkCalendar(
    holidays={D(2026, 5, 1), D(2026, 5, 2), D(2026, 5, 3), D(2026, 5, 4), D(2026, 5, 5)},
    workdays={D(2026, 5, 9)},
)


def level(deadline, today, red_after=5, reminder_before=2):
    return rules.warning_level(
        deadline=deadline,
        today=today,
        calendar=LABOUR_DAY,
        red_after=red_after,
        reminder_before=reminder_before,
    )


def test_it_reminds_from_the_working_day_two_working_days_before_the_deadline():
    # Deadline Thursday 30 April: reminder from Tuesday 28 April.
    assert level(D(2026, 4, 30), D(2026, 4, 27)) == rules.NONE
    assert level(D(2026, 4, 30), D(2026, 4, 28)) == rules.REMINDER
    assert level(D(2026, 4, 30), D(2026, 4, 30)) == rules.REMINDER


def test_it_counts_back_over_the_holiday_for_the_reminder():
    # Deadline Friday 8 May: the two working days before are 7 and 6 May (1–5 May are holidays).
    assert level(D(2026, 5, 8), D(2026, 5, 5)) == rules.NONE
    assert level(D(2026, 5, 8), D(2026, 5, 6)) == rules.REMINDER
    # Deadline Tuesday 12 May: 11 May and the make-up Saturday 9 May → reminder from Saturday.
    assert level(D(2026, 5, 12), D(2026, 5, 8)) == rules.NONE
    assert level(D(2026, 5, 12), D(2026, 5, 9)) == rules.REMINDER
    assert level(D(2026, 5, 12), D(2026, 5, 10)) == rules.REMINDER


def test_it_shows_yellow_from_the_first_day_after_the_deadline_even_a_holiday():
    assert level(D(2026, 4, 30), D(2026, 4, 30)) == rules.REMINDER
    assert level(D(2026, 4, 30), D(2026, 5, 1)) == rules.YELLOW


def test_it_turns_red_once_more_than_five_working_days_have_passed_with_holidays_inside():
    # After 30 April: 6, 7, 8, 9 (make-up Saturday), 11 May are working days 1–5; 12 May is the 6th.
    assert LABOUR_DAY.working_days_between(D(2026, 4, 30), D(2026, 5, 11)) == 5
    assert level(D(2026, 4, 30), D(2026, 5, 5)) == rules.YELLOW
    assert level(D(2026, 4, 30), D(2026, 5, 10)) == rules.YELLOW
    assert level(D(2026, 4, 30), D(2026, 5, 11)) == rules.YELLOW
    assert level(D(2026, 4, 30), D(2026, 5, 12)) == rules.RED
    assert rules.red_date(deadline=D(2026, 4, 30), calendar=LABOUR_DAY) == D(2026, 5, 12)


def test_it_uses_the_configured_red_threshold():
    assert level(D(2026, 4, 30), D(2026, 5, 7), red_after=2) == rules.YELLOW
    assert level(D(2026, 4, 30), D(2026, 5, 8), red_after=2) == rules.RED
    assert level(D(2026, 4, 30), D(2026, 5, 6), red_after=0) == rules.RED
    assert level(D(2026, 4, 30), D(2026, 5, 5), red_after=0) == rules.YELLOW


def test_it_gives_the_same_levels_through_the_cutoff_dates():
    for today in (D(2026, 4, 28), D(2026, 5, 3), D(2026, 5, 9), D(2026, 5, 12)):
        cut = rules.warning_cutoffs(today=today, calendar=LABOUR_DAY)
        for offset in range(-30, 30):
            deadline = today + datetime.timedelta(days=offset)
            assert cut.level(deadline) == level(deadline, today), (today, deadline)


def test_it_raises_a_problem_on_the_sixth_working_day_after_it_entered_its_level():
    # Entered 29 April: 30 April, 6, 7, 8, 9 May are days 1–5; it rises on 11 May, then 5 more days → 19 May.
    limits = {1: 5, 2: 5, 3: 5, 4: 5}
    steps = rules.escalation_steps(
        level=1, entered=D(2026, 4, 29), today=D(2026, 5, 9), limits=limits, top=5, calendar=LABOUR_DAY
    )
    assert steps == []
    steps = rules.escalation_steps(
        level=1, entered=D(2026, 4, 29), today=D(2026, 5, 11), limits=limits, top=5, calendar=LABOUR_DAY
    )
    assert steps == [(2, D(2026, 5, 11))]
    steps = rules.escalation_steps(
        level=1, entered=D(2026, 4, 29), today=D(2026, 5, 19), limits=limits, top=5, calendar=LABOUR_DAY
    )
    assert steps == [(2, D(2026, 5, 11)), (3, D(2026, 5, 19))]


def test_it_uses_each_levels_own_limit_and_stops_at_the_top():
    limits = {1: 1, 2: 2, 3: 1, 4: 1}
    steps = rules.escalation_steps(
        level=1, entered=D(2026, 6, 1), today=D(2026, 12, 31), limits=limits, top=5, calendar=LABOUR_DAY
    )
    # Mon 1 June → 3 June (2nd working day) → 6 June is Sat, so 3+3 working days = 8 June → 10 June → 12 June.
    assert steps == [(2, D(2026, 6, 3)), (3, D(2026, 6, 8)), (4, D(2026, 6, 10)), (5, D(2026, 6, 12))]
    assert (
        rules.escalation_steps(
            level=5, entered=D(2026, 6, 1), today=D(2026, 12, 31), limits=limits, top=5, calendar=LABOUR_DAY
        )
        == []
    )


_holidays = st.sets(st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 12, 31)), max_size=60)


@settings(max_examples=150, deadline=None)
@given(
    holidays=_holidays,
    workdays=st.sets(st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 12, 31)), max_size=10),
    today=st.dates(min_value=D(2026, 2, 1), max_value=D(2026, 11, 30)),
    offset=st.integers(min_value=-40, max_value=40),
    red_after=st.integers(min_value=0, max_value=10),
    reminder_before=st.integers(min_value=0, max_value=5),
)
def test_it_classifies_by_cutoffs_exactly_as_item_by_item(
    holidays, workdays, today, offset, red_after, reminder_before
):
    calendar = WorkCalendar(holidays=holidays - workdays, workdays=workdays)
    deadline = today + datetime.timedelta(days=offset)
    cut = rules.warning_cutoffs(
        today=today, calendar=calendar, red_after=red_after, reminder_before=reminder_before
    )
    assert cut.level(deadline) == rules.warning_level(
        deadline=deadline,
        today=today,
        calendar=calendar,
        red_after=red_after,
        reminder_before=reminder_before,
    )
