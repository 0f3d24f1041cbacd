"""Reads for scheduling: the calendar, a project's computed schedule, baselines and period plans.

Visibility: projects always come through tiaodu.projects.selectors (project_list; rights in permissions.py);
functions here that take a project assume the caller got it that way. `visible_project` is the one
entry point for pages, the API and commands.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from tiaodu.core.models import ChangeRecord
from tiaodu.projects.models import Indicator, Project
from tiaodu.projects.selectors import project_list
from tiaodu.scheduling import engine, file_schedule
from tiaodu.scheduling import permissions as rights
from tiaodu.scheduling.accrual import Accrual
from tiaodu.scheduling.baseline_match import baseline_rows
from tiaodu.scheduling.calendar import (
    FILE,
    KIND_LABELS,
    STATUTORY,
    DayAxis,
    Period,
    WorkCalendar,
    periods_between,
)
from tiaodu.scheduling.compute import Schedule, compute, cumulative_at
from tiaodu.scheduling.models import (
    Baseline,
    CalendarDay,
    CalendarMode,
    CalendarYear,
    Dependency,
    PeriodPlanOverride,
    ProjectSchedule,
    ScheduleImport,
    Task,
)


class ScheduleUnavailable(Exception):
    """The project lacks what a schedule needs (dates); the message is for the user."""


# --- visibility -----------------------------------------------------------------------------------


def visible_project(*, user, code: str) -> Project:
    """The project with this code if the user may see it; Project.DoesNotExist otherwise."""
    return project_list(user=user).select_related("lead_unit", "category").get(code=code)


# --- calendar -------------------------------------------------------------------------------------


def work_calendar(*, mode: str = STATUTORY, file_data: dict | None = None) -> WorkCalendar:
    """The working-day calendar of a mode: 法定工作日 from the database (from the package if the table was
    never seeded); 导入文件日历 from the project's imported file (`file_data`; without it 法定工作日, as
    project_schedule schedules it); the plain weeks and 连续施工 need nothing."""
    if mode == FILE:
        if file_schedule.has_file_calendar(file_data):
            return file_schedule.work_calendar_of(file_data)
        mode = STATUTORY
    if mode != STATUTORY:
        return WorkCalendar(mode=mode)
    years = set(CalendarYear.objects.values_list("year", flat=True))
    if not years:
        from tiaodu.scheduling.seed import package_arrangements

        arrangements = package_arrangements()
        days = [(d, k) for rows in arrangements.values() for d, k, _ in rows]
        years = set(arrangements)
    else:
        days = list(CalendarDay.objects.values_list("date", "kind"))
    return WorkCalendar(
        holidays={d for d, k in days if k == CalendarDay.Kind.HOLIDAY},
        workdays={d for d, k in days if k == CalendarDay.Kind.WORKDAY},
        mode=mode,
        entered_years=years,
    )


@dataclass
class YearStatus:
    year: int
    arrangement: CalendarYear | None
    holidays: int = 0
    workdays: int = 0

    @property
    def entered(self) -> bool:
        return self.arrangement is not None


def calendar_years(*, around: datetime.date | None = None) -> list[YearStatus]:
    """Every entered year plus the missing years up to two years after `around` (today), newest first."""
    today = around or timezone.localdate()
    arrangements = {a.year: a for a in CalendarYear.objects.select_related("entered_by__person")}
    counts: dict[tuple[int, str], int] = {}
    for arrangement_id, kind in CalendarDay.objects.values_list("arrangement__year", "kind"):
        counts[(arrangement_id, kind)] = counts.get((arrangement_id, kind), 0) + 1
    last = max([today.year + 2, *arrangements])
    first = min([today.year, *arrangements])
    return [
        YearStatus(
            year=y,
            arrangement=arrangements.get(y),
            holidays=counts.get((y, CalendarDay.Kind.HOLIDAY), 0),
            workdays=counts.get((y, CalendarDay.Kind.WORKDAY), 0),
        )
        for y in range(last, first - 1, -1)
    ]


def calendar_year_days(*, year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(arrangement__year=year).order_by("date")


# --- tasks and the computed schedule --------------------------------------------------------------


def schedule_settings(project: Project) -> ProjectSchedule:
    """The project's settings, or unsaved defaults (法定工作日)."""
    settings = ProjectSchedule.objects.filter(project=project).first()
    return settings if settings is not None else ProjectSchedule(project=project, mode=CalendarMode.STATUTORY)


