"""Territorial shares of an indicator (条块分工): the rules every path applies.

An indicator may be split into shares, each a unit's own part of the target. When it is split:
* the shares sum to the indicator's target exactly (`sum_problem`);
* a share's unit is the project's lead unit or one of its territorial units (`unit_problem`), and stays
  one while it holds the share (`orphaned_shares_problem`);
* each unit holds at most one share of an indicator (the model's unique constraint; `duplicate_problem`).
The shares are part of the approved baseline: only the office and administrators set them
(`permissions.share_can_edit`), through `services.indicator_shares_set` or the ledger's 属地分解 sheet.

A responsibility letter's item for a unit and an indicator proposes that unit's share: the office's share
editor is pre-filled from them while the indicator has no shares yet (`letter_proposals`). Nothing sets a
share from a letter without the office saving it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from tiaodu.orgs.models import Unit
from tiaodu.projects.models import Indicator, IndicatorShare, LetterItem, Project


def quantity_text(value: Decimal) -> str:
    """126,000 / 0.5: thousands separated, no trailing zeros."""
    value = Decimal(value).normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return format(value, ",f")


def sum_problem(name: str, unit_of_measure: str, target: Decimal, shares: Iterable[Decimal]) -> str | None:
    """Why shares of an indicator (none: not split) do not sum to its target, or None."""
    shares = list(shares)
    if not shares:
        return None
    total = sum(shares, Decimal(0))
    if total == target:
        return None
    return (
        f"指标「{name}」的属地分解合计{quantity_text(total)}{unit_of_measure}，"
        f"与目标值{quantity_text(target)}{unit_of_measure}不符"
    )


def share_units(project: Project) -> list[Unit]:
    """The units that may hold a share of the project's indicators: the lead unit, then the territorial units."""
    territorial = [
        u for u in project.territorial_units.order_by("sort_order", "name") if u.pk != project.lead_unit_id
    ]
    return [project.lead_unit, *territorial]


def unit_problem(project_name: str, unit_name: str, allowed: Iterable[str]) -> str | None:
    if unit_name in set(allowed):
        return None
    return f"「{unit_name}」不是项目「{project_name}」的牵头单位或属地单位，不能分解指标"


def current_shares(indicator: Indicator) -> list[IndicatorShare]:
    return list(indicator.shares.select_related("unit").order_by("unit__sort_order", "unit__name"))


def letter_proposals(indicator: Indicator) -> dict[int, Decimal]:
    """{unit id: target} proposed by the responsibility letters: per unit, its items for this indicator in
    its latest year's letter (summed when a letter lists the indicator twice)."""
    rows = (
        LetterItem.objects.filter(indicator=indicator)
        .order_by("letter__unit_id", "-letter__year")
        .values_list("letter__unit_id", "letter__year", "target")
    )
    latest: dict[int, int] = {}
    out: dict[int, Decimal] = {}
    for unit_id, year, target in rows:
        latest.setdefault(unit_id, year)
        if year == latest[unit_id]:
            out[unit_id] = out.get(unit_id, Decimal(0)) + target
    return out


def orphaned_shares_problem(
    project: Project, *, lead_unit_id: int | None, territorial_ids: Iterable[int]
) -> str | None:
    """Why a change of the project's lead or territorial units may not be made: a unit it drops still holds
    a share of one of its indicators (the office adjusts the 属地分解 first), or None."""
    allowed = {lead_unit_id, *territorial_ids}
    held = (
        IndicatorShare.objects.filter(indicator__project=project)
        .exclude(unit_id__in=[pk for pk in allowed if pk is not None])
        .select_related("unit", "indicator")
        .order_by("indicator__sort_order", "indicator_id", "unit__name")
        .first()
    )
    if held is None:
        return None
    return (
        f"{held.unit.name}在指标「{held.indicator.name}」上有属地分解（{quantity_text(held.target)}"
        f"{held.indicator.unit_of_measure}），请先调整该指标的属地分解，再从项目中移除该单位"
    )
