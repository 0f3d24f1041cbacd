"""The briefing's Excel ledger: one sheet per project type, one row per project, and the sheet 数据来源.

Columns: the project's code, name, category, units and persons, status, lag level, lag days, the lag in
words with its driving indicator (progress_status's lag_text), the average planned and actual percent
(综合进度), whether it reported this week, then for each indicator its name, unit of measure, target,
planned and actual quantities. Figures are numbers (never text), straight from progress_status.

数据来源: one row per indicator of every project — the figure the briefing counts and the weekly report
it comes from (周报编号 = the report's id, its page /reports/<id>/), with the report's as-of date, who
submitted it, who verified it and when (dates as Chinese dates: 2026年11月20日). An indicator without a
counted report keeps its row: 累计完成量 0 and the report's columns empty.

数据异常: one row per anomaly flag of the reports of the briefing's week (项目, 填报单位, 截至日期, 异常, 说明).
本期调整计划的项目: the baseline changes approved in the briefing's period (tiaodu.briefings.plan_changes).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from tiaodu.briefings import investment_section, plan_changes
from tiaodu.briefings.content import FlagLine, ProjectInfo, ReportSource
from tiaodu.core.domain import LEVEL_LABELS, STATUS_LABELS, TYPE_NOUNS, TYPE_ORDER
from tiaodu.core.gcpause import without_gc
from tiaodu.core.xlsx import append_row
from tiaodu.progress.figures import ProgressStatus, ProjectFigures

FIXED = [
    ("项目编号", 12),
    ("项目名称", 34),
    ("项目类别", 10),
    ("牵头单位", 22),
    ("属地单位", 22),
    ("配合单位", 20),
    ("责任人", 10),
    ("分管领导", 10),
    ("状态", 8),
    ("滞后程度", 10),
    ("滞后天数", 9),
    ("滞后情况", 44),
    ("综合进度·计划(%)", 12),
    ("综合进度·实际(%)", 12),
    ("近7日已报送", 11),
]
PERCENT_COLUMNS = (13, 14)
SOURCE_SHEET = "数据来源"
SOURCE_COLUMNS = [
    ("项目编号", 12),
    ("项目名称", 34),
    ("指标名称", 18),
    ("累计完成量", 13),
    ("周报编号", 10),
    ("截至日期", 16),
    ("填报人", 10),
    ("审核人", 10),
    ("审核时间", 20),
]
FLAG_SHEET = "数据异常"
FLAG_COLUMNS = [("项目", 34), ("填报单位", 20), ("截至日期", 16), ("异常", 14), ("说明", 70)]
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'

INDICATOR_FIELDS = [("名称", 16), ("计量单位", 9), ("目标值", 12), ("计划完成量", 12), ("实际完成量", 12)]
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
LAG_FILLS = {
    "severe": PatternFill("solid", fgColor="F8D7DA"),
    "lagging": PatternFill("solid", fgColor="FFF3CD"),
}
THIN = Side(style="thin", color="A0A0A0")


def _number(value):
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number == int(number) else number


def _project_values(p: ProjectFigures, info: ProjectInfo | None) -> list:
    values = [
        p.code,
        info.name if info else "",
        info.category if info else "",
        info.lead_unit if info else "",
        "、".join(info.territorial_units) if info else "",
        "、".join(info.supporting_units) if info else "",
        info.responsible if info else "",
        info.supervising_leader if info else "",
        STATUS_LABELS.get(p.status, p.status),
        LEVEL_LABELS.get(p.level, p.level),
        _number(p.lag_days) or 0,
        p.lag_text,
        _number(p.planned_pct),
        _number(p.actual_pct),
        "是" if p.reported else "否",
    ]
    for ind in p.indicators or ():
        values.extend([ind.name, ind.unit, _number(ind.target), _number(ind.planned), _number(ind.actual)])
    return values


def _sheet(
    workbook: Workbook, title: str, rows: list[ProjectFigures], projects: dict[str, ProjectInfo]
) -> None:
    sheet = workbook.create_sheet(title)
    rows.sort(key=lambda r: r.code)
    most = max((len(r.indicators or ()) for r in rows), default=1) or 1
    headers = list(FIXED)
    for i in range(1, most + 1):
        headers.extend((f"指标{i}{name}", width) for name, width in INDICATOR_FIELDS)
    _headers(sheet, headers)
    for row, p in enumerate(rows, start=2):  # (sheet.max_row counts every cell: a row each was quadratic)
        append_row(sheet, _project_values(p, projects.get(p.code)))
        fill = LAG_FILLS.get(p.level)
        if fill is not None:
            sheet.cell(row=row, column=10).fill = fill
    for col in PERCENT_COLUMNS:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = "0.00"
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(sheet.max_row, 1)}"


def _headers(sheet, headers: list[tuple[str, float]]) -> None:
    append_row(sheet, [h for h, _ in headers])
    for col, (_, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(bottom=THIN)
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[1].height = 30


def _source_values(p: ProjectFigures, name: str, ind, source: ReportSource | None) -> list:
    values = [p.code, name, ind.name, _number(ind.actual)]
    if source is None:
        return [*values, None, None, "", "", None]
    return [*values, source.report, source.as_of, source.reporter, source.verifier, source.verified_at]


def _source_sheet(
    workbook: Workbook,
    status: ProgressStatus,
    projects: dict[str, ProjectInfo],
    sources: dict[int, ReportSource],
) -> None:
    """数据来源: per indicator figure, the weekly report it comes from."""
    sheet = workbook.create_sheet(SOURCE_SHEET)
    _headers(sheet, SOURCE_COLUMNS)
    row = 1  # the row just written (sheet.max_row counts every cell: asking it a row each was quadratic)
    for p in sorted(status.projects, key=lambda r: r.code):
        info = projects.get(p.code)
        for ind in p.indicators or ():
            source = sources.get(ind.source_report) if ind.source_report else None
            append_row(sheet, _source_values(p, info.name if info else p.name, ind, source))
            row += 1
            sheet.cell(row=row, column=6).number_format = DATE_FORMAT
            sheet.cell(row=row, column=9).number_format = DATETIME_FORMAT
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(SOURCE_COLUMNS))}{max(sheet.max_row, 1)}"


def _flag_sheet(workbook: Workbook, flags: list[FlagLine]) -> None:
    """数据异常: one row per flag of the week's reports."""
    sheet = workbook.create_sheet(FLAG_SHEET)
    _headers(sheet, FLAG_COLUMNS)
    for f in flags:
        append_row(sheet, [f.project, f.unit, f.as_of, f.kind, f.message])
        sheet.cell(row=sheet.max_row, column=3).number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"


