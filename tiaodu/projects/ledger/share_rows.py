"""The 属地分解 sheet checked and planned: each indicator's territorial shares (条块分工).

Rows (项目编号 | 指标名称 | 属地单位 | 分解目标) are grouped by indicator. An indicator named in the sheet gets
exactly the shares listed for it (a share of another unit is removed); an indicator not named keeps its
shares. Every error names sheet, row and column; the shares of an indicator must sum to its target after the
import (the 目标指标 sheet's target when the file has the indicator, else the current one), and an indicator
whose target the file changes while it keeps its shares is an error on the 目标指标 sheet — both name the
indicator. A share's unit must be the project's lead unit or one of its territorial units (after the import).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from tiaodu.core.audit import diff
from tiaodu.core.xlsx import text
from tiaodu.projects.ledger.plan import Planner, chunks
from tiaodu.projects.ledger.rows import positive_quantity
from tiaodu.projects.ledger.schema import (
    CHANGE_SAMPLE,
    SHEET_INDICATORS,
    SHEET_PROJECTS,
    SHEET_SHARES,
    share_view,
)
from tiaodu.projects.models import IndicatorShare
from tiaodu.projects.shares import sum_problem


@dataclass
class SharePlan:
    row: int  # the first row of the indicator
    code: str
    name: str
    shares: dict[str, tuple[Decimal, int]] = field(default_factory=dict)  # unit name → (target, row)
    # (unit name, existing share pk or None, the change-log changes); deletions have no after
    changes: list[tuple[str, int | None, dict]] = field(default_factory=list)


def _existing_shares(p: Planner) -> dict[int, dict[int, tuple[int, Decimal]]]:
    """{indicator pk: {unit id: (share pk, target)}} of the indicators the plan has loaded."""
    ids = [ind.pk for ind in p.existing_indicators.values()]
    out: dict[int, dict[int, tuple[int, Decimal]]] = {}
    for chunk in chunks(ids, 900):
        for pk, ind_id, unit_id, target in IndicatorShare.objects.filter(indicator_id__in=chunk).values_list(
            "id", "indicator_id", "unit_id", "target"
        ):
            out.setdefault(ind_id, {})[unit_id] = (pk, target)
    return out


def _allowed_units(p: Planner, code: str) -> tuple[str, set[str]]:
    """The project's name and the names of its lead and territorial units after the import."""
    plan = next((pl for pl in p.project_plans if pl.code == code), None)
    if plan is not None:
        return plan.values["name"], {plan.lead_unit, *plan.territorial}
    project = p.existing_projects[code]
    names = {p.units_by_id[project.lead_unit_id].name}
    names.update(p.units_by_id[i].name for i in p.existing_territorial[project.pk])
    return project.name, names


def _indicator(p: Planner, code: str, name: str) -> tuple[str, Decimal, int | None] | None:
    """(unit of measure, target after the import, existing pk) of an indicator, None when unknown."""
    for plan in p.indicator_plans:
        if plan.code == code and plan.name == name:
            return plan.unit_of_measure, plan.target, plan.existing.pk if plan.existing else None
    project = p.existing_projects.get(code)
    existing = p.existing_indicators.get((project.pk, name)) if project is not None else None
    if existing is None:
        return None
    return existing.unit_of_measure, existing.target, existing.pk


def _read_row(p: Planner, row: int, cells: list, seen: dict) -> tuple[str, str, str, Decimal] | None:
    def err(column: str, message: str) -> None:
        p.errors.add(SHEET_SHARES, row, column, message)

    n_errors = len(p.errors)
    code, name, unit = text(cells[0]), text(cells[1]), text(cells[2])
    if not code:
        err("项目编号", "不能为空")
    elif code not in p.file_codes and code not in p.existing_projects:
        err("项目编号", f"未知的项目编号「{code}」（「项目」工作表和系统中都没有）")
    if not name:
        err("指标名称", "不能为空")
    elif code in p.existing_projects or code in p.file_codes:
        if _indicator(p, code, name) is None:
            err("指标名称", f"项目「{code}」没有名为「{name}」的指标")
    if not unit:
        err("属地单位", "不能为空")
    elif not p.known_unit(unit):
        err("属地单位", f"未知的单位「{unit}」")
    elif code and (code in p.file_codes or code in p.existing_projects):
        project_name, allowed = _allowed_units(p, code)
        if unit not in allowed:
            err("属地单位", f"「{unit}」不是项目「{project_name}」的牵头单位或属地单位，不能分解指标")
    if code and name and unit:
        key = (code, name, unit)
        if key in seen:
            err("属地单位", f"指标「{name}」的属地单位「{unit}」重复（第{seen[key]}行已出现）")
        else:
            seen[key] = row
    target = positive_quantity(p, SHEET_SHARES, row, "分解目标", cells[3])
    if len(p.errors) > n_errors or target is None:
        return None
    return code, name, unit, target


