from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tiaodu.core.params import id_param, parse_id
from tiaodu.core.views import history_context
from tiaodu.supervision import selectors, services
from tiaodu.supervision.forms import DecisionForm, DecisionItemForm, MeetingForm, MinutesForm
from tiaodu.supervision.models import Decision, Meeting
from tiaodu.supervision.permissions import MEETING_DENIED, meeting_can_manage
from tiaodu.supervision.views._common import call_service


@login_required
def meeting_list(request):
    meetings = selectors.meeting_list(user=request.user).select_related("chair").prefetch_related("decisions")
    return render(
        request,
        "supervision/meeting_list.html",
        {
            "meetings": meetings,
            "can_manage": meeting_can_manage(user=request.user),
        },
    )


def _require_manage(request, meeting=None):
    if not meeting_can_manage(user=request.user, obj=meeting):
        raise PermissionDenied(MEETING_DENIED)


@login_required
def meeting_create(request):
    _require_manage(request)
    form = MeetingForm(request.POST or None, initial={"date": selectors.local_today()})
    if request.method == "POST" and form.is_valid():
        meeting = call_service(form, services.meeting_create, user=request.user, data=dict(form.cleaned_data))
        if meeting is not None:
            messages.success(request, "已创建调度会，议程已按当前数据生成")
            return redirect("supervision:meeting_detail", pk=meeting.pk)
    return render(request, "supervision/meeting_form.html", {"form": form, "meeting": None})


def _meeting(request, pk) -> Meeting:
    try:
        return selectors.meeting_detail(user=request.user, pk=pk)
    except Meeting.DoesNotExist:
        raise Http404


def _context(request, meeting, **forms):
    user = request.user
    can_manage = meeting_can_manage(user=user, obj=meeting)
    decisions = list(
        meeting.decisions.select_related("item", "problem").prefetch_related("item__assignee_units")
    )
    asked = id_param(request.GET, "problem", label="难题", strict=False)
    ctx = {
        "meeting": meeting,
        "attendees": list(meeting.attendees.select_related("unit")),
        "agenda": meeting.agenda or {},
        "decisions": decisions,
        "can_manage": can_manage,
        "decision_form": DecisionForm(
            user=user, prefix="new", problem_ids=[asked], initial={"problem": asked} if asked else None
        ),
        "minutes_form": MinutesForm(instance=meeting),
        "convert_forms": {},
        **history_context(meeting),
    }
    if can_manage:
        ctx["convert_forms"] = {
            d.pk: DecisionItemForm(
                user=user, prefix=f"d{d.pk}", problem_ids=[d.problem_id], initial={"problem": d.problem_id}
            )
            for d in decisions
            if not d.item_id
        }
    ctx.update({k: v for k, v in forms.items() if k != "convert"})
    if "convert" in forms:
        pk, form = forms["convert"]
        ctx["convert_forms"][pk] = form
    for d in decisions:
        d.convert_form = ctx["convert_forms"].get(d.pk)
    return ctx


def _posted_problem(request, prefix) -> list[int]:
    """The problem a posted decision form names (kept as a choice, so a lower-level problem named through
    the page's link stays valid); the service checks it is visible and open."""
    pk = parse_id(request.POST.get(f"{prefix}-problem"))
    return [pk] if pk else []


@login_required
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    return render(request, "supervision/meeting_detail.html", _context(request, meeting))


@login_required
def meeting_edit(request, pk):
    meeting = _meeting(request, pk)
    _require_manage(request, meeting)
    form = MeetingForm(request.POST or None, instance=Meeting.objects.get(pk=meeting.pk))
    if request.method == "POST" and form.is_valid():
        result = call_service(
            form, services.meeting_update, user=request.user, meeting=meeting, data=dict(form.cleaned_data)
        )
        if result is not None:
            messages.success(request, "调度会信息已保存")
            return redirect("supervision:meeting_detail", pk=meeting.pk)
    return render(request, "supervision/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
@require_POST
def meeting_minutes(request, pk):
    meeting = _meeting(request, pk)
    _require_manage(request, meeting)
    form = MinutesForm(request.POST, instance=Meeting.objects.get(pk=meeting.pk))
    if form.is_valid():
        result = call_service(
            form,
            services.meeting_update,
            user=request.user,
            meeting=meeting,
            data={"minutes": form.cleaned_data["minutes"]},
        )
        if result is not None:
            messages.success(request, "会议纪要已保存")
            return redirect("supervision:meeting_detail", pk=meeting.pk)
    return render(
        request, "supervision/meeting_detail.html", _context(request, meeting, minutes_form=form), status=400
    )


@login_required
@require_POST
def meeting_agenda(request, pk):
    meeting = _meeting(request, pk)
    _require_manage(request, meeting)
    services.meeting_compile_agenda(user=request.user, meeting=meeting)
    messages.success(request, "议程已按当前数据重新生成")
    return redirect("supervision:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def decision_add(request, pk):
    meeting = _meeting(request, pk)
    _require_manage(request, meeting)
    form = DecisionForm(
        request.POST, user=request.user, prefix="new", problem_ids=_posted_problem(request, "new")
    )
    if form.is_valid():
        d = form.cleaned_data
        item = form.item_data() if d.get("make_item") else None
        decision = call_service(
            form,
            services.decision_add,
            user=request.user,
            meeting=meeting,
            content=d["content"],
            problem=d.get("problem"),
            item=item,
        )
        if decision is not None:
            if decision.item_id:
                messages.success(request, f"已记录决定事项，并转为督办事项「{decision.item.title}」")
            else:
                messages.success(request, "已记录决定事项")
            return redirect(reverse("supervision:meeting_detail", args=[meeting.pk]) + "#decisions")
    return render(
        request, "supervision/meeting_detail.html", _context(request, meeting, decision_form=form), status=400
    )


@login_required
@require_POST
def decision_to_item(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    meeting = _meeting(request, decision.meeting_id)
    _require_manage(request, meeting)
    form = DecisionItemForm(
        request.POST,
        user=request.user,
        prefix=f"d{decision.pk}",
        problem_ids=[decision.problem_id, *_posted_problem(request, f"d{decision.pk}")],
    )
    if form.is_valid():
        item = call_service(
            form, services.decision_to_item, user=request.user, decision=decision, data=form.item_data()
        )
        if item is not None:
            messages.success(request, f"已转为督办事项「{item.title}」，已通知承办单位")
            return redirect("supervision:item_detail", pk=item.pk)
    return render(
        request,
        "supervision/meeting_detail.html",
        _context(request, meeting, convert=(decision.pk, form)),
        status=400,
    )
