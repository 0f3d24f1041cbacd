"""我的待办 (the home page): the signed-in user's open work, by role.

Each count comes from the selector the linked list filters by, so the count and the list agree:
* 本周未报送 — progress.selectors.reports_due(...).due (a unit's own report due, unit_reports_due; for the
  office the project's, figures.ProjectFigures.report_missing), listed at /reports/?due=missing;
* 退回待重报 — progress.selectors.reports_returned_open, /reports/?returned=open;
* 待审核周报 — progress.selectors.verify_queue, /reports/verify/;
* 待反馈督办事项 — supervision.selectors.items_awaiting_feedback, /supervision/?awaiting=feedback;
* 待确认办结 — supervision.selectors.items_awaiting_confirmation (督查室), /supervision/?awaiting=confirmation;
* 本层级难题 — supervision.selectors.problems_at_rung (the ladder level the problem sits at, mapped to
  roles and units as the escalation notices are), /problems/?rung=mine;
* 待审定基准计划 — scheduling.selectors.projects_awaiting_baseline (the office), /my-work/baselines/.

A type the role never has is left out; a type with nothing open is not shown as a row of 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from tiaodu.orgs.models import Role
from tiaodu.progress.permissions import report_can_submit
from tiaodu.progress.selectors import reports_due, reports_returned_open, verify_queue
from tiaodu.scheduling.permissions import schedule_can_approve
from tiaodu.scheduling.selectors import projects_awaiting_baseline
from tiaodu.supervision.permissions import item_can_close
from tiaodu.supervision.selectors import (
    items_awaiting_confirmation,
    items_awaiting_feedback,
    problems_at_rung,
    rung_condition,
)


@dataclass(frozen=True)
class WorkItem:
    key: str
    icon: str
    label: str
    note: str
    count: int
    url: str


@dataclass(frozen=True)
class MyWork:
    items: list[WorkItem]  # the types this role has, with their counts (0 included)

    @property
    def open(self) -> list[WorkItem]:
        return [i for i in self.items if i.count]

    @property
    def total(self) -> int:
        return sum(i.count for i in self.items)


def _reports(user) -> list[WorkItem]:
    if not report_can_submit(user=user):
        return []
    mine = reverse("report_mine")
    scope = "全区" if user.manages_all else "本单位填报的"
    return [
        WorkItem(
            "due",
            "bi-pencil-square",
            "本周未报送",
            f"{scope}项目近7日没有报送周报",
            reports_due(user=user).due,
            f"{mine}?due=missing#due",
        ),
        WorkItem(
            "returned",
            "bi-arrow-counterclockwise",
            "退回待重报",
            "被退回、尚未修改后重新提交的周报",
            reports_returned_open(user=user).count(),
            f"{mine}?returned=open",
        ),
        WorkItem(
            "verify",
            "bi-clipboard-check",
            "待审核周报",
            "已提交、等待审核的周报" if user.manages_all else "本单位牵头项目已提交、等待审核的周报",
            verify_queue(user=user).count(),
            reverse("report_verify_queue"),
        ),
    ]


def _supervision(user) -> list[WorkItem]:
    items = []
    register = reverse("supervision:register")
    if user.role == Role.UNIT and user.unit is not None:  # only assignee-unit users respond
        items.append(
            WorkItem(
                "feedback",
                "bi-flag",
                "待反馈督办事项",
                "交办本单位、办理中的督办事项",
                items_awaiting_feedback(user=user).count(),
                f"{register}?awaiting=feedback",
            )
        )
    if item_can_close(user=user):
        items.append(
            WorkItem(
                "confirmation",
                "bi-check2-square",
                "待确认办结",
                "承办单位已申请办结、等待督查室确认的事项",
                items_awaiting_confirmation(user=user).count(),
                f"{register}?awaiting=confirmation",
            )
        )
    if rung_condition(user) is not None:
        items.append(
            WorkItem(
                "problems",
                "bi-exclamation-triangle",
                "本层级难题",
                "停留在您所在层级、尚未解决的难题",
                problems_at_rung(user=user).count(),
                reverse("supervision:problem_board") + "?rung=mine",
            )
        )
    return items


def _approvals(user) -> list[WorkItem]:
    if not schedule_can_approve(user=user):
        return []
    return [
        WorkItem(
            "baselines",
            "bi-calendar-check",
            "待审定基准计划",
            "已编排倒排工期、尚未审定基准计划的项目",
            projects_awaiting_baseline(user=user).count(),
            reverse("my_work_baselines"),
        )
    ]


def my_work(user) -> MyWork:
    return MyWork(items=[*_reports(user), *_supervision(user), *_approvals(user)])
