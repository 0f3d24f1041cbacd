"""The ledger's shape: sheet names, header rows, column widths, the labels of choices, and the
change-log view of each kind of object (the same labels and texts as ``tiaodu.core.audit.snapshot``)."""

from __future__ import annotations

import functools
import re

from tiaodu.core.audit import display_value
from tiaodu.orgs.models import UnitType
from tiaodu.projects.models import Project, ProjectStatus, ProjectType

SHEET_UNITS = "单位"
SHEET_PROJECTS = "项目"
SHEET_INDICATORS = "目标指标"
SHEET_SHARES = "属地分解"  # optional on import: a workbook without it leaves every share as it is
SHEET_PERIOD_PLAN = "进度计划"  # written by tiaodu.scheduling.ledger_sheet; the import ignores it

HEADERS: dict[str, list[str]] = {
    SHEET_UNITS: ["单位名称", "单位类型", "上级单位"],
    SHEET_PROJECTS: [
        "项目编号",
        "项目名称",
        "项目类型",
        "项目类别",
        "牵头单位",
        "属地单位",
        "分管领导",
        "责任人",
        "计划开工",
        "计划完工",
        "完成时限",
        "总投资(万元)",
        "建设内容",
        "状态",
        "经度",
        "纬度",
    ],
    SHEET_INDICATORS: ["项目编号", "指标名称", "计量单位", "目标值"],
    SHEET_SHARES: ["项目编号", "指标名称", "属地单位", "分解目标"],
}
OPTIONAL_SHEETS = {SHEET_SHARES}

# Column widths (characters) for the exported workbook.
WIDTHS: dict[str, list[int]] = {
    SHEET_UNITS: [30, 16, 30],
    SHEET_PROJECTS: [14, 36, 10, 12, 26, 30, 10, 10, 12, 12, 12, 14, 48, 8, 12, 12],
    SHEET_INDICATORS: [14, 24, 10, 14],
    SHEET_SHARES: [14, 24, 26, 14],
}

# Project columns -> model fields, in sheet order.
PROJECT_FIELDS = [
    "code",
    "name",
    "type",
    "category",
    "lead_unit",
    "territorial_units",
    "supervising_leader",
    "responsible_person",
    "planned_start",
    "planned_finish",
    "deadline",
    "total_investment",
    "description",
    "status",
    "longitude",
    "latitude",
]
PROJECT_WRITE_FIELDS = [
    "name",
    "type",
    "category",
    "lead_unit",
    "supervising_leader",
    "responsible_person",
    "planned_start",
    "planned_finish",
    "deadline",
    "total_investment",
    "description",
    "status",
    "longitude",
    "latitude",
    "updated_at",
]
# The fields of a new project's row (write._insert_projects), in its order; core.bulk.insert_new_rows gives
# the other columns (geometry, the two time stamps) what save() would.
NEW_PROJECT_FIELDS = (
    "code",
    "name",
    "type",
    "category_id",
    "description",
    "lead_unit_id",
    "supervising_leader_id",
    "responsible_person_id",
    "planned_start",
    "planned_finish",
    "deadline",
    "total_investment",
    "status",
    "longitude",
    "latitude",
)

UNIT_TYPE_BY_LABEL = {str(label): value for value, label in UnitType.choices}
PROJECT_TYPE_BY_LABEL = {str(label): value for value, label in ProjectType.choices}
STATUS_BY_LABEL = {str(label): value for value, label in ProjectStatus.choices}

TERRITORIAL_SEPARATORS = re.compile(r"[、，,；;]")

CHANGE_SAMPLE = 50  # per kind of object, in the plan shown before confirming
PEOPLE_SAMPLE = 200
ERRORS_KEPT = 1000  # errors kept in the JSON summary (the command prints all of them)
BATCH = 500

KIND_LABELS = {
    "unit": "单位",
    "person": "人员",
    "project": "项目",
    "indicator": "目标指标",
    "share": "属地分解",
}


@functools.cache
def max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def split_units(text: str) -> list[str]:
    """The unit names of a 属地单位 cell, in order, without repeats."""
    names: list[str] = []
    for part in TERRITORIAL_SEPARATORS.split(text):
        part = part.strip()
        if part and part not in names:
            names.append(part)
    return names


def choices_text(labels) -> str:
    return "、".join(labels)


# --- change-log views -----------------------------------------------------------------------------

_L = {name: str(Project._meta.get_field(name).verbose_name) for name in PROJECT_FIELDS}
# the labels of the choices (what str(ProjectType(value).label) gives, without the enum lookup per row; an
# unknown value still raises the enum's ValueError)
_TYPE_LABELS = {value: str(label) for value, label in ProjectType.choices}
_STATUS_LABELS = {value: str(label) for value, label in ProjectStatus.choices}


def project_view(
    *,
    code,
    name,
    type,
    category,
    description,
    lead_unit,
    territorial,
    leader,
    responsible,
    planned_start,
    planned_finish,
    deadline,
    total_investment,
    status,
    longitude,
    latitude,
) -> dict[str, str]:
    """The change-log view of a project (same labels and texts as audit.snapshot)."""
    return {
        _L["code"]: code,
        _L["name"]: name,
        _L["type"]: _TYPE_LABELS.get(type) or str(ProjectType(type).label),
        _L["category"]: category,
        _L["description"]: description,
        _L["lead_unit"]: lead_unit,
        _L["territorial_units"]: display_value(list(territorial)),
        _L["supervising_leader"]: leader,
        _L["responsible_person"]: responsible,
        _L["planned_start"]: display_value(planned_start),
        _L["planned_finish"]: display_value(planned_finish),
        _L["deadline"]: display_value(deadline),
        _L["total_investment"]: display_value(total_investment),
        _L["status"]: _STATUS_LABELS.get(status) or str(ProjectStatus(status).label),
        _L["longitude"]: display_value(longitude),
        _L["latitude"]: display_value(latitude),
    }


def unit_view(name, type, parent) -> dict[str, str]:
    return {"单位名称": name, "单位类型": str(UnitType(type).label), "上级单位": parent or ""}


def indicator_view(name, unit_of_measure, target) -> dict[str, str]:
    return {"指标名称": name, "计量单位": unit_of_measure, "目标值": display_value(target)}


def share_view(unit_name, target) -> dict[str, str]:
    """The change-log view of a share (same labels and texts as audit.snapshot of IndicatorShare)."""
    return {"属地单位": unit_name, "分解目标": display_value(target)}