def plan_shares(p: Planner) -> None:
    """Check the 属地分解 sheet and plan each named indicator's shares (after plan_indicators)."""
    rows = p.sheets.get(SHEET_SHARES, [])
    missing = sorted({text(c[0]) for _r, c in rows} - p.file_codes - set(p.existing_projects) - {""})
    if missing:
        p.load_projects(missing)
    existing = _existing_shares(p)
    plans: dict[tuple[str, str], SharePlan] = {}
    seen: dict = {}
    for row, cells in rows:
        read = _read_row(p, row, cells, seen)
        if read is None:
            continue
        code, name, unit, target = read
        plan = plans.setdefault((code, name), SharePlan(row, code, name))
        plan.shares[unit] = (target, row)
    for (code, name), plan in plans.items():
        uom, target, pk = _indicator(p, code, name)
        problem = sum_problem(name, uom, target, (t for t, _row in plan.shares.values()))
        if problem:
            p.errors.add(SHEET_SHARES, plan.row, "分解目标", problem)
            continue
        _plan_changes(p, plan, existing.get(pk, {}) if pk else {})
        p.share_plans.append(plan)
    _check_kept_shares(p, plans, existing)
    _check_dropped_units(p, plans)


def _plan_changes(p: Planner, plan: SharePlan, current: dict[int, tuple[int, Decimal]]) -> None:
    by_name = {p.units_by_id[u].name: (pk, t) for u, (pk, t) in current.items()}
    for unit, (target, _row) in plan.shares.items():
        old = by_name.get(unit)
        before = None if old is None else share_view(unit, old[1])
        changes = diff(before, share_view(unit, target))
        if changes:
            plan.changes.append((unit, old[0] if old else None, changes))
    for unit, (pk, target) in by_name.items():
        if unit not in plan.shares:
            plan.changes.append((unit, pk, diff(share_view(unit, target), None)))


def _check_kept_shares(p: Planner, plans: dict, existing: dict) -> None:
    """An indicator whose target the file changes keeps shares that no longer sum to it: an error."""
    for ind in p.indicator_plans:
        if ind.existing is None or (ind.code, ind.name) in plans:
            continue
        current = existing.get(ind.existing.pk)
        if not current or ind.target == ind.existing.target:
            continue
        problem = sum_problem(ind.name, ind.unit_of_measure, ind.target, (t for _pk, t in current.values()))
        if problem:
            p.errors.add(
                SHEET_INDICATORS,
                ind.row,
                "目标值",
                f"{problem}：修改已分解指标的目标值，须在「{SHEET_SHARES}」工作表中同时修改其属地分解",
            )


def share_counts(p: Planner) -> dict[str, int]:
    created = sum(1 for pl in p.share_plans for _u, pk, ch in pl.changes if pk is None)
    deleted = sum(1 for pl in p.share_plans for _u, pk, ch in pl.changes if pk is not None and _deleted(ch))
    changed = sum(len(pl.changes) for pl in p.share_plans)
    return {
        "shares_created": created,
        "shares_updated": changed - created - deleted,
        "shares_deleted": deleted,
    }


def _deleted(changes: dict) -> bool:
    return all(new == "" for _old, new in changes.values())


def share_samples(p: Planner) -> list[dict]:
    out = []
    for plan in p.share_plans:
        for unit, pk, changes in plan.changes:
            if len(out) >= CHANGE_SAMPLE:
                return out
            action = "新建" if pk is None else ("删除" if _deleted(changes) else "修改")
            out.append({"object": f"{plan.code} {plan.name}·{unit}", "action": action, "changes": changes})
    return out


def _check_dropped_units(p: Planner, plans: dict) -> None:
    """A project whose lead or territorial units the file changes must keep every unit that holds a share
    of one of its indicators (unless the 属地分解 sheet re-plans that indicator): an error on the 项目 sheet."""
    for plan in p.project_plans:
        existing = plan.existing
        if existing is None:
            continue
        lead_changed = p.units_by_id[existing.lead_unit_id].name != plan.lead_unit
        if not (plan.territorial_changed or lead_changed):
            continue
        allowed = {plan.lead_unit, *plan.territorial}
        shares = IndicatorShare.objects.filter(indicator__project_id=existing.pk).select_related(
            "unit", "indicator"
        )
        for share in shares.order_by("indicator__sort_order", "indicator_id", "unit__name"):
            if (plan.code, share.indicator.name) in plans or share.unit.name in allowed:
                continue
            p.errors.add(
                SHEET_PROJECTS,
                plan.row,
                "属地单位",
                f"{share.unit.name}在指标「{share.indicator.name}」上有属地分解，不能从项目中移除：请在"
                f"「{SHEET_SHARES}」工作表中同时调整该指标的属地分解",
            )
            break
