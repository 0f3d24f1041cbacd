"""Writes of the monthly investment figures (月度投资统计): draft, submit, verify, return, revise, discard.

The weekly report's workflow (tiaodu/progress/services.py): 草稿 → 已提交 (the lead unit, or the office on
its behalf) → 已审核 (the office / administrators, never the one who submitted it) or 退回 with a reason.
A submitted, verified or returned figure is never changed: `monthly_revise` opens a new revision (same
`thread`, revision + 1, `previous` → the old one). Exactly one revision of a (project, year, month)
counts (`counted`): the last submitted or verified one that was not returned (`_recount`); the earlier
submitted or verified ones are `superseded`. If the newest is returned, the one before counts again.

`late`: submitted after the end of the deadline day (InvestmentSettings.deadline_day, default the 25th)
of the figure's own month — the figure for month m is due by the 25th of month m. Submitting computes
the 投资数据不一致 flag (selectors_monthly.mismatch_flags); a flagged figure needs a note to be verified.
Every write is in the change log (record_change).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tiaodu.core.actors import stored_user
from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.errors import NotAllowed
from tiaodu.core.xlsx import CellError, decimal
from tiaodu.investment import selectors_monthly
from tiaodu.investment.models import MonthlyInvestment
from tiaodu.investment.permissions import (
    monthly_can_edit,
    monthly_can_revise,
    monthly_can_submit,
    monthly_can_verify,
    monthly_verify_refusal,
)
from tiaodu.investment.selectors import investment_settings
from tiaodu.progress.models import ReportStatus
from tiaodu.projects.models import MONEY, Project

PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$")
LIVE = (ReportStatus.SUBMITTED, ReportStatus.VERIFIED)
MAX_TEXT = 2000


# --- checks ---------------------------------------------------------------------------------------


def parse_period(text) -> tuple[int, int]:
    """(year, month) from YYYY-MM; ValidationError on the field "month"."""
    match = PERIOD.match(str(text or "").strip())
    if not match:
        raise ValidationError({"month": f"年月应为YYYY-MM格式（如2026-10），收到「{str(text or '')[:20]}」"})
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValidationError({"month": f"月份应为1–12，收到「{str(text).strip()[:20]}」"})
    if not 2000 <= year <= 2100:
        raise ValidationError({"month": f"年度应在2000–2100之间，收到「{year}」"})
    return year, month


def period_problem(year: int, month: int, today: datetime.date | None = None) -> str | None:
    """Why (year, month) cannot be entered: out of range or a future month."""
    if not 1 <= month <= 12:
        return f"月份应为1–12，收到「{month}」"
    if not 2000 <= year <= 2100:
        return f"年度应在2000–2100之间，收到「{year}」"
    today = today or timezone.localdate()
    if (year, month) > (today.year, today.month):
        return f"不能填报未来月份（{year}年{month}月），当前为{today.year}年{today.month}月"
    return None


def amount_problem(raw) -> tuple[Decimal | None, str | None]:
    """(the amount, None) or (None, why not): a number ≥ 0 in 万元, two decimals."""
    if isinstance(raw, Decimal):
        raw = format(raw, "f")
    try:
        value = decimal(raw, places=MONEY["decimal_places"], max_digits=MONEY["max_digits"], nonnegative=True)
    except CellError as e:
        return None, f"当月完成投资{e.message}"
    if value is None:
        return None, "请填写当月完成投资（万元）"
    return value, None


def parse_amount(raw) -> Decimal:
    value, problem = amount_problem(raw)
    if problem:
        raise ValidationError({"amount": problem})
    return value


def _text(value, field: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise ValidationError({field: f"{label}不能超过{MAX_TEXT}字"})
    return value


def is_late(year: int, month: int, when: datetime.datetime, deadline_day: int | None = None) -> bool:
    """Submitted at `when` after the end of the deadline day of month (year, month)?"""
    day = deadline_day or investment_settings().deadline_day
    return timezone.localtime(when).date() > datetime.date(year, month, day)


def _audit(figure, before, *, user, source):
    record_change(
        obj=figure,
        before=before,
        after=snapshot(figure, MonthlyInvestment.TRACKED_FIELDS),
        user=user,
        source=source,
        parent=figure.project,
    )


def _locked(figure: MonthlyInvestment) -> MonthlyInvestment:
    return (
        MonthlyInvestment.objects.select_for_update()
        .select_related("project__lead_unit", "reporting_unit")
        .get(pk=figure.pk)
    )


# --- drafts ---------------------------------------------------------------------------------------


@transaction.atomic
def monthly_save_draft(
    *,
    user,
    project: Project,
    year: int,
    month: int,
    amount,
    note: str = "",
    figure: MonthlyInvestment | None = None,
    source: str = "web",
) -> MonthlyInvestment:
    """Create a draft (figure=None) or change a draft. The reporting unit is the project's lead unit."""
    if figure is None:
        if not monthly_can_submit(user=user, obj=project):
            raise NotAllowed(
                f"只有牵头单位（{project.lead_unit.name}）或领导小组办公室可以填报该项目的月度投资"
            )
    else:
        figure = _locked(figure)
        if not monthly_can_edit(user=user, obj=figure):
            if figure.status != ReportStatus.DRAFT:
                raise ValidationError("已提交的月度投资不能直接修改，请生成新版本后修改")
            raise NotAllowed("您无权修改该月度投资草稿")
    problem = period_problem(year, month)
    if problem:
        raise ValidationError({"month": problem})
    value = parse_amount(amount)
    note = _text(note, "note", "说明")
    if figure is None:
        other = selectors_monthly.latest_revision(project=project, year=year, month=month)
        if other is not None:
            raise ValidationError(
                {
                    "month": f"项目「{project.code}」{year}年{month}月的月度投资已存在（{other.get_status_display()}），请在原记录上修改"
                }
            )
        figure = MonthlyInvestment(
            project=project,
            year=year,
            month=month,
            reporting_unit=project.lead_unit,
            created_by=stored_user(user),
            source=source,
        )
        before = None
    else:
        before = snapshot(figure, MonthlyInvestment.TRACKED_FIELDS)
        if (year, month) != (figure.year, figure.month):
            if figure.revision > 1:
                raise ValidationError({"month": "修订版本不能更改年月"})
            other = selectors_monthly.latest_revision(project=project, year=year, month=month)
            if other is not None and other.thread != figure.thread:
                raise ValidationError(
                    {"month": f"项目「{project.code}」{year}年{month}月的月度投资已存在，请在原记录上修改"}
                )
        figure.year, figure.month = year, month
    figure.amount = value
    figure.note = note
    figure.full_clean()
    figure.save()
    _audit(figure, before, user=user, source=source)
    return figure


