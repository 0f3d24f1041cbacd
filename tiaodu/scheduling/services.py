"""Writes for scheduling. Keyword-only, atomic, validated, and recorded in the change log.

Changes to tasks, links, imports, baselines and period-plan overrides are recorded with the project as
parent, so they appear in the project's 变更记录. Holiday arrangements are recorded on their year.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.errors import NotAllowed
from tiaodu.projects.models import Indicator, Project
from tiaodu.scheduling import engine, identity, import_report
from tiaodu.scheduling.calendar import period_label
from tiaodu.scheduling.importers import ImportedTask, read_schedule_file
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
from tiaodu.scheduling.notice import NoticeError, parse_notice
from tiaodu.scheduling.permissions import (
    OFFICE_ONLY,
    calendar_can_enter,
    schedule_can_approve,
    schedule_can_edit,
)
from tiaodu.scheduling.selectors import (
    ScheduleUnavailable,
    baseline_snapshot,
    predecessors_text,
    project_schedule,
    project_tasks,
)

PREDECESSORS_LABEL = "紧前任务"


def _require_edit(user, project: Project) -> None:
    if not schedule_can_edit(user=user, obj=project):
        raise NotAllowed("您无权修改该项目的工期计划")


def _require_office(user, what: str, project: Project | None = None) -> None:
    if not schedule_can_approve(user=user, obj=project):
        raise NotAllowed(OFFICE_ONLY.format(what=what))


# --- the holiday calendar -------------------------------------------------------------------------


def _arrangement_view(arrangement: CalendarYear | None) -> dict[str, str] | None:
    if arrangement is None or arrangement.pk is None:
        return None
    days = list(arrangement.days.order_by("date"))
    return {
        "通知文号或标题": arrangement.notice,
        "放假日期": "、".join(f"{d.date:%m-%d}{d.name}" for d in days if d.kind == CalendarDay.Kind.HOLIDAY),
        "调休上班日期": "、".join(
            f"{d.date:%m-%d}{d.name}" for d in days if d.kind == CalendarDay.Kind.WORKDAY
        ),
    }


@transaction.atomic
def calendar_year_enter(*, user, year: int, text: str, notice: str = "", source: str = "web") -> CalendarYear:
    """Enter (or re-enter) a year's arrangement from the notice; replaces that year's days."""
    if not calendar_can_enter(user=user):
        raise NotAllowed(OFFICE_ONLY.format(what="录入节假日安排"))
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度应在2000至2100之间"})
    try:
        days = parse_notice(year, text)
    except NoticeError as exc:
        raise ValidationError({"text": exc.errors})
    clashes = (
        CalendarDay.objects.filter(date__in=[d.date for d in days])
        .exclude(arrangement__year=year)
        .select_related("arrangement")
    )
    problems = [
        f"第{next(d.line for d in days if d.date == c.date)}行：{c.date.isoformat()}已在{c.arrangement.year}年的安排中"
        for c in clashes
    ]
    if problems:
        raise ValidationError({"text": problems})
    arrangement = CalendarYear.objects.filter(year=year).first()
    before = _arrangement_view(arrangement)
    if arrangement is None:
        arrangement = CalendarYear(year=year)
    arrangement.source = CalendarYear.Source.OFFICE
    arrangement.notice = notice.strip()
    arrangement.entered_by = user
    arrangement.full_clean()
    arrangement.save()
    arrangement.days.all().delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(arrangement=arrangement, date=d.date, kind=d.kind, name=d.name) for d in days]
    )
    record_change(
        obj=arrangement, before=before, after=_arrangement_view(arrangement), user=user, source=source
    )
    return arrangement


# --- settings -------------------------------------------------------------------------------------


def _settings_for(project: Project) -> ProjectSchedule:
    settings, _ = ProjectSchedule.objects.get_or_create(project=project)
    return settings


@transaction.atomic
def schedule_mode_set(*, user, project: Project, mode: str, source: str = "web") -> ProjectSchedule:
    _require_edit(user, project)
    if mode not in CalendarMode.values:
        raise ValidationError({"mode": "请选择日历模式：" + "、".join(CalendarMode.labels)})
    settings = _settings_for(project)
    if mode == CalendarMode.FILE and not settings.file_data:
        raise ValidationError({"mode": "本项目的任务不是从 MS Project / P6 文件导入的，没有文件日历可用"})
    before = snapshot(settings, ProjectSchedule.TRACKED_FIELDS)
    settings.mode = mode
    settings.full_clean()
    settings.save()
    record_change(
        obj=settings,
        before=before,
        after=snapshot(settings, ProjectSchedule.TRACKED_FIELDS),
        user=user,
        source=source,
        parent=project,
    )
    return settings


# --- tasks ----------------------------------------------------------------------------------------


def _task_view(task: Task, links_text: str | None = None) -> dict[str, str]:
    view = snapshot(task, Task.TRACKED_FIELDS)
    view[PREDECESSORS_LABEL] = predecessors_text(task) if links_text is None else links_text
    return view


def _links_of(task: Task) -> list[engine.Link]:
    return [engine.Link(d.predecessor.code, d.type, d.lag) for d in task.predecessor_links.all()]


def parse_predecessors(text: str, *, known: set[str], own_code: str) -> list[engine.Link]:
    """The predecessors typed in a form; ValidationError on the `predecessors` field."""
    try:
        links = engine.parse_links(text, known=known)
    except ValueError as exc:
        raise ValidationError({"predecessors": str(exc)})
    seen = set()
    for link in links:
        if link.predecessor == own_code:
            raise ValidationError({"predecessors": f"任务不能以自身「{own_code}」为紧前任务"})
        if link.predecessor not in known:
            raise ValidationError({"predecessors": f"未知任务「{link.predecessor}」"})
        if (link.predecessor, link.type) in seen:  # two links of different types may join a pair
            raise ValidationError({"predecessors": f"紧前任务「{link.predecessor}」重复"})
        if abs(link.lag) > 10000:
            raise ValidationError({"predecessors": f"「{engine.format_link(link)}」的间隔过大"})
        seen.add((link.predecessor, link.type))
    return links


@transaction.atomic
def task_save(
    *,
    user,
    project: Project,
    data: dict[str, Any],
    predecessors: str | None = None,
    task: Task | None = None,
    source: str = "web",
) -> Task:
    """Create (task=None) or update a task and its predecessors (text like `3、4SS+2`; None keeps them)."""
    _require_edit(user, project)
    creating = task is None
    if creating:
        task = Task(project=project)
        last = Task.objects.filter(project=project).order_by("-sort_order").first()
        task.sort_order = (last.sort_order + 1) if last else 1
        before = None
    else:
        if task.project_id != project.pk:
            raise NotAllowed("任务不属于该项目")
        task = next(t for t in project_tasks(project) if t.pk == task.pk)
        before = _task_view(task)
    old_code = task.code
    for key, value in data.items():
        setattr(task, key, value)
    others = Task.objects.filter(project=project).exclude(pk=task.pk)
    if task.code and others.filter(code=task.code).exists():
        raise ValidationError({"code": f"任务编号「{task.code}」已存在"})
    task.full_clean(validate_constraints=False)
    known = set(others.values_list("code", flat=True))
    if predecessors is None:
        predecessors = "" if creating else predecessors_text(task)
    links = parse_predecessors(predecessors, known=known, own_code=task.code)
    replace = {task.code: (task.duration, links)}
    _check_network_renamed(project, replace, old_code=None if creating else old_code, new_code=task.code)
    _keep_file_duration(task, project)
    task.save()
    by_code = {t.code: t for t in others}
    # A link left as it was keeps its exact lag from the file.
    exact = {
        (d.predecessor.code, d.type, d.lag): d
        for d in Dependency.objects.filter(successor=task).select_related("predecessor")
    }
    Dependency.objects.filter(successor=task).delete()
    Dependency.objects.bulk_create([_dependency(by_code, task, link, exact) for link in links])
    after = _task_view(task, "、".join(engine.format_link(link) for link in links))
    record_change(obj=task, before=before, after=after, user=user, source=source, parent=project)
    return task


def _dependency(by_code, task: Task, link: engine.Link, exact: dict) -> Dependency:
    old = exact.get((link.predecessor, link.type, link.lag))
    return Dependency(
        predecessor=by_code[link.predecessor],
        successor=task,
        type=link.type,
        lag=link.lag,
        lag_minutes=old.lag_minutes if old is not None else None,
        lag_elapsed=old.lag_elapsed if old is not None else False,
        lag_percent=old.lag_percent if old is not None else None,
    )


def _keep_file_duration(task: Task, project: Project) -> None:
    """A file task whose days were edited: its exact duration becomes those days on its calendar."""
    if not task.detail or task.pk is None:
        return
    shown = Task.objects.filter(pk=task.pk).values_list("duration", flat=True).first()
    if shown == task.duration:
        return
    detail = dict(task.detail)
    file_data = _settings_for(project).file_data or {}
    calendars = file_data.get("calendars") or {}
    calendar = calendars.get(detail.get("calendar") or file_data.get("calendar") or "") or {}
    per_day = 1440 if detail.get("duration_elapsed") else int(calendar.get("minutes_per_day") or 480)
    detail["duration_minutes"] = task.duration * per_day
    detail["milestone"] = task.duration == 0
    task.detail = detail


def _check_network_renamed(project, replace, *, old_code, new_code):
    """Cycle check with the edited task; a renamed task keeps its successors' links."""
    tasks = {t.code: (t.duration, _links_of(t)) for t in project_tasks(project)}
    if old_code is not None and old_code != new_code:
        tasks.pop(old_code, None)
        tasks = {
            code: (
                d,
                [
                    engine.Link(
                        new_code if link.predecessor == old_code else link.predecessor, link.type, link.lag
                    )
                    for link in links
                ],
            )
            for code, (d, links) in tasks.items()
        }
    tasks.update(replace)
    inputs = [engine.TaskIn(code, d, links) for code, (d, links) in tasks.items()]
    try:
        engine.schedule(inputs, 0)
    except engine.CycleError as exc:
        raise ValidationError({"predecessors": str(exc)})