def project_tasks(project: Project) -> list[Task]:
    links = Dependency.objects.select_related("predecessor").order_by("id")
    return list(
        Task.objects.filter(project=project)
        .select_related("indicator")
        .prefetch_related(Prefetch("predecessor_links", queryset=links))
        .order_by("sort_order", "id")
    )


def task_links(task: Task) -> list[engine.Link]:
    return [engine.Link(d.predecessor.code, d.type, d.lag) for d in task.predecessor_links.all()]


def predecessors_text(task: Task) -> str:
    return "、".join(engine.format_link(link) for link in task_links(task))


def task_input(code: str, name: str, duration: int, links: list[engine.Link]) -> engine.TaskIn:
    """A task as the engine takes it (its row is its code)."""
    return engine.TaskIn(code=code, name=name, duration=duration, predecessors=links, row=code)


def task_inputs(tasks: Iterable[Task]) -> list[engine.TaskIn]:
    return [task_input(t.code, t.name, t.duration, task_links(t)) for t in tasks]


def schedule_dates(project: Project) -> tuple[datetime.date, datetime.date, list[str]]:
    """(start, deadline, warnings) for a project; ScheduleUnavailable when a date is missing."""
    warnings: list[str] = []
    if project.planned_start is None:
        raise ScheduleUnavailable("项目未填写计划开工日期，无法排定工期；请先在项目信息中填写计划开工")
    deadline = project.deadline
    if deadline is None:
        if project.planned_finish is None:
            raise ScheduleUnavailable("项目未填写完成时限，无法倒排工期；请先在项目信息中填写完成时限")
        deadline = project.planned_finish
        warnings.append("项目未填写完成时限，按计划完工日期倒排")
    return project.planned_start, deadline, warnings


def project_schedule(
    project: Project,
    tasks: list[Task] | None = None,
    *,
    mode: str | None = None,
    calendars: dict[str, WorkCalendar] | None = None,
    settings: ProjectSchedule | None = None,
) -> Schedule:
    """The computed schedule (on the project's calendar mode, or `mode`). Raises ScheduleUnavailable or
    engine.ScheduleError (cycle) for the user. `calendars`: a cache of the shared calendars by mode, for a
    caller that schedules many projects in one computation (the overview); a file calendar is never shared.

    Tasks imported from an MS Project / P6 file (with Task.detail) are scheduled on the file's semantics
    in working minutes (tiaodu.scheduling.file_schedule); other tasks by the working-day engine.
    `settings`: the project's settings when the caller has just loaded them, else read (schedule_settings).
    """
    start, deadline, warnings = schedule_dates(project)
    if tasks is None:
        tasks = project_tasks(project)
    if settings is None:
        settings = schedule_settings(project)
    mode = mode or settings.mode
    if mode == FILE and not file_schedule.has_file_calendar(settings.file_data):
        mode = STATUTORY
        warnings.append("本项目没有导入文件的日历，按法定工作日排程")
    if mode == FILE or calendars is None:
        calendar = work_calendar(mode=mode, file_data=settings.file_data)
    else:
        calendar = calendars.get(mode) or calendars.setdefault(mode, work_calendar(mode=mode))
    try:
        if file_schedule.has_file_semantics(tasks):
            return file_schedule.compute_file(
                project=project.code,
                start=start,
                deadline=deadline,
                tasks=tasks,
                calendar=calendar,
                file_data=settings.file_data,
                warnings=warnings,
            )
        return compute(
            project=project.code,
            start=start,
            deadline=deadline,
            tasks=task_inputs(tasks),
            calendar=calendar,
            warnings=warnings,
        )
    except ValueError as exc:  # CalendarRangeError and engine errors carry Chinese messages
        if isinstance(exc, engine.ScheduleError):
            raise
        raise ScheduleUnavailable(str(exc)) from None
    except OverflowError:  # a date the file engine would move past the years 1–9999
        raise ScheduleUnavailable(
            "工期超出日历范围（日期早于公元1年或晚于9999年），请检查任务的限制日期"
        ) from None