def _recount(figure: MonthlyInvestment, *, user, source: str) -> None:
    """Exactly one counted revision of the figure's (project, year, month): the newest submitted or
    verified one of its thread; the earlier live ones superseded; every change in the change log."""
    revisions = list(
        MonthlyInvestment.objects.select_for_update().filter(thread=figure.thread).order_by("-revision")
    )
    winner = next((r for r in revisions if r.status in LIVE), None)
    others = MonthlyInvestment.objects.select_for_update().filter(
        project_id=figure.project_id, year=figure.year, month=figure.month, counted=True
    )
    if winner is not None:
        others = others.exclude(thread=figure.thread)
    else:
        others = others.none()
    changed = []
    for r in [*revisions, *others]:
        counted = winner is not None and r.pk == winner.pk
        superseded = r.status in LIVE and not counted
        if (r.counted, r.superseded) != (counted, superseded):
            changed.append((r, snapshot(r, MonthlyInvestment.TRACKED_FIELDS), counted, superseded))
    # Uncount first: at most one counted row per project and month (monthly_one_counted).
    for r, _before, counted, superseded in changed:
        if not counted:
            r.counted, r.superseded = False, superseded
            r.save(update_fields=["counted", "superseded", "updated_at"])
    for r, _before, counted, superseded in changed:
        if counted:
            r.counted, r.superseded = True, superseded
            r.save(update_fields=["counted", "superseded", "updated_at"])
    for r, before, _c, _s in changed:
        if r.pk != figure.pk:
            r.project = figure.project
            _audit(r, before, user=user, source=source)
    figure.counted = winner is not None and winner.pk == figure.pk
    figure.superseded = next((s for r, _b, _c, s in changed if r.pk == figure.pk), figure.superseded)