def _changes_sheet(workbook: Workbook, changes) -> None:
    """本期调整计划的项目: one row per value of a baseline change approved in the period (old → new)."""
    sheet = workbook.create_sheet(plan_changes.SHEET)
    _headers(sheet, [(title, width) for title, _share, _align, width in plan_changes.COLUMNS[1:]])
    for c in changes:
        append_row(sheet, [f"{c.code} {c.project}", c.item, c.old, c.new, c.reason, c.approved])
        sheet.cell(row=sheet.max_row, column=6).number_format = DATE_FORMAT
    sheet.freeze_panes = "B2"


def _investment_sheet(workbook: Workbook, status) -> None:
    """投资完成情况: the sentences, the table per lead unit and the funding gaps (the section's rows)."""
    sheet = workbook.create_sheet(investment_section.SHEET)
    columns = investment_section.UNIT_COLUMNS
    for col, (_title, _share, _align, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    if status is None:
        append_row(sheet, ["暂无投资统计数据。"])
        return
    for sentence in investment_section.sentences(status):
        append_row(sheet, [sentence])
    append_row(sheet, [])
    append_row(sheet, [title.replace("\n", "") for title, *_ in columns])
    for row in investment_section.unit_rows(status):
        append_row(sheet, row)
    append_row(sheet, [])
    append_row(sheet, [investment_section.gap_text(status)])
    if status.funding_gaps:
        append_row(sheet, [title.replace("\n", "") for title, *_ in investment_section.GAP_COLUMNS])
        for row in investment_section.gap_rows(status):
            append_row(sheet, row)


@without_gc
def render_xlsx(
    *,
    status: ProgressStatus,
    projects: dict[str, ProjectInfo],
    title: str,
    sources: dict[int, ReportSource] | None = None,
    flags: list[FlagLine] | None = None,
    changes: Sequence[plan_changes.PlanChange] = (),
    investment=None,
) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    workbook.properties.creator = "Tiaodu"
    rows_by_type: dict[str, list[ProjectFigures]] = {t: [] for t in TYPE_ORDER}
    for p in status.projects:
        info = projects.get(p.code)
        rows_by_type.setdefault(info.type if info else TYPE_ORDER[0], []).append(p)
    for type_key, rows in rows_by_type.items():
        _sheet(workbook, TYPE_NOUNS.get(type_key, type_key), rows, projects)
    _source_sheet(workbook, status, projects, sources or {})
    _flag_sheet(workbook, list(flags or ()))
    _changes_sheet(workbook, changes)
    _investment_sheet(workbook, investment)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
