"""The engine on a calendar: working-day numbers to dates, warnings, planned quantities at a date.

No Django import. The planned quantity itself (Q(t)) is defined in tiaodu.scheduling.accrual.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tiaodu.scheduling import engine
from tiaodu.scheduling.accrual import Accrual, planned_by_key
from tiaodu.scheduling.calendar import DayAxis, WorkCalendar


@dataclass
class TaskDates:
    code: str
    name: str
    duration: int
    es: int
    ef: int
    ls: int
    lf: int
    early_start: datetime.date
    early_finish: datetime.date
    late_start: datetime.date
    late_finish: datetime.date
    total_float: int
    critical: bool
    predecessors: Sequence[engine.Link] = ()

    @property
    def milestone(self) -> bool:
        return self.duration == 0


@dataclass
class Schedule:
    project: str
    start: datetime.date  # day 0
    deadline: datetime.date
    deadline_day: int
    mode: str
    feasible: bool
    min_float: int | None
    critical_path: list[str]
    warnings: list[str]
    tasks: list[TaskDates]
    axis: DayAxis = field(repr=False)

    @property
    def finish_day(self) -> int:
        return max((t.ef for t in self.tasks), default=0)

    @property
    def finish(self) -> datetime.date | None:
        """The early finish of the whole project (the date of its last working day)."""
        if not self.tasks:
            return None
        return max(t.early_finish for t in self.tasks)

    def as_json(self) -> dict:
        return {
            "project": self.project,
            "start": self.start.isoformat(),
            "deadline": self.deadline.isoformat(),
            "feasible": self.feasible,
            "min_float": self.min_float,
            "critical_path": list(self.critical_path),
            "warnings": list(self.warnings),
            "tasks": [
                {
                    "code": t.code,
                    "name": t.name,
                    "duration": t.duration,
                    "early_start": t.early_start.isoformat(),
                    "early_finish": t.early_finish.isoformat(),
                    "late_start": t.late_start.isoformat(),
                    "late_finish": t.late_finish.isoformat(),
                    "total_float": t.total_float,
                    "critical": t.critical,
                }
                for t in self.tasks
            ],
        }


def compute(
    *,
    project: str,
    start: datetime.date,
    deadline: datetime.date,
    tasks: Sequence[engine.TaskIn],
    calendar: WorkCalendar,
    warnings: Iterable[str] = (),
) -> Schedule:
    """Schedule `tasks` from `start` (moved to a working day) back from `deadline`."""
    axis = calendar.axis(start)
    deadline_day = axis.number_on_or_before(deadline)
    result = engine.schedule(tasks, deadline_day)
    out: list[TaskDates] = []
    for t_in, t, crit in zip(tasks, result.tasks, result.critical, strict=True):
        d = t.duration
        out.append(
            TaskDates(
                code=t.code,
                name=t.name,
                duration=d,
                es=t.es,
                ef=t.ef,
                ls=t.ls,
                lf=t.lf,
                early_start=axis.start_date(t.es, d),
                early_finish=axis.finish_date(t.ef, d),
                late_start=axis.start_date(t.ls, d),
                late_finish=axis.finish_date(t.lf, d),
                total_float=t.total_float,
                critical=crit,
                predecessors=tuple(t_in.predecessors),
            )
        )
    dates = [axis.origin, deadline]
    for t in out:
        dates += [t.early_start, t.early_finish, t.late_start, t.late_finish]
    all_warnings = list(warnings) + calendar.warnings_for(min(dates), max(dates))
    return Schedule(
        project=project,
        start=axis.origin,
        deadline=deadline,
        deadline_day=deadline_day,
        mode=calendar.mode,
        feasible=result.feasible,
        min_float=result.min_float,
        critical_path=result.critical_path,
        warnings=all_warnings,
        tasks=out,
        axis=axis,
    )


def cumulative_at(items: Iterable[Accrual], axis: DayAxis, day: datetime.date) -> dict[Hashable, Decimal]:
    """Cumulative planned quantity per indicator (`key`) at the end of `day`: Q(t) of tiaodu.scheduling.accrual
    with t the number of the last working day on or before `day` on `axis`.

    A task accrues quantity/duration on each of its working days; a milestone delivers its whole
    quantity on the date it shows (the end of the working day before its position).
    """
    t = axis.number_on_or_before(day) if day >= axis.origin else -1
    return planned_by_key(items, t)
