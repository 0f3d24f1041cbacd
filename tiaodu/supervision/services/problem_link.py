"""The closed loop between a problem (难题) and the supervision items made for it.

An item made from a problem — on the problem's page (立为督办事项), or from a meeting decision about the
problem — carries `item.problem`. When the 督查室 confirms such an item closed and no other item made for
the same problem is still open, the problem is resolved with the item's closing note: an event on both
timelines; it then stops rising (the sweep only moves open problems) and leaves the briefing's section 六
(which lists open problems only). While other linked items are open, the problem's timeline records the
closure and the problem stays open. A problem already resolved (by hand) is left as it is; an item sent
back after its close request changes nothing on the problem.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from tiaodu.core.actors import stored_user
from tiaodu.supervision import selectors
from tiaodu.supervision.models import ItemEvent, Problem, ProblemEvent, SupervisionItem
from tiaodu.supervision.services._common import today
from tiaodu.supervision.services.problems import resolve


def link_problem(*, user, item: SupervisionItem) -> None:
    """Check the problem an item is made for (visible to the user, still open, of the item's project) and
    give the item that project when it names none. Before the item is saved."""
    if not item.problem_id:
        return
    problem = selectors.problem_list(user=user).filter(pk=item.problem_id).select_related("project").first()
    if problem is None:
        raise ValidationError({"problem": "关联难题不存在或您无权查看"})
    if not problem.is_open:
        raise ValidationError({"problem": f"难题「{problem.title}」已解决，不能再立为督办事项"})
    if item.project_id is None:
        item.project = problem.project
    elif item.project_id != problem.project_id:
        raise ValidationError(
            {
                "problem": f"关联难题属于项目「{problem.project.name}」，"
                f"与所属项目「{item.project.name}」不一致"
            }
        )
    item.problem = problem


def record_item_made(*, user, item: SupervisionItem, on: datetime.date) -> None:
    """The problem's timeline: 立为督办事项 (after the item is saved with its assignee units)."""
    if not item.problem_id:
        return
    units = "、".join(u.name for u in item.assignee_units.all())
    ProblemEvent.objects.create(
        problem_id=item.problem_id,
        kind=ProblemEvent.Kind.ITEM_ASSIGNED,
        text=f"立为督办事项「{item.title}」（{item.number}），承办单位：{units}，"
        f"办结时限：{item.deadline.year}年{item.deadline.month}月{item.deadline.day}日",
        on=on,
        at=item.created_at,
        user=stored_user(user),
    )


def closing_note(item: SupervisionItem, confirm_text: str) -> str:
    """The item's closing note: its number and title, the assignee's 办理结果, the 督查室's 确认意见."""
    request = item.events.filter(kind=ItemEvent.Kind.CLOSE_REQUESTED).order_by("-at", "-id").first()
    lines = [f"督办事项「{item.title}」（{item.number}）经督查室确认办结。"]
    if request is not None and request.text:
        lines.append(f"办理结果：{request.text}")
    if confirm_text:
        lines.append(f"确认意见：{confirm_text}")
    return "\n".join(lines)


def resolve_with_item(*, user, item: SupervisionItem, confirm_text: str, source: str) -> Problem | None:
    """After the 督查室 confirmed `item` closed: resolve its problem when this was the last open item made
    for it. Returns the problem when it was resolved now, else None."""
    if not item.problem_id:
        return None
    problem = Problem.objects.select_for_update().select_related("project").get(pk=item.problem_id)
    if not problem.is_open:
        return None
    note = closing_note(item, confirm_text)
    still_open = problem.items.exclude(status=SupervisionItem.Status.CLOSED).exclude(pk=item.pk)
    remaining = still_open.count()
    if remaining:
        ProblemEvent.objects.create(
            problem=problem,
            kind=ProblemEvent.Kind.FEEDBACK,
            text=f"{note}\n尚有{remaining}项关联督办事项在办理中，全部办结后难题随之解决。",
            on=today(),
            user=stored_user(user),
        )
        return None
    resolve(user=user, problem=problem, text=note, source=source)
    ItemEvent.objects.create(
        item=item,
        kind=ItemEvent.Kind.PROBLEM_RESOLVED,
        text=f"关联难题「{problem.title}」随本事项办结标记为已解决",
        on=today(),
        user=stored_user(user),
    )
    return problem