@transaction.atomic
def monthly_submit(*, user, figure: MonthlyInvestment, source: str = "web") -> MonthlyInvestment:
    """草稿 → 已提交: counts from now on (the revision it replaces stops counting); late and flags set."""
    figure = _locked(figure)
    if figure.status != ReportStatus.DRAFT:
        raise ValidationError(f"该月度投资{figure.get_status_display()}，不能再次提交")
    if not monthly_can_edit(user=user, obj=figure):
        raise NotAllowed("您无权提交该月度投资")
    problem = period_problem(figure.year, figure.month)
    if problem:
        raise ValidationError({"month": problem})
    before = snapshot(figure, MonthlyInvestment.TRACKED_FIELDS)
    now = timezone.now()
    figure.status = ReportStatus.SUBMITTED
    figure.submitted_by = stored_user(user)
    figure.submitted_at = now
    figure.late = is_late(figure.year, figure.month, now)
    figure.return_reason = ""
    figure.save()
    _recount(figure, user=user, source=source)
    flags = selectors_monthly.mismatch_flags(
        user=user,
        projects=Project.objects.filter(pk=figure.project_id),
        year=figure.year,
        month=figure.month,
    )
    figure.flags = [flags[figure.project_id]] if figure.project_id in flags else []
    figure.save(update_fields=["flags", "counted", "superseded", "updated_at"])
    _audit(figure, before, user=user, source=source)
    return figure


@transaction.atomic
def monthly_verify(
    *, user, figure: MonthlyInvestment, note: str = "", source: str = "web"
) -> MonthlyInvestment:
    """已提交 → 已审核 by the office / an administrator other than who submitted it; a flagged figure
    (投资数据不一致) needs a note (审核意见)."""
    figure = _locked(figure)
    if not monthly_can_verify(user=user, obj=figure):
        raise NotAllowed(monthly_verify_refusal(user=user, obj=figure))
    if figure.status != ReportStatus.SUBMITTED or not figure.counted:
        raise ValidationError(f"该月度投资{figure.get_status_display()}，不能审核")
    note = _text(note, "note", "审核意见")
    if figure.flags and not note:
        raise ValidationError(
            {"note": f"该月度投资有{len(figure.flags)}项数据异常，请填写审核意见（核实情况）后再审核通过"}
        )
    before = snapshot(figure, MonthlyInvestment.TRACKED_FIELDS)
    figure.verify_note = note
    figure.status = ReportStatus.VERIFIED
    figure.verified_by = stored_user(user)
    figure.verified_at = timezone.now()
    figure.save()
    _audit(figure, before, user=user, source=source)
    return figure


@transaction.atomic
def monthly_return(*, user, figure: MonthlyInvestment, reason: str, source: str = "web") -> MonthlyInvestment:
    """已提交 → 退回 with a reason; it stops counting and the revision it replaced counts again."""
    figure = _locked(figure)
    if not monthly_can_verify(user=user, obj=figure):
        raise NotAllowed(monthly_verify_refusal(user=user, obj=figure, verb="退回"))
    if figure.status != ReportStatus.SUBMITTED or not figure.counted:
        raise ValidationError(f"该月度投资{figure.get_status_display()}，不能退回")
    reason = _text(reason, "reason", "退回原因")
    if not reason:
        raise ValidationError({"reason": "请填写退回原因"})
    before = snapshot(figure, MonthlyInvestment.TRACKED_FIELDS)
    figure.status = ReportStatus.RETURNED
    figure.return_reason = reason
    figure.returned_by = stored_user(user)
    figure.returned_at = timezone.now()
    figure.save()
    _recount(figure, user=user, source=source)
    figure.save(update_fields=["counted", "superseded", "updated_at"])
    _audit(figure, before, user=user, source=source)
    return figure


