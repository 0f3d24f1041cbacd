"""Pages of weekly reporting (the dashboard is in dashboard_views.py).

Reads go through tiaodu.progress.selectors (which go through tiaodu.projects.selectors.project_list),
writes through tiaodu.progress.services. A report or project the user may not see is a 404; an action
the user may not take is a 403 with a Chinese message.
"""

from __future__ import annotations

import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tiaodu.core.forms import apply_service_errors
from tiaodu.core.params import choice_param
from tiaodu.core.uploads import check_upload_size
from tiaodu.core.views import history_context
from tiaodu.orgs.security import security_event_log
from tiaodu.progress import importer, selectors, services, settings_services
from tiaodu.progress.forms import CycleForm, ImportForm, ReportForm, ReportingUnitsForm
from tiaodu.progress.models import Report, ReportPhoto, ReportStatus
from tiaodu.progress.permissions import (
    CYCLE_DENIED,
    cycle_can_edit,
    report_can_edit,
    report_can_import,
    report_can_submit,
    reporting_units_can_edit,
)
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import project_list

PAGE_SIZE = 50


def _visible_project(request, code) -> Project:
    return get_object_or_404(
        project_list(user=request.user).select_related("lead_unit", "category"), code=code
    )


def _report(request, pk) -> Report:
    try:
        return selectors.report_get(user=request.user, pk=pk)
    except Report.DoesNotExist:
        raise Http404


# --- reporting --------------------------------------------------------------------------------------


def _last_figures(project, as_of=None, unit=None):
    """The figures a report form shows as 上次: for an indicator the unit holds a share of, its own."""
    return selectors.latest_figures(project, as_of=as_of, unit=unit)


def _form_initial(project, unit) -> dict:
    initial = {"as_of": selectors.today().isoformat()}
    last = selectors.latest_report(project, unit=unit) or selectors.latest_report(project)
    figures = _last_figures(project, unit=unit)
    for ind_id, (qty, _day) in figures.items():
        initial[services.quantity_key(ind_id)] = _plain(qty)
    if last is not None:
        if last.investment_done is not None:
            initial["investment_done"] = _plain(last.investment_done)
        initial["image_progress"] = last.image_progress
    return initial


def _plain(value) -> str:
    text = format(value.normalize(), "f")
    return text


def _report_input(form: ReportForm) -> services.ReportInput:
    d = form.cleaned_data
    return services.ReportInput(
        as_of=d["as_of"],
        figures=form.figures(),
        investment_done=d.get("investment_done"),
        image_progress=d.get("image_progress", ""),
        problems=d.get("problems", ""),
    )


def _save(request, form, project, report=None):
    """Save (and, for 提交, submit) the form; None when the service refused (errors put on the form)."""
    submit = request.POST.get("action") == "submit"
    try:
        with transaction.atomic():
            report = services.report_save_draft(
                user=request.user,
                project=project,
                data=_report_input(form),
                report=report,
                photos=form.cleaned_data.get("photos") or [],
            )
            warnings = report.warnings
            if submit:
                services.image_progress_check(
                    report=report, confirmed=form.cleaned_data.get("confirm_image_progress", False)
                )
                report = services.report_submit(user=request.user, report=report)
                warnings = report.warnings
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    for w in warnings:
        messages.warning(request, w)
    if submit:
        late = "（已过本周报送截止时间，记为逾期报送）" if report.late else ""
        messages.success(request, f"周报已提交，等待{project.lead_unit.name}审核{late}")
    else:
        messages.success(request, "草稿已保存，尚未提交")
    return report


def _carried(project, unit, form) -> dict:
    """Last week's report whose 形象进度 the form carries over, and whether the text is still unchanged."""
    as_of = form["as_of"].value()
    try:
        as_of = datetime.date.fromisoformat(str(as_of).strip()) if as_of else selectors.today()
    except ValueError:
        as_of = selectors.today()
    carried = selectors.carried_over_report(project, unit=unit, before=as_of)
    text = (carried.image_progress or "").strip() if carried else ""
    if not text:
        return {"carried": None}
    return {"carried": carried, "carried_same": (form["image_progress"].value() or "").strip() == text}


