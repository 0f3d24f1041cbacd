from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tiaodu.core.params import choice_param, id_param, parse_id, text_param
from tiaodu.core.views import history_context
from tiaodu.orgs.models import Unit
from tiaodu.projects.selectors import project_list
from tiaodu.supervision import selectors, services
from tiaodu.supervision.filters import ItemFilter
from tiaodu.supervision.forms import (
    CloseRequestForm,
    ConfirmForm,
    FeedbackForm,
    ItemEditForm,
    ItemForm,
    SendBackForm,
)
from tiaodu.supervision.models import ItemPhoto, Problem, Source, SupervisionItem
from tiaodu.supervision.permissions import (
    ITEM_CREATE_DENIED,
    ITEM_EDIT_DENIED,
    config_can_edit,
    item_can_close,
    item_can_create,
    item_can_edit,
    item_can_respond,
)
from tiaodu.supervision.views._common import call_service, files

PAGE_SIZE = 50


@login_required
def register(request):
    """督办台账: every item the user may see, coloured by its warning today."""
    user = request.user
    queryset = (
        selectors.item_list(user=user)
        .select_related("project", "responsible_person", "meeting")
        .prefetch_related("assignee_units")
        .annotate(
            closed_last=Case(When(status=SupervisionItem.Status.CLOSED, then=Value(1)), default=Value(0))
        )
        .order_by("closed_last", "deadline", "id")
    )
    filterset = ItemFilter(request.GET or None, queryset=queryset, request=request)
    form = filterset.form
    form.fields["unit"].queryset = (
        Unit.objects.filter(supervision_items__isnull=False).distinct().order_by("sort_order", "name")
    )
    paginator = Paginator(filterset.qs.distinct() if filterset.is_bound else queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    filtered = any(request.GET.get(name) for name in form.fields)
    return render(
        request,
        "supervision/register.html",
        {
            "filter": filterset,
            "page": page,
            "paginator": paginator,
            "filtered": filtered,
            "counts": selectors.item_counts(user=user),
            "can_create": item_can_create(user=user),
            "cfg": selectors.config(),
            "can_configure": config_can_edit(user=user),
        },
    )


@login_required
def item_create(request):
    user = request.user
    if not item_can_create(user=user):
        raise PermissionDenied(ITEM_CREATE_DENIED)
    initial = {}
    source = choice_param(request.GET, "source", Source.values, label="来源", strict=False)
    if source:
        initial["source"] = source
    code = text_param(request.GET, "project", label="项目编号", strict=False)
    if code:
        project = project_list(user=user).filter(code=code).first()
        if project is not None:
            initial["project"] = project
    problem = _problem_param(request)
    if problem is not None:
        initial.update(_from_problem(problem))
    form = ItemForm(request.POST or None, request.FILES or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "photos"}
        item = call_service(form, services.item_create, user=user, data=data, photos=files(request))
        if item is not None:
            messages.success(request, f"已交办督办事项「{item.title}」，已通知承办单位")
            return redirect("supervision:item_detail", pk=item.pk)
    if form.is_bound:
        problem = _open_problem(user, parse_id(form["problem"].value()))
    return render(request, "supervision/item_form.html", {"form": form, "item": None, "problem": problem})


def _problem_param(request):
    """The open problem an item is made for (立为督办事项 on a problem's page), from ?problem=<id>."""
    return _open_problem(request.user, id_param(request.GET, "problem", label="难题", strict=False))


def _open_problem(user, pk):
    if pk is None:
        return None
    problems = selectors.problem_list(user=user).filter(pk=pk, status=Problem.Status.OPEN)
    return problems.select_related("project", "owner_unit").first()


def _from_problem(problem) -> dict:
    return {
        "problem": problem.pk,
        "title": problem.title,
        "content": problem.description,
        "project": problem.project,
        "assignee_units": [problem.owner_unit_id],
    }


def _item(request, pk) -> SupervisionItem:
    try:
        return selectors.item_detail(user=request.user, pk=pk)
    except SupervisionItem.DoesNotExist:
        raise Http404


def _detail_context(request, item, **forms):
    user = request.user
    can_respond = item_can_respond(user=user, obj=item)
    can_confirm = item_can_close(user=user, obj=item)
    ctx = {
        "item": item,
        "units": list(item.assignee_units.all()),
        "timeline": selectors.item_timeline(item),
        "issue_photos": [p for p in item.photos.all() if p.kind == ItemPhoto.Kind.ISSUE],
        "can_respond": can_respond and not item.is_closed,
        "can_request_close": can_respond and item.status == SupervisionItem.Status.OPEN,
        "can_confirm": can_confirm and item.status == SupervisionItem.Status.CLOSE_REQUESTED,
        "can_edit": item_can_edit(user=user, obj=item),
        "decision": getattr(item, "decision", None),
        "problem_visible": bool(item.problem_id)
        and selectors.problem_list(user=user).filter(pk=item.problem_id).exists(),
        "other_open_items": (
            item.problem.items.exclude(status=SupervisionItem.Status.CLOSED).exclude(pk=item.pk).count()
            if item.problem_id
            else 0
        ),
        "milestones": None if item.is_closed else selectors.item_milestones(item),
        "feedback_form": FeedbackForm(),
        "close_form": CloseRequestForm(),
        "confirm_form": ConfirmForm(),
        "send_back_form": SendBackForm(),
        **history_context(item),
    }
    ctx.update({k: v for k, v in forms.items() if v is not None})
    return ctx


@login_required
def item_detail(request, pk):
    item = _item(request, pk)
    return render(request, "supervision/item_detail.html", _detail_context(request, item))


def _action(request, pk, form_class, form_name, run, done_message):
    item = _item(request, pk)
    form = form_class(request.POST, request.FILES or None)
    if form.is_valid():
        result = call_service(form, run, item, form.cleaned_data)
        if result is not None:
            messages.success(request, done_message)
            return redirect("supervision:item_detail", pk=item.pk)
    item = _item(request, pk)
    return render(
        request,
        "supervision/item_detail.html",
        _detail_context(request, item, **{form_name: form}),
        status=400,
    )


@login_required
@require_POST
def item_feedback(request, pk):
    return _action(
        request,
        pk,
        FeedbackForm,
        "feedback_form",
        lambda item, d: services.item_feedback(
            user=request.user, item=item, text=d["text"], photos=files(request)
        ),
        "已报送办理进展",
    )


@login_required
@require_POST
def item_request_close(request, pk):
    return _action(
        request,
        pk,
        CloseRequestForm,
        "close_form",
        lambda item, d: services.item_request_close(
            user=request.user, item=item, text=d["text"], photos=files(request)
        ),
        "已提交办结申请，等待督查室确认",
    )


@login_required
@require_POST
def item_confirm_close(request, pk):
    return _action(
        request,
        pk,
        ConfirmForm,
        "confirm_form",
        lambda item, d: services.item_confirm_close(user=request.user, item=item, text=d["text"]),
        "已确认办结",
    )


@login_required
@require_POST
def item_send_back(request, pk):
    return _action(
        request,
        pk,
        SendBackForm,
        "send_back_form",
        lambda item, d: services.item_send_back(user=request.user, item=item, reason=d["reason"]),
        "已退回办结申请",
    )


@login_required
def item_edit(request, pk):
    item = _item(request, pk)
    user = request.user
    if not item_can_edit(user=user, obj=item):
        raise PermissionDenied(ITEM_EDIT_DENIED)
    form = ItemEditForm(request.POST or None, instance=SupervisionItem.objects.get(pk=item.pk), user=user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        result = call_service(
            form,
            services.item_update,
            user=user,
            item=item,
            data=data,
            reason=form.cleaned_data.get("reason", ""),
        )
        if result is not None:
            messages.success(request, "督办事项已调整，已通知承办单位")
            return redirect("supervision:item_detail", pk=item.pk)
    return render(request, "supervision/item_form.html", {"form": form, "item": item})


@login_required
def item_photo(request, pk):
    photo = get_object_or_404(ItemPhoto, pk=pk)
    if not SupervisionItem.objects.restrict(request.user, "view").filter(pk=photo.item_id).exists():
        raise Http404
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response
