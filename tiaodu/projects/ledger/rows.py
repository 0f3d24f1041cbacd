"""The rows of each sheet checked and turned into plans, in sheet order: units, projects, indicators.

Every error names sheet, row and column; a row with any error gets no plan, and the import writes
nothing when there is any error at all. The errors of a row come in a fixed order (the tests and the
users' lists rely on it): required cells, lengths, codes, choices, units, dates, numbers, status step,
people.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tiaodu.core.audit import diff
from tiaodu.core.xlsx import CellError, choice, date, decimal, raw_text, text
from tiaodu.orgs.models import Unit
from tiaodu.projects.ledger.plan import IndicatorPlan, Planner, ProjectPlan, UnitPlan
from tiaodu.projects.ledger.schema import (
    HEADERS,
    PROJECT_TYPE_BY_LABEL,
    SHEET_INDICATORS,
    SHEET_PROJECTS,
    SHEET_UNITS,
    STATUS_BY_LABEL,
    UNIT_TYPE_BY_LABEL,
    choices_text,
    indicator_view,
    max_length,
    split_units,
    unit_view,
)
from tiaodu.projects.models import Indicator, Project, ProjectStatus, project_code_problem, status_reachable

_BAD = object()  # a cell whose error is already reported

# --- units ----------------------------------------------------------------------------------------


def plan_units(p: Planner) -> None:
    rows = p.sheets[SHEET_UNITS]
    for _row, cells in rows:
        name = text(cells[0])
        if name:
            p.file_units.add(name)
    first_row: dict[str, int] = {}
    parsed = [plan for row, cells in rows if (plan := _unit_row(p, row, cells, first_row)) is not None]
    cyclic = _cyclic_units(p, parsed)
    p.unit_plans = [plan for plan in parsed if plan.name not in cyclic]
    for plan in p.unit_plans:
        after = unit_view(plan.name, plan.type, plan.parent)
        if plan.existing is None:
            plan.changes = diff(None, after)
        else:
            u = plan.existing
            before = unit_view(u.name, u.type, p.units_by_id[u.parent_id].name if u.parent_id else "")
            plan.changes = diff(before, after) or None


def _unit_row(p: Planner, row: int, cells: list, first_row: dict[str, int]) -> UnitPlan | None:
    def err(column: str, message: str) -> None:
        p.errors.add(SHEET_UNITS, row, column, message)

    name, type_text, parent = (text(c) for c in cells[:3])
    n_errors = len(p.errors)
    if not name:
        err("单位名称", "不能为空")
    elif len(name) > max_length(Unit, "name"):
        err("单位名称", f"超过{max_length(Unit, 'name')}个字符")
    elif name in first_row:
        err("单位名称", f"单位名称「{name}」重复（第{first_row[name]}行已出现）")
    else:
        first_row[name] = row
    type_ = None
    if not type_text:
        err("单位类型", "不能为空")
    else:
        try:
            type_ = choice(type_text, UNIT_TYPE_BY_LABEL, noun="单位类型")
        except CellError as e:
            err("单位类型", e.message)
    if parent:
        if parent == name:
            err("上级单位", "上级单位不能是本单位")
        elif not p.known_unit(parent):
            err("上级单位", f"未知的单位「{parent}」")
    if len(p.errors) > n_errors:
        return None
    return UnitPlan(row, name, type_, parent, p.units_by_name.get(name))


def _cyclic_units(p: Planner, parsed: list[UnitPlan]) -> set[str]:
    """The units whose parents after the import (the file's where it names the unit, else the
    database's) lead back to themselves; each gets an error."""
    parent_of: dict[str, str] = {}
    for unit in p.units_by_name.values():
        if unit.parent_id:
            parent_of[unit.name] = p.units_by_id[unit.parent_id].name
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
            p.errors.add(
                SHEET_UNITS, plan.row, "上级单位", f"上级单位形成循环：{' → '.join(chain + [plan.name])}"
            )
            cyclic.add(plan.name)
    return cyclic


# --- projects -------------------------------------------------------------------------------------

_TEXT_COLUMNS = (
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
_REQUIRED = ("项目编号", "项目名称", "项目类型", "项目类别", "牵头单位", "属地单位", "状态")
_DATES = ("计划开工", "计划完工", "完成时限")
_NUMBERS = (("总投资(万元)", 2, 14), ("经度", 6, 10), ("纬度", 6, 9))


class _ProjectRow:
    """One row of the 项目 sheet while it is checked."""

    def __init__(self, p: Planner, row: int, cells: list):
        self.p = p
        self.row = row
        self.raw = dict(zip(HEADERS[SHEET_PROJECTS], cells, strict=True))
        self.t = {h: text(self.raw[h]) for h in _TEXT_COLUMNS}

    def err(self, column: str, message: str) -> None:
        self.p.errors.add(SHEET_PROJECTS, self.row, column, message)


def plan_projects(p: Planner) -> None:
    rows = p.sheets[SHEET_PROJECTS]
    codes = []
    for _row, cells in rows:
        code = text(cells[0])
        if code:
            p.file_codes.add(code)
            codes.append(code)
    p.load_projects(sorted(set(codes)))
    first_row: dict[str, int] = {}
    limits = {"项目编号": max_length(Project, "code"), "项目名称": max_length(Project, "name")}
    for row, cells in rows:
        r = _ProjectRow(p, row, cells)
        n_errors = len(p.errors)
        _check_required_and_code(r, limits, first_row)
        type_, category, lead, territorial, status = _project_choices(r)
        dates = _project_dates(r)
        money, lon, lat = _project_numbers(r)
        code = r.t["项目编号"]
        existing = p.existing_projects.get(code) if code else None
        if existing is not None and status is not None and not status_reachable(existing.status, status):
            old, new = ProjectStatus(existing.status).label, ProjectStatus(status).label
            r.err("状态", f"状态不能从「{old}」改为「{new}」")
        leader = responsible = None
        if lead:
            leader, responsible = _project_people(r, lead, existing)
        if len(p.errors) > n_errors:
            continue
        values = {
            "code": code,
            "name": r.t["项目名称"],
            "type": type_,
            "category": category,
            "description": r.t["建设内容"],
            "planned_start": dates["计划开工"],
            "planned_finish": dates["计划完工"],
            "deadline": dates["完成时限"],
            "total_investment": money,
            "status": status,
            "longitude": lon,
            "latitude": lat,
        }
        p.project_plans.append(
            _project_plan(p, ProjectPlan(row, code, values, lead, territorial, leader, responsible, existing))
        )


def _check_required_and_code(r: _ProjectRow, limits: dict[str, int], first_row: dict[str, int]) -> None:
    t = r.t
    for column in _REQUIRED:
        if not t[column]:
            r.err(column, "不能为空")
    for column, limit in limits.items():
        if len(t[column]) > limit:
            r.err(column, f"超过{limit}个字符")
    code = t["项目编号"]
    if code and project_code_problem(code):
        r.err("项目编号", f"{project_code_problem(code)}「{code}」")
    if code:
        if code in first_row:
            r.err("项目编号", f"项目编号「{code}」重复（第{first_row[code]}行已出现）")
        else:
            first_row[code] = r.row


def _project_choices(r: _ProjectRow):
    """(type, category, lead unit name, territorial unit names, status); unknowns are errors."""
    t, p = r.t, r.p
    type_ = status = None
    if t["项目类型"]:
        try:
            type_ = choice(t["项目类型"], PROJECT_TYPE_BY_LABEL, noun="项目类型")
        except CellError as e:
            r.err("项目类型", e.message)
    category = p.categories.get(t["项目类别"])
    if t["项目类别"] and category is None:
        known = choices_text(p.categories) if len(p.categories) <= 30 else "见项目类别管理"
        r.err("项目类别", f"未知的项目类别「{t['项目类别']}」（现有类别：{known}）")
    lead = t["牵头单位"]
    if lead and not p.known_unit(lead):
        r.err("牵头单位", f"未知的单位「{lead}」")
        lead = ""
    territorial = split_units(t["属地单位"])
    for name in territorial:
        if not p.known_unit(name):
            r.err("属地单位", f"未知的单位「{name}」")
    if t["属地单位"] and not territorial:
        r.err("属地单位", "不能为空")
    if t["状态"]:
        try:
            status = choice(t["状态"], STATUS_BY_LABEL, noun="状态")
        except CellError as e:
            r.err("状态", e.message)
    return type_, category, lead, territorial, status


def _project_dates(r: _ProjectRow) -> dict[str, Any]:
    dates: dict[str, Any] = {}
    for column in _DATES:
        try:
            dates[column] = date(r.raw[column])
        except CellError as e:
            r.err(column, e.message)
            dates[column] = None
    start, finish = dates["计划开工"], dates["计划完工"]
    if start and finish and finish < start:
        r.err("计划完工", f"计划完工「{finish.isoformat()}」早于计划开工「{start.isoformat()}」")
    return dates


def _project_numbers(r: _ProjectRow) -> tuple[Any, Any, Any]:
    """(investment, longitude, latitude): Decimal, None when empty, or _BAD after an error."""
    numbers: dict[str, Any] = {}
    for column, places, digits in _NUMBERS:
        try:
            numbers[column] = decimal(r.raw[column], places=places, max_digits=digits)
        except CellError as e:
            r.err(column, e.message)
            numbers[column] = _BAD  # already reported
    money, lon, lat = numbers["总投资(万元)"], numbers["经度"], numbers["纬度"]
    if isinstance(money, Decimal) and money < 0:
        r.err("总投资(万元)", f"不能为负数「{raw_text(r.raw['总投资(万元)'])}」")
    if isinstance(lon, Decimal) and not (-180 <= lon <= 180):
        r.err("经度", f"超出范围（-180～180）「{raw_text(r.raw['经度'])}」")
    if isinstance(lat, Decimal) and not (-90 <= lat <= 90):
        r.err("纬度", f"超出范围（-90～90）「{raw_text(r.raw['纬度'])}」")
    if lon is None and lat is not None:
        r.err("经度", "经度和纬度须同时填写")
    if lat is None and lon is not None:
        r.err("纬度", "经度和纬度须同时填写")
    return money, lon, lat


def _project_people(r: _ProjectRow, lead: str, existing: Project | None):
    p = r.p
    current_leader = p.people_by_id.get(existing.supervising_leader_id) if existing else None
    current_resp = p.people_by_id.get(existing.responsible_person_id) if existing else None
    leader = p.resolve_person(r.t["分管领导"], lead, current_leader, r.row, "分管领导")
    responsible = p.resolve_person(r.t["责任人"], lead, current_resp, r.row, "责任人")
    return leader, responsible


def _project_plan(p: Planner, plan: ProjectPlan) -> ProjectPlan:
    """The plan with its changes (all fields for a new project)."""
    after = p.view_of_plan(plan)
    existing = plan.existing
    if existing is None:
        plan.changes = diff(None, after)
    else:
        plan.changes = diff(p.view_of_project(existing), after) or None
        old_names = sorted(p.units_by_id[i].name for i in p.existing_territorial[existing.pk])
        plan.territorial_changed = old_names != sorted(plan.territorial)
    return plan


# --- indicators -----------------------------------------------------------------------------------


def plan_indicators(p: Planner) -> None:
    rows = p.sheets[SHEET_INDICATORS]
    missing = sorted({text(c[0]) for _r, c in rows} - p.file_codes - set(p.existing_projects) - {""})
    if missing:
        p.load_projects(missing)
    first_row: dict[tuple[str, str], int] = {}
    next_sort: dict[str, int] = {}
    for row, cells in rows:
        n_errors = len(p.errors)
        code, name, uom = text(cells[0]), text(cells[1]), text(cells[2])
        _check_indicator_texts(p, row, code, name, uom, first_row)
        target = positive_quantity(p, SHEET_INDICATORS, row, "目标值", cells[3])
        if len(p.errors) > n_errors:
            continue
        plan = IndicatorPlan(row, code, name, uom, target)
        project = p.existing_projects.get(code)
        if project is not None:
            plan.existing = p.existing_indicators.get((project.pk, name))
        after = indicator_view(name, uom, target)
        if plan.existing is None:
            base = p.max_sort[project.pk] if project is not None else 0
            next_sort[code] = next_sort.get(code, base) + 1
            plan.sort_order = next_sort[code]
            plan.changes = diff(None, after)
        else:
            e = plan.existing
            plan.changes = diff(indicator_view(e.name, e.unit_of_measure, e.target), after) or None
        p.indicator_plans.append(plan)


def _check_indicator_texts(p: Planner, row: int, code: str, name: str, uom: str, first_row: dict) -> None:
    def err(column: str, message: str) -> None:
        p.errors.add(SHEET_INDICATORS, row, column, message)

    name_limit = max_length(Indicator, "name")
    uom_limit = max_length(Indicator, "unit_of_measure")
    if not code:
        err("项目编号", "不能为空")
    elif code not in p.file_codes and code not in p.existing_projects:
        err("项目编号", f"未知的项目编号「{code}」（「项目」工作表和系统中都没有）")
    if not name:
        err("指标名称", "不能为空")
    elif len(name) > name_limit:
        err("指标名称", f"超过{name_limit}个字符")
    if not uom:
        err("计量单位", "不能为空")
    elif len(uom) > uom_limit:
        err("计量单位", f"超过{uom_limit}个字符")
    if code and name:
        key = (code, name)
        if key in first_row:
            err("指标名称", f"项目「{code}」的指标「{name}」重复（第{first_row[key]}行已出现）")
        else:
            first_row[key] = row


def positive_quantity(p: Planner, sheet: str, row: int, column: str, raw) -> Decimal | None:
    """A required quantity cell above 0 (a target, a share's target); None with the error named otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        p.errors.add(sheet, row, column, "不能为空")
        return None
    try:
        value = decimal(raw, places=3, max_digits=18)
    except CellError as e:
        p.errors.add(sheet, row, column, e.message)
        return None
    if value is not None and value <= 0:
        p.errors.add(sheet, row, column, f"须大于0「{raw_text(raw)}」")
        return None
    return value
