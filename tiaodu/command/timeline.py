"""The project file's timeline (大事记): everything that happened to one project, newest first.

Status changes (projects.ProjectStatusChange), baseline changes approved (计划变更), weekly reports
submitted and verified, problems raised / escalated / resolved (ProblemEvent), supervision item events
(交办, 预警, 办结…), funds arriving (资金到位), documents filed, and the change records (core.audit) of the
project itself (its children have their own entries above). Each source is read through the user's visibility (the project itself is
already one the user may see); each source gives at most `limit` entries, the merged list is cut to
`limit`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from tiaodu.briefings.selectors import document_list
from tiaodu.core.audit import history_for
from tiaodu.investment.figures import money_text
from tiaodu.investment.models import FundArrival
from tiaodu.progress.models import ReportStatus
from tiaodu.progress.selectors import report_list
from tiaodu.projects.models import ChangeStatus, Project
from tiaodu.projects.selectors import change_list
from tiaodu.supervision.models import ItemEvent, ProblemEvent
from tiaodu.supervision.selectors import item_list, problem_list

SHORT = 30  # entries shown until 「更多」
LONG = 500


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime  # for ordering; date-only events at the end of their day
    day: datetime.date
    kind: str  # the badge: 状态, 周报, 难题, 督办, 资金, 计划变更, 文件, 修改
    text: str
    url: str = ""


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def _at(moment: datetime.datetime) -> tuple[datetime.datetime, datetime.date]:
    return moment, timezone.localtime(moment).date()


def _status(project: Project, limit: int) -> list[Entry]:
    return [
        Entry(_end_of(c.date), c.date, "状态", f"项目状态为「{c.get_status_display()}」")
        for c in project.status_changes.order_by("-date", "-id")[:limit]
    ]


def _reports(user, project: Project, limit: int) -> list[Entry]:
    out = []
    reports = (
        report_list(user=user)
        .filter(project=project, submitted_at__isnull=False)
        .select_related("reporting_unit")
        .order_by("-submitted_at", "-id")[:limit]
    )
    for r in reports:
        url = reverse("report_detail", args=[r.pk])
        label = f"{r.reporting_unit.name} 截至{r.as_of.month}月{r.as_of.day}日的周报"
        out.append(Entry(*_at(r.submitted_at), "周报", f"{label}已提交", url))
        if r.status == ReportStatus.VERIFIED and r.verified_at:
            out.append(Entry(*_at(r.verified_at), "周报", f"{label}审核通过", url))
    return out


def _problems(user, project: Project, limit: int) -> list[Entry]:
    events = (
        ProblemEvent.objects.filter(problem__in=problem_list(user=user).filter(project=project))
        .select_related("problem")
        .order_by("-at", "-id")[:limit]
    )
    out = []
    for e in events:
        text = f"难题「{e.problem.title}」{e.get_kind_display()}"
        if e.to_level:
            text += f"（{e.get_to_level_display()}）"
        out.append(
            Entry(e.at, e.on, "难题", text, reverse("supervision:problem_detail", args=[e.problem_id]))
        )
    return out


def _items(user, project: Project, limit: int) -> list[Entry]:
    events = (
        ItemEvent.objects.filter(item__in=item_list(user=user).filter(project=project))
        .exclude(kind=ItemEvent.Kind.UPDATED)
        .select_related("item")
        .order_by("-at", "-id")[:limit]
    )
    out = []
    for e in events:
        text = f"督办事项「{e.item.title}」{e.get_kind_display()}"
        if e.level:
            text += f"（{e.get_level_display()}）"
        out.append(Entry(e.at, e.on, "督办", text, reverse("supervision:item_detail", args=[e.item_id])))
    return out


def _changes(user, project: Project, limit: int) -> list[Entry]:
    changes = change_list(user=user).filter(
        project=project, status=ChangeStatus.APPROVED, decided_at__isnull=False
    )
    return [
        Entry(*_at(c.decided_at), "计划变更", f"计划变更已批准：{c.reason[:60]}")
        for c in changes.order_by("-decided_at", "-id")[:limit]
    ]


def _funds(project: Project, limit: int) -> list[Entry]:
    arrivals = FundArrival.objects.filter(project=project).select_related("source").order_by("-date", "-id")
    return [
        Entry(_end_of(a.date), a.date, "资金", f"{a.source.name}到位{money_text(a.amount)}万元")
        for a in arrivals[:limit]
    ]


def _documents(user, project: Project, limit: int) -> list[Entry]:
    docs = document_list(user=user).filter(project=project).order_by("-created_at", "-id")[:limit]
    return [
        Entry(*_at(d.created_at), "文件", f"归档文件「{d.title}」", reverse("document_detail", args=[d.pk]))
        for d in docs
    ]


def _records(project: Project, limit: int) -> list[Entry]:
    out = []
    for r in history_for(project, include_children=False)[:limit]:
        fields = "、".join(label for label, _old, _new in r.change_list[:4])  # the history's words (空间范围)
        who = r.user_name or "系统"
        text = f"{who}{r.get_action_display()}「{r.object_repr}」" + (f"：{fields}" if fields else "")
        out.append(Entry(*_at(r.at), "修改", text))
    return out


def project_timeline(*, user, project: Project, limit: int = SHORT) -> tuple[list[Entry], bool]:
    """(the newest `limit` entries, whether there are more)."""
    entries = [
        *_status(project, limit + 1),
        *_reports(user, project, limit + 1),
        *_problems(user, project, limit + 1),
        *_items(user, project, limit + 1),
        *_changes(user, project, limit + 1),
        *_funds(project, limit + 1),
        *_documents(user, project, limit + 1),
        *_records(project, limit + 1),
    ]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit], len(entries) > limit
