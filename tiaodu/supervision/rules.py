"""The rules of warnings and escalation as plain functions. No Django import.

Working days are counted by the calendar passed in, with its `working_days_between` and
`add_working_days` (tiaodu.scheduling.calendar.WorkCalendar in statutory mode: Monday–Friday, minus
holidays, plus make-up working days) — the one definition of working-day counting, with its one limit
(an answer more than 80 years away raises CalendarRangeError). Nothing here counts days itself.

Warnings of an open supervision item with deadline DL, on day T:
* reminder (提醒): T ≥ the working day `reminder_before` (2) working days before DL, and T ≤ DL;
* yellow (黄牌):   T > DL (from the first calendar day after DL);
* red (红牌):      more than `red_after` (5) working days d with DL < d ≤ T.

A problem at a ladder level with a limit of L working days, entered on day E, rises one level once more
than L working days d with E < d ≤ T have passed — that is, on the (L+1)-th working day after E, which
becomes the day it entered the next level (so a late sweep does not stretch the next limit).

For a whole table at once, `warning_cutoffs` turns T into three deadline dates: the level of an item
depends only on where its DL falls among them (the level is non-increasing in DL), so the database can
classify 100,000 items with three comparisons.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Protocol

NONE = "none"
REMINDER = "reminder"
YELLOW = "yellow"
RED = "red"
LEVELS = (NONE, REMINDER, YELLOW, RED)
RANK = {level: i for i, level in enumerate(LEVELS)}
LABELS = {NONE: "无", REMINDER: "提醒", YELLOW: "黄牌", RED: "红牌"}

ONE_DAY = datetime.timedelta(days=1)


class Calendar(Protocol):
    def working_days_between(self, after: datetime.date, through: datetime.date) -> int:
        """How many working days d with after < d ≤ through."""
        ...

    def add_working_days(self, day: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `day` (n > 0) or the |n|-th before it (n < 0)."""
        ...


# --- warnings of supervision items ----------------------------------------------------------------


def reminder_date(*, deadline: datetime.date, calendar: Calendar, reminder_before: int = 2) -> datetime.date:
    """The day the reminder starts: the working day `reminder_before` working days before the deadline."""
    if reminder_before <= 0:
        return deadline
    return calendar.add_working_days(deadline, -reminder_before)


def red_date(*, deadline: datetime.date, calendar: Calendar, red_after: int = 5) -> datetime.date:
    """The first day with more than `red_after` working days after the deadline."""
    return calendar.add_working_days(deadline, red_after + 1)


def warning_level(
    *,
    deadline: datetime.date,
    today: datetime.date,
    calendar: Calendar,
    red_after: int = 5,
    reminder_before: int = 2,
) -> str:
    """none, reminder, yellow or red for an open item with this deadline on `today`."""
    if today > deadline:
        if calendar.working_days_between(deadline, today) > red_after:
            return RED
        return YELLOW
    if today >= reminder_date(deadline=deadline, calendar=calendar, reminder_before=reminder_before):
        return REMINDER
    return NONE


@dataclass(frozen=True)
class Cutoffs:
    """For one day T: an item with deadline DL is red when DL ≤ red_through, yellow when
    red_through < DL ≤ yellow_through, reminder when yellow_through < DL ≤ reminder_through, else none."""

    today: datetime.date
    red_through: datetime.date
    yellow_through: datetime.date
    reminder_through: datetime.date

    def level(self, deadline: datetime.date) -> str:
        if deadline <= self.red_through:
            return RED
        if deadline <= self.yellow_through:
            return YELLOW
        if deadline <= self.reminder_through:
            return REMINDER
        return NONE


def warning_cutoffs(
    *, today: datetime.date, calendar: Calendar, red_after: int = 5, reminder_before: int = 2
) -> Cutoffs:
    """The deadline dates that separate the levels on `today` (see Cutoffs)."""
    # red ⟺ #{working d: DL < d ≤ T} ≥ red_after+1 ⟺ DL < the (red_after+1)-th working day back from T.
    # (the (red_after+1)-th working day before T + 1 day: T itself counts.)
    red_through = calendar.add_working_days(today + ONE_DAY, -(red_after + 1)) - ONE_DAY
    yellow_through = today - ONE_DAY
    # reminder ⟺ R(DL) ≤ T ⟺ fewer than reminder_before working days d with T < d < DL
    #          ⟺ DL ≤ the reminder_before-th working day after T.
    if reminder_before <= 0:
        reminder_through = today
    else:
        reminder_through = calendar.add_working_days(today, reminder_before)
    red_through = min(red_through, yellow_through)
    return Cutoffs(
        today=today,
        red_through=red_through,
        yellow_through=yellow_through,
        reminder_through=max(reminder_through, today),
    )


# --- the escalation ladder ------------------------------------------------------------------------


def escalation_due(*, entered: datetime.date, limit: int, calendar: Calendar) -> datetime.date:
    """The day a problem that entered its level on `entered` rises: the (limit+1)-th working day after."""
    return calendar.add_working_days(entered, max(limit, 0) + 1)


def escalation_steps(
    *,
    level: int,
    entered: datetime.date,
    today: datetime.date,
    limits: dict[int, int],
    top: int,
    calendar: Calendar,
) -> list[tuple[int, datetime.date]]:
    """The automatic rises due by `today`: [(new level, day it entered that level), …] (empty if none).

    `limits` maps a level to its limit in working days; a level without a limit, or `top`, never rises.
    """
    steps: list[tuple[int, datetime.date]] = []
    while level < top and level in limits:
        due = escalation_due(entered=entered, limit=limits[level], calendar=calendar)
        if due > today:
            break
        level, entered = level + 1, due
        steps.append((level, entered))
    return steps
