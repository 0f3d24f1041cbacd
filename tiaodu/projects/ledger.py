"""The project ledger (台账): one .xlsx workbook in, the same workbook out.

Three sheets with fixed header rows (``HEADERS``). Import is all-or-nothing: the whole file is read,
checked and turned into a plan first; when any row is wrong nothing is written and every error is
returned, each naming sheet, row and column. A correct plan is written in one transaction with
bulk statements, and every created or changed object gets one change record (source "import").

Reading uses python-calamine (fast); writing uses openpyxl in write-only mode.

Rules worth knowing (see also the tests in tests/ledger/):
- units upsert by name, projects by code, indicators by (project code, indicator name); nothing
  absent from the file is deleted;
- people named as 分管领导/责任人 are looked up by name: the project's current person when the name is
  unchanged, else the one in the lead unit, else the only one of that name in the district, else a
  new person in the lead unit (a name held by several people elsewhere is an error);
- a status change on an existing project must be reachable by allowed steps (``status_reachable``).
"""

from __future__ import annotations

import datetime
import math
import os
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from tiaodu.core.audit import build_record, diff, display_value
from tiaodu.core.errors import NotAllowed
from tiaodu.core.models import ChangeRecord
from tiaodu.orgs.models import Person, Unit, UnitType
from tiaodu.projects.models import (
    Category,
    Indicator,
    Project,
    ProjectStatus,
    ProjectType,
    project_code_problem,
    status_reachable,
)

SHEET_UNITS = "单位"
SHEET_PROJECTS = "项目"
SHEET_INDICATORS = "目标指标"
SHEET_PERIOD_PLAN = "进度计划"

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
}

# Column widths (characters) for the exported workbook.
WIDTHS: dict[str, list[int]] = {
    SHEET_UNITS: [30, 16, 30],
    SHEET_PROJECTS: [14, 36, 10, 12, 26, 30, 10, 10, 12, 12, 12, 14, 48, 8, 12, 12],
    SHEET_INDICATORS: [14, 24, 10, 14],
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

UNIT_TYPE_BY_LABEL = {str(label): value for value, label in UnitType.choices}
PROJECT_TYPE_BY_LABEL = {str(label): value for value, label in ProjectType.choices}
STATUS_BY_LABEL = {str(label): value for value, label in ProjectStatus.choices}

TERRITORIAL_SEPARATORS = re.compile(r"[、，,；;]")
DATE_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")

CHANGE_SAMPLE = 50  # per kind of object, in the plan shown before confirming
PEOPLE_SAMPLE = 200
ERRORS_KEPT = 1000  # errors kept in the JSON summary (the command prints all of them)
BATCH = 500

KIND_LABELS = {"unit": "单位", "person": "人员", "project": "项目", "indicator": "目标指标"}


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


# --- results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerError:
    sheet: str = ""
    row: int | None = None
    column: str = ""
    message: str = ""

    def __str__(self) -> str:
        place = ""
        if self.sheet:
            place += f"工作表「{self.sheet}」"
        if self.row:
            place += f"第{self.row}行"
        if self.column:
            place += f"「{self.column}」"
        return f"{place}：{self.message}" if place else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "text": str(self),
        }


@dataclass
class LedgerResult:
    errors: list[LedgerError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    changes: dict[str, list[dict]] = field(default_factory=lambda: {k: [] for k in KIND_LABELS})
    new_people: list[dict] = field(default_factory=list)
    dry_run: bool = True
    written: bool = False
    records: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        c = self.counts
        return any(
            c.get(k, 0)
            for k in (
                "units_created",
                "units_updated",
                "people_created",
                "projects_created",
                "projects_updated",
                "indicators_created",
                "indicators_updated",
            )
        )

    def summary_lines(self) -> list[str]:
        if self.errors:
            return [f"台账有 {len(self.errors)} 处错误，未导入任何数据。"]
        c = self.counts
        head = "导入完成：" if self.written else "检查通过（预览，未写入任何数据）："
        lines = [
            head,
            f"单位：新建 {c.get('units_created', 0)} 个，更新 {c.get('units_updated', 0)} 个，"
            f"未变 {c.get('units_unchanged', 0)} 个",
            f"人员：新建 {c.get('people_created', 0)} 人",
            f"项目：新建 {c.get('projects_created', 0)} 个，更新 {c.get('projects_updated', 0)} 个，"
            f"未变 {c.get('projects_unchanged', 0)} 个",
            f"目标指标：新建 {c.get('indicators_created', 0)} 个，更新 {c.get('indicators_updated', 0)} 个，"
            f"未变 {c.get('indicators_unchanged', 0)} 个",
        ]
        if not self.changed:
            lines.append("台账与系统中的数据一致，" + ("未做任何修改。" if self.written else "无需导入。"))
        elif self.written:
            lines.append(f"变更记录：{self.records} 条")
        return lines

    def change_lines(self) -> list[str]:
        """The sampled per-object changes, one line each (for the command's output)."""
        lines = []
        for kind, items in self.changes.items():
            for item in items:
                if item["action"] == "新建":
                    fields = "；".join(f"{label}：{new}" for label, (_old, new) in item["changes"].items())
                else:
                    fields = "；".join(
                        f"{label}：{old or '（空）'} → {new or '（空）'}"
                        for label, (old, new) in item["changes"].items()
                    )
                lines.append(f"[{KIND_LABELS[kind]}·{item['action']}] {item['object']}  {fields}")
        return lines

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "written": self.written,
            "records": self.records,
            "counts": self.counts,
            "changes": self.changes,
            "new_people": self.new_people,
            "error_count": len(self.errors),
            "errors": [e.as_dict() for e in self.errors[:ERRORS_KEPT]],
            "lines": self.summary_lines(),
        }


