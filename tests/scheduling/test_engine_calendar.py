"""Hand-computed schedules across the 2026 National Day and Spring Festival holidays, in both modes.

The real 2026 arrangement (State Council notice, as in `chinesecalendar`):
* Mid-autumn and National Day: 9-25 (Fri) … 9-27 and 10-01 … 10-07 off; Sunday 9-20 and Saturday 10-10 worked.
* Spring Festival: 2-15 (Sun) … 2-23 (Mon) off; Saturdays 2-14 and 2-28 worked.
The comment above each network lists the working days by number so every figure can be checked by hand.
"""

import datetime

import pytest
from chinese_calendar.constants import holidays, workdays

from tiaodu.scheduling.accrual import Accrual
from tiaodu.scheduling.calendar import CONTINUOUS, STATUTORY, WorkCalendar, periods_between
from tiaodu.scheduling.compute import compute, cumulative_at
from tiaodu.scheduling.engine import Link, TaskIn


def D(text):
    return (
        datetime.date.fromisoformat("2026-" + text) if len(text) == 5 else datetime.date.fromisoformat(text)
    )


def calendar(mode, years=range(2004, 2027)):
    return WorkCalendar(holidays=set(holidays), workdays=set(workdays), mode=mode, entered_years=set(years))


def table(schedule):
    return {
        t.code: (
            t.early_start.strftime("%m-%d"),
            t.early_finish.strftime("%m-%d"),
            t.late_start.strftime("%m-%d"),
            t.late_finish.strftime("%m-%d"),
            t.total_float,
        )
        for t in schedule.tasks
    }


# National Day network: A then one successor per relation type with a positive and a negative lag.
NATIONAL_DAY = [
    TaskIn("A", 4),
    TaskIn("B", 3, [Link("A", "FS", 2)]),
    TaskIn("C", 2, [Link("A", "FS", -1)]),
    TaskIn("E", 3, [Link("A", "SS", 2)]),
    TaskIn("F", 2, [Link("B", "SS", -1)]),
    TaskIn("G", 2, [Link("A", "FF", 1)]),
    TaskIn("H", 1, [Link("A", "FF", -2)]),
    TaskIn("I", 2, [Link("A", "SF", 5)]),
    TaskIn("J", 3, [Link("B", "SF", -1)]),
    TaskIn("M", 0, [Link(c) for c in "BCEFGHIJ"]),
]


def test_it_schedules_across_national_day_on_statutory_days():
    # Days: 0=9-28 1=9-29 2=9-30 | 10-01…10-07 off | 3=10-08 4=10-09 5=10-10(调休 Sat) | 10-11 Sun |
    #       6=10-12 7=10-13 8=10-14 9=10-15 10=10-16. Deadline Fri 10-16 → D=10, LF ≤ 11.
    # Forward: A 0–4; B FS+2 → ES 6; C FS−1 → 3; E SS+2 → 2; F SS−1 from B → 5; G FF+1 → EF 5, ES 3;
    #          H FF−2 → EF 2, ES 1; I SF+5 → EF 5, ES 3; J SF−1 from B → EF 5, ES 2; M = max EF = 9.
    # Backward: M LS 11; B min(11−3, 11−3) = 8; A min(8−(2+4), …) = 2. Floats: A,B,M 2 (critical).
    s = compute(
        project="ND", start=D("09-28"), deadline=D("10-16"), tasks=NATIONAL_DAY, calendar=calendar(STATUTORY)
    )
    assert s.deadline_day == 10 and s.start == D("09-28")
    assert table(s) == {
        "A": ("09-28", "10-08", "09-30", "10-10", 2),
        "B": ("10-12", "10-14", "10-14", "10-16", 2),
        "C": ("10-08", "10-09", "10-15", "10-16", 6),
        "E": ("09-30", "10-09", "10-14", "10-16", 6),
        "F": ("10-10", "10-12", "10-15", "10-16", 4),
        "G": ("10-08", "10-09", "10-15", "10-16", 6),
        "H": ("09-29", "09-29", "10-16", "10-16", 9),
        "I": ("10-08", "10-09", "10-15", "10-16", 6),
        "J": ("09-30", "10-09", "10-14", "10-16", 6),
        # The final milestone shows B's finish early and the deadline late.
        "M": ("10-14", "10-14", "10-16", "10-16", 2),
    }
    assert s.critical_path == ["A", "B", "M"]
    assert s.feasible and s.min_float == 2 and s.warnings == []


