"""Dispatch meetings (调度会): the compiled agenda, minutes, decisions turned into supervision items."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tiaodu.core import domain
from tiaodu.core.actors import stored_user
from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.errors import NotAllowed
from tiaodu.progress.figures import driving_json
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import project_list
from tiaodu.supervision import selectors
from tiaodu.supervision.models import Decision, Meeting, Problem, Source
from tiaodu.supervision.permissions import MEETING_DENIED, meeting_can_manage
from tiaodu.supervision.progress_link import progress_levels
from tiaodu.supervision.services._common import require_text, title_from
from tiaodu.supervision.services.items import item_create


def compile_agenda(*, user, on: datetime.date) -> dict:
    """The agenda of a meeting on `on`: projects severe or lagging (severe first; each with its lag in
    words and its driving indicator, from progress_status), missing reports, problems at 分管区领导 level
    and above, overdue supervision items — as far as the user may see."""
    snap = progress_levels(user=user, as_of=on)
    codes = set(snap.projects) | set(snap.missing)
    projects = (
        {p.code: p for p in project_list(user=user).filter(code__in=codes).select_related("lead_unit")}
        if codes
        else {}
    )
    lagging = []
    for code, row in snap.projects.items():
        if row.level in domain.BEHIND_LEVELS and code in projects:
            p = projects[code]
            lagging.append(
                {
                    "code": code,
                    "name": p.name,
                    "level": row.level,
                    "lag_days": row.lag_days,
                    "lag_text": row.lag_text,  # 滞后88个工作日：道路长度 计划5,200m，实际3,300m
                    "driving_indicator": driving_json(row.driving_indicator),
                    "lead_unit": p.lead_unit.name,
                }
            )
    lagging.sort(key=lambda r: (domain.LEVEL_ORDER[r["level"]], -(r["lag_days"] or 0), r["code"]))
    missing = [
        {"code": c, "name": projects[c].name, "lead_unit": projects[c].lead_unit.name}
        for c in sorted(set(snap.missing))
        if c in projects
    ]
    problems = [
        {
            "id": p.pk,
            "title": p.title,
            "project": p.project.name,
            "project_code": p.project.code,
            "level": p.level,
            "level_label": p.get_level_display(),
            "since": p.level_entered_on.isoformat(),
            "owner_unit": p.owner_unit.name,
            "type": p.get_type_display(),
        }
        for p in selectors.problems_at_leader_level(user=user)
    ]
    overdue = [
        {
            "id": i.pk,
            "title": i.title,
            "deadline": i.deadline.isoformat(),
            "warning": i.warning_now,
            "units": "、".join(u.name for u in i.assignee_units.all()),
            "project": i.project.name if i.project_id else "",
        }
        for i in selectors.overdue_items(user=user, on=on)
    ]
    return {
        "on": on.isoformat(),
        "lagging": lagging,
        "missing": missing,
        "problems": problems,
        "overdue": overdue,
    }


def _require_manage(user, meeting: Meeting | None = None):
    if not meeting_can_manage(user=user, obj=meeting):
        raise NotAllowed(MEETING_DENIED)


def _apply(meeting: Meeting, data: dict[str, Any]):
    attendees = data.pop("attendees", None)
    for key in ("title", "date", "location", "chair", "attendees_note", "minutes"):
        if key in data:
            value = data[key]
            setattr(meeting, key, "" if value is None and key != "chair" and key != "date" else value)
    return attendees


@transaction.atomic
def meeting_create(*, user, data: dict[str, Any], source: str = "web") -> Meeting:
    _require_manage(user)
    data = dict(data)
    meeting = Meeting(created_by=stored_user(user))
    attendees = _apply(meeting, data)
    meeting.title = (meeting.title or "").strip()
    if not meeting.title and meeting.date:
        meeting.title = f"{meeting.date.year}年{meeting.date.month}月{meeting.date.day}日重点工程调度会"
    meeting.full_clean(exclude=["agenda"])
    meeting.agenda = compile_agenda(user=user, on=meeting.date)
    meeting.agenda_compiled_at = timezone.now()
    meeting.save()
    if attendees is not None:
        meeting.attendees.set(attendees)
    record_change(
        obj=meeting,
        before=None,
        after=snapshot(meeting, Meeting.TRACKED_FIELDS),
        user=stored_user(user),
        source=source,
    )
    return meeting


@transaction.atomic
def meeting_update(*, user, meeting: Meeting, data: dict[str, Any], source: str = "web") -> Meeting:
    _require_manage(user, meeting)
    data = dict(data)
    before = snapshot(meeting, Meeting.TRACKED_FIELDS)
    attendees = _apply(meeting, data)
    meeting.full_clean(exclude=["agenda"])
    meeting.save()
    if attendees is not None:
        meeting.attendees.set(attendees)
    record_change(
        obj=meeting,
        before=before,
        after=snapshot(meeting, Meeting.TRACKED_FIELDS),
        user=stored_user(user),
        source=source,
    )
    return meeting


@transaction.atomic
def meeting_compile_agenda(*, user, meeting: Meeting) -> Meeting:
    """Compile the agenda again (the figures as of the meeting date, as they stand now)."""
    _require_manage(user, meeting)
    meeting.agenda = compile_agenda(user=user, on=meeting.date)
    meeting.agenda_compiled_at = timezone.now()
    meeting.save(update_fields=["agenda", "agenda_compiled_at"])
    return meeting


@transaction.atomic
def decision_add(
    *,
    user,
    meeting: Meeting,
    content: str,
    problem: Problem | None = None,
    item: dict[str, Any] | None = None,
    on: datetime.date | None = None,
    source: str = "web",
) -> Decision:
    """Record a decision (about `problem`, when given); with `item` (assignee_units, deadline, …) it becomes a
    supervision item at once, linked to the same problem."""
    _require_manage(user, meeting)
    content = require_text(content, "content", "请填写决定事项")
    if problem is not None and not selectors.problem_list(user=user).filter(pk=problem.pk).exists():
        raise ValidationError({"problem": "关联难题不存在或您无权查看"})
    order = (meeting.decisions.aggregate(m=Max("sort_order"))["m"] or 0) + 1
    decision = Decision.objects.create(
        meeting=meeting, content=content, sort_order=order, problem=problem, created_by=stored_user(user)
    )
    record_change(
        obj=decision,
        before=None,
        after=snapshot(decision, Decision.TRACKED_FIELDS),
        user=stored_user(user),
        source=source,
        parent=meeting,
    )
    if item is not None:
        decision.item = decision_to_item(user=user, decision=decision, data=item, on=on, source=source)
        decision.problem = decision.item.problem
    return decision


@transaction.atomic
def decision_to_item(
    *, user, decision: Decision, data: dict[str, Any], on: datetime.date | None = None, source: str = "web"
):
    """Turn a decision into a supervision item in one step (source 调度会决定, linked to the meeting and to
    the problem the decision is about; `data["problem"]` names it when the decision does not)."""
    _require_manage(user, decision.meeting)
    decision = Decision.objects.select_for_update().select_related("meeting").get(pk=decision.pk)
    if decision.item_id:
        raise ValidationError("该决定事项已转为督办事项")
    data = dict(data)
    data.setdefault("content", decision.content)
    if not (data.get("title") or "").strip():
        data["title"] = title_from(decision.content)
    data["source"] = Source.MEETING
    data["meeting"] = decision.meeting
    data["problem"] = data.get("problem") or decision.problem
    project = data.get("project")
    if project is not None and not isinstance(project, Project):
        raise ValidationError({"project": "项目不存在"})
    item = item_create(user=user, data=data, on=on, source=source)
    decision.item = item
    decision.problem = item.problem
    decision.save(update_fields=["item", "problem"])
    return item
