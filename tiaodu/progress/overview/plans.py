"""Plans: the working-day numbers of the as-of date on each project's axis, and each indicator's Q(t).

Where the plan comes from (per indicator):
* the latest baseline of the project if it has tasks linked to indicators, else
* the current early schedule (scheduling engine) if the project has tasks linked to indicators, else
* linear from planned start to planned finish (the deadline when there is no planned finish);
* no planned start: no plan (planned null, no lag).
If a schedule cannot be computed (a dependency cycle, missing dates) its indicators fall back to linear.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import OuterRef, Prefetch, Subquery

from tiaodu.progress import analysis
from tiaodu.projects.models import Project
from tiaodu.scheduling import engine, file_schedule
from tiaodu.scheduling import selectors as scheduling
from tiaodu.scheduling.calendar import FILE, STATUTORY, CalendarRangeError, DayAxis, WorkCalendar
from tiaodu.scheduling.models import Baseline, CalendarMode, Dependency, ProjectSchedule, Task


@dataclass
class ProjectInfo:
    id: int
    code: str
    name: str
    type: str
    status: str
    lead_unit_id: int
    planned_start: datetime.date | None
    planned_finish: datetime.date | None
    deadline: datetime.date | None
    mode: str


# --- plans ----------------------------------------------------------------------------------------


class Planner:
    """Working-day numbers for one computation (never kept between requests).

    One DayAxis per calendar mode serves every project: on a calendar, the number of day d on the axis
    of a project whose day 0 is o equals base(d) − base(o) for any base axis of the same calendar (both
    count the working days between o and d). So each working day is walked once, not once per project.
    Accrual plans are made from engine results on these numbers (no dates needed).

    A project on 导入文件日历 has a calendar of its own: its key is `file:<project id>` (registered by
    `prepare`), and a baseline approved on a file calendar is numbered on that calendar
    (`file-baseline:<project id>`). Projects whose tasks came from an MS Project / P6 file are scheduled by
    scheduling.selectors.project_schedule itself (the file semantics), not re-derived here.
    """

    def __init__(self):
        self._calendars: dict[str, WorkCalendar] = {}
        self._bases: dict[str, DayAxis] = {}
        self._numbers: dict[str, dict[datetime.date, int]] = {}  # per key: a day → its base number
        self._origins: dict[str, dict[datetime.date, datetime.date]] = {}  # per key: a start → day 0
        self._linear_plans: dict[tuple[float, int], analysis.LinearPlan] = {}
        self._targets: dict[float, analysis.LinearPlan] = {}  # a plan of each target (converted once)

    def key(self, info: ProjectInfo) -> str:
        """The calendar key of a project: its mode, or its own key on 导入文件日历 (once registered)."""
        if info.mode == FILE:
            own = f"file:{info.id}"
            if own in self._calendars:
                return own
        return info.mode

    def register(self, key: str, calendar: WorkCalendar) -> None:
        self._calendars[key] = calendar
        self._bases.pop(key, None)
        self._numbers.pop(key, None)
        self._origins.pop(key, None)

    def calendar(self, mode: str) -> WorkCalendar:
        if mode not in self._calendars:
            self._calendars[mode] = scheduling.work_calendar(mode=mode)
        return self._calendars[mode]

    def prepare(self, mode: str, earliest: datetime.date) -> None:
        """Start the base axis of a mode at (or before) the earliest date it will be asked about."""
        base = self._bases.get(mode)
        if base is None or earliest < base.start:
            self._bases[mode] = self.calendar(mode).axis(earliest)
            self._numbers.pop(mode, None)

    def _base_number(self, mode: str, day: datetime.date) -> int:
        numbers = self._numbers.get(mode)
        if numbers is None:  # (a key's numbers are kept only beside its base axis)
            if mode not in self._bases:
                self.prepare(mode, day)
            numbers = self._numbers[mode] = {}
        n = numbers.get(day)
        if n is None:
            n = numbers[day] = self._bases[mode].number_on_or_before(day)
        return n

    def number(self, mode: str, start: datetime.date, day: datetime.date) -> int:
        """The number of the last working day on or before `day`, counted from the project's day 0 (the first
        working day on or after `start`) — DayAxis(start).number_on_or_before(day)."""
        origins = self._origins.get(mode)
        if origins is None:
            origins = self._origins[mode] = {}
        origin = origins.get(start)
        if origin is None:
            origin = origins[start] = self.calendar(mode).next_working(start)
        return self._base_number(mode, day) - self._base_number(mode, origin)

    def count_through(self, mode: str, start: datetime.date, day: datetime.date) -> int:
        """How many of days 0, 1, 2, … fall on or before `day` (number_on_or_before + 1, at least 0)."""
        return max(self.number(mode, start, day) + 1, 0)

    # Accruals: {project id: (mode, day-0 date, {indicator id: [(quantity, start, duration)]})}

    def accruals(
        self, infos: dict[int, ProjectInfo], scope=None
    ) -> dict[int, tuple[str, datetime.date, dict]]:
        out: dict[int, tuple[str, datetime.date, dict]] = {}
        latest = Baseline.objects.filter(
            number=Subquery(
                Baseline.objects.filter(project=OuterRef("project")).order_by("-number").values("number")[:1]
            )
        )
        if scope is not None:
            latest = latest.filter(project__in=scope)
        for baseline in latest:
            info = infos.get(baseline.project_id)
            if info is None:
                continue
            items = scheduling.accruals_from_baseline(baseline)
            if not items:
                continue
            snap = baseline.snapshot
            try:
                mode = snap.get("mode", STATUTORY)
                if mode == FILE and snap.get("file_calendar"):
                    mode = f"file-baseline:{info.id}"
                    self.register(mode, file_schedule.calendar_from_snapshot(snap["file_calendar"]))
                out[info.id] = (mode, datetime.date.fromisoformat(snap["start"]), group(items))
            except (KeyError, TypeError, ValueError):
                continue
        scheduled = Task.objects.filter(indicator__isnull=False, quantity__isnull=False).exclude(
            project_id__in=list(out)
        )
        if scope is not None:
            scheduled = scheduled.filter(project__in=scope)
        project_ids = [pid for pid in set(scheduled.values_list("project_id", flat=True)) if pid in infos]
        if not project_ids:
            return out
        by_project, file_projects = _scheduled_tasks(project_ids)
        if file_projects:
            out.update(self._file_accruals(_file_tasks(file_projects), infos))
        for pid, (inputs, tasks) in by_project.items():
            if pid in file_projects:
                continue
            info = infos[pid]
            try:
                # The current early schedule, as scheduling.selectors.project_schedule computes it, but on
                # working-day numbers only (the accruals need no dates).
                start, deadline, _warnings = scheduling.schedule_dates(info)
                deadline_day = self.number(self.key(info), start, deadline)
                result = engine.schedule(inputs, deadline_day)
            except (scheduling.ScheduleUnavailable, engine.ScheduleError, CalendarRangeError, ValueError):
                continue
            items = scheduling.accruals_from_schedule(result, tasks)
            if items:
                out[pid] = (self.key(info), start, group(items))
        return out

    def _file_accruals(self, by_project: dict[int, list[Task]], infos) -> dict[int, tuple]:
        """Accruals of projects whose tasks came from an MS Project / P6 file: their schedule as the schedule
        page computes it (one definition), on the calendar it was computed on."""
        out: dict[int, tuple] = {}
        projects = Project.objects.filter(pk__in=list(by_project)).select_related("schedule_settings")
        for project in projects:
            tasks = by_project[project.pk]
            try:
                schedule = scheduling.project_schedule(
                    project, tasks, calendars=self._calendars, settings=_loaded_settings(project)
                )
            except (scheduling.ScheduleUnavailable, engine.ScheduleError, CalendarRangeError, ValueError):
                continue
            items = scheduling.accruals_from_schedule(schedule, tasks)
            if not items:
                continue
            key = f"schedule:{project.pk}"
            self.register(key, schedule.axis.calendar)
            out[project.pk] = (key, schedule.start, group(items))
        return out

    def indicator_inputs(
        self,
        info: ProjectInfo,
        indicators: list[tuple],
        accrued: tuple[str, datetime.date, dict] | None,
        as_of: datetime.date,
    ) -> list[analysis.IndicatorInput]:
        """indicators: (id, name, unit, target, actual, …) — rows.IndicatorRow."""
        return [
            analysis.IndicatorInput(row[1], row[2], row[3], row[4], plan, t)
            for row, (plan, t) in zip(
                indicators, self.indicator_plans(info, indicators, accrued, as_of), strict=True
            )
        ]

    def indicator_plans(
        self,
        info: ProjectInfo,
        indicators: list[tuple],
        accrued: tuple[str, datetime.date, dict] | None,
        as_of: datetime.date,
    ) -> list[tuple[analysis.Plan | None, int | None]]:
        """Each indicator's plan and day t at as_of (those of indicator_inputs): its accrual plan when
        tasks accrue to it, else linear (no plan without a planned start)."""
        linear_t, n_days = self._linear(info, as_of)
        acc_t = None
        if accrued is not None:
            try:
                acc_t = self.number(accrued[0], accrued[1], as_of)
            except CalendarRangeError:
                accrued = None
        out = []
        for row in indicators:
            if accrued is not None and row[0] in accrued[2]:
                out.append((analysis.accrual_plan(accrued[2][row[0]]), acc_t))
            elif linear_t is not None:
                out.append((self._linear_plan(row[3], n_days), linear_t))
            else:
                out.append((None, None))
        return out

    def _linear(self, info: ProjectInfo, as_of: datetime.date):
        finish = info.planned_finish or info.deadline
        if info.planned_start is None or finish is None:
            return None, 0
        try:
            key = self.key(info)
            return (
                self.number(key, info.planned_start, as_of),
                self.count_through(key, info.planned_start, finish),
            )
        except CalendarRangeError:
            return None, 0

    def _linear_plan(self, target: float, days: int) -> analysis.LinearPlan:
        """LinearPlan(target, days), one per value in a computation (a plan is a value: frozen)."""
        if not target:  # (0.0 and −0.0 are equal keys but not the same plan)
            return analysis.LinearPlan(target, days)
        plan = self._linear_plans.get((target, days))
        if plan is None:
            same = self._targets.get(target)
            plan = analysis.LinearPlan(target, days) if same is None else same.with_days(days)
            self._targets.setdefault(target, plan)
            self._linear_plans[target, days] = plan
        return plan


def prepare(planner: Planner, infos: Iterable[ProjectInfo], as_of: datetime.date) -> None:
    """Register the own calendars of projects on 导入文件日历, and start each calendar's base axis at the
    earliest date of the computation (then every lookup is a bisect)."""
    infos = list(infos)
    file_ids = [info.id for info in infos if info.mode == FILE]
    if file_ids:
        for pid, data in ProjectSchedule.objects.filter(project_id__in=file_ids).values_list(
            "project_id", "file_data"
        ):
            if file_schedule.has_file_calendar(data):
                planner.register(f"file:{pid}", scheduling.work_calendar(mode=FILE, file_data=data))
    earliest: dict[str, datetime.date] = {}
    for info in infos:
        day = min(filter(None, [info.planned_start, info.deadline, info.planned_finish, as_of]))
        key = planner.key(info)
        if key not in earliest or day < earliest[key]:
            earliest[key] = day
    earliest.setdefault(STATUTORY, as_of)
    for mode, day in earliest.items():
        planner.prepare(mode, day - datetime.timedelta(days=31))


class _TaskRow(NamedTuple):
    """What the accruals read of a task (scheduling.accruals_from_schedule)."""

    code: str
    indicator_id: int | None
    quantity: Decimal | None
    detail: dict | None  # (what file_schedule.has_file_semantics reads)


def _scheduled_tasks(
    project_ids: list[int],
) -> tuple[dict[int, tuple[list[engine.TaskIn], list[_TaskRow]]], set[int]]:
    """Per project, its tasks as the engine takes them (scheduling.task_inputs of its Task rows, in the
    order of scheduling.selectors.project_tasks) and as the accruals read them, from two plain queries;
    and the projects whose tasks came from an MS Project / P6 file (file_schedule.has_file_semantics)."""
    links: dict[int, list[engine.Link]] = defaultdict(list)
    for successor, code, kind, lag in (
        Dependency.objects.filter(successor__project_id__in=project_ids)
        .order_by("id")
        .values_list("successor_id", "predecessor__code", "type", "lag")
    ):
        links[successor].append(engine.Link(code, kind, lag))
    by_project: dict[int, tuple[list[engine.TaskIn], list[_TaskRow]]] = {}
    for task_id, pid, code, name, duration, indicator_id, quantity, detail in (
        Task.objects.filter(project_id__in=project_ids)
        .order_by("project_id", "sort_order", "id")
        .values_list("id", "project_id", "code", "name", "duration", "indicator_id", "quantity", "detail")
    ):
        inputs, rows = by_project.setdefault(pid, ([], []))
        inputs.append(scheduling.task_input(code, name, duration, links.get(task_id, [])))
        rows.append(_TaskRow(code, indicator_id, quantity, detail))
    files = {pid for pid, (_, rows) in by_project.items() if file_schedule.has_file_semantics(rows)}
    return by_project, files


def _file_tasks(project_ids) -> dict[int, list[Task]]:
    """The Task rows of projects whose tasks came from a file, with their links (project_schedule's)."""
    links = Dependency.objects.select_related("predecessor").order_by("id")
    by_project: dict[int, list[Task]] = defaultdict(list)
    for task in (
        Task.objects.filter(project_id__in=list(project_ids))
        .prefetch_related(Prefetch("predecessor_links", queryset=links))
        .order_by("project_id", "sort_order", "id")
    ):
        by_project[task.project_id].append(task)
    return by_project


def _loaded_settings(project: Project) -> ProjectSchedule:
    """scheduling.selectors.schedule_settings of a project fetched with select_related("schedule_settings"):
    the same answer without a query (a project without settings has the unsaved defaults)."""
    try:
        return project.schedule_settings
    except ProjectSchedule.DoesNotExist:
        return ProjectSchedule(project=project, mode=CalendarMode.STATUTORY)


def group(items) -> dict[int, list[tuple[Decimal, int, int]]]:
    grouped: dict[int, list[tuple[Decimal, int, int]]] = defaultdict(list)
    for item in items:
        grouped[item.key].append((item.quantity, item.start, item.duration))
    return grouped
