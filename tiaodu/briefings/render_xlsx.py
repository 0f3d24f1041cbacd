"""The briefing's Excel ledger: one sheet per project type, one row per project.

Columns: the project's code, name, category, units and persons, status, lag level, lag days, planned and
actual percent, whether it reported this week, then for each indicator its name, unit of measure,
target, planned and actual quantities. Figures are numbers (never text), straight from progress_status.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from tiaodu.briefings.content import ProjectInfo
from tiaodu.core.domain import LEVEL_LABELS, STATUS_LABELS, TYPE_NOUNS, TYPE_ORDER
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
    ("计划进度(%)", 11),
    ("实际进度(%)", 11),
    ("近7日已报送", 11),
]
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
    sheet.append([h for h, _ in headers])
    for col, (_, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(bottom=THIN)
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[1].height = 30
    for p in rows:
        sheet.append(_project_values(p, projects.get(p.code)))
        fill = LAG_FILLS.get(p.level)
        if fill is not None:
            sheet.cell(row=sheet.max_row, column=10).fill = fill
    for col in (12, 13):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = "0.00"
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(sheet.max_row, 1)}"


def render_xlsx(*, status: ProgressStatus, projects: dict[str, ProjectInfo], title: str) -> bytes:
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
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
