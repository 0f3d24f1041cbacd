"""The reminder before the monthly investment deadline (月度投资提醒).

From `remind_days_before` days before the deadline day of the current month (InvestmentSettings, default
3 days before the 25th: the 22nd) until the deadline day itself, every lead unit with a project still
missing its figure for the month gets one message listing those projects: inbox for its users, an e-mail
to each with an address, its group robots and the global robots (as the weekly reminder). Once per month
and unit (an InvestmentReminder row per project and unit): a later run sends nothing new for them; a
project that becomes due later in the window is still reminded. `remind_days_before` = 0: no reminders.

Due: the projects with an annual plan (年度计划) for the year whose status is 在建 or 停工 (a project not
yet started, completed or accepted reports no monthly figure), whose lead unit has not submitted the
month's figure — a figure counts as submitted when a revision of it is submitted or verified and not
superseded (a draft or a returned figure does not). Run by the job queue every hour from 08:00 to 18:00.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tiaodu.investment.models import AnnualPlan, InvestmentSettings, MonthlyInvestment
from tiaodu.investment.selectors import investment_settings
from tiaodu.progress.models import ReportStatus
from tiaodu.projects.models import Project, ProjectStatus
from tiaodu.supervision.models import InvestmentReminder
from tiaodu.supervision.notify import Outbox
from tiaodu.supervision.services.reporting import ReminderResult

DUE_STATUSES = (ProjectStatus.UNDER_CONSTRUCTION, ProjectStatus.SUSPENDED)


def _entry_url() -> str:
    """The lead unit's page for entering the month's figures (the monthly pages' 填报), when installed."""
    try:
        return reverse("investment:monthly_batch")
    except NoReverseMatch:
        return ""


def deadline_of(day: datetime.date, deadline_day: int) -> datetime.date:
    """The monthly deadline of `day`'s month (the last day of a shorter month at the latest)."""
    return day.replace(day=min(deadline_day, calendar.monthrange(day.year, day.month)[1]))


def projects_missing(year: int, month: int):
    """The projects due for the month (see the module) without a submitted figure, with their lead unit."""
    planned = AnnualPlan.objects.filter(year=year).values("project_id")
    submitted = MonthlyInvestment.objects.filter(
        year=year,
        month=month,
        status__in=[ReportStatus.SUBMITTED, ReportStatus.VERIFIED],
        superseded=False,
    ).values("project_id")
    return (
        Project.objects.filter(pk__in=planned, status__in=DUE_STATUSES)
        .exclude(pk__in=submitted)
        .select_related("lead_unit")
        .order_by("code")
    )


@transaction.atomic
def investment_remind(*, now: datetime.datetime | None = None) -> ReminderResult:
    """Send this month's reminders if the reminder window is open; see the module."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    config = investment_settings()
    deadline = deadline_of(today, config.deadline_day)
    if not config.remind_days_before:
        return ReminderResult(deadline, note="未启用月度投资提醒")
    list(InvestmentSettings.objects.select_for_update().filter(pk=1))  # one run at a time (once saved)
    if today < deadline - datetime.timedelta(days=config.remind_days_before):
        return ReminderResult(deadline, note="未到提醒时间")
    if today > deadline:
        return ReminderResult(deadline, note="已过本月报送截止日")
    already = set(
        InvestmentReminder.objects.filter(year=today.year, month=today.month).values_list(
            "project_id", "unit_id"
        )
    )
    due = [p for p in projects_missing(today.year, today.month) if (p.pk, p.lead_unit_id) not in already]
    if not due:
        return ReminderResult(deadline, note="没有需要提醒的单位")
    InvestmentReminder.objects.bulk_create(
        [
            InvestmentReminder(
                year=today.year,
                month=today.month,
                project=p,
                unit_id=p.lead_unit_id,
                sent_at=min(now, timezone.now()),
            )
            for p in due
        ],
        ignore_conflicts=True,
    )
    url = _entry_url()
    outbox = Outbox(now=now, digest_title="月度投资报送提醒", digest_url=url)
    by_unit: dict[int, list[Project]] = defaultdict(list)
    for p in due:
        by_unit[p.lead_unit_id].append(p)
    for unit_id, projects in by_unit.items():
        lines = [f"· {p.name}（{p.code}）" for p in projects]
        intro = (
            f"{today.month}月完成投资报送截止日期：{deadline.month}月{deadline.day}日，"
            "请尽快填报并提交当月完成投资。"
        )
        outbox.add(
            kind="investment_reminder",
            title=f"月度投资提醒：{projects[0].lead_unit.name}有{len(projects)}个项目的"
            f"{today.month}月完成投资尚未报送",
            body="\n".join([intro, *lines]),
            url=url,
            units={unit_id},
        )
    outbox.flush()
    return ReminderResult(deadline, units=len(by_unit), projects=len(due))
