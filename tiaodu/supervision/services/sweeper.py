"""The time-based work of one moment: warnings, escalations, project warnings, notifications.

Set-based so that 100,000 open items and 20,000 problems take seconds: the warning thresholds are
computed once for the day as three deadline dates (rules.warning_cutoffs) and each level is one UPDATE;
escalations are computed once per (level, entry date) pair. Idempotent: a warning is issued once per
item, level and deadline; a problem's entry date moves to the day it rose; a project warning once per
project and weekly cycle; so a second run for the same moment finds nothing to do.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tiaodu.core import domain
from tiaodu.core.actors import SYSTEM
from tiaodu.core.bulk import insert_rows
from tiaodu.core.models import ChangeRecord
from tiaodu.projects.models import Project
from tiaodu.supervision import delivery, rules, selectors
from tiaodu.supervision.models import (
    TOP_LEVEL,
    ItemEvent,
    Level,
    Problem,
    ProblemEvent,
    ProjectWarning,
    ProjectWarningCheck,
    SupervisionConfig,
    SupervisionItem,
)
from tiaodu.supervision.notify import Outbox
from tiaodu.supervision.progress_link import last_cycle_as_of, progress_levels
from tiaodu.supervision.services._common import Directory, escalation_recipients, problem_level_title

log = logging.getLogger("tiaodu.supervision.sweep")
# Project warnings reach each person as one inbox message per sweep (the sweep runs daily).
PROJECT_WARNING_DIGEST = "项目预警：{n}个项目连续两个调度周期严重滞后"
CHUNK = 500


@dataclass
class SweepSummary:
    now: datetime.datetime
    reminders: list[int] = field(default_factory=list)
    yellow: list[int] = field(default_factory=list)
    red: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    project_warnings: list[int] = field(default_factory=list)
    notifications_sent: int = 0
    notifications_failed: int = 0

    def as_json(self) -> dict:
        return {
            "now": timezone.localtime(self.now).strftime("%Y-%m-%dT%H:%M"),
            "reminders": sorted(self.reminders),
            "yellow": sorted(self.yellow),
            "red": sorted(self.red),
            "escalated": sorted(self.escalated),
            "project_warnings": sorted(self.project_warnings),
            "notifications_sent": self.notifications_sent,
            "notifications_failed": self.notifications_failed,
        }


def _chunks(ids: list[int], size: int = CHUNK):
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _fmt(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def sweep(*, now: datetime.datetime | None = None, deliver: bool = True) -> SweepSummary:
    """Do every time-based transition due at `now` and send what is due."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        now = timezone.make_aware(now)
    today = timezone.localdate(now)
    summary = SweepSummary(now=now)
    with transaction.atomic():
        cfg = SupervisionConfig.current()
        calendar = selectors.statutory_calendar()
        directory = Directory()
        outbox = Outbox(
            now=now,
            digest_title="督查督办提醒",
            digest_url=reverse("supervision:inbox"),
            digests={
                "project_warning": (PROJECT_WARNING_DIGEST, reverse("progress_projects") + "?level=severe")
            },
        )
        _sweep_items(
            summary, today=today, now=now, cfg=cfg, calendar=calendar, outbox=outbox, directory=directory
        )
        _sweep_problems(
            summary, today=today, now=now, cfg=cfg, calendar=calendar, outbox=outbox, directory=directory
        )
        _sweep_projects(summary, now=now, outbox=outbox, directory=directory)
        flushed = outbox.flush(enqueue=False)
    summary.notifications_sent = flushed.inbox
    if deliver:
        sent, failed = delivery.send_due(now=now, limit=100000)
        summary.notifications_sent += sent
        summary.notifications_failed += failed
    return summary


# --- items ----------------------------------------------------------------------------------------