def schedule_imports(project: Project) -> QuerySet[ScheduleImport]:
    """The project's imports, newest first (their reports)."""
    return (
        ScheduleImport.objects.filter(project=project).select_related("user__person").order_by("-at", "-id")
    )


def schedule_json(*, user, code: str) -> dict:
    """The API/CLI answer for a project the user may see (Project.DoesNotExist otherwise)."""
    return project_schedule(visible_project(user=user, code=code)).as_json()


# --- baselines ------------------------------------------------------------------------------------


def baseline_snapshot(schedule: Schedule, tasks: list[Task]) -> dict:
    by_code = {t.code: t for t in tasks}
    data = schedule.as_json()
    data.update(
        {
            "version": 2,  # 2: task keys are file_schedule.task_key (a code as "code:<code>")
            "mode": schedule.mode,
            "deadline_day": schedule.deadline_day,
            "finish": schedule.finish.isoformat() if schedule.finish else None,
            "finish_day": schedule.finish_day,
        }
    )
    if schedule.mode == FILE:
        data["file_calendar"] = file_schedule.calendar_snapshot(schedule.axis.calendar)
    for row, t in zip(data["tasks"], schedule.tasks, strict=True):
        model = by_code[t.code]
        row.update(
            {
                "es": t.es,
                "ef": t.ef,
                "ls": t.ls,
                "lf": t.lf,
                "key": file_schedule.task_key(model),
                "predecessors": predecessors_text(model),
                "indicator_id": model.indicator_id,
                "indicator": model.indicator.name if model.indicator_id else "",
                "quantity": str(model.quantity) if model.quantity is not None else None,
            }
        )
    return data


def baseline_latest(project: Project) -> Baseline | None:
    return (
        Baseline.objects.filter(project=project)
        .select_related("approved_by__person")
        .order_by("-number")
        .first()
    )


def projects_awaiting_baseline(*, user) -> QuerySet[Project]:
    """Projects with a schedule (tasks) but no approved baseline yet, for those who approve (审定) it: the
    office and administrators (permissions.schedule_can_approve)."""
    if not rights.schedule_can_approve(user=user):
        return Project.objects.none()
    return project_list(user=user).filter(
        Exists(Task.objects.filter(project=OuterRef("pk"))),
        ~Exists(Baseline.objects.filter(project=OuterRef("pk"))),
    )


def baseline_list(project: Project) -> QuerySet[Baseline]:
    return Baseline.objects.filter(project=project).select_related("approved_by__person").order_by("-number")


def _baseline_axis(baseline: Baseline, calendar_cache: dict) -> DayAxis:
    snap = baseline.snapshot
    mode = snap.get("mode", STATUTORY)
    if mode == FILE and snap.get("file_calendar"):  # the file's days when it was approved
        return file_schedule.calendar_from_snapshot(snap["file_calendar"]).axis(
            datetime.date.fromisoformat(snap["start"])
        )
    if mode not in calendar_cache:
        calendar_cache[mode] = work_calendar(mode=mode)
    return calendar_cache[mode].axis(datetime.date.fromisoformat(snap["start"]))


@dataclass
class SlipRow:
    code: str
    name: str
    current_finish: datetime.date | None
    baseline_finish: datetime.date | None
    slip: int | None  # working days later than the baseline (negative: earlier)
    status: str  # "", "新增", "已删除"

    @property
    def slip_abs(self) -> int | None:
        return abs(self.slip) if self.slip is not None else None


@dataclass
class Comparison:
    baseline: Baseline
    rows: list[SlipRow]
    finish_slip: int | None
    current_finish: datetime.date | None
    baseline_finish: datetime.date | None

    @property
    def finish_slip_abs(self) -> int | None:
        return abs(self.finish_slip) if self.finish_slip is not None else None