@transaction.atomic
def task_delete(*, user, task: Task, source: str = "web") -> None:
    project = task.project
    _require_edit(user, project)
    tasks = project_tasks(project)
    me = next(t for t in tasks if t.pk == task.pk)
    successors = [t for t in tasks if any(d.predecessor_id == me.pk for d in t.predecessor_links.all())]
    before_successors = {t.pk: _task_view(t) for t in successors}
    before = _task_view(me)
    me.delete()
    for t in successors:
        remaining = [d for d in t.predecessor_links.all() if d.predecessor_id != task.pk]
        after = snapshot(t, Task.TRACKED_FIELDS)
        after[PREDECESSORS_LABEL] = "、".join(
            engine.format_link(engine.Link(d.predecessor.code, d.type, d.lag)) for d in remaining
        )
        record_change(
            obj=t, before=before_successors[t.pk], after=after, user=user, source=source, parent=project
        )
    me.pk = task.pk
    record_change(obj=me, before=before, after=None, user=user, source=source, parent=project)


@transaction.atomic
def tasks_replace(
    *, user, project: Project, tasks: list[ImportedTask], filename: str = "", source: str = "import"
) -> int:
    """Replace all of the project's tasks (an import); one change record on the project's 工期计划."""
    return tasks_replace_keyed(user=user, project=project, tasks=tasks, filename=filename, source=source)[0]


