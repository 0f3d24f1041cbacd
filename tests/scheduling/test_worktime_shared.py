"""The shared prefix sums of worktime give every answer the calendar's own walk gave (tests/scheduling/
worktime_before.py, the code before): the same moments, the same minutes, the same errors — whichever
calendars of the same content walked which days before."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scheduling import worktime_before
from tiaodu.scheduling import worktime
from tiaodu.scheduling.file_model import FileCalendar, WorkRange

D = datetime.datetime
DAY = (WorkRange(480, 720), WorkRange(780, 1020))

WEEKS = st.sampled_from(
    [
        {d: DAY if d < 5 else () for d in range(7)},
        {d: (WorkRange(450, 690), WorkRange(780, 1050)) if d < 6 else () for d in range(7)},
        {d: (WorkRange(0, 360), WorkRange(1320, 1440)) for d in range(7)},
        {d: (WorkRange(0, 1440),) for d in range(7)},
        {
            d: (WorkRange(780, 1020), WorkRange(480, 720), WorkRange(600, 700)) if d in (1, 3) else ()
            for d in range(7)
        },
        {d: (WorkRange(600, 660),) if d == 6 else () for d in range(7)},  # an hour a week, and the exceptions
    ]
)
RANGES = st.lists(
    st.tuples(st.integers(0, 1439), st.integers(1, 600)).map(
        lambda x: WorkRange(x[0], min(x[0] + x[1], 1440))
    ),
    max_size=3,
).map(tuple)
EXCEPTIONS = st.dictionaries(
    st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2030, 12, 31)), RANGES, max_size=30
)
MOMENTS = st.datetimes(min_value=D(2023, 6, 1), max_value=D(2031, 6, 30)).map(
    lambda t: t.replace(second=0, microsecond=0)
)
OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "subtract", "between", "next", "previous"]),
        MOMENTS,
        MOMENTS,
        st.integers(-480 * 600, 480 * 600),
    ),
    min_size=1,
    max_size=12,
)


def answer(cal, op: str, a: D, b: D, minutes: int):
    try:
        if op == "add":
            return cal.add(a, minutes)
        if op == "subtract":
            return cal.subtract(a, minutes)
        if op == "between":
            return cal.between(a, b)
        if op == "next":
            return cal.next_work_start(a)
        return cal.previous_work_finish(a)
    except Exception as exc:  # the same error, in the same words
        return (type(exc).__name__, str(exc))


@settings(max_examples=150, deadline=None)
@given(WEEKS, EXCEPTIONS, OPS, OPS, st.booleans())
def test_calendars_sharing_their_prefix_sums_answer_as_each_walking_its_own(
    week, exceptions, warm, ops, clear
):
    if clear:
        worktime._shared.clear()
    # Another calendar of the same content (built apart) walks other days first.
    other = worktime.WorkCalendar(FileCalendar("7", "另一个", dict(week), dict(exceptions)))
    for op, a, b, minutes in warm:
        answer(other, op, a, b, minutes)
    before = worktime_before.WorkCalendar(FileCalendar("1", "施工日历", week, exceptions))
    now = worktime.WorkCalendar(FileCalendar("1", "施工日历", week, exceptions))
    for op, a, b, minutes in ops:
        assert answer(now, op, a, b, minutes) == answer(before, op, a, b, minutes), (op, a, b, minutes)


def test_a_calendar_without_working_time_fails_as_before():
    empty = FileCalendar("9", "全休", {d: () for d in range(7)})
    for op in ("add", "subtract", "next", "previous"):
        got = answer(worktime.WorkCalendar(empty), op, D(2026, 3, 2, 8), D(2026, 3, 2, 8), 60)
        assert got == answer(worktime_before.WorkCalendar(empty), op, D(2026, 3, 2, 8), D(2026, 3, 2, 8), 60)
        assert got[0] == "ScheduleError"


def test_dates_at_the_ends_of_the_calendar_fail_as_before():
    cal = FileCalendar("1", "标准", {d: DAY if d < 5 else () for d in range(7)})
    for moment, minutes in (
        (D(9999, 12, 30, 8), 480 * 3),
        (D(9998, 6, 1, 8), 480),
        (D(1, 1, 5, 8), -480 * 3),
        (D(2, 3, 1, 8), -480),
    ):
        for op in ("add", "next", "previous"):
            got = answer(worktime.WorkCalendar(cal), op, moment, moment, minutes)
            assert got == answer(worktime_before.WorkCalendar(cal), op, moment, moment, minutes), (op, moment)