def baseline_comparison(
    schedule: Schedule, baseline: Baseline, tasks: list[Task] | None = None
) -> Comparison:
    """Slip in working days per task and for the project's finish, measured on the current calendar.

    Tasks are matched by their identity (file_schedule.task_key; `tasks` gives the keys, without them codes
    are keys) with the snapshot's `key`, then by code (baseline_match.baseline_rows).
    """
    base_axis = _baseline_axis(baseline, {schedule.mode: schedule.axis.calendar})
    cur = schedule.axis

    def convert(k: int) -> int:
        # The baseline's exclusive end k on the current axis: the day after its (k−1)th working day.
        return cur.number_on_or_before(base_axis.date_of(k - 1)) + 1

    matched, removed = baseline_rows(schedule, baseline.snapshot, tasks)
    rows: list[SlipRow] = []
    for t in schedule.tasks:
        b = matched.get(t.code)
        if b is None:
            rows.append(SlipRow(t.code, t.name, t.early_finish, None, None, "新增"))
            continue
        rows.append(
            SlipRow(
                t.code,
                t.name,
                t.early_finish,
                datetime.date.fromisoformat(b["early_finish"]),
                t.ef - convert(b["ef"]),
                "",
            )
        )
    for b in removed:
        rows.append(
            SlipRow(
                b["code"], b["name"], None, datetime.date.fromisoformat(b["early_finish"]), None, "已删除"
            )
        )
    finish_slip = None
    base_finish = baseline.snapshot.get("finish")
    if schedule.tasks and base_finish:
        finish_slip = schedule.finish_day - convert(baseline.snapshot["finish_day"])
    return Comparison(
        baseline=baseline,
        rows=rows,
        finish_slip=finish_slip,
        current_finish=schedule.finish,
        baseline_finish=datetime.date.fromisoformat(base_finish) if base_finish else None,
    )


# --- period plans (季、月、旬) ----------------------------------------------------------------------


@dataclass
class PlanCell:
    computed: Decimal
    override: PeriodPlanOverride | None = None
    target: Decimal | None = None

    @property
    def value(self) -> Decimal:
        return self.override.value if self.override is not None else self.computed

    @property
    def percent(self) -> Decimal | None:
        """Share of the indicator's target, in percent with one decimal."""
        if not self.target:
            return None
        return (self.value * 100 / self.target).quantize(Decimal("0.1"))


@dataclass
class PlanRow:
    period: Period
    cells: list[PlanCell]  # one per indicator, in PeriodPlan.indicators order


@dataclass
class PeriodPlan:
    project: Project
    indicators: list[Indicator]
    source: str  # "基准计划第2版" or "当前计划"
    baseline: Baseline | None
    tables: dict[str, list[PlanRow]] = field(default_factory=dict)  # quarter / month / dekad
    problem: str = ""

    @property
    def kinds(self):
        return [(k, KIND_LABELS[k], self.tables.get(k, [])) for k in ("quarter", "month", "dekad")]


def accruals_from_schedule(schedule: Schedule, tasks: list[Task]) -> list[Accrual]:
    by_code = {t.code: t for t in tasks}
    out = []
    for t in schedule.tasks:
        model = by_code[t.code]
        if model.indicator_id and model.quantity is not None:
            out.append(Accrual(model.indicator_id, model.quantity, t.es, t.duration))
    return out


def accruals_from_baseline(baseline: Baseline) -> list[Accrual]:
    out = []
    for row in baseline.snapshot.get("tasks", []):
        if row.get("indicator_id") and row.get("quantity") is not None:
            out.append(Accrual(row["indicator_id"], Decimal(row["quantity"]), row["es"], row["duration"]))
    return out


