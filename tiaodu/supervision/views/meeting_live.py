"""The meeting, live (调度会现场): a full-screen walk through a meeting's agenda, one screen at a time.

Screens: each project of the agenda (the lagging projects, then those whose report is missing) with its card
— the figures of the dashboard (tiaodu.progress.overview.project_status), its small map, its latest
photos, its open problems and items — then the agenda's problems and overdue items not tied to a listed
project, then the end (the decisions taken, 「生成会议纪要」). On a project screen the meeting's managers
record a decision on the spot (content, units, person, deadline): it becomes a supervision item as on the
meeting page (services.decision_add) and appears at once (htmx swaps the decisions panel). Everyone who
sees the meeting may walk through it; only managers record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tiaodu.core.params import parse_int
from tiaodu.progress.models import ReportPhoto
from tiaodu.progress.overview import project_status
from tiaodu.projects.selectors import project_list
from tiaodu.supervision import selectors, services
from tiaodu.supervision.forms import LiveDecisionForm
from tiaodu.supervision.models import Meeting, Problem
from tiaodu.supervision.permissions import MEETING_DENIED, meeting_can_manage
from tiaodu.supervision.views._common import call_service

PHOTOS = 4
OPEN_ITEM_STATUSES = ("open", "close_requested")


@dataclass
class Screen:
    kind: str  # project | problems | overdue | end
    code: str = ""
    name: str = ""
    agenda: dict = field(default_factory=dict)  # the project's agenda row (lagging or missing)
    rows: list = field(default_factory=list)


def _meeting(request, pk) -> Meeting:
    try:
        return selectors.meeting_detail(user=request.user, pk=pk)
    except Meeting.DoesNotExist:
        raise Http404


def screens(meeting: Meeting) -> list[Screen]:
    """The walk-through's screens, in order, from the meeting's stored agenda."""
    agenda = meeting.agenda or {}
    result: list[Screen] = []
    seen: set[str] = set()
    for key in ("lagging", "missing"):
        for row in agenda.get(key, []):
            code = row.get("code")
            if code and code not in seen:
                seen.add(code)
                result.append(Screen("project", code=code, name=row.get("name", code), agenda=row))
    names = {s.name for s in result}
    problems = [p for p in agenda.get("problems", []) if p.get("project_code") not in seen]
    if problems:
        result.append(Screen("problems", name="提请区领导协调的难题", rows=problems))
    overdue = [i for i in agenda.get("overdue", []) if not i.get("project") or i.get("project") not in names]
    if overdue:
        result.append(Screen("overdue", name="超期督办事项", rows=overdue))
    result.append(Screen("end", name="会议决定事项与纪要"))
    return result


def _as_of(meeting: Meeting):
    return min(meeting.date, selectors.local_today())


def _project_context(request, meeting: Meeting, screen: Screen) -> dict:
    user = request.user
    project = project_list(user=user).filter(code=screen.code).select_related("lead_unit").first()
    if project is None:
        return {"project": None}
    photos = list(
        ReportPhoto.objects.filter(report__project=project, report__counted=True)
        .select_related("report")
        .order_by("-report__as_of", "-id")[:PHOTOS]
    )
    problems = list(
        selectors.problem_list(user=user)
        .filter(project=project, status=Problem.Status.OPEN)
        .select_related("owner_unit")
        .order_by("-level", "level_entered_on")
    )
    items = list(
        selectors.item_list(user=user, today=_as_of(meeting))
        .filter(project=project, status__in=OPEN_ITEM_STATUSES)
        .prefetch_related("assignee_units")
        .order_by("deadline", "id")
    )
    return {
        "project": project,
        "figures": project_status(user=user, code=project.code, as_of=_as_of(meeting)),
        "photos": photos,
        "problems": problems,
        "items": items,
    }


def _decisions(meeting: Meeting, project=None) -> list:
    qs = meeting.decisions.select_related("item__responsible_person", "item__project").prefetch_related(
        "item__assignee_units"
    )
    if project is not None:
        qs = qs.filter(item__project=project)
    return list(qs)


def _panel_context(request, meeting: Meeting, project, n: int, form=None) -> dict:
    can_manage = meeting_can_manage(user=request.user, obj=meeting)
    if can_manage and form is None:
        form = LiveDecisionForm(user=request.user, prefix="live")
    return {
        "meeting": meeting,
        "project": project,
        "n": n,
        "can_manage": can_manage,
        "form": form if can_manage else None,
        "decisions": _decisions(meeting, project) if project is not None else [],
    }


def _live_page(request, meeting: Meeting, n: int, *, form=None, status: int = 200):
    walk = screens(meeting)
    n = max(1, min(n, len(walk)))
    screen = walk[n - 1]
    ctx = {
        "meeting": meeting,
        "screen": screen,
        "n": n,
        "total": len(walk),
        "prev": n - 1 if n > 1 else None,
        "next": n + 1 if n < len(walk) else None,
        "as_of": _as_of(meeting),
        "can_manage": meeting_can_manage(user=request.user, obj=meeting),
    }
    if screen.kind == "project":
        ctx.update(_project_context(request, meeting, screen))
        if ctx["project"] is not None:
            ctx["panel"] = _panel_context(request, meeting, ctx["project"], n, form=form)
    elif screen.kind == "end":
        ctx["decisions"] = _decisions(meeting)
        ctx["minutes_documents"] = list(
            meeting.documents.filter(kind="minutes", deleted_at__isnull=True).order_by("-created_at", "-id")[
                :6
            ]
        )
    return render(request, "supervision/meeting_live.html", ctx, status=status)


@login_required
def meeting_live(request, pk):
    meeting = _meeting(request, pk)
    return _live_page(request, meeting, parse_int(request.GET.get("n") or "") or 1)


@login_required
@require_POST
def meeting_live_decision(request, pk):
    """Record a decision from a project screen; the answer is the decisions panel (htmx) or the page."""
    meeting = _meeting(request, pk)
    if not meeting_can_manage(user=request.user, obj=meeting):
        raise PermissionDenied(MEETING_DENIED)
    walk = screens(meeting)
    n = max(1, min(parse_int(request.POST.get("n") or "") or 1, len(walk)))
    screen = walk[n - 1]
    project = None
    if screen.kind == "project":
        project = project_list(user=request.user).filter(code=screen.code).first()
    if project is None:
        raise Http404
    form = LiveDecisionForm(request.POST, user=request.user, prefix="live")
    decision = None
    if form.is_valid():
        decision = call_service(
            form,
            services.decision_add,
            user=request.user,
            meeting=meeting,
            content=form.cleaned_data["content"],
            item=form.item_data(project),
        )
    if not request.htmx:
        if decision is not None:
            return redirect(reverse("supervision:meeting_live", args=[meeting.pk]) + f"?n={n}#decisions")
        return _live_page(request, meeting, n, form=form, status=400)
    # htmx swaps 2xx answers only: the form with its errors comes back as 200 too.
    ctx = _panel_context(request, meeting, project, n, form=None if decision is not None else form)
    ctx["recorded"] = decision
    return render(request, "supervision/_live_decisions.html", ctx)
