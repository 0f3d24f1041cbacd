"""Word about weekly reports: the reminder before the deadline, the office's 催报, and the reporter hearing
that a report was returned or verified.

What is due is decided in one place, tiaodu.progress.selectors.unit_reports_due (figures.report_missing
over each reporting unit's own reports); this module only tells the units concerned.

* `reports_remind(now=…)` — at the reminder moment of the cycle (ReportingCycle.remind_weekday and
  remind_time, default Wednesday 17:00 for a Thursday 17:00 deadline) and until the deadline, every unit
  with a report due for that cycle (as-of = the deadline day) gets one message listing its projects:
  inbox for its users, an e-mail to each with an address, its group robots and the global robots. Once
  per cycle and unit (a ReportReminder row per project and unit): a second run sends nothing new. Run by
  the job queue every five minutes and by `manage.py report_reminders`.
* `reports_urge(user=…, as_of=…)` — 催报 on the dashboard's list of missing reports: the same message, now,
  to the units whose report is due on the projects of that list; recorded with who urged and when.
* `report_review_notify` — connected to tiaodu.progress.signals.report_reviewed: the reporter (who
  submitted and who wrote it) hears of a return with its reason — and so does the unit's group robot —
  or of a verification.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tiaodu.core.actors import SYSTEM, stored_user
from tiaodu.core.errors import NotAllowed
from tiaodu.progress import selectors as progress
from tiaodu.progress import signals
from tiaodu.progress.models import ReportingCycle
from tiaodu.projects.models import Project
from tiaodu.supervision.models import ReportReminder
from tiaodu.supervision.notify import Outbox
from tiaodu.supervision.permissions import URGE_DENIED, reports_can_urge

WEEKDAY_NAMES = "一二三四五六日"


@dataclass(frozen=True)
class CycleMoments:
    deadline_day: datetime.date  # the cycle's as-of date
    remind_at: datetime.datetime
    deadline_at: datetime.datetime


@dataclass(frozen=True)
class ReminderResult:
    as_of: datetime.date | None
    units: int = 0
    projects: int = 0
    note: str = ""

    def as_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "units": self.units,
            "projects": self.projects,
            "note": self.note,
        }


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def cycle_moments(cycle: ReportingCycle, now: datetime.datetime) -> CycleMoments:
    """The next deadline at or after `now` (local time) and its reminder moment."""
    local = timezone.localtime(now)
    day = cycle.deadline_for(local.date())
    if day == local.date() and local.time() >= cycle.deadline_time:
        day += datetime.timedelta(days=7)
    return CycleMoments(
        deadline_day=day,
        remind_at=_aware(cycle.remind_before(day), cycle.remind_time),
        deadline_at=_aware(day, cycle.deadline_time),
    )


def _who(user) -> str:
    """北园大街改造指挥部 赵指挥 (the unit, then the person; the system actor has no unit)."""
    unit = getattr(user, "unit", None)
    return " ".join(x for x in (unit.name if unit else "", getattr(user, "display_name", "")) if x)


def _date(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


def _deadline_text(cycle: ReportingCycle, day: datetime.date) -> str:
    return f"{_date(day)}（周{WEEKDAY_NAMES[day.weekday()]}）{cycle.deadline_time:%H:%M}"


def _add_unit_messages(outbox: Outbox, due, *, cycle, deadline_day, kind: str, urged_by: str = "") -> None:
    """One message per unit, listing the projects on which its report is due."""
    by_unit: dict[int, list] = defaultdict(list)
    for d in due:
        by_unit[d.unit_id].append(d)
    url = reverse("report_mine")
    head = "催报" if kind == "report_urge" else "周报提醒"
    for unit_id, items in by_unit.items():
        lines = [
            f"· {d.name}（{d.code}）："
            + (f"最近报送截至{_date(d.last_report)}" if d.last_report else "尚未报送过周报")
            for d in items
        ]
        intro = f"本周周报报送截止时间：{_deadline_text(cycle, deadline_day)}，请尽快报送。"
        if urged_by:
            intro = f"{urged_by}催报：{intro}"
        outbox.add(
            kind=kind,
            title=f"{head}：{items[0].unit_name}有{len(items)}个项目的周报尚未报送",
            body="\n".join([intro, *lines]),
            url=url,
            units={unit_id},
        )


@transaction.atomic
def reports_remind(*, now: datetime.datetime | None = None) -> ReminderResult:
    """Send this cycle's reminders if the reminder moment has come and the deadline has not; see above."""
    now = now or timezone.now()
    cycle = progress.reporting_cycle()
    if not cycle.remind_enabled:
        return ReminderResult(None, note="未启用截止前提醒")
    list(ReportingCycle.objects.select_for_update().filter(pk=1))  # one run at a time (once saved)
    moments = cycle_moments(cycle, now)
    if now < moments.remind_at:
        return ReminderResult(moments.deadline_day, note="未到提醒时间")
    already = set(
        ReportReminder.objects.filter(
            kind=ReportReminder.Kind.REMIND, as_of=moments.deadline_day
        ).values_list("unit_id", flat=True)
    )
    due = [
        d
        for d in progress.unit_reports_due(user=SYSTEM, as_of=moments.deadline_day)
        if d.unit_id not in already
    ]
    if not due:
        return ReminderResult(moments.deadline_day, note="没有需要提醒的单位")
    stamp = min(now, timezone.now())
    ReportReminder.objects.bulk_create(
        [
            ReportReminder(
                kind=ReportReminder.Kind.REMIND,
                as_of=moments.deadline_day,
                project_id=d.project_id,
                unit_id=d.unit_id,
                sent_at=stamp,
            )
            for d in due
        ],
        ignore_conflicts=True,
    )
    outbox = Outbox(now=now, digest_title="周报报送提醒", digest_url=reverse("report_mine"))
    _add_unit_messages(outbox, due, cycle=cycle, deadline_day=moments.deadline_day, kind="report_reminder")
    outbox.flush()
    return ReminderResult(
        moments.deadline_day, units=len({d.unit_id for d in due}), projects=len({d.project_id for d in due})
    )


