"""Reads for supervision: problems, meetings, items, accountability, the inbox.

Visibility is `Model.objects.restrict(user, "view")` (tiaodu/supervision/querysets.py): leaders, the
supervision office, administrators and the leading group's office see everything. A unit user sees the
items assigned to its unit and the problems its unit owns, plus the items and problems of the projects
it may see; the meetings it attended or that gave it an item; the accountability records about its unit
or its people. Who may do what is in tiaodu/supervision/permissions.py.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from tiaodu.orgs.models import Role, Unit, UnitType, User
from tiaodu.scheduling.selectors import work_calendar
from tiaodu.supervision import permissions as rights
from tiaodu.supervision import rules
from tiaodu.supervision.models import (
    AccountabilityRecord,
    ItemEvent,
    Level,
    Meeting,
    Notification,
    Problem,
    ProjectWarning,
    SupervisionConfig,
    SupervisionItem,
)

# --- config ---------------------------------------------------------------------------------------


def config() -> SupervisionConfig:
    return SupervisionConfig.current()


def statutory_calendar():
    """The district's statutory working-day calendar (from the scheduling app)."""

    return work_calendar(mode="statutory")


def local_today() -> datetime.date:
    return timezone.localdate()


def cutoffs_for(
    *, today: datetime.date, cfg: SupervisionConfig | None = None, calendar=None
) -> rules.Cutoffs:
    cfg = cfg or config()
    return rules.warning_cutoffs(
        today=today,
        calendar=calendar or statutory_calendar(),
        red_after=cfg.red_after_days,
        reminder_before=cfg.reminder_days,
    )


# --- items ----------------------------------------------------------------------------------------

OPEN_STATUSES = (SupervisionItem.Status.OPEN, SupervisionItem.Status.CLOSE_REQUESTED)


def warning_expression(cutoffs: rules.Cutoffs):
    """The warning of each item on the cutoffs' day: computed for open items, as recorded for others.

    An item waiting for the supervision office to confirm its closure draws nothing new either.
    """
    return Case(
        When(~Q(status=SupervisionItem.Status.OPEN), then="warning"),
        When(deadline__lte=cutoffs.red_through, then=Value(rules.RED)),
        When(deadline__lte=cutoffs.yellow_through, then=Value(rules.YELLOW)),
        When(deadline__lte=cutoffs.reminder_through, then=Value(rules.REMINDER)),
        default=Value(rules.NONE),
        output_field=CharField(),
    )


def item_visible_list(*, user) -> QuerySet[SupervisionItem]:
    """The items the user may see, as they are (no warning computed: for choosing items by id)."""
    return SupervisionItem.objects.restrict(user, "view")


def item_list(*, user, today: datetime.date | None = None, cutoffs: rules.Cutoffs | None = None) -> QuerySet:
    """The items the user may see, each annotated with `warning_now` (none/reminder/yellow/red) for today."""
    qs = item_visible_list(user=user)
    if cutoffs is None:
        cutoffs = cutoffs_for(today=today or local_today())
    return qs.annotate(warning_now=warning_expression(cutoffs))


def item_detail(*, user, pk: int) -> SupervisionItem:
    """SupervisionItem.DoesNotExist when the user may not see it."""
    return (
        item_list(user=user)
        .select_related(
            "meeting",
            "project",
            "problem",
            "responsible_person__unit",
            "supervising_leader",
            "created_by__person",
            "closed_by__person",
        )
        .prefetch_related("assignee_units")
        .get(pk=pk)
    )


def item_timeline(item: SupervisionItem) -> list[ItemEvent]:
    return list(
        item.events.select_related("user__person").prefetch_related("photos").order_by("on", "at", "id")
    )


