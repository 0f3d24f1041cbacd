"""Writes of the funds side: funding sources (资金来源), funding plans (资金计划), annual plans (年度计划) and
funds arriving (资金到位). Keyword-only, atomic, validated with full_clean, and every change recorded in the
change log — a project's rows with the project as parent, so they show in the project's 变更记录.

Who may: tiaodu/investment/permissions.py (the plans are the baseline the project is measured against —
the office and administrators; arrivals also the project's lead unit).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.errors import NotAllowed
from tiaodu.investment.models import AnnualPlan, FundArrival, FundingPlan, FundingSource
from tiaodu.investment.permissions import (
    ANNUAL_PLAN_DENIED,
    ARRIVAL_DENIED,
    FUNDING_PLAN_DENIED,
    SOURCE_DENIED,
    annual_plan_can_edit,
    arrival_can_record,
    funding_plan_can_edit,
    funding_source_can_manage,
)
from tiaodu.investment.selectors_funds import funding_plan_warning
from tiaodu.projects.models import Project

# --- funding sources ----------------------------------------------------------------------------------


@transaction.atomic
def funding_source_create(
    *, user, name: str, sort_order: int | None = None, source: str = "web"
) -> FundingSource:
    if not funding_source_can_manage(user=user):
        raise NotAllowed(SOURCE_DENIED)
    name = (name or "").strip()
    if FundingSource.objects.filter(name=name).exists():
        raise ValidationError({"name": f"资金来源「{name}」已存在"})
    if sort_order is None:
        last = FundingSource.objects.order_by("-sort_order").values_list("sort_order", flat=True).first()
        sort_order = (last or 0) + 1
    obj = FundingSource(name=name, sort_order=sort_order, active=True)
    obj.full_clean()
    obj.save()
    record_change(
        obj=obj, before=None, after=snapshot(obj, FundingSource.TRACKED_FIELDS), user=user, source=source
    )
    return obj


@transaction.atomic
def funding_source_update(
    *, user, funding_source: FundingSource, data: dict[str, Any], source: str = "web"
) -> FundingSource:
    """Rename (name), reorder (sort_order) or (de)activate (active) a source."""
    if not funding_source_can_manage(user=user):
        raise NotAllowed(SOURCE_DENIED)
    obj = FundingSource.objects.select_for_update().get(pk=funding_source.pk)
    before = snapshot(obj, FundingSource.TRACKED_FIELDS)
    for key in ("name", "sort_order", "active"):
        if key in data:
            setattr(obj, key, data[key].strip() if key == "name" else data[key])
    if FundingSource.objects.filter(name=obj.name).exclude(pk=obj.pk).exists():
        raise ValidationError({"name": f"资金来源「{obj.name}」已存在"})
    obj.full_clean()
    obj.save()
    record_change(
        obj=obj, before=before, after=snapshot(obj, FundingSource.TRACKED_FIELDS), user=user, source=source
    )
    return obj


@transaction.atomic
def funding_source_delete(*, user, funding_source: FundingSource, source: str = "web") -> None:
    """Delete a source no plan or arrival uses (one in use can only be deactivated)."""
    if not funding_source_can_manage(user=user):
        raise NotAllowed(SOURCE_DENIED)
    if funding_source.plans.exists() or funding_source.arrivals.exists():
        raise ValidationError(
            f"资金来源「{funding_source.name}」已被资金计划或资金到位使用，不能删除，只能停用"
        )
    record_change(
        obj=funding_source,
        before=snapshot(funding_source, FundingSource.TRACKED_FIELDS),
        after=None,
        user=user,
        source=source,
    )
    funding_source.delete()


# --- funding plan --------------------------------------------------------------------------------------


def _amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"计划金额不是有效的数字「{value}」"}) from None
    if not amount.is_finite():
        raise ValidationError({field: f"计划金额不是有效的数字「{value}」"})
    return amount


@transaction.atomic
def funding_plan_set(
    *, user, project: Project, rows: list[tuple[FundingSource, Any]], source: str = "web"
) -> tuple[list[FundingPlan], str | None]:
    """Replace the project's funding plan by `rows` of (source, amount); (the plan, the warning when it does
    not add up to the total investment — a warning, never an error). A source at most once; amounts ≥ 0;
    a source that is inactive only when the plan already had it."""
    if not funding_plan_can_edit(user=user, obj=project):
        raise NotAllowed(FUNDING_PLAN_DENIED)
    existing = {p.source_id: p for p in FundingPlan.objects.filter(project=project).select_related("source")}
    errors: dict[str, str] = {}
    seen: set[int] = set()
    wanted: list[tuple[FundingSource, Decimal]] = []
    for i, (fs, value) in enumerate(rows):
        if fs.pk in seen:
            errors[f"rows.{i}.source"] = f"资金来源「{fs.name}」重复，每个来源只能填一行"
            continue
        seen.add(fs.pk)
        if not fs.active and fs.pk not in existing:
            errors[f"rows.{i}.source"] = f"资金来源「{fs.name}」已停用"
            continue
        try:
            amount = _amount(value, f"rows.{i}.amount")
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
            continue
        plan = FundingPlan(project=project, source=fs, amount=amount)
        try:
            plan.full_clean(exclude=["project", "source"], validate_unique=False)
        except ValidationError as exc:
            errors[f"rows.{i}.amount"] = "；".join(exc.message_dict.get("amount", exc.messages))
            continue
        wanted.append((fs, plan.amount))
    if errors:
        raise ValidationError(errors)
    out = []
    kept = {fs.pk for fs, _a in wanted}
    for source_id, plan in existing.items():
        if source_id not in kept:
            before = snapshot(plan, FundingPlan.TRACKED_FIELDS)
            record_change(obj=plan, before=before, after=None, user=user, source=source, parent=project)
            plan.delete()
    for fs, amount in wanted:
        plan = existing.get(fs.pk)
        before = None if plan is None else snapshot(plan, FundingPlan.TRACKED_FIELDS)
        plan = plan or FundingPlan(project=project, source=fs)
        plan.amount = amount
        plan.full_clean()
        plan.save()
        after = snapshot(plan, FundingPlan.TRACKED_FIELDS)
        record_change(obj=plan, before=before, after=after, user=user, source=source, parent=project)
        out.append(plan)
    total = sum((a for _fs, a in wanted), Decimal(0)) if wanted else None
    return out, funding_plan_warning(project.total_investment, total)


# --- annual plans -------------------------------------------------------------------------------------


@transaction.atomic
def annual_plan_save(
    *, user, project: Project, year: int, data: dict[str, Any], source: str = "web"
) -> AnnualPlan:
    """Create or change the project's plan for `year` (data: amount, new_start, completion,
    prior_cumulative)."""
    if not annual_plan_can_edit(user=user, obj=project):
        raise NotAllowed(ANNUAL_PLAN_DENIED)
    plan = AnnualPlan.objects.select_for_update().filter(project=project, year=year).first()
    before = None if plan is None else snapshot(plan, AnnualPlan.TRACKED_FIELDS)
    plan = plan or AnnualPlan(project=project, year=year)
    for key in ("amount", "new_start", "completion", "prior_cumulative"):
        if key in data:
            setattr(plan, key, data[key])
    plan.full_clean()
    plan.save()
    after = snapshot(plan, AnnualPlan.TRACKED_FIELDS)
    record_change(obj=plan, before=before, after=after, user=user, source=source, parent=project)
    return plan


@transaction.atomic
def annual_plan_delete(*, user, plan: AnnualPlan, source: str = "web") -> None:
    if not annual_plan_can_edit(user=user, obj=plan.project):
        raise NotAllowed(ANNUAL_PLAN_DENIED)
    before = snapshot(plan, AnnualPlan.TRACKED_FIELDS)
    record_change(obj=plan, before=before, after=None, user=user, source=source, parent=plan.project)
    plan.delete()


# --- funds arriving --------------------------------------------------------------------------------------


@transaction.atomic
def arrival_add(*, user, project: Project, data: dict[str, Any], source: str = "web") -> FundArrival:
    """Record funds arriving (data: date, source (FundingSource), amount, doc_no)."""
    if not arrival_can_record(user=user, obj=project):
        raise NotAllowed(ARRIVAL_DENIED)
    fs = data.get("source")
    if fs is not None and not fs.active:
        raise ValidationError({"source": f"资金来源「{fs.name}」已停用"})
    arrival = FundArrival(
        project=project,
        date=data.get("date"),
        source=fs,
        amount=data.get("amount"),
        doc_no=(data.get("doc_no") or "").strip(),
        created_by=user if getattr(user, "pk", None) else None,
        source_channel=source,
    )
    arrival.full_clean()
    arrival.save()
    after = snapshot(arrival, FundArrival.TRACKED_FIELDS)
    record_change(obj=arrival, before=None, after=after, user=user, source=source, parent=project)
    return arrival


@transaction.atomic
def arrival_delete(*, user, arrival: FundArrival, source: str = "web") -> None:
    """Delete a record of funds arriving; the change log keeps what it said."""
    if not arrival_can_record(user=user, obj=arrival.project):
        raise NotAllowed(ARRIVAL_DENIED)
    before = snapshot(arrival, FundArrival.TRACKED_FIELDS)
    record_change(obj=arrival, before=before, after=None, user=user, source=source, parent=arrival.project)
    arrival.delete()