@transaction.atomic
def reports_urge(*, user, as_of: datetime.date) -> ReminderResult:
    """催报: remind now the units whose report is due on the projects missing their report at `as_of`
    (the dashboard's list, as the user sees it)."""
    if not reports_can_urge(user=user):
        raise NotAllowed(URGE_DENIED)
    status = progress.progress_status(user=user, as_of=as_of, include_indicators=False)
    codes = [m.code for m in status.missing_reports]
    due = progress.unit_reports_due(user=user, as_of=as_of, within=Project.objects.filter(code__in=codes))
    if not due:
        return ReminderResult(as_of, note="没有需要催报的单位")
    now = timezone.now()
    ReportReminder.objects.bulk_create(
        [
            ReportReminder(
                kind=ReportReminder.Kind.URGE,
                as_of=as_of,
                project_id=d.project_id,
                unit_id=d.unit_id,
                sent_by=stored_user(user),
                sent_at=now,
            )
            for d in due
        ]
    )
    cycle = progress.reporting_cycle()
    who = _who(user)
    outbox = Outbox(actor=user, now=now, digest_title="催报", digest_url=reverse("report_mine"))
    _add_unit_messages(
        outbox, due, cycle=cycle, deadline_day=cycle.deadline_for(as_of), kind="report_urge", urged_by=who
    )
    outbox.flush()
    return ReminderResult(
        as_of, units=len({d.unit_id for d in due}), projects=len({d.project_id for d in due})
    )


def report_review_notify(*, report, action: str, user) -> None:
    """The reporter hears that a report was returned (with the reason; the unit's robots too) or verified."""
    project = report.project
    who = _who(user)
    what = f"{project.name}（截至{_date(report.as_of)}）"
    users = {report.submitted_by_id, report.created_by_id} - {None}
    units = set() if users else {report.reporting_unit_id}
    outbox = Outbox(actor=user)
    if action == signals.RETURNED:
        outbox.add(
            kind="report_returned",
            title=f"周报被退回：{what}",
            body=f"退回原因：{report.return_reason}\n退回人：{who}。请修改后重新提交。",
            url=reverse("report_detail", args=[report.pk]),
            users=users,
            units=units,
            robot_units={report.reporting_unit_id},
        )
    elif action == signals.VERIFIED:
        outbox.add(
            kind="report_verified",
            title=f"周报已审核通过：{what}",
            body=f"审核人：{who}",
            url=reverse("report_detail", args=[report.pk]),
            users=users,
            units=units,
        )
    outbox.flush()


def on_report_reviewed(sender, *, report, action, user, **kwargs) -> None:
    """The receiver of tiaodu.progress.signals.report_reviewed (SupervisionConfig.ready connects it)."""
    report_review_notify(report=report, action=action, user=user)
