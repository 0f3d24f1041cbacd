"""The report page and verification (审核): the queue, verify with a note (审核意见), return with a reason.

What the verifier sees (tiaodu.progress.verification): each figure against last week and the plan, the
photos with their EXIF time and distance from the project, the anomaly flags. Who may verify is one rule
(permissions.report_can_verify / Report.objects.restrict(user, "verify")): the buttons, the queue and the
services agree. Leaders and the supervision office see the pending reports but verify none.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tiaodu.orgs.models import Role
from tiaodu.progress import selectors, services, verification
from tiaodu.progress.forms import ReturnForm, VerifyForm
from tiaodu.progress.models import Report, ReportStatus
from tiaodu.progress.permissions import (
    report_can_edit,
    report_can_revise,
    report_can_verify,
    report_verifier,
)
from tiaodu.progress.views import _action, _report

QUEUE_LIMIT = 200
READ_ONLY_ROLES = (Role.LEADER, Role.SUPERVISOR)


def _detail_context(request, report: Report, *, verify_form=None) -> dict:
    user = request.user
    thread = [
        r
        for r in selectors.report_thread(report)
        if r.status != ReportStatus.DRAFT or r.pk == report.pk or report_can_edit(user=user, obj=r)
    ]
    latest = thread[0] if thread else report
    previous = report.previous
    prev_figures = {f.indicator_id: f.quantity for f in previous.figures.all()} if previous else {}
    rows, checks = [], verification.figure_checks(report, user=user)
    for check in checks:
        f = check.figure
        target = f.indicator.target
        rows.append(
            {
                "figure": f,
                "check": check,
                "share": float(min(f.quantity / target, 1)) * 100 if target else None,
                "previous": prev_figures.get(f.indicator_id),
                "changed": previous is not None and prev_figures.get(f.indicator_id) != f.quantity,
            }
        )
    can_verify = report_can_verify(user=user, obj=report)
    return {
        "report": report,
        "project": report.project,
        "figures": rows,
        "checks": checks,
        "photo_checks": verification.photo_checks(report),
        "thread": thread,
        "is_latest": latest.pk == report.pk,
        "can_edit": report_can_edit(user=user, obj=report),
        "can_verify": can_verify and report.status == ReportStatus.SUBMITTED and report.counted,
        "can_revise": (
            report.status != ReportStatus.DRAFT
            and latest.pk == report.pk
            and report_can_revise(user=user, obj=report)
        ),
        "verifier": report_verifier(report),
        "verify_form": verify_form or VerifyForm(),
        "return_form": ReturnForm(),
    }


@login_required
def report_detail(request, pk):
    report = _report(request, pk)
    return render(request, "progress/report_detail.html", _detail_context(request, report))


def _queue_context(request, *, errors=None, forms=None) -> dict:
    user = request.user
    queue = selectors.verify_queue(user=user)
    read_only = user.role in READ_ONLY_ROLES
    if read_only:  # leaders and the supervision office look on; they verify nothing
        queue = selectors.pending_reports(user=user)
    reports = list(queue.prefetch_related("figures__indicator", "photos")[:QUEUE_LIMIT])
    verification.attach(reports, user=user)
    for r in reports:
        r.verify_form = (forms or {}).get(r.pk) or VerifyForm(prefix=f"r{r.pk}")
        r.verifier = report_verifier(r)
    return {"queue": reports, "read_only": read_only, "limit": QUEUE_LIMIT, "total": queue.count()}


@login_required
def report_verify_queue(request):
    return render(request, "progress/verify_queue.html", _queue_context(request))


@login_required
@require_POST
def report_verify(request, pk):
    """审核通过 from the report page or the queue; a refused note (required when flagged) is shown
    beside the 审核意见 field, the form re-rendered with what was typed."""
    report = _report(request, pk)
    from_queue = request.POST.get("next") == "queue"
    form = VerifyForm(request.POST, prefix=f"r{report.pk}" if from_queue else None)
    note = form.data.get(form.add_prefix("note"), "")
    try:
        if not form.is_valid():
            raise ValidationError({"note": form.errors.get("note", ["审核意见有误"])})
        services.report_verify(user=request.user, report=report, note=note)
    except ValidationError as exc:
        errors = getattr(exc, "error_dict", {})
        if "note" not in errors:
            for m in exc.messages:
                messages.error(request, m)
            if from_queue:
                return redirect("report_verify_queue")
            return redirect("report_detail", pk=report.pk)
        form = VerifyForm(request.POST, prefix=form.prefix)
        form.is_valid()
        for m in [m for e in errors["note"] for m in e.messages]:
            if m not in form.errors.get("note", []):
                form.add_error("note", m)
        if from_queue:
            context = _queue_context(request, forms={report.pk: form})
            return render(request, "progress/verify_queue.html", context, status=400)
        context = _detail_context(request, report, verify_form=form)
        return render(request, "progress/report_detail.html", context, status=400)
    messages.success(request, "已审核通过")
    if from_queue:
        return redirect("report_verify_queue")
    return redirect("report_detail", pk=report.pk)


@login_required
@require_POST
def report_return(request, pk):
    form = ReturnForm(request.POST)
    reason = request.POST.get("reason", "")
    if not form.is_valid() and not reason.strip():
        messages.error(request, "请填写退回原因")
        return redirect("report_detail", pk=pk)
    result = _action(request, pk, services.report_return, "已退回，填报单位修改后可重新提交", reason=reason)
    if isinstance(result, Report):
        return redirect("report_detail", pk=result.pk)
    return result
