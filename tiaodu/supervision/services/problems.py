"""Problems (难题): raise, feedback, resolve, escalate by hand. Automatic rises are in sweep.py."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction

from tiaodu.core.actors import stored_user
from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.errors import NotAllowed
from tiaodu.progress.models import Report
from tiaodu.projects.models import Project
from tiaodu.supervision import selectors
from tiaodu.supervision.models import Level, Problem, ProblemEvent, ProblemType, SupervisionConfig
from tiaodu.supervision.notify import Outbox
from tiaodu.supervision.permissions import config_can_edit, problem_can_handle, problem_can_raise
from tiaodu.supervision.services._common import (
    escalation_recipients,
    moment,
    problem_level_title,
    problem_url,
    require_text,
    title_from,
    today,
)


def _default_owner(user, project: Project):
    unit = user.unit if getattr(user, "person_id", None) else None
    if unit is not None and not user.sees_all:
        return unit
    return project.lead_unit


@transaction.atomic
def problem_raise(
    *,
    user,
    project: Project,
    type: str,
    description: str,
    title: str = "",
    owner_unit=None,
    source_report_id: int | None = None,
    on: datetime.date | None = None,
    source: str = "web",
) -> Problem:
    if not problem_can_raise(user=user, obj=project):
        raise NotAllowed("您无权为该项目登记难题")
    description = require_text(description, "description", "请填写难题描述")
    if type not in ProblemType.values:
        raise ValidationError({"type": "请选择难题类型（资金、用地、拆迁、审批、规划、其他）"})
    on = on or today()
    problem = Problem(
        project=project,
        type=type,
        description=description,
        title=(title or "").strip() or title_from(description),
        owner_unit=owner_unit or _default_owner(user, project),
        level=Level.UNIT,
        level_entered_on=on,
        source_report_id=source_report_id,
        raised_by=stored_user(user),
        created_at=moment(on),
    )
    problem.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            problem.save()
    except IntegrityError:
        raise ValidationError({"source_report_id": "该周报的存在问题已登记为难题"})
    ProblemEvent.objects.create(
        problem=problem,
        kind=ProblemEvent.Kind.RAISED,
        to_level=Level.UNIT,
        text=description,
        on=on,
        at=problem.created_at,
        user=stored_user(user),
    )
    record_change(
        obj=problem,
        before=None,
        after=snapshot(problem, Problem.TRACKED_FIELDS),
        user=stored_user(user),
        source=source,
        parent=project,
    )
    outbox = Outbox(actor=user)
    outbox.add(
        kind="problem_raised",
        title=f"新难题：{problem.title}（{project.name}）",
        body=f"类型：{problem.get_type_display()}；责任单位：{problem.owner_unit.name}",
        url=problem_url(problem),
        units={problem.owner_unit_id, project.lead_unit_id},
    )
    outbox.flush()
    return problem


def report_for_problem(*, user, report_id: int) -> Report:
    """The progress report if the user may read it (its project, and a draft only its own unit's, as on the
    report's page)."""
    try:
        return (
            Report.objects.restrict(user, "view")
            .select_related("project", "reporting_unit")
            .get(pk=report_id)
        )
    except (Report.DoesNotExist, ValueError, TypeError):
        raise ObjectDoesNotExist("周报不存在")


@transaction.atomic
def problem_raise_from_report(
    *,
    user,
    report_id: int,
    type: str = ProblemType.OTHER,
    owner_unit=None,
    title: str = "",
    source: str = "web",
) -> tuple[Problem, bool]:
    """One click from a report's 存在问题: (problem, created). The same report never gives two problems."""
    report = report_for_problem(user=user, report_id=report_id)
    existing = Problem.objects.filter(source_report_id=report.pk).first()
    if existing is not None:
        return existing, False
    text = report.problems.strip()
    if not text:
        raise ValidationError({"description": "该周报没有填写存在问题"})
    prefix = f"（来自{report.as_of.month}月{report.as_of.day}日周报）"
    owner = owner_unit or report.reporting_unit
    problem = problem_raise(
        user=user,
        project=report.project,
        type=type,
        description=f"{text}\n{prefix}",
        title=title or title_from(text),
        owner_unit=owner,
        source_report_id=report.pk,
        source=source,
    )
    return problem, True


def _require_handle(user, problem: Problem):
    if not problem_can_handle(user=user, obj=problem):
        raise NotAllowed("只有责任单位、牵头单位、领导和督查室可以办理该难题")
    if not problem.is_open:
        raise ValidationError("该难题已解决，不能再办理")


@transaction.atomic
def problem_feedback(*, user, problem: Problem, text: str, source: str = "web") -> ProblemEvent:
    _require_handle(user, problem)
    text = require_text(text, "text", "请填写办理情况")
    event = ProblemEvent.objects.create(
        problem=problem, kind=ProblemEvent.Kind.FEEDBACK, text=text, on=today(), user=stored_user(user)
    )
    if problem.raised_by_id:
        outbox = Outbox(actor=user)
        outbox.add(
            kind="problem_feedback",
            title=f"难题有新的办理情况：{problem.title}",
            body=text,
            url=problem_url(problem),
            users={problem.raised_by_id},
        )
        outbox.flush()
    return event


@transaction.atomic
def problem_resolve(*, user, problem: Problem, text: str, source: str = "web") -> Problem:
    _require_handle(user, problem)
    text = require_text(text, "text", "请说明如何解决")
    return resolve(user=user, problem=problem, text=text, source=source)


def resolve(*, user, problem: Problem, text: str, source: str) -> Problem:
    """Mark an open problem resolved with `text` (an event, the change log, the people who hear of it);
    the caller has checked the right to do so (by hand, or the 督查室 confirming a linked item closed)."""
    before = snapshot(problem, Problem.TRACKED_FIELDS)
    problem.status = Problem.Status.RESOLVED
    problem.resolution = text
    problem.resolved_on = today()
    problem.save(update_fields=["status", "resolution", "resolved_on"])
    ProblemEvent.objects.create(
        problem=problem,
        kind=ProblemEvent.Kind.RESOLVED,
        from_level=problem.level,
        text=text,
        on=problem.resolved_on,
        user=stored_user(user),
    )
    record_change(
        obj=problem,
        before=before,
        after=snapshot(problem, Problem.TRACKED_FIELDS),
        user=stored_user(user),
        source=source,
        parent=problem.project,
    )
    outbox = Outbox(actor=user)
    users = {problem.raised_by_id} if problem.raised_by_id else set()
    if problem.level >= Level.LEADER:
        users |= set(selectors.supervisors().values_list("pk", flat=True))
    outbox.add(
        kind="problem_resolved",
        title=f"难题已解决：{problem.title}",
        body=text,
        url=problem_url(problem),
        users=users,
        units={problem.owner_unit_id},
    )
    outbox.flush()
    return problem


@transaction.atomic
def problem_escalate(*, user, problem: Problem, text: str, source: str = "web") -> Problem:
    """Escalate by hand one level up; the form asks what was tried at this level."""
    _require_handle(user, problem)
    if problem.level >= Level.CITY:
        raise ValidationError("难题已在最高层级（市级），不能再上报")
    text = require_text(text, "text", "请说明在本层级已做的工作和未能解决的原因")
    before = snapshot(problem, Problem.TRACKED_FIELDS)
    old = problem.level
    problem.level = old + 1
    problem.level_entered_on = today()
    problem.save(update_fields=["level", "level_entered_on"])
    ProblemEvent.objects.create(
        problem=problem,
        kind=ProblemEvent.Kind.ESCALATED,
        from_level=old,
        to_level=problem.level,
        text=text,
        on=problem.level_entered_on,
        user=stored_user(user),
    )
    record_change(
        obj=problem,
        before=before,
        after=snapshot(problem, Problem.TRACKED_FIELDS),
        user=stored_user(user),
        source=source,
        parent=problem.project,
    )
    users, units = escalation_recipients(
        level=problem.level,
        lead_unit_id=problem.project.lead_unit_id,
        owner_unit_id=problem.owner_unit_id,
        leader_person_id=problem.project.supervising_leader_id,
    )
    outbox = Outbox(actor=user)
    outbox.add(
        kind="problem_escalated",
        title=problem_level_title(
            title=problem.title, project_name=problem.project.name, level=problem.level, auto=False
        ),
        body=f"已做工作：{text}",
        url=problem_url(problem),
        users=users,
        units=units,
    )
    outbox.flush()
    return problem


# --- the limits -------------------------------------------------------------------------------


@transaction.atomic
def config_update(*, user, data: dict[str, Any], source: str = "web") -> SupervisionConfig:
    if not config_can_edit(user=user):
        raise NotAllowed("只有领导小组办公室、系统管理员和督查室可以修改督办时限")
    cfg = SupervisionConfig.objects.select_for_update().filter(pk=1).first()
    created = cfg is None
    if created:
        cfg = SupervisionConfig(pk=1)
    before = None if created else snapshot(cfg, SupervisionConfig.TRACKED_FIELDS)
    for key, value in data.items():
        if key in SupervisionConfig.TRACKED_FIELDS:
            setattr(cfg, key, value)
    cfg.updated_by = stored_user(user)
    cfg.full_clean()
    cfg.save()
    record_change(
        obj=cfg,
        before=before,
        after=snapshot(cfg, SupervisionConfig.TRACKED_FIELDS),
        user=stored_user(user),
        source=source,
    )
    return cfg