def _sweep_items(summary, *, today, now, cfg, calendar, outbox, directory) -> None:
    cut = rules.warning_cutoffs(
        today=today, calendar=calendar, red_after=cfg.red_after_days, reminder_before=cfg.reminder_days
    )
    bands = {
        rules.RED: Q(deadline__lte=cut.red_through),
        rules.YELLOW: Q(deadline__gt=cut.red_through, deadline__lte=cut.yellow_through),
        rules.REMINDER: Q(deadline__gt=cut.yellow_through, deadline__lte=cut.reminder_through),
        rules.NONE: Q(deadline__gt=cut.reminder_through),
    }
    # Only items in progress: a closed item draws nothing new, nor one waiting for its closure to be confirmed.
    open_items = SupervisionItem.objects.filter(status=SupervisionItem.Status.OPEN)
    through = SupervisionItem.assignee_units.through
    item_url = _url_template("supervision:item_detail")
    texts: dict[tuple[str, datetime.date], str] = {}  # one text per level and deadline, not per item
    for level in (rules.RED, rules.YELLOW, rules.REMINDER):
        lower = [lv for lv in rules.LEVELS if rules.RANK[lv] < rules.RANK[level]]
        rising = open_items.filter(bands[level], warning__in=lower)
        rows = list(
            rising.values_list(
                "id", "title", "deadline", "supervising_leader_id", "project__supervising_leader_id"
            )
        )
        if not rows:
            continue
        units_of: dict[int, set[int]] = defaultdict(set)
        for item_id, unit_id in through.objects.filter(supervisionitem__in=rising.values("pk")).values_list(
            "supervisionitem_id", "unit_id"
        ):
            units_of[item_id].add(unit_id)
        rising.update(warning=level, warning_on=today)
        for _i, _t, deadline, _l, _p in rows:
            if (level, deadline) not in texts:
                texts[level, deadline] = _warning_text(level, deadline, today, calendar, cfg)
        # One warning per item, level and deadline (the unique constraint skips one issued before).
        insert_rows(
            ItemEvent,
            ["item_id", "kind", "level", "deadline", "text", "on", "at"],
            (
                (item_id, ItemEvent.Kind.WARNING, level, deadline, texts[level, deadline], today, now)
                for item_id, _t, deadline, _l, _p in rows
            ),
            ignore_conflicts=True,
        )
        leader_users = {}
        if level == rules.RED:
            leader_users = directory.person_users({lp or pp for _i, _t, _d, lp, pp in rows})
        label = rules.LABELS[level]
        for item_id, title, deadline, leader_id, project_leader_id in rows:
            users = ()
            if level == rules.RED:
                users = leader_users.get(leader_id or project_leader_id, set()) | directory.supervisors
            outbox.add(
                kind=f"warning_{level}",
                title=f"{label}：{title}（办结时限{_fmt(deadline)}）",
                body=texts[level, deadline],
                url=item_url.format(item_id),
                users=users,
                units=units_of[item_id],
            )
        {rules.RED: summary.red, rules.YELLOW: summary.yellow, rules.REMINDER: summary.reminders}[
            level
        ].extend(r[0] for r in rows)
    # A deadline moved later can lower an item's level: recorded quietly (its warning history stays).
    for level in rules.LEVELS:
        higher = [lv for lv in rules.LEVELS if rules.RANK[lv] > rules.RANK[level]]
        if higher:
            open_items.filter(bands[level], warning__in=higher).update(warning=level)


def _url_template(name: str) -> str:
    """The path of a detail page with "{}" for the id (reverse() once, not once per row)."""
    return reverse(name, args=[987654321]).replace("987654321", "{}")


def _warning_text(level, deadline, today, calendar, cfg) -> str:
    if level == rules.REMINDER:
        return f"距办结时限（{_fmt(deadline)}）不足{cfg.reminder_days}个工作日，请抓紧办理"
    late = calendar.working_days_between(deadline, today) if level == rules.RED else None
    if level == rules.YELLOW:
        return f"已超过办结时限（{_fmt(deadline)}），亮黄牌"
    return f"超过办结时限（{_fmt(deadline)}）{late}个工作日，亮红牌，已通报分管领导"


# --- problems -------------------------------------------------------------------------------------


def _sweep_problems(summary, *, today, now, cfg, calendar, outbox, directory) -> None:
    limits = cfg.limits()
    rows = list(
        Problem.objects.filter(status=Problem.Status.OPEN, level__lt=TOP_LEVEL).values_list(
            "id", "level", "level_entered_on", "title", "owner_unit_id", "project_id"
        )
    )
    cache: dict[tuple[int, datetime.date], list] = {}
    moves: dict[tuple[int, datetime.date], list[int]] = defaultdict(list)
    events: list[tuple] = []
    risen = []
    for pid, level, entered, title, owner_id, project_id in rows:
        key = (level, entered)
        if key not in cache:
            cache[key] = rules.escalation_steps(
                level=level, entered=entered, today=today, limits=limits, top=TOP_LEVEL, calendar=calendar
            )
        steps = cache[key]
        if not steps:
            continue
        prev = level
        for new_level, on in steps:
            events.append(
                (
                    pid,
                    ProblemEvent.Kind.AUTO_ESCALATED,
                    prev,
                    new_level,
                    on,
                    now,
                    f"在{Level(prev).label}层级超过{limits[prev]}个工作日未解决，自动提请{Level(new_level).label}协调",
                )
            )
            prev = new_level
        moves[steps[-1]].append(pid)
        risen.append((pid, steps[-1][0], title, owner_id, project_id, steps[-1][1]))
    if not risen:
        return
    for (new_level, on), ids in moves.items():
        for chunk in _chunks(ids):
            Problem.objects.filter(pk__in=chunk).update(level=new_level, level_entered_on=on)
    insert_rows(ProblemEvent, ["problem_id", "kind", "from_level", "to_level", "on", "at", "text"], events)
    _log_escalations(risen, rows)
    projects = {}
    for chunk in _chunks(sorted({r[4] for r in risen})):
        for pk, name, lead_id, leader_id in Project.objects.filter(pk__in=chunk).values_list(
            "pk", "name", "lead_unit_id", "supervising_leader_id"
        ):
            projects[pk] = (name, lead_id, leader_id)
    directory.person_users({p[2] for p in projects.values()})
    problem_url = _url_template("supervision:problem_detail")
    for pid, new_level, title, owner_id, project_id, _entered in risen:
        name, lead_id, leader_id = projects[project_id]
        users, units = escalation_recipients(
            level=new_level,
            lead_unit_id=lead_id,
            owner_unit_id=owner_id,
            leader_person_id=leader_id,
            directory=directory,
        )
        outbox.add(
            kind="problem_escalated",
            title=problem_level_title(title=title, project_name=name, level=new_level, auto=True),
            url=problem_url.format(pid),
            users=users,
            units=units,
        )
        summary.escalated.append(pid)


