"""本期调整计划的项目: the baseline changes approved in a briefing's period, as plain data (no Django import).

The selector (tiaodu.briefings.selectors.approved_plan_changes) turns each approved 计划变更 into one
`PlanChange` per value it changed, with the old and new values already as text; the briefing's section
(content.section_changes) and the Excel ledger's sheet (render_xlsx) both show these rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

SHEET = "本期调整计划的项目"
PERIOD_DAYS = 7  # a weekly briefing: the seven days ending on its as-of date
# (title, width share in the document, alignment, width in the Excel sheet)
COLUMNS = [
    ("序号", 0.06, "center", 6),
    ("项目", 0.22, "left", 34),
    ("调整内容", 0.15, "left", 22),
    ("原值", 0.12, "center", 16),
    ("新值", 0.12, "center", 16),
    ("理由", 0.23, "left", 44),
    ("批准日期", 0.10, "center", 14),
]


@dataclass(frozen=True)
class PlanChange:
    """One value of an approved baseline change."""

    code: str
    project: str  # the project's name
    item: str  # 计划完工 | 指标「拆迁面积」目标值
    old: str  # 2026.11.30 | 100 m²
    new: str
    reason: str
    approved: datetime.date


def period_start(as_of: datetime.date) -> datetime.date:
    """The first day of the briefing's period (the period ends on `as_of`)."""
    return as_of - datetime.timedelta(days=PERIOD_DAYS - 1)


def date_text(day: datetime.date | None) -> str:
    return f"{day.year}.{day.month}.{day.day}" if day else "—"


def quantity_text(value, unit: str = "") -> str:
    """100 m², 12.5 km (a target without trailing zeros)."""
    if value is None:
        return "—"
    number = float(value)
    text = f"{int(number):,}" if number == int(number) else f"{number:,.3f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()


def rows(changes: Sequence[PlanChange]) -> list[list[str]]:
    return [
        [str(i + 1), f"{c.code} {c.project}", c.item, c.old, c.new, c.reason, date_text(c.approved)]
        for i, c in enumerate(changes)
    ]


def summary(changes: Sequence[PlanChange], as_of: datetime.date) -> str:
    start = period_start(as_of)
    if not changes:
        return (
            f"{start.month}月{start.day}日至{as_of.month}月{as_of.day}日，没有经批准调整计划基线"
            "（计划开工、计划完工、完成时限、指标目标值）的项目。"
        )
    projects = len({c.code for c in changes})
    return (
        f"{start.month}月{start.day}日至{as_of.month}月{as_of.day}日，经领导小组办公室批准，{projects}个项目调整了"
        f"计划基线（共{len(changes)}项），滞后情况自批准之日起按调整后的计划计算："
    )