def period_plan(
    project: Project, *, schedule: Schedule | None = None, tasks: list[Task] | None = None
) -> PeriodPlan:
    """Each indicator's planned cumulative quantity at the end of every quarter, month and ten-day period.

    From the latest baseline where one exists, else from the current early schedule; the office's
    overrides replace single figures.
    """
    indicators = list(Indicator.objects.filter(project=project).order_by("sort_order", "id"))
    baseline = baseline_latest(project)
    plan = PeriodPlan(
        project=project,
        indicators=indicators,
        baseline=baseline,
        source=f"基准计划第{baseline.number}版" if baseline else "当前计划",
    )
    if not indicators:
        plan.problem = "本项目没有目标指标"
        return plan
    if baseline is not None:
        axis = _baseline_axis(baseline, {})
        items = accruals_from_baseline(baseline)
        durations = {
            row["code"]: (row["es"], row["ef"], row["duration"]) for row in baseline.snapshot["tasks"]
        }
        finish_days = [(ef, d) for es, ef, d in durations.values()]
    else:
        try:
            if tasks is None:
                tasks = project_tasks(project)
            if schedule is None:
                schedule = project_schedule(project, tasks)
        except (ScheduleUnavailable, engine.ScheduleError) as exc:
            plan.problem = str(exc)
            return plan
        axis = schedule.axis
        items = accruals_from_schedule(schedule, tasks)
        finish_days = [(t.ef, t.duration) for t in schedule.tasks]
    if not items:
        plan.problem = "尚无关联指标和工程量的任务，无法分解进度计划"
        return plan
    first = axis.origin
    last = max(axis.finish_date(ef, d) for ef, d in finish_days)
    overrides = {
        (o.indicator_id, o.period): o
        for o in PeriodPlanOverride.objects.filter(indicator__in=indicators).select_related(
            "updated_by__person"
        )
    }
    # Only indicators some task delivers (or the office has planned by hand) get a column.
    planned = {item.key for item in items} | {key[0] for key in overrides}
    indicators = [ind for ind in indicators if ind.pk in planned]
    plan.indicators = indicators
    cache: dict[datetime.date, dict] = {}
    for kind in ("quarter", "month", "dekad"):
        rows = []
        for period in periods_between(first, last, kind):
            if period.end not in cache:
                cache[period.end] = cumulative_at(items, axis, period.end)
            totals = cache[period.end]
            rows.append(
                PlanRow(
                    period=period,
                    cells=[
                        PlanCell(
                            _round(totals.get(ind.pk, Decimal(0))),
                            overrides.get((ind.pk, period.key)),
                            ind.target,
                        )
                        for ind in indicators
                    ],
                )
            )
        plan.tables[kind] = rows
    return plan


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.001"))


def period_override_history(project: Project):
    from django.contrib.contenttypes.models import ContentType

    return (
        ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(PeriodPlanOverride),
            parent_type=ContentType.objects.get_for_model(Project),
            parent_id=project.pk,
        )
        .select_related("user__person")
        .order_by("-at", "-id")
    )


PERIOD_PLAN_HEADERS = [
    "项目编号",
    "项目名称",
    "指标名称",
    "计量单位",
    "目标值",
    "时段类型",
    "时段",
    "截止日期",
    "计划累计量",
    "完成比例",
    "已调整",
    "计划来源",
]


def period_plan_rows(projects: Iterable[Project]) -> list[list]:
    """Rows (under PERIOD_PLAN_HEADERS) of the ledger export's sheet 进度计划.

    The caller passes projects it got through project_list(user=...). Projects whose plan cannot be
    computed (no dates, no tasks with quantities) are left out.
    """
    out: list[list] = []
    for project in projects:
        plan = period_plan(project)
        if plan.problem:
            continue
        for _kind, kind_label, rows in plan.kinds:
            for row in rows:
                for indicator, cell in zip(plan.indicators, row.cells, strict=True):
                    value = cell.value
                    ratio = (
                        (value / indicator.target).quantize(Decimal("0.0001")) if indicator.target else None
                    )
                    out.append(
                        [
                            project.code,
                            project.name,
                            indicator.name,
                            indicator.unit_of_measure,
                            indicator.target,
                            kind_label,
                            row.period.label,
                            row.period.end,
                            value,
                            ratio,
                            "是" if cell.override is not None else "否",
                            plan.source,
                        ]
                    )
    return out