def _check_import(tasks: list[ImportedTask]) -> None:
    inputs = [engine.TaskIn(t.code, t.duration, t.links, t.name, row=t.row) for t in tasks]
    try:
        engine.schedule(inputs, 0)
    except engine.ScheduleError as exc:
        raise ValidationError(str(exc))
    codes = [t.code for t in tasks]
    if len(set(codes)) != len(codes):
        raise ValidationError("任务编号重复")
    keys = [t.key for t in tasks if t.key]
    if len(set(keys)) != len(keys):
        raise ValidationError("文件中的任务唯一标识重复")


@transaction.atomic
def tasks_replace_keyed(
    *,
    user,
    project: Project,
    tasks: list[ImportedTask],
    filename: str = "",
    source: str = "import",
    keep_quantities: bool = False,
    file_data: dict | None = None,
) -> tuple[int, identity.Changes]:
    """tasks_replace, matching each task with the one it continues (tiaodu.scheduling.identity).

    keep_quantities: the file carries no indicators (MS Project / P6), so a matched task keeps its
    indicator and quantity. file_data: the file's calendars and summaries (None for .xlsx: cleared).
    """
    _require_edit(user, project)
    _check_import(tasks)
    settings = _settings_for(project)
    old = project_tasks(project)
    matched = identity.match(old, tasks)
    changes = identity.changes(old, tasks, matched)
    before = {"任务数": str(len(old)), "任务": _task_list_text(old)}
    Task.objects.filter(project=project).delete()
    rows = []
    for i, t in enumerate(tasks, start=1):
        indicator, quantity = t.indicator, t.quantity
        previous = matched.get(i - 1)
        if keep_quantities and previous is not None and indicator is None:
            indicator, quantity = previous.indicator, previous.quantity
            changes.kept_quantities += indicator is not None
        rows.append(
            Task(
                project=project,
                code=t.code,
                name=t.name[:200],
                duration=t.duration,
                indicator=indicator,
                quantity=quantity,
                sort_order=i,
                source_key=t.key,
                detail=t.detail,
            )
        )
    created = Task.objects.bulk_create(rows)
    if any(obj.pk is None for obj in created):  # backends that do not return ids
        created = list(Task.objects.filter(project=project).order_by("sort_order"))
    _create_links(tasks, {t.code: t for t in created})
    settings.file_data = file_data
    settings.save(update_fields=["file_data", "updated_at"])
    if file_data is None and settings.mode == CalendarMode.FILE:
        _file_mode_reset(settings, user=user, source=source, project=project)
    after = {"任务数": str(len(tasks)), "任务": _task_list_text(project_tasks(project))}
    if filename:
        before["导入文件"] = ""
        after["导入文件"] = filename
    record_change(obj=settings, before=before, after=after, user=user, source=source, parent=project)
    return len(tasks), changes