def item_milestones(item: SupervisionItem, *, cfg: SupervisionConfig | None = None, calendar=None) -> dict:
    """The days an open item's warnings begin (on the statutory calendar)."""
    cfg = cfg or config()
    calendar = calendar or statutory_calendar()
    return {
        "reminder": rules.reminder_date(
            deadline=item.deadline, calendar=calendar, reminder_before=cfg.reminder_days
        ),
        "yellow": item.deadline + datetime.timedelta(days=1),
        "red": rules.red_date(deadline=item.deadline, calendar=calendar, red_after=cfg.red_after_days),
        "red_after": cfg.red_after_days,
        "reminder_days": cfg.reminder_days,
    }


def item_counts(*, user) -> dict:
    """Open items per warning level and items awaiting confirmation, for the register's header."""
    rows = item_list(user=user).filter(status__in=OPEN_STATUSES).values("warning_now").annotate(n=Count("id"))
    counts = {level: 0 for level in rules.LEVELS}
    for row in rows:
        counts[row["warning_now"]] = row["n"]
    counts["open"] = sum(counts[level] for level in rules.LEVELS)
    counts["close_requested"] = (
        item_list(user=user).filter(status=SupervisionItem.Status.CLOSE_REQUESTED).count()
    )
    return counts


def overdue_items(*, user, on: datetime.date) -> QuerySet:
    return (
        item_list(user=user, today=on)
        .filter(status__in=OPEN_STATUSES, deadline__lt=on)
        .select_related("project")
        .prefetch_related("assignee_units")
        .order_by("deadline", "id")
    )


# --- problems -------------------------------------------------------------------------------------


def problem_list(*, user) -> QuerySet[Problem]:
    return Problem.objects.restrict(user, "view")


def problem_detail(*, user, pk: int) -> Problem:
    return (
        problem_list(user=user)
        .select_related("project__lead_unit", "owner_unit", "raised_by__person")
        .get(pk=pk)
    )


def problem_board(*, user, include_resolved: bool = False) -> list[dict]:
    """Open problems per ladder level (the problem board), lowest level first."""
    qs = problem_list(user=user).select_related("project", "owner_unit")
    if not include_resolved:
        qs = qs.filter(status=Problem.Status.OPEN)
    by_level: dict[int, list[Problem]] = {level: [] for level in Level.values}
    for problem in qs.order_by("level_entered_on", "id"):
        by_level[problem.level].append(problem)
    return [
        {"level": level, "label": Level(level).label, "problems": by_level[level]} for level in Level.values
    ]


def problem_due_dates(
    problems, *, cfg: SupervisionConfig | None = None, calendar=None
) -> dict[int, datetime.date]:
    """The day each open problem will rise if still unresolved (none at the top level)."""
    cfg = cfg or config()
    calendar = calendar or statutory_calendar()
    limits = cfg.limits()
    cache: dict[tuple[int, datetime.date], datetime.date] = {}
    out = {}
    for p in problems:
        if p.status != Problem.Status.OPEN or p.level not in limits:
            continue
        key = (p.level, p.level_entered_on)
        if key not in cache:
            cache[key] = rules.escalation_due(
                entered=p.level_entered_on, limit=limits[p.level], calendar=calendar
            )
        out[p.pk] = cache[key]
    return out


def problems_at_leader_level(*, user) -> QuerySet[Problem]:
    return (
        problem_list(user=user)
        .filter(status=Problem.Status.OPEN, level__gte=Level.LEADER)
        .select_related("project", "owner_unit")
        .order_by("-level", "level_entered_on")
    )


# --- my work (the home page's 我的待办 and the list filters it links to) ------------------------------


def items_awaiting_feedback(*, user) -> QuerySet:
    """Items in progress (办理中) assigned to the user's unit: they wait for its feedback or closure request
    (only assignee-unit users respond: permissions.item_can_respond)."""
    if user.role != Role.UNIT or user.unit is None:
        return SupervisionItem.objects.none()
    return (
        item_list(user=user).filter(status=SupervisionItem.Status.OPEN, assignee_units=user.unit).distinct()
    )