def test_it_schedules_across_national_day_in_continuous_mode():
    # Every day works: day n = 9-28 + n; deadline 10-16 = day 18, LF ≤ 19. Same numbers forward,
    # every late number 8 days later than on statutory days.
    s = compute(
        project="ND", start=D("09-28"), deadline=D("10-16"), tasks=NATIONAL_DAY, calendar=calendar(CONTINUOUS)
    )
    assert s.deadline_day == 18
    assert table(s) == {
        "A": ("09-28", "10-01", "10-08", "10-11", 10),
        "B": ("10-04", "10-06", "10-14", "10-16", 10),
        "C": ("10-01", "10-02", "10-15", "10-16", 14),
        "E": ("09-30", "10-02", "10-14", "10-16", 14),
        "F": ("10-03", "10-04", "10-15", "10-16", 12),
        "G": ("10-01", "10-02", "10-15", "10-16", 14),
        "H": ("09-29", "09-29", "10-16", "10-16", 17),
        "I": ("10-01", "10-02", "10-15", "10-16", 14),
        "J": ("09-30", "10-02", "10-14", "10-16", 14),
        "M": ("10-06", "10-06", "10-16", "10-16", 10),
    }
    assert s.critical_path == ["A", "B", "M"]


# Spring Festival network: it cannot hold its deadline (negative float is a finding, not an error).
SPRING = [
    TaskIn("P", 3),
    TaskIn("Q", 4, [Link("P", "FS", 1)]),
    TaskIn("R", 2, [Link("Q", "FF", -1)]),
    TaskIn("S", 2, [Link("P", "SS", -2)]),
    TaskIn("T", 1, [Link("Q", "SF", 2)]),
    TaskIn("U", 2, [Link("Q", "SF", -1)]),
    TaskIn("V", 3, [Link("R", "SS", 1)]),
]


def test_it_schedules_across_spring_festival_on_statutory_days():
    # Days: 0=2-12 1=2-13 2=2-14(调休 Sat) | 2-15…2-23 off | 3=2-24 4=2-25 5=2-26 6=2-27 7=2-28(调休 Sat)
    #       | 3-01 Sun | 8=3-02; before day 0: −1=2-11. Deadline Sun 3-01 → D = 7 (2-28), LF ≤ 8.
    # Forward: P 0–3; Q FS+1 → 4–8; R FF−1 → EF 7, ES 5; S SS−2 → 0 (ES ≥ 0); T SF+2 → EF 6, ES 5;
    #          U SF−1 → EF 3, ES 1; V SS+1 from R → 6–9 (finishes 3-02, after the deadline).
    # Backward: V LS 5; R 5−1 = 4; Q min(4 − (−1+4−2), …) = 3; P 3 − (1+3) = −1 → float −1.
    s = compute(
        project="SF", start=D("02-12"), deadline=D("03-01"), tasks=SPRING, calendar=calendar(STATUTORY)
    )
    assert s.deadline_day == 7
    assert table(s) == {
        "P": ("02-12", "02-14", "02-11", "02-13", -1),
        "Q": ("02-25", "02-28", "02-24", "02-27", -1),
        "R": ("02-26", "02-27", "02-25", "02-26", -1),
        "S": ("02-12", "02-13", "02-27", "02-28", 6),
        "T": ("02-26", "02-26", "02-28", "02-28", 2),
        "U": ("02-13", "02-14", "02-27", "02-28", 5),
        "V": ("02-27", "03-02", "02-26", "02-28", -1),
    }
    assert s.critical_path == ["P", "Q", "R", "V"]
    assert not s.feasible and s.min_float == -1
    assert s.finish == D("03-02")


