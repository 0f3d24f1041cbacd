"""投资完成情况: the briefing's investment section, as plain data (no Django import).

Every figure comes from `tiaodu.investment.figures` over `investment_status` of the briefing's as-of
month (tiaodu.briefings.selectors.briefing_inputs): the sentence is `figures.summary_sentence` — the
same function a reader applies to the JSON of `GET /api/v1/investment` — for the district and each
project type, then a table per lead unit ranked by 占年度计划, then the projects flagged 资金缺口. The
document's section (`blocks`) and the Excel ledger's sheet (`UNIT_COLUMNS`, `unit_rows`, `gap_rows`)
show the same rows.
"""

from __future__ import annotations

from tiaodu.core.domain import TYPE_ORDER
from tiaodu.investment import figures
from tiaodu.investment.figures import InvestmentStatus

SHEET = "投资完成情况"
# (title, width share in the document, alignment, width in the Excel sheet)
UNIT_COLUMNS = [
    ("序号", 0.07, "center", 6),
    ("单位", 0.29, "left", 28),
    ("年度计划投资\n(万元)", 0.17, "right", 16),
    ("年初至今累计\n(万元)", 0.17, "right", 16),
    ("占年度计划", 0.14, "right", 12),
    ("与时间进度比\n(百分点)", 0.16, "right", 14),
]
GAP_COLUMNS = [
    ("序号", 0.07, "center", 6),
    ("项目", 0.37, "left", 36),
    ("牵头单位", 0.22, "left", 24),
    ("资金到位率", 0.17, "right", 12),
    ("低于时间进度\n(百分点)", 0.17, "right", 14),
]


def sentences(status: InvestmentStatus) -> list[str]:
    """The district's sentence, then one per project type that has projects."""
    lines = [figures.summary_sentence(status)]
    lines += [figures.summary_sentence(status, t) for t in TYPE_ORDER if status.summary[t].projects]
    return lines


def unit_rows(status: InvestmentStatus) -> list[list[str]]:
    return [
        [
            str(i),
            u.unit,
            figures.money_text(u.annual_plan),
            figures.money_text(u.ytd),
            figures.pct_text(u.ytd_pct),
            figures.pct_text(u.ahead_of_time_pp, sign=True),
        ]
        for i, u in enumerate(status.units, start=1)
    ]


def behind_rows(status: InvestmentStatus) -> set[int]:
    """The unit rows behind 时间进度 (stressed)."""
    return {
        i
        for i, u in enumerate(status.units)
        if u.ahead_of_time_pp is not None and figures.round_pct(u.ahead_of_time_pp) < 0
    }


def gap_rows(status: InvestmentStatus) -> list[list[str]]:
    return [
        [
            str(i),
            f"{p.code} {p.name}",
            p.lead_unit,
            figures.pct_text(p.funds_rate),
            figures.pct_text(status.time_progress_pct - p.funds_rate)[:-1],
        ]
        for i, p in enumerate(status.funding_gaps, start=1)
    ]


def gap_text(status: InvestmentStatus) -> str:
    gaps = status.funding_gaps
    points = figures.round_pct(status.gap_points)
    if not gaps:
        return f"无资金到位率低于时间进度{points}个百分点以上的项目。"
    return (
        f"资金到位率低于时间进度（{figures.pct_text(status.time_progress_pct)}）{points}个百分点以上、"
        f"存在资金缺口的项目{len(gaps)}个："
    )
