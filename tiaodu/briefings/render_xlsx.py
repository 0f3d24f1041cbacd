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

from tiaodu.briefings.content import LEVEL_LABELS, STATUS_LABELS, TYPE_NOUN, TYPE_ORDER, ProjectInfo
from tiaodu.core.xlsx import append_row

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


def render_xlsx(*, status: dict, projects: dict[str, ProjectInfo], title: str) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    workbook.properties.creator = "Tiaodu"
    rows_by_type: dict[str, list[dict]] = {t: [] for t in TYPE_ORDER}
    for row in status.get("projects", []):
        info = projects.get(row["code"])
        type_key = info.type if info else "key_construction"
        rows_by_type.setdefault(type_key, []).append(row)
    for type_key, rows in rows_by_type.items():
        sheet = workbook.create_sheet(TYPE_NOUN.get(type_key, type_key))
        rows.sort(key=lambda r: r["code"])
        most = max((len(r.get("indicators") or []) for r in rows), default=1) or 1
        headers = list(FIXED)
        for i in range(1, most + 1):
            headers.extend((f"指标{i}{name}", width) for name, width in INDICATOR_FIELDS)
        append_row(sheet, [h for h, _ in headers])
        for col, (_, width) in enumerate(headers, start=1):
            cell = sheet.cell(row=1, column=col)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = Border(bottom=THIN)
            sheet.column_dimensions[get_column_letter(col)].width = width
        sheet.row_dimensions[1].height = 30
        for row in rows:
            info = projects.get(row["code"])
            values = [
                row["code"],
                info.name if info else "",
                info.category if info else "",
                info.lead_unit if info else "",
                "、".join(info.territorial_units) if info else "",
                "、".join(info.supporting_units) if info else "",
                info.responsible if info else "",
                info.supervising_leader if info else "",
                STATUS_LABELS.get(row["status"], row["status"]),
                LEVEL_LABELS.get(row["level"], row["level"]),
                _number(row.get("lag_days")) or 0,
                _number(row.get("planned_pct")),
                _number(row.get("actual_pct")),
                "是" if row.get("reported") else "否",
            ]
            for ind in row.get("indicators") or []:
                values.extend(
                    [
                        ind.get("name", ""),
                        ind.get("unit", ""),
                        _number(ind.get("target")),
                        _number(ind.get("planned")),
                        _number(ind.get("actual")),
                    ]
                )
            append_row(sheet, values)
            fill = LAG_FILLS.get(row["level"])
            if fill is not None:
                sheet.cell(row=sheet.max_row, column=10).fill = fill
        for col in (12, 13):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.number_format = "0.00"
        sheet.freeze_panes = "C2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(sheet.max_row, 1)}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
