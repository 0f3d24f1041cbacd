"""Build ledger workbooks for the tests and read them back."""

from __future__ import annotations

import datetime
from pathlib import Path

from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from tiaodu.projects.ledger import HEADERS

NEW_PROJECT = {
    "项目编号": "ZD-100",
    "项目名称": "堤口路改造",
    "项目类型": "重点建设",
    "项目类别": "道路",
    "牵头单位": "北园大街改造指挥部",
    "属地单位": "北园街道、泺口街道",
    "分管领导": "王区长",
    "责任人": "李新",
    "计划开工": datetime.date(2026, 4, 1),
    "计划完工": datetime.date(2026, 12, 31),
    "完成时限": "2027-01-31",
    "总投资(万元)": 1000,
    "建设内容": "道路拓宽及两侧立面整治",
    "状态": "未开工",
    "经度": 116.98,
    "纬度": 36.68,
}
NEW_UNIT = {"单位名称": "堤口路改造指挥部", "单位类型": "指挥部", "上级单位": "区委区政府"}
NEW_INDICATORS = [
    {"项目编号": "ZD-100", "指标名称": "道路长度", "计量单位": "km", "目标值": 2.5},
    {"项目编号": "ZD-100", "指标名称": "拆迁面积", "计量单位": "m²", "目标值": 8000},
]


def write_ledger(
    path: Path, *, units=(), projects=(), indicators=(), shares=(), sheets=None, headers=None
) -> Path:
    """A workbook with the given rows (dicts keyed by header; missing keys are empty cells).

    `sheets` limits which sheets are written; `headers` overrides a sheet's header row.
    """
    book = Workbook()
    book.remove(book.active)
    rows = {"单位": units, "项目": projects, "目标指标": indicators, "属地分解": shares}
    for sheet in sheets or HEADERS:
        ws = book.create_sheet(sheet)
        header = (headers or {}).get(sheet, HEADERS[sheet])
        ws.append(header)
        for row in rows[sheet]:
            if isinstance(row, list | tuple):
                ws.append(list(row))
            else:
                ws.append([row.get(h) for h in HEADERS[sheet]])
    book.save(path)
    return path


def read_ledger(path) -> dict[str, list[list]]:
    """The ledger sheets' cells as calamine reads them (the read-only 进度计划 sheet left out)."""
    book = CalamineWorkbook.from_path(str(path))
    out = {}
    for name in book.sheet_names:
        if name not in HEADERS:
            continue
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        out[name] = [list(r) for r in rows]
    return out


def counts() -> dict[str, int]:
    from tiaodu.core.models import ChangeRecord
    from tiaodu.orgs.models import Person, Unit
    from tiaodu.projects.models import Indicator, Project

    return {
        "projects": Project.objects.count(),
        "units": Unit.objects.count(),
        "indicators": Indicator.objects.count(),
        "people": Person.objects.count(),
        "records": ChangeRecord.objects.count(),
        "territorial": Project.territorial_units.through.objects.count(),
    }