def test_it_schedules_across_spring_festival_in_continuous_mode():
    # day n = 2-12 + n; deadline 3-01 = day 17, LF ≤ 18: every float 10 more than on statutory days.
    s = compute(
        project="SF", start=D("02-12"), deadline=D("03-01"), tasks=SPRING, calendar=calendar(CONTINUOUS)
    )
    assert s.deadline_day == 17
    assert table(s) == {
        "P": ("02-12", "02-14", "02-21", "02-23", 9),
        "Q": ("02-16", "02-19", "02-25", "02-28", 9),
        "R": ("02-17", "02-18", "02-26", "02-27", 9),
        "S": ("02-12", "02-13", "02-28", "03-01", 16),
        "T": ("02-17", "02-17", "03-01", "03-01", 12),
        "U": ("02-13", "02-14", "02-28", "03-01", 15),
        "V": ("02-18", "02-20", "02-27", "03-01", 9),
    }
    assert s.feasible and s.min_float == 9


def test_it_moves_a_start_on_a_holiday_to_the_next_working_day():
    s = compute(
        project="X",
        start=D("10-01"),
        deadline=D("10-31"),
        tasks=[TaskIn("M0", 0), TaskIn("A", 2, [Link("M0")])],
        calendar=calendar(STATUTORY),
    )
    assert s.start == D("10-08")
    # A milestone at position 0 shows day 0 itself.
    assert table(s)["M0"][:2] == ("10-08", "10-08")
    assert table(s)["A"][:2] == ("10-08", "10-09")


def test_it_warns_about_a_year_without_an_arrangement():
    tasks = [TaskIn("A", 30)]
    s = compute(
        project="X",
        start=D("2026-12-01"),
        deadline=D("2027-03-31"),
        tasks=tasks,
        calendar=calendar(STATUTORY),
    )
    assert s.warnings == ["2027年节假日安排尚未录入"]
    # Without an arrangement, 2027 has plain weekends: 1-01 (Fri) is a working day.
    assert s.axis.calendar.is_working(D("2027-01-01")) and not s.axis.calendar.is_working(D("2027-01-02"))
    c = compute(
        project="X",
        start=D("2026-12-01"),
        deadline=D("2027-03-31"),
        tasks=tasks,
        calendar=calendar(CONTINUOUS),
    )
    assert c.warnings == []


def test_it_accrues_quantities_evenly_over_working_days():
    s = compute(
        project="ND", start=D("09-28"), deadline=D("10-16"), tasks=NATIONAL_DAY, calendar=calendar(STATUTORY)
    )
    a = next(t for t in s.tasks if t.code == "A")  # days 0–3: 9-28, 9-29, 9-30, 10-08
    items = [Accrual("m2", 400, a.es, a.duration), Accrual("m2", 50, 9, 0)]  # milestone shows 10-14
    assert cumulative_at(items, s.axis, D("09-27"))["m2"] == 0
    assert cumulative_at(items, s.axis, D("09-30"))["m2"] == 300
    assert cumulative_at(items, s.axis, D("10-07"))["m2"] == 300
    assert cumulative_at(items, s.axis, D("10-10"))["m2"] == 400
    assert cumulative_at(items, s.axis, D("10-14"))["m2"] == 450


def test_it_lists_ten_day_periods_months_and_quarters():
    dekads = periods_between(D("09-28"), D("10-16"), "dekad")
    assert [(p.label, p.end.isoformat()) for p in dekads] == [
        ("2026年9月下旬", "2026-09-30"),
        ("2026年10月上旬", "2026-10-10"),
        ("2026年10月中旬", "2026-10-20"),
    ]
    assert [p.key for p in periods_between(D("02-12"), D("2027-01-05"), "quarter")] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
        "2027-Q1",
    ]
    assert periods_between(D("02-12"), D("03-01"), "month")[0].end == D("02-28")


@pytest.mark.parametrize("mode", [STATUTORY, CONTINUOUS])
def test_it_maps_dates_and_numbers_both_ways(mode):
    axis = calendar(mode).axis(D("02-12"))
    for n in range(-40, 200):
        day = axis.date_of(n)
        assert axis.number_on_or_before(day) == n
        assert axis.calendar.is_working(day)