def items_awaiting_confirmation(*, user) -> QuerySet:
    """Items whose closure was requested (待确认办结), for those who confirm it (the 督查室)."""
    if not rights.item_can_close(user=user):
        return SupervisionItem.objects.none()
    return item_list(user=user).filter(status=SupervisionItem.Status.CLOSE_REQUESTED)


def rung_condition(user) -> Q | None:
    """The ladder levels the user stands at, as escalation_recipients (services/_common.py) names them:
    责任单位 — the owner unit; 牵头指挥部 — the project's lead unit; 分管区领导 — the project's supervising
    leader (every leader when the project names none or that leader has no account) and the 督查室;
    区主要领导 — the leaders and the 督查室; 市级 — the 督查室 and the leading group's office. None: no rung."""
    if user.role == Role.LEADER:
        no_account = ~Exists(
            User.objects.filter(person_id=OuterRef("project__supervising_leader_id"), is_active=True)
        )
        mine = Q(project__supervising_leader_id=user.person_id) if user.person_id else Q(pk__in=[])
        return Q(level=Level.LEADER) & (mine | Q(project__supervising_leader__isnull=True) | no_account) | Q(
            level=Level.PRINCIPAL
        )
    if user.role == Role.SUPERVISOR:
        return Q(level__gte=Level.LEADER)
    unit = user.unit
    if user.role != Role.UNIT or unit is None:
        return None
    rung = Q(level=Level.UNIT, owner_unit=unit) | Q(level=Level.HQ, project__lead_unit=unit)
    return rung | Q(level=Level.CITY) if user.is_office else rung


def problems_at_rung(*, user) -> QuerySet[Problem]:
    """Open problems at the user's rung of the ladder (rung_condition)."""
    condition = rung_condition(user)
    if condition is None:
        return Problem.objects.none()
    return problem_list(user=user).filter(condition, status=Problem.Status.OPEN)


# --- meetings -------------------------------------------------------------------------------------


def meeting_list(*, user) -> QuerySet[Meeting]:
    return Meeting.objects.restrict(user, "view")


def meeting_detail(*, user, pk: int) -> Meeting:
    return meeting_list(user=user).select_related("chair", "created_by__person").get(pk=pk)


# --- accountability -------------------------------------------------------------------------------


def accountability_list(*, user) -> QuerySet[AccountabilityRecord]:
    return AccountabilityRecord.objects.restrict(user, "view").select_related(
        "unit", "person__unit", "recorded_by__person"
    )


def unit_accountability(*, user, unit: Unit) -> QuerySet[AccountabilityRecord]:
    """The records about a unit (or its people) that the user may see: for the unit's page."""
    return (
        accountability_list(user=user)
        .filter(Q(unit=unit) | Q(person__unit=unit))
        .order_by("-decision_date", "-id")
    )


# --- project warnings -----------------------------------------------------------------------------


def project_warning_list(*, user) -> QuerySet[ProjectWarning]:
    return ProjectWarning.objects.restrict(user, "view").select_related("project__lead_unit")


# --- the inbox ------------------------------------------------------------------------------------


def inbox(*, user) -> QuerySet[Notification]:
    return Notification.objects.restrict(user, "view").order_by("-created_at", "-id")


def inbox_unread_count(*, user) -> int:
    if not user.is_authenticated or not getattr(user, "pk", None):
        return 0
    return Notification.objects.filter(recipient=user, unread=True).count()


# --- recipients -----------------------------------------------------------------------------------


def supervisors() -> QuerySet[User]:
    return User.objects.filter(role=Role.SUPERVISOR, is_active=True)


def leaders() -> QuerySet[User]:
    return User.objects.filter(role=Role.LEADER, is_active=True)


def office_users() -> QuerySet[User]:

    return User.objects.filter(is_active=True, role=Role.UNIT, person__unit__type=UnitType.OFFICE)


def person_user_ids(*people) -> set[int]:
    ids = [p.pk for p in people if p is not None]
    if not ids:
        return set()
    return set(User.objects.filter(person_id__in=ids, is_active=True).values_list("pk", flat=True))