@transaction.atomic
def monthly_revise(
    *, user, figure: MonthlyInvestment, amount=None, note: str | None = None, source: str = "web"
) -> MonthlyInvestment:
    """A new revision (a draft copy, with `amount` / `note` when given) of a submitted, verified or
    returned figure; the open draft of the thread if one exists. The old one counts until the new one
    is submitted."""
    figure = _locked(figure)
    if figure.status == ReportStatus.DRAFT:
        new = figure
    else:
        if not monthly_can_revise(user=user, obj=figure):
            raise NotAllowed(
                f"只有牵头单位（{figure.project.lead_unit.name}）或领导小组办公室可以修改该月度投资"
            )
        latest = MonthlyInvestment.objects.filter(thread=figure.thread).order_by("-revision").first()
        if latest.pk != figure.pk:
            if latest.status != ReportStatus.DRAFT:
                raise ValidationError(f"该月度投资已有更新的第{latest.revision}版，请在最新版本上修改")
            new = latest
        else:
            new = MonthlyInvestment(
                project=figure.project,
                year=figure.year,
                month=figure.month,
                amount=figure.amount,
                note=figure.note,
                reporting_unit=figure.reporting_unit,
                thread=figure.thread,
                revision=figure.revision + 1,
                previous=figure,
                created_by=stored_user(user),
                source=source,
            )
            new.full_clean()
            new.save()
            _audit(new, None, user=user, source=source)
    if amount is None and note is None:
        return new
    return monthly_save_draft(
        user=user,
        project=new.project,
        year=new.year,
        month=new.month,
        amount=new.amount if amount is None else amount,
        note=new.note if note is None else note,
        figure=new,
        source=source,
    )


@transaction.atomic
def monthly_discard(*, user, figure: MonthlyInvestment, source: str = "web") -> None:
    """Delete a draft (nothing submitted is ever deleted)."""
    figure = _locked(figure)
    if figure.status != ReportStatus.DRAFT:
        raise ValidationError("只能删除草稿")
    if not monthly_can_edit(user=user, obj=figure):
        raise NotAllowed("您无权删除该草稿")
    before = snapshot(figure, MonthlyInvestment.TRACKED_FIELDS)
    record_change(obj=figure, before=before, after=None, user=user, source=source, parent=figure.project)
    figure.delete()


def amount_key(project_id: int) -> str:
    """The batch form's field (and the error key) of a project's 当月完成投资."""
    return f"amount_{project_id}"


@transaction.atomic
def monthly_batch_save(
    *,
    user,
    year: int,
    month: int,
    rows: list[tuple[Project, object]],
    submit: bool = False,
    source: str = "web",
) -> list[MonthlyInvestment]:
    """The batch form (填报): for each (project, amount as typed) with an amount, save its draft (a new one
    or the open draft) and, with `submit`, submit it. All or nothing: a ValidationError names each row's
    field (`amount_<project id>`) or the month."""
    problem = period_problem(year, month)
    if problem:
        raise ValidationError({"month": problem})
    saved, errors = [], {}
    for project, raw in rows:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        key = amount_key(project.pk)
        latest = selectors_monthly.latest_revision(project=project, year=year, month=month)
        if latest is not None and latest.status != ReportStatus.DRAFT:
            errors[key] = [f"该月已{latest.get_status_display()}，如需修改请在详情页“修改（生成新版本）”"]
            continue
        try:
            with transaction.atomic():
                figure = monthly_save_draft(
                    user=user,
                    project=project,
                    year=year,
                    month=month,
                    amount=raw,
                    figure=latest,
                    source=source,
                )
                if submit:
                    figure = monthly_submit(user=user, figure=figure, source=source)
        except ValidationError as exc:
            errors[key] = exc.messages
            continue
        saved.append(figure)
    if errors:
        raise ValidationError(errors)
    if not saved:
        raise ValidationError({"__all__": "请至少填写一个项目的当月完成投资"})
    return saved
