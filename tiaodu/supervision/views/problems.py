from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tiaodu.core.forms import apply_service_errors
from tiaodu.core.params import text_param
from tiaodu.core.views import history_context
from tiaodu.orgs.models import Unit
from tiaodu.projects.selectors import project_list
from tiaodu.supervision import selectors, services
from tiaodu.supervision.filters import ProblemFilter
from tiaodu.supervision.forms import FromReportForm, ProblemActionForm, ProblemForm
from tiaodu.supervision.models import Level, Problem
from tiaodu.supervision.permissions import item_can_create, problem_can_handle
from tiaodu.supervision.services.problems import report_for_problem
from tiaodu.supervision.views._common import call_service


@login_required
def board(request):
    """The problem board: open problems in columns by ladder level."""
    user = request.user
    qs = selectors.problem_list(user=user).select_related("project", "owner_unit")
    filterset = ProblemFilter(request.GET or None, queryset=qs, request=request)
    form = filterset.form
    form.fields["unit"].queryset = (
        Unit.objects.filter(problems__isnull=False).distinct().order_by("sort_order", "name")
    )
    problems = filterset.qs if filterset.is_bound else qs
    if not request.GET.get("status"):
        problems = problems.filter(status=Problem.Status.OPEN)
    problems = list(problems.order_by("level_entered_on", "id"))
    due = selectors.problem_due_dates(problems)
    columns = []
    for level in Level:
        cards = [p for p in problems if p.level == level]
        for p in cards:
            p.due_on = due.get(p.pk)
        columns.append(
            {
                "level": level.value,
                "label": level.label,
                "problems": cards,
                "limit": selectors.config().limits().get(level.value),
            }
        )
    return render(
        request,
        "supervision/problem_board.html",
        {
            "filter": filterset,
            "columns": columns,
            "total": len(problems),
            "filtered": any(request.GET.get(n) for n in form.fields),
            "can_raise": project_list(user=user).exists(),
        },
    )


@login_required
def problem_create(request):
    user = request.user
    initial = {}
    code = text_param(request.GET, "project", label="项目编号", strict=False)
    if code:
        project = project_list(user=user).filter(code=code).first()
        if project is not None:
            initial["project"] = project
    form = ProblemForm(request.POST or None, user=user, initial=initial)
    if not form.fields["project"].queryset.exists():
        raise PermissionDenied("您没有可登记难题的项目")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        problem = call_service(
            form,
            services.problem_raise,
            user=user,
            project=d["project"],
            type=d["type"],
            description=d["description"],
            title=d.get("title") or "",
            owner_unit=d.get("owner_unit"),
        )
        if problem is not None:
            messages.success(request, f"已登记难题「{problem.title}」，责任单位：{problem.owner_unit.name}")
            return redirect("supervision:problem_detail", pk=problem.pk)
    return render(request, "supervision/problem_form.html", {"form": form})


def _problem(request, pk) -> Problem:
    try:
        return selectors.problem_detail(user=request.user, pk=pk)
    except Problem.DoesNotExist:
        raise Http404


def _detail_context(request, problem, **forms):
    user = request.user
    can_handle = problem_can_handle(user=user, obj=problem) and problem.is_open
    due = selectors.problem_due_dates([problem]).get(problem.pk)
    ctx = {
        "problem": problem,
        "events": list(problem.events.select_related("user__person").order_by("on", "at", "id")),
        "can_handle": can_handle,
        "due_on": due,
        "limit": selectors.config().limits().get(problem.level),
        "ladder": [{"level": lv.value, "label": lv.label} for lv in Level],
        "feedback_form": ProblemActionForm(prefix="feedback"),
        "resolve_form": ProblemActionForm(prefix="resolve"),
        "escalate_form": ProblemActionForm(prefix="escalate"),
        "accountability": selectors.accountability_list(user=user).filter(problems=problem),
        "items": list(
            selectors.item_list(user=user)
            .filter(problem=problem)
            .select_related("meeting")
            .order_by("created_at")
        ),
        "can_make_item": problem.is_open and item_can_create(user=user),
        **history_context(problem),
    }
    ctx.update(forms)
    return ctx


@login_required
def problem_detail(request, pk):
    problem = _problem(request, pk)
    return render(request, "supervision/problem_detail.html", _detail_context(request, problem))


ACTIONS = {
    "feedback": (services.problem_feedback, "已记录办理情况"),
    "resolve": (services.problem_resolve, "难题已标记为解决"),
    "escalate": (services.problem_escalate, "已提请上一级协调"),
}


@login_required
@require_POST
def problem_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    problem = _problem(request, pk)
    fn, done = ACTIONS[action]
    form = ProblemActionForm(request.POST, prefix=action)
    if form.is_valid():
        result = call_service(form, fn, user=request.user, problem=problem, text=form.cleaned_data["text"])
        if result is not None:
            messages.success(request, done)
            return redirect("supervision:problem_detail", pk=problem.pk)
    problem = _problem(request, pk)
    return render(
        request,
        "supervision/problem_detail.html",
        _detail_context(request, problem, **{f"{action}_form": form}),
        status=400,
    )


@login_required
def problem_from_report(request, report_id):
    """存在问题 → 难题: the form asks the problem's type (and an optional title); its POST creates the problem.
    A report already raised opens its problem."""
    user = request.user
    try:
        report = report_for_problem(user=user, report_id=report_id)
    except ObjectDoesNotExist:
        raise Http404
    existing = Problem.objects.filter(source_report_id=report.pk).first()
    if existing is not None and selectors.problem_list(user=user).filter(pk=existing.pk).exists():
        messages.info(request, "该周报的存在问题已登记为难题")
        return redirect("supervision:problem_detail", pk=existing.pk)
    # The report page's button posts no type: the user chooses it here first.
    posted = request.method == "POST" and "type" in request.POST
    form = FromReportForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            problem, _created = services.problem_raise_from_report(
                user=user,
                report_id=report.pk,
                type=form.cleaned_data["type"],
                title=form.cleaned_data.get("title") or "",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"已将周报的存在问题登记为难题「{problem.title}」")
            return redirect("supervision:problem_detail", pk=problem.pk)
    return render(
        request,
        "supervision/problem_from_report.html",
        {
            "form": form,
            "report": report,
            "text": report.problems,
        },
        status=400 if form.errors else 200,
    )
