"""Pages of baseline changes (计划变更): a unit's request form, the office's 计划变更审批 list and its
approve / reject buttons. Reads through selectors, writes through tiaodu.projects.changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tiaodu.core.forms import apply_service_errors
from tiaodu.core.params import choice_param
from tiaodu.projects import changes
from tiaodu.projects.change_forms import ChangeRequestForm
from tiaodu.projects.models import ChangeStatus
from tiaodu.projects.permissions import change_can_decide, change_can_request
from tiaodu.projects.selectors import change_list, changes_pending_count, project_list

PAGE_SIZE = 30


def with_lines(rows):
    """The changes, each with its `lines` (old → new) for the templates."""
    rows = list(rows)
    for change in rows:
        change.lines = changes.change_lines(change)
    return rows


@login_required
def change_request(request, code):
    project = get_object_or_404(project_list(user=request.user), code=code)
    if not change_can_request(user=request.user, obj=project):
        raise PermissionDenied(changes.REQUEST_DENIED)
    form = ChangeRequestForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            changes.change_request(user=request.user, project=project, proposal=form.proposal())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "计划变更申请已提交，待领导小组办公室审批")
            return redirect(reverse("project_detail", args=[project.code]) + "#changes")
    return render(request, "projects/change_request_form.html", {"form": form, "project": project})


@login_required
def change_list_view(request):
    status = choice_param(request.GET, "status", ChangeStatus.values, label="状态", strict=False) or ""
    rows = change_list(user=request.user)
    if status:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_lines(page.object_list)
    return render(
        request,
        "projects/change_list.html",
        {
            "page": page,
            "paginator": page.paginator,
            "status": status,
            "statuses": ChangeStatus.choices,
            "pending": changes_pending_count(user=request.user),
            "can_decide": change_can_decide(user=request.user),
        },
    )


def _decide(request, pk, service, done: str):
    change = get_object_or_404(change_list(user=request.user), pk=pk)
    if not change_can_decide(user=request.user, obj=change):
        raise PermissionDenied(changes.DECIDE_DENIED)
    try:
        service(user=request.user, change=change, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, f"{change.project.code} 的计划变更未能{done}：{'；'.join(exc.messages)}")
    else:
        messages.success(request, f"已{done} {change.project.code} {change.project.name} 的计划变更")
    return redirect(reverse("change_list") + f"#change-{change.pk}")


@login_required
@require_POST
def change_approve(request, pk):
    return _decide(request, pk, changes.change_approve, "批准")


@login_required
@require_POST
def change_reject(request, pk):
    return _decide(request, pk, changes.change_reject, "驳回")
