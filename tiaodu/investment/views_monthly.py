"""Pages of the monthly investment figures (月度投资统计): the list, the batch form (填报), a figure with
its revisions, the verification queue, and the actions (submit, verify, return, revise, discard).

Reads through tiaodu.investment.selectors_monthly, writes through tiaodu.investment.services_monthly. A
figure the user may not see is a 404; an action the user may not take a 403 with a Chinese message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tiaodu.core.params import BadParameter, choice_param, id_param, text_param
from tiaodu.investment import selectors_monthly, services_monthly
from tiaodu.investment.models import MonthlyInvestment
from tiaodu.investment.permissions import (
    VERIFIER,
    monthly_can_edit,
    monthly_can_revise,
    monthly_can_submit,
    monthly_can_verify,
)
from tiaodu.investment.selectors import investment_settings
from tiaodu.progress.models import ReportStatus

PAGE_SIZE = 50
QUEUE_LIMIT = 200


def _figure(request, pk) -> MonthlyInvestment:
    try:
        return selectors_monthly.monthly_get(user=request.user, pk=pk)
    except MonthlyInvestment.DoesNotExist:
        raise Http404


def month_param(params, name="month", *, strict=False) -> tuple[int, int] | None:
    """(year, month) from ?month=YYYY-MM; None when absent (or, not strict, when wrong)."""
    raw = text_param(params, name, label="年月", max_length=20, strict=strict)
    if not raw:
        return None
    try:
        return services_monthly.parse_period(raw)
    except ValidationError as exc:
        if strict:
            raise BadParameter(name, exc.message_dict["month"][0])
        return None


def _month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


@login_required
def monthly_list(request):
    user = request.user
    period = month_param(request.GET)
    status = choice_param(request.GET, "status", ReportStatus.values, label="状态", strict=False) or ""
    code = text_param(request.GET, "project", label="项目编号", max_length=50, strict=False)
    rows = selectors_monthly.monthly_list(user=user).select_related(*selectors_monthly.RELATED)
    if period:
        rows = rows.filter(year=period[0], month=period[1])
    if status:
        rows = rows.filter(status=status)
    if code:
        rows = rows.filter(project__code=code)
    paginator = Paginator(rows.order_by("-year", "-month", "project__code", "-revision"), PAGE_SIZE)
    today = timezone.localdate()
    return render(
        request,
        "investment/monthly_list.html",
        {
            "page": paginator.get_page(request.GET.get("page")),
            "paginator": paginator,
            "month": _month_text(*period) if period else "",
            "status": status,
            "project": code,
            "statuses": ReportStatus.choices,
            "can_submit": monthly_can_submit(user=user),
            "can_verify": monthly_can_verify(user=user),
            "queue_count": selectors_monthly.monthly_verify_queue(user=user).count(),
            "settings": investment_settings(),
            "this_month": _month_text(today.year, today.month),
        },
    )


def _batch_unit(request):
    user = request.user
    if not user.manages_all:
        return user.unit
    unit_id = id_param(request.GET, "unit", label="单位", strict=False)
    units = selectors_monthly.lead_units(user=user)
    return next((u for u in units if u.pk == unit_id), units[0] if units else None)


@login_required
def monthly_batch(request):
    """填报: one row per project the unit leads, 当月完成投资 of one month; errors beside each row."""
    user = request.user
    if not monthly_can_submit(user=user):
        raise PermissionDenied("只有项目牵头单位或领导小组办公室可以填报月度投资")
    today = timezone.localdate()
    year, month = month_param(request.GET) or (today.year, today.month)
    unit = _batch_unit(request)
    if unit is None:
        raise Http404
    projects = list(selectors_monthly.led_projects(user=user, unit=unit))
    errors, status = {}, 200
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        pairs = [(p, request.POST.get(services_monthly.amount_key(p.pk), "")) for p in projects]
        try:
            saved = services_monthly.monthly_batch_save(
                user=user, year=year, month=month, rows=pairs, submit=submit
            )
        except ValidationError as exc:
            errors = {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
            status = 400
        else:
            late = sum(1 for f in saved if f.late)
            late_text = f"（其中{late}条已过截止日，记为逾期报送）" if late else ""
            verb = f"已提交，等待{VERIFIER}审核" if submit else "草稿已保存，尚未提交"
            messages.success(request, f"{year}年{month}月完成投资{len(saved)}条{verb}{late_text}")
            return redirect(f"{request.path}?month={_month_text(year, month)}&unit={unit.pk}")
    latest = selectors_monthly.latest_by_project([p.pk for p in projects], year=year, month=month)
    rows = []
    for p in projects:
        key = services_monthly.amount_key(p.pk)
        figure = latest.get(p.pk)
        value = request.POST.get(key, "") if request.method == "POST" else ""
        if request.method != "POST" and figure is not None and figure.status == ReportStatus.DRAFT:
            value = format(figure.amount.normalize(), "f")
        rows.append(
            {"project": p, "key": key, "figure": figure, "value": value, "errors": errors.get(key, [])}
        )
    settings = investment_settings()
    return render(
        request,
        "investment/monthly_batch.html",
        {
            "rows": rows,
            "unit": unit,
            "units": selectors_monthly.lead_units(user=user) if user.manages_all else [],
            "year": year,
            "month": month,
            "month_text": _month_text(year, month),
            "max_month": _month_text(today.year, today.month),
            "form_errors": errors.get("__all__", []) + errors.get("month", []),
            "deadline_day": settings.deadline_day,
        },
        status=status,
    )


def _detail_context(request, figure, *, note_errors=(), note=""):
    user = request.user
    thread = [
        r
        for r in selectors_monthly.monthly_thread(figure)
        if r.status != ReportStatus.DRAFT or r.pk == figure.pk or monthly_can_edit(user=user, obj=r)
    ]
    latest = thread[0] if thread else figure
    return {
        "figure": figure,
        "project": figure.project,
        "thread": thread,
        "can_edit": monthly_can_edit(user=user, obj=figure),
        "can_verify": (
            figure.status == ReportStatus.SUBMITTED
            and figure.counted
            and monthly_can_verify(user=user, obj=figure)
        ),
        "can_revise": (
            figure.status != ReportStatus.DRAFT
            and latest.pk == figure.pk
            and monthly_can_revise(user=user, obj=figure)
        ),
        "verifier": VERIFIER,
        "note_errors": list(note_errors),
        "note": note,
        "deadline_day": investment_settings().deadline_day,
    }


@login_required
def monthly_detail(request, pk):
    figure = _figure(request, pk)
    return render(request, "investment/monthly_detail.html", _detail_context(request, figure))


@login_required
@require_POST
def monthly_edit(request, pk):
    """Save the draft's amount and note (and, with action=submit, submit it); errors beside the field."""
    figure = _figure(request, pk)
    if not monthly_can_edit(user=request.user, obj=figure):
        if figure.status != ReportStatus.DRAFT:
            messages.error(request, "已提交的月度投资不能直接修改，请点击“修改（生成新版本）”")
            return redirect("investment:monthly_detail", pk=figure.pk)
        raise PermissionDenied("您无权修改该草稿")
    amount, note = request.POST.get("amount", ""), request.POST.get("note", "")
    try:
        figure = services_monthly.monthly_save_draft(
            user=request.user,
            project=figure.project,
            year=figure.year,
            month=figure.month,
            amount=amount,
            note=note,
            figure=figure,
        )
        if request.POST.get("action") == "submit":
            figure = services_monthly.monthly_submit(user=request.user, figure=figure)
    except ValidationError as exc:
        context = _detail_context(request, figure)
        errors = dict(exc.message_dict) if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        errors["general"] = errors.pop("__all__", []) + errors.pop("month", [])
        context.update({"edit_errors": errors, "amount_value": amount, "note_value": note})
        return render(request, "investment/monthly_detail.html", context, status=400)
    if figure.status == ReportStatus.SUBMITTED:
        late = "（已过截止日，记为逾期报送）" if figure.late else ""
        messages.success(request, f"已提交，等待{VERIFIER}审核{late}")
    else:
        messages.success(request, "草稿已保存，尚未提交")
    return redirect("investment:monthly_detail", pk=figure.pk)