@login_required
def report_create(request, code):
    project = _visible_project(request, code)
    if not report_can_submit(user=request.user, obj=project):
        raise PermissionDenied(
            "您的单位不是该项目的填报单位，不能填报周报（牵头单位可在“填报单位”中添加属地单位）"
        )
    refusal = services.report_refusal(project)
    if refusal:
        messages.error(request, refusal)
        return redirect("project_reports", code=project.code)
    unit = selectors.acting_unit(user=request.user, project=project)
    indicators = list(project.indicators.all())
    last = _last_figures(project, unit=unit)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        indicators=indicators,
        last=last,
        shares=selectors.share_targets(project, unit),
        initial=None if request.method == "POST" else _form_initial(project, unit),
    )
    if request.method == "POST" and form.is_valid():
        report = _save(request, form, project)
        if report is not None:
            return redirect("report_detail", pk=report.pk)
    cycle = selectors.reporting_cycle()
    return render(
        request,
        "progress/report_form.html",
        {
            "form": form,
            "project": project,
            "unit": unit,
            "report": None,
            "cycle": cycle,
            "deadline": cycle.deadline_for(selectors.today()),
            "last_report": selectors.latest_report(project),
            **_carried(project, unit, form),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def report_edit(request, pk):
    report = _report(request, pk)
    if not report_can_edit(user=request.user, obj=report):
        if report.status != ReportStatus.DRAFT:
            messages.info(request, "已提交的周报不能直接修改，请点击“修改（生成新版本）”")
            return redirect("report_detail", pk=report.pk)
        raise PermissionDenied("您无权修改该草稿")
    project = report.project
    indicators = list(project.indicators.all())
    last = _last_figures(project, unit=report.reporting_unit)
    initial = {
        "as_of": report.as_of.isoformat(),
        "investment_done": _plain(report.investment_done) if report.investment_done is not None else "",
        "image_progress": report.image_progress,
        "problems": report.problems,
    }
    for f in report.figures.all():
        initial[services.quantity_key(f.indicator_id)] = _plain(f.quantity)
        initial[services.reason_key(f.indicator_id)] = f.decrease_reason
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        indicators=indicators,
        last=last,
        shares=selectors.share_targets(project, report.reporting_unit),
        initial=None if request.method == "POST" else initial,
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, project, report=report)
        if saved is not None:
            return redirect("report_detail", pk=saved.pk)
    cycle = selectors.reporting_cycle()
    return render(
        request,
        "progress/report_form.html",
        {
            "form": form,
            "project": project,
            "unit": report.reporting_unit,
            "report": report,
            "cycle": cycle,
            "deadline": cycle.deadline_for(report.as_of),
            "photos": list(report.photos.all()),
            "last_report": selectors.latest_report(project),
            **_carried(project, report.reporting_unit, form),
        },
        status=400 if request.method == "POST" else 200,
    )


def _action(request, pk, func, success, **kwargs):
    report = _report(request, pk)
    try:
        result = func(user=request.user, report=report, **kwargs)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("report_detail", pk=report.pk)
    for w in getattr(result, "warnings", []):
        messages.warning(request, w)
    messages.success(request, success)
    return result


def _submit_from_detail(*, user, report: Report) -> Report:
    """提交 on the report's page: last week's 形象进度 unchanged is confirmed on the form, not here."""
    if report.status == ReportStatus.DRAFT and report_can_edit(user=user, obj=report):
        try:
            services.image_progress_check(report=report, confirmed=False)
        except ValidationError as exc:
            raise ValidationError(
                [f"{m}（请点“修改草稿”在表单中修改或确认后提交）" for m in exc.messages]
            ) from exc
    return services.report_submit(user=user, report=report)


@login_required
@require_POST
def report_submit(request, pk):
    result = _action(request, pk, _submit_from_detail, "周报已提交，等待牵头单位审核")
    if isinstance(result, Report):
        return redirect("report_detail", pk=result.pk)
    return result


@login_required
@require_POST
def report_revise(request, pk):
    result = _action(request, pk, services.report_revise, "已生成新版本（草稿），修改后请提交")
    if isinstance(result, Report):
        return redirect("report_edit", pk=result.pk)
    return result


@login_required
@require_POST
def report_discard(request, pk):
    report = _report(request, pk)
    project = report.project
    try:
        services.report_discard(user=request.user, report=report)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("report_detail", pk=report.pk)
    messages.success(request, "草稿已删除")
    return redirect("project_reports", code=project.code)


@login_required
def report_photo(request, pk):
    photo = get_object_or_404(ReportPhoto.objects.select_related("report"), pk=pk)
    _report(request, photo.report_id)  # visibility of its report
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404
    response = FileResponse(handle, content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def report_photo_delete(request, pk):
    photo = get_object_or_404(ReportPhoto.objects.select_related("report__project"), pk=pk)
    report = _report(request, photo.report_id)
    services.photo_remove(user=request.user, photo=photo)
    messages.success(request, "照片已删除")
    return redirect("report_edit", pk=report.pk)


# --- lists ------------------------------------------------------------------------------------------


@login_required
def report_mine(request):
    user = request.user
    as_of = selectors.today()
    cycle = selectors.reporting_cycle()
    due = selectors.reports_due(user=user, as_of=as_of)
    status = choice_param(request.GET, "status", ReportStatus.values, label="状态", strict=False) or ""
    returned_open = request.GET.get("returned") == "open"  # 我的待办: returned, not yet resubmitted
    reports = (selectors.reports_returned_open if returned_open else selectors.my_reports)(user=user)
    reports = reports.order_by("-as_of", "-id")
    if status:
        reports = reports.filter(status=status)
    missing_only = request.GET.get("due") == "missing"  # 我的待办: only the projects missing their report
    paginator = Paginator(reports, PAGE_SIZE)
    return render(
        request,
        "progress/report_list.html",
        {
            "due": [d for d in due.projects if d.due] if missing_only else due.projects,
            "missing_only": missing_only,
            "returned_open": returned_open,
            "due_total": due.total,
            "page": paginator.get_page(request.GET.get("page")),
            "paginator": paginator,
            "status": status,
            "statuses": ReportStatus.choices,
            "cycle": cycle,
            "deadline": cycle.deadline_for(as_of),
            "due_open": due.missing,
            "due_unit": due.unit_due,
            "queue_count": selectors.verify_queue(user=user).count(),
        },
    )


@login_required
def project_reports(request, code):
    project = _visible_project(request, code)
    reports = (
        selectors.report_list(user=request.user)
        .filter(project=project)
        .select_related("reporting_unit", "submitted_by__person", "verified_by__person")
        .order_by("-as_of", "-revision", "-id")
    )
    paginator = Paginator(reports, PAGE_SIZE)
    units = selectors.reporting_units(project)
    return render(
        request,
        "progress/project_reports.html",
        {
            "project": project,
            "page": paginator.get_page(request.GET.get("page")),
            "paginator": paginator,
            "units": units,
            "can_report": report_can_submit(user=request.user, obj=project),
            "can_set_units": reporting_units_can_edit(user=request.user, obj=project),
            "as_of": selectors.today(),
        },
    )


@login_required
def reporting_units_edit(request, code):
    project = _visible_project(request, code)
    if not reporting_units_can_edit(user=request.user, obj=project):
        raise PermissionDenied("只有牵头单位或领导小组办公室可以设置填报单位")
    current = [u for u in selectors.reporting_units(project) if u.pk != project.lead_unit_id]
    form = ReportingUnitsForm(request.POST or None, project=project, initial={"units": current})
    if request.method == "POST" and form.is_valid():
        try:
            settings_services.reporting_units_set(
                user=request.user, project=project, units=form.cleaned_data["units"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "填报单位已保存")
            return redirect("project_reports", code=project.code)
    return render(request, "progress/reporting_units.html", {"form": form, "project": project})


# --- import and settings ----------------------------------------------------------------------------


@login_required
def report_import(request):
    user = request.user
    if not report_can_import(user=user):
        raise PermissionDenied("您的单位没有需要填报周报的项目")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload_size(upload.size, setting="REPORT_IMPORT_MAX_BYTES", field="file")
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            result = importer.reports_import(user=user, path_or_file=upload.file, source="import")
            security_event_log(
                kind="import", request=request, target=f"周报「{upload.name}」", detail=result.summary()
            )
            if result.ok:
                for w in result.warnings:
                    messages.warning(request, w)
                messages.success(request, result.summary())
                return redirect("report_mine")
    return render(
        request,
        "progress/import.html",
        {
            "form": form,
            "result": result,
            "headers": importer.HEADERS,
        },
        status=400 if result is not None and not result.ok else 200,
    )


@login_required
def report_import_template(request):
    rows = importer.template_rows(user=request.user, as_of=selectors.today())
    security_event_log(kind="export", request=request, target="周报导入模板（含本单位项目）")
    book = importer.template_workbook(rows)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E5%91%A8%E6%8A%A5.xlsx"
    return response


@login_required
def cycle_edit(request):
    if not cycle_can_edit(user=request.user):
        raise PermissionDenied(CYCLE_DENIED)
    cycle = selectors.reporting_cycle()
    form = CycleForm(request.POST or None, instance=selectors.reporting_cycle())
    if request.method == "POST" and form.is_valid():
        try:
            settings_services.cycle_update(user=request.user, data=dict(form.cleaned_data))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "报送周期与滞后阈值已保存")
            return redirect("progress_dashboard")
    return render(
        request,
        "progress/cycle_form.html",
        {"form": form, "cycle": cycle, **(history_context(cycle) if cycle.pk and cycle.updated_at else {})},
    )