class _Errors(list):
    def add(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.append(LedgerError(sheet, row, column, message))


# --- reading cells --------------------------------------------------------------------------------


def _raw_text(raw) -> str:
    """A cell as the user typed it, for messages."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.strftime("%Y-%m-%d %H:%M") if (raw.hour or raw.minute) else raw.date().isoformat()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return str(raw).strip()


def _text(raw) -> str:
    """A text cell, stripped; numbers as typed (101.0 -> "101")."""
    if raw is None or raw == "":
        return ""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool):
        return "是" if raw else "否"
    return _raw_text(raw)


_BAD = object()  # a cell whose error is already reported


class _Bad(Exception):
    """A cell's value is wrong; the message is for the user."""


def _date(raw) -> datetime.date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        m = DATE_TEXT.match(text)
        if m:
            try:
                return datetime.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
    raise _Bad(f"日期无效「{_raw_text(raw)}」")


def _decimal(raw, *, places: int, max_digits: int) -> Decimal | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise _Bad(f"不是有效的数字「{_raw_text(raw)}」")
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise _Bad(f"不是有效的数字「{raw}」")
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace(",", "").replace("，", "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise _Bad(f"不是有效的数字「{raw.strip()}」")
        if not value.is_finite():
            raise _Bad(f"不是有效的数字「{raw.strip()}」")
    else:
        raise _Bad(f"不是有效的数字「{_raw_text(raw)}」")
    if abs(value) >= Decimal(10) ** (max_digits - places):
        raise _Bad(f"数值过大「{_raw_text(raw)}」")
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _split_units(text: str) -> list[str]:
    names: list[str] = []
    for part in TERRITORIAL_SEPARATORS.split(text):
        part = part.strip()
        if part and part not in names:
            names.append(part)
    return names


def _choices_text(labels) -> str:
    return "、".join(labels)


# --- reading the workbook -------------------------------------------------------------------------


def _is_path(path_or_file) -> bool:
    return isinstance(path_or_file, str | os.PathLike)


def check_xlsx(path_or_file) -> str | None:
    """None when the file is an .xlsx workbook (a zip holding xl/workbook.xml), else why not."""
    position = None
    if not _is_path(path_or_file):
        position = path_or_file.tell()
    try:
        with zipfile.ZipFile(path_or_file) as archive:
            names = set(archive.namelist())
    except FileNotFoundError:
        return "文件不存在"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return "文件不是Excel工作簿（.xlsx），无法读取；请上传用Excel或WPS保存的 .xlsx 文件"
    finally:
        if position is not None:
            path_or_file.seek(position)
    if "xl/workbook.xml" not in names:
        return "文件不是Excel工作簿（.xlsx）：压缩包中没有工作簿内容；请上传用Excel或WPS保存的 .xlsx 文件"
    return None


def _read(path_or_file, errors: _Errors) -> dict[str, list[tuple[int, list]]] | None:
    """{sheet: [(excel row number, cells)]} for data rows, or None after adding structural errors."""
    from python_calamine import CalamineWorkbook

    problem = check_xlsx(path_or_file)
    if problem:
        errors.add("", None, "", problem)
        return None
    try:
        if _is_path(path_or_file):
            book = CalamineWorkbook.from_path(os.fspath(path_or_file))
        else:
            book = CalamineWorkbook.from_filelike(path_or_file)
    except Exception:  # calamine raises several error types for broken files
        errors.add("", None, "", "文件已损坏或不是有效的Excel工作簿（.xlsx），无法读取")
        return None
    sheets: dict[str, list[tuple[int, list]]] = {}
    try:
        names = book.sheet_names
        for sheet, header in HEADERS.items():
            if sheet not in names:
                errors.add("", None, "", f"缺少工作表「{sheet}」")
                continue
            rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            found = [_text(c) for c in rows[0]] if rows else []
            while found and not found[-1]:
                found.pop()
            if found != header:
                detail = ""
                for i, expected in enumerate(header):
                    actual = found[i] if i < len(found) else ""
                    if actual != expected:
                        detail = f"（第{i + 1}列应为「{expected}」，实际为「{actual or '空'}」）"
                        break
                else:
                    detail = f"（多出第{len(header) + 1}列「{found[len(header)]}」）"
                errors.add(sheet, None, "", f"表头不正确，第1行应依次为：{' | '.join(header)}{detail}")
                continue
            width = len(header)
            data = []
            for index, row in enumerate(rows[1:], start=2):
                cells = list(row[:width])
                if len(cells) < width:
                    cells.extend([""] * (width - len(cells)))
                if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                    continue
                data.append((index, cells))
            sheets[sheet] = data
    except Exception:
        errors.add("", None, "", "文件已损坏或不是有效的Excel工作簿（.xlsx），无法读取")
        return None
    finally:
        close = getattr(book, "close", None)
        if close:
            close()
    if errors:
        return None
    return sheets


# --- the plan -------------------------------------------------------------------------------------


@dataclass
class _UnitPlan:
    row: int
    name: str
    type: str
    parent: str  # a unit name or ""
    existing: Unit | None = None
    changes: dict | None = None


@dataclass
class _PersonPlan:
    name: str
    unit: str  # unit name
    obj: Person | None = None


@dataclass
class _ProjectPlan:
    row: int
    code: str
    values: dict[str, Any]  # plain fields + "category" (Category)
    lead_unit: str
    territorial: list[str]
    leader: Any  # Person | _PersonPlan | None
    responsible: Any
    existing: Project | None = None
    changes: dict | None = None
    territorial_changed: bool = False
    obj: Project | None = None


@dataclass(slots=True)
class _ExistingIndicator:
    """An indicator as loaded for the plan (cheaper than 60,000 model instances)."""

    pk: int
    project_id: int
    name: str
    unit_of_measure: str
    target: Decimal
    sort_order: int

    def __str__(self) -> str:
        return f"{self.name}（{self.unit_of_measure}）"


@dataclass
class _IndicatorPlan:
    row: int
    code: str
    name: str
    unit_of_measure: str
    target: Decimal
    sort_order: int = 0
    existing: _ExistingIndicator | None = None
    changes: dict | None = None


def _chunks(items: list, size: int = BATCH):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _person_name(p) -> str:
    return p.name if p is not None else ""


def _project_view(
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
):
    """The change-log view of a project (same labels and texts as audit.snapshot)."""
    return {
        _L["code"]: code,
        _L["name"]: name,
        _L["type"]: str(ProjectType(type).label),
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
        _L["status"]: str(ProjectStatus(status).label),
        _L["longitude"]: display_value(longitude),
        _L["latitude"]: display_value(latitude),
    }


_L = {name: _label(Project, name) for name in PROJECT_FIELDS}


def _unit_view(name, type, parent) -> dict[str, str]:
    return {"单位名称": name, "单位类型": str(UnitType(type).label), "上级单位": parent or ""}


def _indicator_view(name, unit_of_measure, target) -> dict[str, str]:
    return {"指标名称": name, "计量单位": unit_of_measure, "目标值": display_value(target)}


class _Planner:
    def __init__(self, sheets: dict[str, list[tuple[int, list]]], errors: _Errors):
        self.sheets = sheets
        self.errors = errors
        self.units_by_name: dict[str, Unit] = {u.name: u for u in Unit.objects.all()}
        self.units_by_id: dict[int, Unit] = {u.pk: u for u in self.units_by_name.values()}
        self.categories: dict[str, Category] = {c.name: c for c in Category.objects.all()}
        self.people_by_name: dict[str, list] = defaultdict(list)
        self.people_by_id: dict[int, Person] = {}
        for p in Person.objects.only("id", "name", "unit_id"):
            self.people_by_name[p.name].append(p)
            self.people_by_id[p.pk] = p
        self.unit_plans: list[_UnitPlan] = []
        self.file_units: set[str] = set()
        self.new_people: dict[tuple[str, str], _PersonPlan] = {}
        self.project_plans: list[_ProjectPlan] = []
        self.file_codes: set[str] = set()
        self.existing_projects: dict[str, Project] = {}
        self.existing_territorial: dict[int, list[int]] = defaultdict(list)
        self.existing_indicators: dict[tuple[int, str], _ExistingIndicator] = {}
        self.max_sort: dict[int, int] = defaultdict(int)
        self.indicator_plans: list[_IndicatorPlan] = []

    # units ---------------------------------------------------------------------------------------

    def plan_units(self) -> None:
        sheet = SHEET_UNITS
        err = self.errors.add
        rows = self.sheets[sheet]
        first_row: dict[str, int] = {}
        for _row, cells in rows:
            name = _text(cells[0])
            if name:
                self.file_units.add(name)
        parsed = []
        for row, cells in rows:
            name, type_text, parent = (_text(c) for c in cells[:3])
            ok = True
            if not name:
                err(sheet, row, "单位名称", "不能为空")
                ok = False
            elif len(name) > _max_length(Unit, "name"):
                err(sheet, row, "单位名称", f"超过{_max_length(Unit, 'name')}个字符")
                ok = False
            elif name in first_row:
                err(sheet, row, "单位名称", f"单位名称「{name}」重复（第{first_row[name]}行已出现）")
                ok = False
            else:
                first_row[name] = row
            if not type_text:
                err(sheet, row, "单位类型", "不能为空")
                ok = False
            elif type_text not in UNIT_TYPE_BY_LABEL:
                err(
                    sheet,
                    row,
                    "单位类型",
                    f"未知的单位类型「{type_text}」（应为：{_choices_text(UNIT_TYPE_BY_LABEL)}）",
                )
                ok = False
            if parent:
                if parent == name:
                    err(sheet, row, "上级单位", "上级单位不能是本单位")
                    ok = False
                elif parent not in self.file_units and parent not in self.units_by_name:
                    err(sheet, row, "上级单位", f"未知的单位「{parent}」")
                    ok = False
            if ok:
                parsed.append(
                    _UnitPlan(row, name, UNIT_TYPE_BY_LABEL[type_text], parent, self.units_by_name.get(name))
                )
        # Cycles: the parents after the import are the file's where it names the unit, else the database's.
        parent_of: dict[str, str] = {}
        for unit in self.units_by_name.values():
            if unit.parent_id:
                parent_of[unit.name] = self.units_by_id[unit.parent_id].name
        for plan in parsed:
            if plan.parent:
                parent_of[plan.name] = plan.parent
            else:
                parent_of.pop(plan.name, None)
        cyclic = set()
        for plan in parsed:
            chain, node = [plan.name], parent_of.get(plan.name)
            seen = {plan.name}
            while node is not None and node not in seen:
                chain.append(node)
                seen.add(node)
                node = parent_of.get(node)
            if node == plan.name:
                err(sheet, plan.row, "上级单位", f"上级单位形成循环：{' → '.join(chain + [plan.name])}")
                cyclic.add(plan.name)
        self.unit_plans = [p for p in parsed if p.name not in cyclic]
        for plan in self.unit_plans:
            after = _unit_view(plan.name, plan.type, plan.parent)
            if plan.existing is None:
                plan.changes = diff(None, after)
            else:
                u = plan.existing
                before = _unit_view(u.name, u.type, self.units_by_id[u.parent_id].name if u.parent_id else "")
                plan.changes = diff(before, after) or None

    def known_unit(self, name: str) -> bool:
        return name in self.units_by_name or name in self.file_units

    # projects ------------------------------------------------------------------------------------

    def load_projects(self, codes: list[str]) -> None:
        through = Project.territorial_units.through
        for chunk in _chunks(codes, 900):
            found = list(Project.objects.filter(code__in=chunk))
            for p in found:
                self.existing_projects[p.code] = p
            ids = [p.pk for p in found]
            if not ids:
                continue
            for project_id, unit_id in (
                through.objects.filter(project_id__in=ids).order_by("id").values_list("project_id", "unit_id")
            ):
                self.existing_territorial[project_id].append(unit_id)
            rows = Indicator.objects.filter(project_id__in=ids).values_list(
                "id", "project_id", "name", "unit_of_measure", "target", "sort_order"
            )
            for row in rows:
                ind = _ExistingIndicator(*row)
                self.existing_indicators[(ind.project_id, ind.name)] = ind
                self.max_sort[ind.project_id] = max(self.max_sort[ind.project_id], ind.sort_order)

    def resolve_person(self, name: str, lead: str, current: Person | None, row: int, column: str):
        """The person a name means on a project led by `lead` (a unit name); None after an error."""
        if not name:
            return None
        if len(name) > _max_length(Person, "name"):
            self.errors.add(SHEET_PROJECTS, row, column, f"超过{_max_length(Person, 'name')}个字符")
            return None
        if current is not None and current.name == name:
            return current
        lead_unit = self.units_by_name.get(lead)
        candidates = self.people_by_name.get(name, [])
        for p in candidates:
            if isinstance(p, _PersonPlan):
                if p.unit == lead:
                    return p
            elif lead_unit is not None and p.unit_id == lead_unit.pk:
                return p
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            plan = _PersonPlan(name, lead)
            self.new_people[(lead, name)] = plan
            self.people_by_name[name].append(plan)
            return plan
        units = "、".join(
            sorted(
                p.unit if isinstance(p, _PersonPlan) else self.units_by_id[p.unit_id].name for p in candidates
            )
        )
        self.errors.add(
            SHEET_PROJECTS,
            row,
            column,
            f"「{name}」在多个单位有同名人员（{units}），牵头单位「{lead}」中没有此人，无法确定是谁",
        )
        return None

    def plan_projects(self) -> None:
        sheet = SHEET_PROJECTS
        err = self.errors.add
        rows = self.sheets[sheet]
        codes = []
        for _row, cells in rows:
            code = _text(cells[0])
            if code:
                self.file_codes.add(code)
                codes.append(code)
        self.load_projects(sorted(set(codes)))
        first_row: dict[str, int] = {}
        H = HEADERS[sheet]
        max_len = {
            "项目编号": _max_length(Project, "code"),
            "项目名称": _max_length(Project, "name"),
        }
        for row, cells in rows:
            raw = dict(zip(H, cells, strict=True))
            t = {
                h: _text(raw[h])
                for h in (
                    "项目编号",
                    "项目名称",
                    "项目类型",
                    "项目类别",
                    "牵头单位",
                    "属地单位",
                    "分管领导",
                    "责任人",
                    "建设内容",
                    "状态",
                )
            }
            n_errors = len(self.errors)
            for column in ("项目编号", "项目名称", "项目类型", "项目类别", "牵头单位", "属地单位", "状态"):
                if not t[column]:
                    err(sheet, row, column, "不能为空")
            for column, limit in max_len.items():
                if len(t[column]) > limit:
                    err(sheet, row, column, f"超过{limit}个字符")
            code = t["项目编号"]
            if code and project_code_problem(code):
                err(sheet, row, "项目编号", f"{project_code_problem(code)}「{code}」")
            if code:
                if code in first_row:
                    err(sheet, row, "项目编号", f"项目编号「{code}」重复（第{first_row[code]}行已出现）")
                else:
                    first_row[code] = row
            type_ = PROJECT_TYPE_BY_LABEL.get(t["项目类型"])
            if t["项目类型"] and type_ is None:
                err(
                    sheet,
                    row,
                    "项目类型",
                    f"未知的项目类型「{t['项目类型']}」（应为：{_choices_text(PROJECT_TYPE_BY_LABEL)}）",
                )
            category = self.categories.get(t["项目类别"])
            if t["项目类别"] and category is None:
                known = _choices_text(self.categories) if len(self.categories) <= 30 else "见项目类别管理"
                err(sheet, row, "项目类别", f"未知的项目类别「{t['项目类别']}」（现有类别：{known}）")
            lead = t["牵头单位"]
            if lead and not self.known_unit(lead):
                err(sheet, row, "牵头单位", f"未知的单位「{lead}」")
                lead = ""
            territorial = _split_units(t["属地单位"])
            for name in territorial:
                if not self.known_unit(name):
                    err(sheet, row, "属地单位", f"未知的单位「{name}」")
            if t["属地单位"] and not territorial:
                err(sheet, row, "属地单位", "不能为空")
            status = STATUS_BY_LABEL.get(t["状态"])
            if t["状态"] and status is None:
                err(
                    sheet, row, "状态", f"未知的状态「{t['状态']}」（应为：{_choices_text(STATUS_BY_LABEL)}）"
                )
            dates = {}
            for column in ("计划开工", "计划完工", "完成时限"):
                try:
                    dates[column] = _date(raw[column])
                except _Bad as e:
                    err(sheet, row, column, str(e))
                    dates[column] = None
            if dates["计划开工"] and dates["计划完工"] and dates["计划完工"] < dates["计划开工"]:
                err(
                    sheet,
                    row,
                    "计划完工",
                    f"计划完工「{dates['计划完工'].isoformat()}」早于计划开工「{dates['计划开工'].isoformat()}」",
                )
            numbers: dict[str, Any] = {}
            for column, places, digits in (("总投资(万元)", 2, 14), ("经度", 6, 10), ("纬度", 6, 9)):
                try:
                    numbers[column] = _decimal(raw[column], places=places, max_digits=digits)
                except _Bad as e:
                    err(sheet, row, column, str(e))
                    numbers[column] = _BAD  # already reported
            money, lon, lat = numbers["总投资(万元)"], numbers["经度"], numbers["纬度"]
            if isinstance(money, Decimal) and money < 0:
                err(sheet, row, "总投资(万元)", f"不能为负数「{_raw_text(raw['总投资(万元)'])}」")
            if isinstance(lon, Decimal) and not (-180 <= lon <= 180):
                err(sheet, row, "经度", f"超出范围（-180～180）「{_raw_text(raw['经度'])}」")
            if isinstance(lat, Decimal) and not (-90 <= lat <= 90):
                err(sheet, row, "纬度", f"超出范围（-90～90）「{_raw_text(raw['纬度'])}」")
            if lon is None and lat is not None:
                err(sheet, row, "经度", "经度和纬度须同时填写")
            if lat is None and lon is not None:
                err(sheet, row, "纬度", "经度和纬度须同时填写")
            existing = self.existing_projects.get(code) if code else None
            if existing is not None and status is not None and not status_reachable(existing.status, status):
                err(
                    sheet,
                    row,
                    "状态",
                    f"状态不能从「{ProjectStatus(existing.status).label}」改为「{ProjectStatus(status).label}」",
                )
            leader = responsible = None
            if lead:
                current_leader = self.people_by_id.get(existing.supervising_leader_id) if existing else None
                current_resp = self.people_by_id.get(existing.responsible_person_id) if existing else None
                leader = self.resolve_person(t["分管领导"], lead, current_leader, row, "分管领导")
                responsible = self.resolve_person(t["责任人"], lead, current_resp, row, "责任人")
            if len(self.errors) > n_errors:
                continue
            values = {
                "code": code,
                "name": t["项目名称"],
                "type": type_,
                "category": category,
                "description": t["建设内容"],
                "planned_start": dates["计划开工"],
                "planned_finish": dates["计划完工"],
                "deadline": dates["完成时限"],
                "total_investment": money,
                "status": status,
                "longitude": lon,
                "latitude": lat,
            }
            plan = _ProjectPlan(row, code, values, lead, territorial, leader, responsible, existing)
            after = self._view_of_plan(plan)
            if existing is None:
                plan.changes = diff(None, after)
            else:
                before = self._view_of_project(existing)
                plan.changes = diff(before, after) or None
                old_names = sorted(self.units_by_id[i].name for i in self.existing_territorial[existing.pk])
                plan.territorial_changed = old_names != sorted(territorial)
            self.project_plans.append(plan)

    def _view_of_plan(self, plan: _ProjectPlan) -> dict[str, str]:
        v = plan.values
        return _project_view(
            code=v["code"],
            name=v["name"],
            type=v["type"],
            category=v["category"].name,
            description=v["description"],
            lead_unit=plan.lead_unit,
            territorial=plan.territorial,
            leader=_person_name(plan.leader),
            responsible=_person_name(plan.responsible),
            planned_start=v["planned_start"],
            planned_finish=v["planned_finish"],
            deadline=v["deadline"],
            total_investment=v["total_investment"],
            status=v["status"],
            longitude=v["longitude"],
            latitude=v["latitude"],
        )

    def _view_of_project(self, p: Project) -> dict[str, str]:
        categories_by_id = getattr(self, "_categories_by_id", None)
        if categories_by_id is None:
            categories_by_id = self._categories_by_id = {c.pk: c.name for c in self.categories.values()}
        return _project_view(
            code=p.code,
            name=p.name,
            type=p.type,
            category=categories_by_id[p.category_id],
            description=p.description,
            lead_unit=self.units_by_id[p.lead_unit_id].name,
            territorial=[self.units_by_id[i].name for i in self.existing_territorial[p.pk]],
            leader=_person_name(self.people_by_id.get(p.supervising_leader_id)),
            responsible=_person_name(self.people_by_id.get(p.responsible_person_id)),
            planned_start=p.planned_start,
            planned_finish=p.planned_finish,
            deadline=p.deadline,
            total_investment=p.total_investment,
            status=p.status,
            longitude=p.longitude,
            latitude=p.latitude,
        )

    # indicators ----------------------------------------------------------------------------------

    def plan_indicators(self) -> None:
        sheet = SHEET_INDICATORS
        err = self.errors.add
        rows = self.sheets[sheet]
        missing = sorted(
            {_text(c[0]) for _r, c in rows} - self.file_codes - set(self.existing_projects) - {""}
        )
        if missing:
            self.load_projects(missing)
        first_row: dict[tuple[str, str], int] = {}
        next_sort: dict[str, int] = {}
        name_limit = _max_length(Indicator, "name")
        uom_limit = _max_length(Indicator, "unit_of_measure")
        for row, cells in rows:
            code, name, uom = _text(cells[0]), _text(cells[1]), _text(cells[2])
            n_errors = len(self.errors)
            if not code:
                err(sheet, row, "项目编号", "不能为空")
            elif code not in self.file_codes and code not in self.existing_projects:
                err(sheet, row, "项目编号", f"未知的项目编号「{code}」（「项目」工作表和系统中都没有）")
            if not name:
                err(sheet, row, "指标名称", "不能为空")
            elif len(name) > name_limit:
                err(sheet, row, "指标名称", f"超过{name_limit}个字符")
            if not uom:
                err(sheet, row, "计量单位", "不能为空")
            elif len(uom) > uom_limit:
                err(sheet, row, "计量单位", f"超过{uom_limit}个字符")
            if code and name:
                key = (code, name)
                if key in first_row:
                    err(
                        sheet,
                        row,
                        "指标名称",
                        f"项目「{code}」的指标「{name}」重复（第{first_row[key]}行已出现）",
                    )
                else:
                    first_row[key] = row
            target = None
            if cells[3] is None or cells[3] == "" or (isinstance(cells[3], str) and not cells[3].strip()):
                err(sheet, row, "目标值", "不能为空")
            else:
                try:
                    target = _decimal(cells[3], places=3, max_digits=18)
                except _Bad as e:
                    err(sheet, row, "目标值", str(e))
                else:
                    if target is not None and target <= 0:
                        err(sheet, row, "目标值", f"须大于0「{_raw_text(cells[3])}」")
            if len(self.errors) > n_errors:
                continue
            plan = _IndicatorPlan(row, code, name, uom, target)
            project = self.existing_projects.get(code)
            if project is not None:
                plan.existing = self.existing_indicators.get((project.pk, name))
            after = _indicator_view(name, uom, target)
            if plan.existing is None:
                base = self.max_sort[project.pk] if project is not None else 0
                next_sort[code] = next_sort.get(code, base) + 1
                plan.sort_order = next_sort[code]
                plan.changes = diff(None, after)
            else:
                e = plan.existing
                plan.changes = diff(_indicator_view(e.name, e.unit_of_measure, e.target), after) or None
            self.indicator_plans.append(plan)

    # result --------------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        def count(plans):
            created = sum(1 for p in plans if p.existing is None)
            updated = sum(1 for p in plans if p.existing is not None and p.changes)
            return created, updated, len(plans) - created - updated

        c: dict[str, int] = {}
        for kind, plans in (
            ("units", self.unit_plans),
            ("projects", self.project_plans),
            ("indicators", self.indicator_plans),
        ):
            c[f"{kind}_created"], c[f"{kind}_updated"], c[f"{kind}_unchanged"] = count(plans)
        c["projects_updated"] += sum(
            1
            for p in self.project_plans
            if p.existing is not None and not p.changes and p.territorial_changed
        )
        c["projects_unchanged"] = len(self.project_plans) - c["projects_created"] - c["projects_updated"]
        c["people_created"] = len(self.new_people)
        return c

    def samples(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {k: [] for k in KIND_LABELS}
        for plan in self.unit_plans:
            if plan.changes and len(out["unit"]) < CHANGE_SAMPLE:
                out["unit"].append(_sample(plan.name, plan.existing, plan.changes))
        for person in self.new_people.values():
            if len(out["person"]) >= CHANGE_SAMPLE:
                break
            out["person"].append(
                _sample(person.name, None, {"姓名": ["", person.name], "单位": ["", person.unit]})
            )
        for plan in self.project_plans:
            if plan.changes and len(out["project"]) < CHANGE_SAMPLE:
                out["project"].append(
                    _sample(f"{plan.code} {plan.values['name']}", plan.existing, plan.changes)
                )
        for plan in self.indicator_plans:
            if plan.changes and len(out["indicator"]) < CHANGE_SAMPLE:
                out["indicator"].append(_sample(f"{plan.code} {plan.name}", plan.existing, plan.changes))
        return out

    # writing -------------------------------------------------------------------------------------

    def write(self, *, user) -> int:
        """Carry the plan out; the number of change records written."""
        now = timezone.now()
        ct = {m: ContentType.objects.get_for_model(m) for m in (Unit, Person, Project, Indicator)}
        records: list[ChangeRecord] = []

        def record(obj, before, after, model, parent=None, parent_model=None):
            rec = build_record(
                obj=obj,
                before=before,
                after=after,
                user=user,
                source="import",
                content_type=ct[model],
                parent=parent,
                parent_type=ct[parent_model] if parent_model else None,
            )
            if rec is not None:
                records.append(rec)

        # Units: create the new ones without parents, then set every parent and type.
        top = max((u.sort_order for u in self.units_by_name.values()), default=0)
        new_units = []
        for i, plan in enumerate(self.unit_plans, start=1):
            if plan.existing is None:
                new_units.append(Unit(name=plan.name, type=plan.type, sort_order=top + i))
        Unit.objects.bulk_create(new_units, batch_size=BATCH)
        for unit in new_units:
            self.units_by_name[unit.name] = unit
            self.units_by_id[unit.pk] = unit
        changed_units = []
        for plan in self.unit_plans:
            unit = self.units_by_name[plan.name]
            parent_id = self.units_by_name[plan.parent].pk if plan.parent else None
            if plan.existing is None:
                if parent_id:
                    unit.parent_id = parent_id
                    changed_units.append(unit)
                record(unit, None, plan.changes and {k: v[1] for k, v in plan.changes.items()}, Unit)
            elif plan.changes:
                unit.type, unit.parent_id = plan.type, parent_id
                changed_units.append(unit)
                record(
                    unit,
                    {k: v[0] for k, v in plan.changes.items()},
                    {k: v[1] for k, v in plan.changes.items()},
                    Unit,
                )
        _update_rows(Unit, changed_units, ["type", "parent"])

        # People to create, in their lead unit.
        people = []
        for plan in self.new_people.values():
            plan.obj = Person(name=plan.name, unit=self.units_by_name[plan.unit])
            people.append(plan.obj)
        Person.objects.bulk_create(people, batch_size=BATCH)
        for plan in self.new_people.values():
            record(
                plan.obj,
                None,
                {"姓名": plan.name, "单位": plan.unit},
                Person,
                parent=self.units_by_name[plan.unit],
                parent_model=Unit,
            )

        def person_id(ref):
            if ref is None:
                return None
            return ref.obj.pk if isinstance(ref, _PersonPlan) else ref.pk

        # Projects.
        new_projects, changed_projects, through_rows, reset_ids = [], [], [], []
        through = Project.territorial_units.through
        for plan in self.project_plans:
            if plan.existing is not None and not plan.changes and not plan.territorial_changed:
                continue
            v = plan.values
            obj = plan.existing or Project(code=plan.code)
            obj.name, obj.type, obj.category = v["name"], v["type"], v["category"]
            obj.description, obj.status = v["description"], v["status"]
            obj.lead_unit_id = self.units_by_name[plan.lead_unit].pk
            obj.supervising_leader_id = person_id(plan.leader)
            obj.responsible_person_id = person_id(plan.responsible)
            obj.planned_start, obj.planned_finish, obj.deadline = (
                v["planned_start"],
                v["planned_finish"],
                v["deadline"],
            )
            obj.total_investment, obj.longitude, obj.latitude = (
                v["total_investment"],
                v["longitude"],
                v["latitude"],
            )
            obj.updated_at = now
            plan.obj = obj
            if plan.existing is None:
                new_projects.append(obj)
            else:
                changed_projects.append(obj)
                if plan.territorial_changed:
                    reset_ids.append(obj.pk)
        Project.objects.bulk_create(new_projects, batch_size=BATCH)
        _update_rows(Project, changed_projects, PROJECT_WRITE_FIELDS)
        for chunk in _chunks(reset_ids, 900):
            through.objects.filter(project_id__in=chunk).delete()
        for plan in self.project_plans:
            if plan.obj is None:
                continue
            if plan.existing is None or plan.territorial_changed:
                for name in plan.territorial:
                    through_rows.append(through(project_id=plan.obj.pk, unit_id=self.units_by_name[name].pk))
            if plan.changes:
                before = None if plan.existing is None else {k: v[0] for k, v in plan.changes.items()}
                after = {k: v[1] for k, v in plan.changes.items()}
                record(plan.obj, before, after, Project)
            self.existing_projects[plan.code] = plan.obj
        _insert_rows(through, through_rows)

        # Indicators.
        new_indicators, changed_indicators = [], []
        for plan in self.indicator_plans:
            project = self.existing_projects[plan.code]
            if plan.existing is None:
                obj = Indicator(
                    project=project,
                    name=plan.name,
                    unit_of_measure=plan.unit_of_measure,
                    target=plan.target,
                    sort_order=plan.sort_order,
                )
                new_indicators.append((obj, plan))
            elif plan.changes:
                obj = plan.existing
                obj.unit_of_measure, obj.target = plan.unit_of_measure, plan.target
                changed_indicators.append((obj, plan))
        Indicator.objects.bulk_create([o for o, _ in new_indicators], batch_size=BATCH * 2)
        _update_rows(Indicator, [o for o, _ in changed_indicators], ["unit_of_measure", "target"])
        for obj, plan in new_indicators + changed_indicators:
            before = None if plan.existing is None else {k: v[0] for k, v in plan.changes.items()}
            after = {k: v[1] for k, v in plan.changes.items()}
            record(
                obj, before, after, Indicator, parent=self.existing_projects[plan.code], parent_model=Project
            )

        _insert_rows(ChangeRecord, records)
        return len(records)


def _db():
    """The real connection object (the `connection` proxy costs a lookup on every attribute)."""
    return connections[DEFAULT_DB_ALIAS]


def _update_rows(model, objs: list, fields: list[str]) -> None:
    """UPDATE the given fields of each object by primary key.

    QuerySet.bulk_update builds one CASE WHEN per field and object: minutes for 80,000 rows. Here
    SQLite (in-process) gets one UPDATE per row through executemany, PostgreSQL one
    UPDATE … FROM (VALUES …) per 1,000 rows.
    """
    if not objs:
        return
    db = _db()
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    qn = db.ops.quote_name
    table, pk = qn(meta.db_table), meta.pk
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            names = ", ".join(qn(f.column) for f in [pk, *columns])
            sets = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in columns)
            cast = (
                "("
                + ", ".join(f"%s::{f.db_type(db)}" if f.db_type(db) else "%s" for f in [pk, *columns])
                + ")"
            )
            for chunk in _chunks(objs, 1000):
                params = []
                for o in chunk:
                    params.append(o.pk)
                    params.extend(f.get_db_prep_save(getattr(o, f.attname), db) for f in columns)
                cursor.execute(
                    f"UPDATE {table} AS t SET {sets} FROM (VALUES {', '.join([cast] * len(chunk))}) "
                    f"AS v({names}) WHERE t.{qn(pk.column)} = v.{qn(pk.column)}",
                    params,
                )
        else:
            sql = (
                f"UPDATE {table} SET {', '.join(f'{qn(f.column)} = %s' for f in columns)} "
                f"WHERE {qn(pk.column)} = %s"
            )
            for chunk in _chunks(objs, 2000):
                cursor.executemany(
                    sql,
                    [
                        [f.get_db_prep_save(getattr(o, f.attname), db) for f in columns] + [o.pk]
                        for o in chunk
                    ],
                )


def _insert_rows(model, objs: list) -> None:
    """INSERT objects whose primary keys are not needed afterwards (change records, through rows).

    SQLite: one INSERT per row through executemany; PostgreSQL: multi-row INSERTs of 1,000 rows.
    """
    if not objs:
        return
    db = _db()
    meta = model._meta
    columns = [f for f in meta.local_concrete_fields if not f.primary_key]
    qn = db.ops.quote_name
    head = f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in columns)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with db.cursor() as cursor:
        for chunk in _chunks(objs, 1000 if db.vendor == "postgresql" else 2000):
            rows = [[f.get_db_prep_save(f.pre_save(o, True), db) for f in columns] for o in chunk]
            if db.vendor == "postgresql":
                cursor.execute(head + ", ".join([one] * len(rows)), [v for row in rows for v in row])
            else:
                cursor.executemany(head + one, rows)


def _sample(label: str, existing, changes: dict) -> dict:
    return {"object": label, "action": "新建" if existing is None else "修改", "changes": changes}


# --- the two entry points -------------------------------------------------------------------------


def ledger_import(*, user, path_or_file, dry_run: bool = False) -> LedgerResult:
    """Check the ledger and, unless dry_run or anything is wrong, write it (all or nothing).

    `user` None means the system (the command line without --user); otherwise the user must manage all.
    """
    if user is not None and not user.manages_all:
        raise NotAllowed("只有领导小组办公室或系统管理员可以导入台账")
    result = LedgerResult(dry_run=dry_run)
    errors = _Errors()
    sheets = _read(path_or_file, errors)
    if sheets is None:
        result.errors = list(errors)
        return result

    def plan() -> _Planner | None:
        planner = _Planner(sheets, errors)
        planner.plan_units()
        planner.plan_projects()
        planner.plan_indicators()
        result.errors = list(errors)
        result.counts = planner.counts()
        result.changes = planner.samples()
        result.new_people = [
            {"name": p.name, "unit": p.unit} for p in list(planner.new_people.values())[:PEOPLE_SAMPLE]
        ]
        return planner if not errors else None

    if dry_run:
        plan()
        return result
    with transaction.atomic():
        planner = plan()
        if planner is None:
            return result
        result.records = planner.write(user=user)
        result.written = True
    return result


def _number(value: Decimal | None):
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def ledger_export(*, user, path_or_file) -> dict[str, int]:
    """Write the ledger of what the user may see (everything when user is None); the row counts."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from tiaodu.projects.selectors import project_list

    projects = Project.objects.all() if user is None else project_list(user=user)
    units = list(Unit.objects.all())
    unit_names = {u.pk: u.name for u in units}

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F2F2F2")
    center = Alignment(horizontal="center", vertical="center")

    def sheet(title):
        ws = book.create_sheet(title)
        ws.freeze_panes = "A2"
        for i, width in enumerate(WIDTHS[title], start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        header = []
        for text in HEADERS[title]:
            cell = WriteOnlyCell(ws, value=text)
            cell.font, cell.fill, cell.alignment = bold, fill, center
            header.append(cell)
        ws.append(header)
        return ws

    counts = {"units": 0, "projects": 0, "indicators": 0}
    ws = sheet(SHEET_UNITS)
    for u in units:
        ws.append([u.name, str(UnitType(u.type).label), unit_names.get(u.parent_id)])
        counts["units"] += 1

    through = Project.territorial_units.through
    territorial: dict[int, list[str]] = defaultdict(list)
    for project_id, unit_id in (
        through.objects.filter(project__in=projects.values("pk"))
        .order_by("id")
        .values_list("project_id", "unit_id")
    ):
        territorial[project_id].append(unit_names[unit_id])
    people = dict(Person.objects.values_list("id", "name"))
    categories = dict(Category.objects.values_list("id", "name"))
    type_labels = {v: str(label) for v, label in ProjectType.choices}
    status_labels = {v: str(label) for v, label in ProjectStatus.choices}

    ws = sheet(SHEET_PROJECTS)
    rows = projects.order_by("code").values_list(
        "id",
        "code",
        "name",
        "type",
        "category_id",
        "lead_unit_id",
        "supervising_leader_id",
        "responsible_person_id",
        "planned_start",
        "planned_finish",
        "deadline",
        "total_investment",
        "description",
        "status",
        "longitude",
        "latitude",
    )
    for (
        pk,
        code,
        name,
        type_,
        category_id,
        lead_id,
        leader_id,
        resp_id,
        start,
        finish,
        deadline,
        money,
        description,
        status,
        lon,
        lat,
    ) in rows.iterator(chunk_size=2000):
        ws.append(
            [
                code,
                name,
                type_labels[type_],
                categories[category_id],
                unit_names[lead_id],
                "、".join(territorial.get(pk, [])),
                people.get(leader_id),
                people.get(resp_id),
                start,
                finish,
                deadline,
                _number(money),
                description or None,
                status_labels[status],
                _number(lon),
                _number(lat),
            ]
        )
        counts["projects"] += 1

    ws = sheet(SHEET_INDICATORS)
    indicators = (
        Indicator.objects.filter(project__in=projects.values("pk"))
        .order_by("project__code", "sort_order", "id")
        .values_list("project__code", "name", "unit_of_measure", "target")
    )
    for code, name, uom, target in indicators.iterator(chunk_size=5000):
        ws.append([code, name, uom, _number(target)])
        counts["indicators"] += 1

    # 进度计划: the period plans (季、月、旬) of the scheduled projects. Read-only output: the import
    # ignores this sheet.
    from tiaodu.scheduling.selectors import PERIOD_PLAN_HEADERS, period_plan_rows

    ws = book.create_sheet(SHEET_PERIOD_PLAN)
    ws.freeze_panes = "A2"
    for i, width in enumerate([14, 30, 16, 8, 12, 8, 16, 12, 14, 10, 8, 10], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    header = []
    for text in PERIOD_PLAN_HEADERS:
        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.fill, cell.alignment = bold, fill, center
        header.append(cell)
    ws.append(header)
    scheduled = projects.filter(schedule_tasks__isnull=False).distinct().order_by("code")
    counts["period_plan_rows"] = 0
    for row in period_plan_rows(scheduled):
        ws.append([_number(v) if isinstance(v, Decimal) else v for v in row])
        counts["period_plan_rows"] += 1

    book.save(path_or_file)
    return counts
