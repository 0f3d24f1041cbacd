"""Placeholder dates in schedule files: MS Project and P6 write "no date" as .NET's DateTime.MinValue /
MaxValue (year 1 / 9999) and similar. A date before FIRST_YEAR or after LAST_YEAR is no date here: it is
treated as absent and named in a note (a constraint without its date is as soon as possible)."""

from __future__ import annotations

import datetime

from tiaodu.scheduling.file_model import ALAP, ASAP, FileTask

FIRST_YEAR, LAST_YEAR = 1900, 2100

TASK_DATES = {
    "constraint_date": "限制日期",
    "secondary_constraint_date": "第二限制日期",
    "deadline": "期限",
    "actual_start": "实际开始时间",
    "actual_finish": "实际完成时间",
    "file_start": "开始时间",
    "file_finish": "完成时间",
    "file_early_start": "最早开始时间",
    "file_early_finish": "最早完成时间",
    "file_late_start": "最晚开始时间",
    "file_late_finish": "最晚完成时间",
}


def valid(value: datetime.datetime | None) -> bool:
    return value is not None and FIRST_YEAR <= value.year <= LAST_YEAR


def note(what: str, value: datetime.datetime) -> str:
    return f"{what}为{value.date().isoformat()}（早于{FIRST_YEAR}年或晚于{LAST_YEAR}年，应为“无日期”的占位值），已忽略"


def checked(value: datetime.datetime | None, what: str, notes: list[str]) -> datetime.datetime | None:
    """The date, or None (with a note) when it is a placeholder."""
    if value is None or valid(value):
        return value
    text = note(what, value)
    if text not in notes:
        notes.append(text)
    return None


def clean_task(ft: FileTask, notes: list[str]) -> None:
    """Placeholder dates of a task → None, with a note naming the task and the field."""
    who = f"任务「{ft.code} {ft.name}」的"
    for attr, label in TASK_DATES.items():
        setattr(ft, attr, checked(getattr(ft, attr), who + label, notes))
    if ft.constraint not in (ASAP, ALAP) and ft.constraint_date is None:
        ft.constraint, ft.mandatory = ASAP, False
    if ft.secondary_constraint_date is None:
        ft.secondary_constraint = None