def _log_escalations(risen, rows) -> None:
    """Change-log records of the automatic rises (the problem page's 变更记录), written in bulk."""
    problem_ct = ContentType.objects.get_for_model(Problem)
    project_ct = ContentType.objects.get_for_model(Project)
    before = {pid: (level, entered) for pid, level, entered, *_ in rows}
    at = timezone.now()
    rows_out = []
    for pid, new_level, title, _owner, project_id, new_entered in risen:
        old_level, old_entered = before[pid]
        changes = {
            "当前层级": [Level(old_level).label, Level(new_level).label],
            "进入当前层级日期": [old_entered.isoformat(), new_entered.isoformat()],
        }
        rows_out.append(
            (
                problem_ct.pk,
                pid,
                title[:300],
                project_ct.pk,
                project_id,
                ChangeRecord.Action.UPDATE,
                changes,
                "系统",
                "system",
                at,
            )
        )
    insert_rows(
        ChangeRecord,
        [
            "content_type_id",
            "object_id",
            "object_repr",
            "parent_type_id",
            "parent_id",
            "action",
            "changes",
            "user_name",
            "source",
            "at",
        ],
        rows_out,
    )


# --- projects -------------------------------------------------------------------------------------


def _sweep_projects(summary, *, now, outbox, directory) -> None:
    """A project severe in the last two weekly cycles draws a project warning (once per cycle)."""
    as_of = last_cycle_as_of(timezone.localtime(now))
    if ProjectWarningCheck.objects.filter(as_of=as_of).exists():
        return
    latest = progress_levels(user=SYSTEM, as_of=as_of)
    previous = progress_levels(user=SYSTEM, as_of=as_of - datetime.timedelta(days=7))
    severe = {
        code: row
        for code, row in latest.projects.items()
        if row.level == domain.SEVERE
        and previous.projects.get(code) is not None
        and previous.projects[code].level == domain.SEVERE
    }
    ProjectWarningCheck.objects.create(as_of=as_of, checked_at=now, severe=len(severe))
    if not severe:
        return
    projects = list(
        Project.objects.filter(code__in=list(severe)).values_list(
            "pk", "code", "name", "lead_unit_id", "supervising_leader_id"
        )
    )
    already = set(ProjectWarning.objects.filter(as_of=as_of).values_list("project_id", flat=True))
    new = [p for p in projects if p[0] not in already]
    ProjectWarning.objects.bulk_create(
        [
            ProjectWarning(
                project_id=pk,
                as_of=as_of,
                previous_as_of=as_of - datetime.timedelta(days=7),
                lag_days=severe[code].lag_days,
                created_at=min(now, timezone.now()),
            )
            for pk, code, *_ in new
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    leader_users = directory.person_users({p[4] for p in new})
    territorial = defaultdict(set)
    through = Project.territorial_units.through
    for project_id, unit_id in through.objects.filter(project_id__in=[p[0] for p in new]).values_list(
        "project_id", "unit_id"
    ):
        territorial[project_id].add(unit_id)
    for pk, code, name, lead_id, leader_id in new:
        lag = severe[code].lag_days
        outbox.add(
            kind="project_warning",
            title=f"项目预警：{name}连续两个调度周期严重滞后",
            body=f"截至{_fmt(as_of)}滞后{lag}个工作日" if lag is not None else f"截至{_fmt(as_of)}",
            url=reverse("project_detail", args=[code]),
            summary=f"{name}（{code}）" + (f"：滞后{lag}个工作日" if lag is not None else ""),
            users=leader_users.get(leader_id, set()) | directory.supervisors,
            units={lead_id} | territorial[pk],
        )
        summary.project_warnings.append(pk)