def _file_mode_reset(settings: ProjectSchedule, *, user, source: str, project: Project) -> None:
    """Tasks no longer from a file (an .xlsx import): 导入文件日历 has no calendar left, 法定工作日 instead."""
    before = snapshot(settings, ProjectSchedule.TRACKED_FIELDS)
    settings.mode = CalendarMode.STATUTORY
    settings.save(update_fields=["mode", "updated_at"])
    after = snapshot(settings, ProjectSchedule.TRACKED_FIELDS)
    record_change(obj=settings, before=before, after=after, user=user, source=source, parent=project)


def _create_links(tasks: list[ImportedTask], by_code: dict[str, Task]) -> None:
    links = []
    for t in tasks:
        for k, link in enumerate(t.links):
            exact = t.exact_lags[k] if k < len(t.exact_lags) else None
            links.append(
                Dependency(
                    predecessor=by_code[link.predecessor],
                    successor=by_code[t.code],
                    type=link.type,
                    lag=link.lag,
                    lag_minutes=exact.minutes if exact is not None else None,
                    lag_elapsed=exact.elapsed if exact is not None else False,
                    lag_percent=exact.percent if exact is not None else None,
                )
            )
    Dependency.objects.bulk_create(links, batch_size=1000)


def schedule_import(
    *, user, project: Project, path, filename: str = "", source: str = "import", choice: str | None = None
) -> tuple[int, list[str]]:
    """Read a schedule file and replace the project's tasks with it (all or nothing).

    Returns (number of tasks, notices); raises ScheduleFileError listing every problem (ProjectChoiceNeeded
    when the file holds several projects and `choice` names none of them), or NotAllowed. The import's
    report is kept (ScheduleImport; schedule_import_record returns it).
    """
    record = schedule_import_record(
        user=user, project=project, path=path, filename=filename, source=source, choice=choice
    )
    return record.report["counts"].get("任务", 0), record.report.get("notices", [])


