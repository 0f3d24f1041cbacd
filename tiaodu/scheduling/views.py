"""Pages: a project's schedule (Gantt, tasks), period plans, baselines, import; the holiday calendar.

Reads go through selectors (a project the user may not see is a 404), writes through services
(an edit the user may not make is a 403).
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tiaodu.core.forms import apply_service_errors
from tiaodu.core.headers import csp_allow_style_attributes
from tiaodu.core.params import choice_param, int_param
from tiaodu.core.views import history_context
from tiaodu.orgs.security import security_event_log
from tiaodu.projects.models import Project
from tiaodu.scheduling import engine, selectors, services
from tiaodu.scheduling.calendar import MODE_LABELS
from tiaodu.scheduling.forms import (
    ApproveForm,
    CalendarYearForm,
    ModeForm,
    OverrideForm,
    TaskForm,
)
from tiaodu.scheduling.importers import template_workbook
from tiaodu.scheduling.models import CalendarDay, CalendarYear, PeriodPlanOverride, Task
from tiaodu.scheduling.notice import format_notice
from tiaodu.scheduling.permissions import (
    OFFICE_ONLY,
    calendar_can_enter,
    schedule_can_approve,
    schedule_can_edit,
)

# --- helpers --------------------------------------------------------------------------------------


def _project(request, code) -> Project:
    try:
        return selectors.visible_project(user=request.user, code=code)
    except Project.DoesNotExist:
        raise Http404("项目不存在或无权查看")


def _editable(request, code) -> Project:
    project = _project(request, code)
    if not schedule_can_edit(user=request.user, obj=project):
        raise PermissionDenied(
            "您可以查看该项目的工期计划，但无权修改（只有牵头单位、属地单位和领导小组办公室可以修改）"
        )
    return project


def _office(request, project) -> None:
    if not schedule_can_approve(user=request.user, obj=project):
        raise PermissionDenied(OFFICE_ONLY.format(what="执行此操作"))


def _base_context(request, project, tab: str) -> dict:
    return {
        "project": project,
        "tab": tab,
        "can_edit": schedule_can_edit(user=request.user, obj=project),
        "can_approve": schedule_can_approve(user=request.user, obj=project),
        "settings": selectors.schedule_settings(project),
    }


def _compute(project, tasks):
    """(schedule, error message)."""
    try:
        return selectors.project_schedule(project, tasks), ""
    except (selectors.ScheduleUnavailable, engine.ScheduleError) as exc:
        return None, str(exc)


def _gantt_data(schedule, calendar) -> dict:
    """What static/scheduling/gantt.js draws: tasks for frappe-gantt, the deadline, non-working days."""
    ids = {t.code: f"t{i}" for i, t in enumerate(schedule.tasks)}
    tasks = []
    for t in schedule.tasks:
        # frappe-gantt takes one class per bar.
        css = "td-negative" if t.total_float < 0 else "td-critical" if t.critical else "td-normal"
        if t.milestone:
            css += "-ms"
        tasks.append(
            {
                "id": ids[t.code],
                "name": f"{t.code} {t.name}",
                "start": t.early_start.isoformat(),
                "end": t.early_finish.isoformat(),
                "progress": 0,
                "dependencies": ",".join(ids[link.predecessor] for link in t.predecessors),
                "custom_class": css,
                "td": {
                    "code": t.code,
                    "name": t.name,
                    "duration": t.duration,
                    "early_start": t.early_start.isoformat(),
                    "early_finish": t.early_finish.isoformat(),
                    "late_start": t.late_start.isoformat(),
                    "late_finish": t.late_finish.isoformat(),
                    "total_float": t.total_float,
                    "critical": t.critical,
                },
            }
        )
    # A last row marks the deadline (and keeps it inside the chart's range).
    tasks.append(
        {
            "id": "deadline",
            "name": f"完成时限 {schedule.deadline.isoformat()}",
            "start": schedule.deadline.isoformat(),
            "end": schedule.deadline.isoformat(),
            "progress": 0,
            "dependencies": "",
            "custom_class": "td-deadline",
            "td": {"deadline": schedule.deadline.isoformat()},
        }
    )
    first = min([schedule.start] + [t.early_start for t in schedule.tasks])
    last = max([schedule.deadline] + [t.early_finish for t in schedule.tasks])
    lo, hi = first - datetime.timedelta(days=120), last + datetime.timedelta(days=120)
    span_days = (last - first).days
    return {
        "tasks": tasks,
        "deadline": schedule.deadline.isoformat(),
        "start": schedule.start.isoformat(),
        "continuous": schedule.mode == "continuous",
        "weekdays": sorted(calendar.weekdays),
        "holidays": sorted(d.isoformat() for d in calendar.holidays if lo <= d <= hi),
        "workdays": sorted(d.isoformat() for d in calendar.workdays if lo <= d <= hi),
        "view_mode": "Day" if span_days <= 90 else "Week" if span_days <= 400 else "Month",
    }


# --- the schedule page ----------------------------------------------------------------------------

# The fixed style attributes frappe-gantt writes into the chart's SVG (the days-off and deadline colours
# gantt.js gives it, its hatch pattern, ignored dates): the page's Content-Security-Policy allows exactly
# these and no other inline style.
GANTT_STYLE_ATTRIBUTES = (
    "fill: var(--td-gantt-off);",
    "fill: var(--td-gantt-deadline);",
    "stroke:grey; stroke-width:0.3",
    "fill: url(#diagonalHatch);",
)


@login_required
@csp_allow_style_attributes(*GANTT_STYLE_ATTRIBUTES)
def schedule_detail(request, code):
    project = _project(request, code)
    tasks = selectors.project_tasks(project)
    schedule, error = _compute(project, tasks)
    context = _base_context(request, project, "gantt")
    by_code = {t.code: t for t in tasks}
    rows = []
    if schedule is not None:
        for t in schedule.tasks:
            rows.append(
                {
                    "task": by_code[t.code],
                    "s": t,
                    "predecessors": selectors.predecessors_text(by_code[t.code]),
                }
            )
    else:
        rows = [{"task": t, "s": None, "predecessors": selectors.predecessors_text(t)} for t in tasks]
    baseline = selectors.baseline_latest(project)
    comparison = None
    if schedule is not None and baseline is not None:
        comparison = selectors.baseline_comparison(schedule, baseline, tasks)
    context.update(
        {
            "schedule": schedule,
            "error": error,
            "rows": rows,
            "baseline": baseline,
            "comparison": comparison,
            "mode_form": ModeForm(
                initial={"mode": context["settings"].mode},
                has_file_calendar=bool(context["settings"].file_data),
            ),
            "imports": list(selectors.schedule_imports(project)[:10]),
            "mode_label": MODE_LABELS[context["settings"].mode],
            "gantt": _gantt_data(schedule, schedule.axis.calendar) if schedule and schedule.tasks else None,
            "start_moved": schedule is not None and project.planned_start != schedule.start,
            **history_context(project),
        }
    )
    return render(request, "scheduling/schedule_detail.html", context)


@login_required
@require_POST
def schedule_mode(request, code):
    project = _editable(request, code)
    settings = selectors.schedule_settings(project)
    form = ModeForm(request.POST, has_file_calendar=bool(settings.file_data))
    if form.is_valid():
        services.schedule_mode_set(user=request.user, project=project, mode=form.cleaned_data["mode"])
        messages.success(request, f"日历模式已改为「{MODE_LABELS[form.cleaned_data['mode']]}」")
    else:
        choices = "、".join(label for _value, label in form.fields["mode"].choices)
        messages.error(request, f"请选择日历模式：{choices}")
    return redirect("schedule_detail", code=project.code)


@login_required
def task_edit(request, code, pk=None):
    project = _editable(request, code)
    task = None
    if pk is not None:
        task = get_object_or_404(Task.objects.filter(project=project), pk=pk)
        instance = Task.objects.get(pk=pk)
        links = selectors.predecessors_text(next(t for t in selectors.project_tasks(project) if t.pk == pk))
    else:
        instance = Task(project=project)
        links = ""
    form = TaskForm(request.POST or None, instance=instance, project=project, predecessors_initial=links)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("code", "name", "duration", "indicator", "quantity")}
        try:
            saved = services.task_save(
                user=request.user,
                project=project,
                task=task,
                data=data,
                predecessors=form.cleaned_data["predecessors"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"任务「{saved.code} {saved.name}」已保存")
            return redirect(reverse("schedule_detail", args=[project.code]) + "#tasks")
    existing = [t for t in selectors.project_tasks(project) if task is None or t.pk != task.pk]
    return render(
        request,
        "scheduling/task_form.html",
        {**_base_context(request, project, "gantt"), "form": form, "task": task, "existing": existing},
    )


@login_required
@require_POST
def task_delete(request, code, pk):
    project = _editable(request, code)
    task = get_object_or_404(Task.objects.filter(project=project).select_related("project"), pk=pk)
    label = f"{task.code} {task.name}"
    services.task_delete(user=request.user, task=task)
    messages.success(request, f"已删除任务「{label}」")
    return redirect(reverse("schedule_detail", args=[project.code]) + "#tasks")


# --- import (the upload and its report: tiaodu.scheduling.import_views) -----------------------------


@login_required
def schedule_template(request, code):
    project = _project(request, code)
    wb = template_workbook(project)
    security_event_log(kind="export", request=request, target=f"{project.code} 工期计划")
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"{project.code}-工期计划.xlsx"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- period plans ---------------------------------------------------------------------------------


PLAN_KINDS = ("quarter", "month", "dekad")


@login_required
def period_plan_view(request, code):
    project = _project(request, code)
    plan = selectors.period_plan(project)
    can_approve = schedule_can_approve(user=request.user, obj=project)
    form = None
    if can_approve and not plan.problem:
        periods = [row.period for _, _, rows in plan.kinds for row in rows]
        form = OverrideForm(request.POST or None, indicators=plan.indicators, periods=periods)
        if request.method == "POST":
            if form.is_valid():
                indicator = next(i for i in plan.indicators if i.pk == form.cleaned_data["indicator"])
                try:
                    services.period_override_set(
                        user=request.user,
                        indicator=indicator,
                        period=form.cleaned_data["period"],
                        value=form.cleaned_data["value"],
                        note=form.cleaned_data["note"],
                    )
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    messages.success(request, "进度计划已调整")
                    return redirect("schedule_plan", code=project.code)
    elif request.method == "POST":
        raise PermissionDenied(OFFICE_ONLY.format(what="调整进度计划"))
    kind = choice_param(request.GET, "kind", PLAN_KINDS, label="计划周期", default="month", strict=False)
    return render(
        request,
        "scheduling/period_plan.html",
        {
            **_base_context(request, project, "plan"),
            "plan": plan,
            "form": form,
            "kind": kind,
            "override_history": list(selectors.period_override_history(project)[:50]),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def period_override_clear(request, code, pk):
    project = _project(request, code)
    _office(request, project)
    override = get_object_or_404(PeriodPlanOverride.objects.filter(indicator__project=project), pk=pk)
    services.period_override_clear(user=request.user, override=override)
    messages.success(request, "已恢复为按计划计算的数值")
    kind = choice_param(request.POST, "kind", PLAN_KINDS, label="计划周期", default="month", strict=False)
    return redirect(reverse("schedule_plan", args=[project.code]) + f"?kind={kind}")


# --- baselines ------------------------------------------------------------------------------------


@login_required
def baseline_view(request, code):
    project = _project(request, code)
    baselines = list(selectors.baseline_list(project))
    chosen = baselines[0] if baselines else None
    number = int_param(request.GET, "n", label="基线序号", strict=False)
    if number is not None:
        chosen = next((b for b in baselines if b.number == number), chosen)
    tasks = selectors.project_tasks(project)
    schedule, error = _compute(project, tasks)
    comparison = (
        selectors.baseline_comparison(schedule, chosen, tasks) if schedule is not None and chosen else None
    )
    return render(
        request,
        "scheduling/baseline.html",
        {
            **_base_context(request, project, "baseline"),
            "baselines": baselines,
            "chosen": chosen,
            "comparison": comparison,
            "schedule": schedule,
            "error": error,
            "form": ApproveForm(),
        },
    )


@login_required
@require_POST
def baseline_approve(request, code):
    project = _project(request, code)
    _office(request, project)
    form = ApproveForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        baseline = services.baseline_approve(user=request.user, project=project, note=note)
    except ValidationError as exc:
        messages.error(request, "无法审定：" + "；".join(exc.messages))
    else:
        messages.success(request, f"已审定，保存为基准计划第{baseline.number}版")
    return redirect("schedule_baseline", code=project.code)


# --- the holiday calendar -------------------------------------------------------------------------


@login_required
def calendar_list(request):
    years = selectors.calendar_years()
    today = timezone.localdate()
    missing_soon = [y.year for y in years if not y.entered and y.year <= today.year + 1]
    return render(
        request,
        "scheduling/calendar_list.html",
        {
            "years": years,
            "can_enter": calendar_can_enter(user=request.user),
            "missing_soon": missing_soon,
        },
    )


# The years the calendar form accepts; any other year in the address is a 404, not a date error.
CALENDAR_YEARS = (
    CalendarYearForm.base_fields["year"].min_value,
    CalendarYearForm.base_fields["year"].max_value,
)


def _month_grid(year: int, month: int, days: dict[datetime.date, CalendarDay], entered: bool):
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for d in week:
            if d.month != month:
                cells.append(None)
                continue
            entry = days.get(d)
            if entry is not None and entry.kind == CalendarDay.Kind.HOLIDAY:
                state = "holiday"
            elif entry is not None:
                state = "workday"
            elif d.weekday() >= 5:
                state = "weekend"
            else:
                state = "normal"
            cells.append({"date": d, "state": state, "name": entry.name if entry else ""})
        weeks.append(cells)
    return {"month": month, "weeks": weeks}


@login_required
def calendar_year(request, year: int):
    if not CALENDAR_YEARS[0] <= year <= CALENDAR_YEARS[1]:
        raise Http404("没有该年度的节假日安排")
    arrangement = CalendarYear.objects.filter(year=year).select_related("entered_by__person").first()
    days = list(selectors.calendar_year_days(year=year))
    # Dates of this year set by the neighbouring year's notice (e.g. a make-up day for New Year) show too.
    by_date = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    months = [_month_grid(year, m, by_date, arrangement is not None) for m in range(1, 13)]
    return render(
        request,
        "scheduling/calendar_year.html",
        {
            "year": year,
            "arrangement": arrangement,
            "days": days,
            "months": months,
            "can_enter": calendar_can_enter(user=request.user),
            "history": history_context(arrangement)["history"] if arrangement else [],
            "history_ct_id": history_context(arrangement)["history_ct_id"] if arrangement else None,
        },
    )


@login_required
def calendar_enter(request):
    if not calendar_can_enter(user=request.user):
        raise PermissionDenied(OFFICE_ONLY.format(what="录入节假日安排"))
    posted = request.method == "POST"
    year = int_param(
        request.POST if posted else request.GET,
        "year",
        label="年度",
        minimum=2000,
        maximum=2100,
        strict=not posted,
    )
    initial = {}
    if year is not None:
        initial["year"] = year
        existing = CalendarYear.objects.filter(year=year).first()
        if existing is not None:
            initial["notice"] = existing.notice
            initial["text"] = format_notice(existing.days.order_by("date"))
    form = CalendarYearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            arrangement = services.calendar_year_enter(
                user=request.user,
                year=form.cleaned_data["year"],
                text=form.cleaned_data["text"],
                notice=form.cleaned_data["notice"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            count = arrangement.days.count()
            messages.success(request, f"已录入{arrangement.year}年节假日安排（{count}个日期）")
            return redirect("calendar_year", year=arrangement.year)
    return render(
        request,
        "scheduling/calendar_form.html",
        {"form": form, "status": 400 if form.errors else 200},
        status=400 if form.errors else 200,
    )