def _action(request, pk, func, success, **kwargs):
    figure = _figure(request, pk)
    try:
        result = func(user=request.user, figure=figure, **kwargs)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("investment:monthly_detail", pk=figure.pk)
    if success:
        messages.success(request, success)
    return redirect("investment:monthly_detail", pk=result.pk)


@login_required
@require_POST
def monthly_submit(request, pk):
    return _action(request, pk, services_monthly.monthly_submit, f"已提交，等待{VERIFIER}审核")


@login_required
@require_POST
def monthly_revise(request, pk):
    return _action(request, pk, services_monthly.monthly_revise, "已生成新版本（草稿），修改后请提交")


@login_required
@require_POST
def monthly_return(request, pk):
    reason = request.POST.get("reason", "")
    return _action(
        request, pk, services_monthly.monthly_return, "已退回，牵头单位修改后可重新提交", reason=reason
    )


@login_required
@require_POST
def monthly_verify(request, pk):
    """审核通过 from the figure's page or the queue; a missing note (required when flagged) is shown
    beside the 审核意见 field."""
    figure = _figure(request, pk)
    note = request.POST.get("note", "")
    from_queue = request.POST.get("next") == "queue"
    try:
        services_monthly.monthly_verify(user=request.user, figure=figure, note=note)
    except ValidationError as exc:
        errors = getattr(exc, "message_dict", {})
        if "note" not in errors:
            for m in exc.messages:
                messages.error(request, m)
            if from_queue:
                return redirect("investment:monthly_queue")
            return redirect("investment:monthly_detail", pk=figure.pk)
        if from_queue:
            context = _queue_context(
                request, note_errors={figure.pk: errors["note"]}, notes={figure.pk: note}
            )
            return render(request, "investment/monthly_queue.html", context, status=400)
        context = _detail_context(request, figure, note_errors=errors["note"], note=note)
        return render(request, "investment/monthly_detail.html", context, status=400)
    messages.success(request, "已审核通过")
    if from_queue:
        return redirect("investment:monthly_queue")
    return redirect("investment:monthly_detail", pk=figure.pk)


@login_required
@require_POST
def monthly_discard(request, pk):
    figure = _figure(request, pk)
    try:
        services_monthly.monthly_discard(user=request.user, figure=figure)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("investment:monthly_detail", pk=figure.pk)
    messages.success(request, "草稿已删除")
    return redirect("investment:monthly_list")


def _queue_context(request, *, note_errors=None, notes=None) -> dict:
    user = request.user
    read_only = not monthly_can_verify(user=user)
    queue = (selectors_monthly.monthly_pending if read_only else selectors_monthly.monthly_verify_queue)(
        user=user
    )
    figures = list(queue[:QUEUE_LIMIT])
    for f in figures:
        f.note_errors = (note_errors or {}).get(f.pk, [])
        f.note_value = (notes or {}).get(f.pk, "")
    return {"queue": figures, "read_only": read_only, "limit": QUEUE_LIMIT, "total": queue.count()}


@login_required
def monthly_queue(request):
    return render(request, "investment/monthly_queue.html", _queue_context(request))