def schedule_import_record(
    *, user, project: Project, path, filename: str = "", source: str = "import", choice: str | None = None
) -> ScheduleImport:
    """schedule_import, returning the kept ScheduleImport with its report."""
    _require_edit(user, project)
    read = read_schedule_file(path, project=project, filename=filename or None, choice=choice or None)
    with transaction.atomic():
        count, changes = tasks_replace_keyed(
            user=user,
            project=project,
            tasks=read.tasks,
            filename=filename,
            source=source,
            keep_quantities=not read.carries_indicators,
            file_data=read.file_data,
        )
        report = import_report.build(project=project, read=read, changes=changes, file_name=filename)
        return ScheduleImport.objects.create(
            project=project,
            file_name=(filename or "")[:255],
            file_format=read.file_format[:100],
            user=user if getattr(user, "pk", None) else None,
            report=report,
        )


def _task_list_text(tasks: list[Task], limit: int = 60) -> str:
    parts = [f"{t.code} {t.name}（{t.duration}天）" for t in tasks[:limit]]
    if len(tasks) > limit:
        parts.append(f"等共{len(tasks)}项")
    return "；".join(parts)


# --- baselines and period-plan overrides ----------------------------------------------------------


@transaction.atomic
def baseline_approve(*, user, project: Project, note: str = "", source: str = "web") -> Baseline:
    """审定: freeze the current schedule as the project's next baseline."""
    _require_office(user, "审定工期计划", project)
    tasks = project_tasks(project)
    if not tasks:
        raise ValidationError("该项目尚无任务，无法审定")
    try:
        schedule = project_schedule(project, tasks)
    except (ScheduleUnavailable, engine.ScheduleError) as exc:
        raise ValidationError(str(exc))
    last = Baseline.objects.filter(project=project).order_by("-number").first()
    baseline = Baseline(
        project=project,
        number=(last.number + 1) if last else 1,
        approved_by=user,
        note=note.strip()[:200],
        snapshot=baseline_snapshot(schedule, tasks),
    )
    baseline.full_clean()
    baseline.save()
    after = snapshot(baseline, Baseline.TRACKED_FIELDS)
    after.update(
        {
            "计划完工": schedule.finish.isoformat() if schedule.finish else "",
            "最小总时差": str(schedule.min_float),
            "任务数": str(len(tasks)),
        }
    )
    record_change(obj=baseline, before=None, after=after, user=user, source=source, parent=project)
    return baseline


def _override_view(o: PeriodPlanOverride | None) -> dict[str, str] | None:
    if o is None:
        return None
    return {"时段": period_label(o.period), **snapshot(o, PeriodPlanOverride.TRACKED_FIELDS)}


def _check_period(period: str) -> None:
    try:
        period_label(period)
        parts = period.split("-")
        year = int(parts[0])
        if not 2000 <= year <= 2100:
            raise ValueError
        if parts[1].startswith("Q"):
            ok = len(parts) == 2 and parts[1][1:] in "1234" and len(parts[1]) == 2
        else:
            ok = 1 <= int(parts[1]) <= 12 and (len(parts) == 2 or parts[2] in ("1", "2", "3"))
        if not ok:
            raise ValueError
    except (ValueError, IndexError, KeyError):
        raise ValidationError({"period": f"时段「{period}」无效"})


@transaction.atomic
def period_override_set(
    *, user, indicator: Indicator, period: str, value: Decimal, note: str = "", source: str = "web"
) -> PeriodPlanOverride:
    _require_office(user, "调整进度计划", indicator.project)
    _check_period(period)
    override = PeriodPlanOverride.objects.filter(indicator=indicator, period=period).first()
    before = _override_view(override)
    if override is None:
        override = PeriodPlanOverride(indicator=indicator, period=period)
    override.value = value
    override.note = note.strip()
    override.updated_by = user
    override.full_clean()
    override.save()
    record_change(
        obj=override,
        before=before,
        after=_override_view(override),
        user=user,
        source=source,
        parent=indicator.project,
    )
    return override


@transaction.atomic
def period_override_clear(*, user, override: PeriodPlanOverride, source: str = "web") -> None:
    """Drop an override: the computed figure applies again. Recorded as a deletion."""
    _require_office(user, "调整进度计划", override.indicator.project)
    before = _override_view(override)
    pk = override.pk
    project = override.indicator.project
    override.delete()
    override.pk = pk
    record_change(obj=override, before=before, after=None, user=user, source=source, parent=project)
