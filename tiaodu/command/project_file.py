"""The project file (项目档案, /projects/<code>/ and its PDF): one project, composed from every app.

Every figure comes from the function the dashboard and the other pages use — nothing is computed again:
progress `project_status` (level, lag, driving indicator, indicators plan/actual with shares) and
`project_curve` (the S-curve), scheduling `project_schedule` (CPM; the critical tasks due in the current
and next 旬), progress `latest_verified_report` and `before_after_pairs` (整治前后对比), supervision
`problem_list`/`problem_due_dates` and `item_list` (warnings), investment `investment_status` of the
dashboard's default month, briefings `document_list`. Each reads only what the user may see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from tiaodu.briefings.selectors import document_list
from tiaodu.core import domain
from tiaodu.investment.selectors import default_month, investment_status
from tiaodu.progress import selectors as progress
from tiaodu.progress.overview import project_curve, project_status
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import project_list
from tiaodu.scheduling import engine
from tiaodu.scheduling.calendar import periods_between
from tiaodu.scheduling.selectors import ScheduleUnavailable, project_schedule, project_tasks
from tiaodu.supervision.models import Problem
from tiaodu.supervision.selectors import OPEN_STATUSES, item_list, problem_due_dates, problem_list

DOCUMENTS_SHOWN = 20


@dataclass
class Countdown:
    deadline: datetime.date | None
    days: int | None  # days left (negative: overdue)
    done: bool

    @property
    def text(self) -> str:
        if self.done:
            return ""
        if self.days is None:
            return "未设完成时限"
        if self.days > 0:
            return f"剩余{self.days}天"
        if self.days == 0:
            return "今日到期"
        return f"已超期{-self.days}天"

    @property
    def overdue(self) -> bool:
        return not self.done and self.days is not None and self.days < 0


@dataclass
class CriticalTasks:
    periods: list  # the current and the next 旬 (scheduling.calendar.Period)
    tasks: list  # [(TaskDates, Period)] critical tasks finishing in them, by early finish
    message: str = ""  # why there is no schedule


@dataclass
class ProjectFile:
    project: Project
    as_of: datetime.date
    countdown: Countdown
    progress: object | None  # progress.figures.ProjectFigures
    curve: dict | None
    critical: CriticalTasks
    report: object | None  # the latest verified Report
    before_after: list = field(default_factory=list)  # [(before ReportPhoto, after ReportPhoto, Place)]
    problems: list = field(default_factory=list)  # [(Problem, rises on)]
    items: list = field(default_factory=list)  # open SupervisionItems annotated with warning_now
    investment: object | None = None  # investment.figures.ProjectMoney
    investment_period: str = ""
    documents: list = field(default_factory=list)
    documents_more: bool = False

    @property
    def remediation(self) -> bool:
        return self.project.type == domain.REMEDIATION


def countdown(project: Project, today: datetime.date) -> Countdown:
    done = project.status in domain.DONE_STATUSES
    days = (project.deadline - today).days if project.deadline else None
    return Countdown(project.deadline, days, done)


def dekad_window(today: datetime.date) -> list:
    """The 旬 holding today and the one after it."""
    return periods_between(today, today + datetime.timedelta(days=25), "dekad")[:2]


def critical_tasks(project: Project, today: datetime.date) -> CriticalTasks:
    periods = dekad_window(today)
    if not project_tasks(project):
        return CriticalTasks(periods, [], "尚未编制倒排工期")
    try:
        schedule = project_schedule(project)
    except (ScheduleUnavailable, engine.ScheduleError) as exc:
        return CriticalTasks(periods, [], str(exc))
    begin = _dekad_begin(today)
    out = []
    for task in sorted(schedule.tasks, key=lambda t: (t.early_finish, t.code)):
        if not task.critical or task.early_finish < begin or task.early_finish > periods[-1].end:
            continue
        period = next(p for p in periods if task.early_finish <= p.end)
        out.append((task, period))
    return CriticalTasks(periods, out)


def _dekad_begin(day: datetime.date) -> datetime.date:
    return day.replace(day=1 if day.day <= 10 else 11 if day.day <= 20 else 21)


def open_problems(*, user, project: Project) -> list:
    problems = list(
        problem_list(user=user)
        .filter(project=project, status=Problem.Status.OPEN)
        .select_related("owner_unit")
        .order_by("-level", "level_entered_on", "id")
    )
    due = problem_due_dates(problems)
    return [(p, due.get(p.pk)) for p in problems]


def open_items(*, user, project: Project, today: datetime.date) -> list:
    return list(
        item_list(user=user, today=today)
        .filter(project=project, status__in=OPEN_STATUSES)
        .prefetch_related("assignee_units")
        .order_by("deadline", "id")
    )


def project_investment(*, user, project: Project, today: datetime.date):
    """(the project's ProjectMoney of the dashboard's default month, "2026年1-10月") or (None, "")."""
    year, month = default_month(today)
    status = investment_status(
        user=user, year=year, month=month, projects=project_list(user=user).filter(pk=project.pk)
    )
    if not status.projects:
        return None, ""
    return status.projects[0], f"{year}年{status.period_label}"


def project_file(*, user, project: Project, today: datetime.date | None = None) -> ProjectFile:
    """Everything the project file shows, for a project the user may see."""
    today = today or progress.today()
    documents = list(
        document_list(user=user).filter(project=project).order_by("-created_at", "-id")[: DOCUMENTS_SHOWN + 1]
    )
    try:
        curve = project_curve(user=user, code=project.code, as_of=today)
    except Project.DoesNotExist:
        curve = None
    money, period = project_investment(user=user, project=project, today=today)
    is_remediation = project.type == domain.REMEDIATION
    return ProjectFile(
        project=project,
        as_of=today,
        countdown=countdown(project, today),
        progress=project_status(user=user, code=project.code, as_of=today),
        curve=curve,
        critical=critical_tasks(project, today),
        report=progress.latest_verified_report(user=user, project=project),
        before_after=(
            progress.before_after_pairs(project, reports=progress.report_list(user=user))
            if is_remediation
            else []
        ),
        problems=open_problems(user=user, project=project),
        items=open_items(user=user, project=project, today=today),
        investment=money,
        investment_period=period,
        documents=documents[:DOCUMENTS_SHOWN],
        documents_more=len(documents) > DOCUMENTS_SHOWN,
    )
