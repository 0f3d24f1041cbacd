"""Bulk entry of weekly reports from an .xlsx workbook (sheet 周报), all or nothing.

Headers, exactly: 项目编号 | 截至日期 | 指标名称 | 累计完成量 | 累计完成投资(万元) | 形象进度 | 存在问题, and
optionally a last column 填报单位: the unit the row reports for — empty (or no such column): the importing
user's unit (the lead unit when the office imports); the office may name any reporting unit of the project,
a unit user only its own. A unit holding a territorial share of an indicator reports its own share.
Rows with the same 项目编号, 截至日期 and 填报单位 form one report; investment, image progress and problems may stand
on any one of its rows (a row may carry them without an indicator). Each report is recorded as submitted
(已提交) through the same services as the web form, for its 填报单位. A report of the same unit and date that exists already gets a new revision (its
indicators not in the file keep their figures); one whose figures are unchanged is left alone.

Any error anywhere and nothing is written; every error names the row and the column:
工作表「周报」第5行「累计完成量」：「拆迁面积」累计完成量不能小于0.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tiaodu.core.xlsx import (
    BROKEN,
    CellError,
    append_row,
    close_workbook,
    control_problems,
    data_rows,
    header_problem,
    header_row,
    open_workbook,
    sheet_rows,
    text,
)
from tiaodu.core.xlsx import date as date_cell
from tiaodu.progress import selectors, services
from tiaodu.progress.models import Report, ReportStatus
from tiaodu.progress.permissions import report_can_submit
from tiaodu.projects.models import MONEY, QUANTITY
from tiaodu.projects.selectors import project_list

SHEET = "周报"
HEADERS = ["项目编号", "截至日期", "指标名称", "累计完成量", "累计完成投资(万元)", "形象进度", "存在问题"]
C_CODE, C_DATE, C_INDICATOR, C_QTY, C_INVEST, C_IMAGE, C_PROBLEMS = HEADERS
C_UNIT = "填报单位"  # the optional last column
HEADERS_WITH_UNIT = [*HEADERS, C_UNIT]
ERRORS_KEPT = 1000


@dataclass
class ImportResult:
    errors: list[CellError] = field(default_factory=list)
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    reports: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"周报文件有 {len(self.errors)} 处错误，未导入任何数据。"
        return (
            f"导入完成：新报送周报 {self.created} 份，修订 {self.revised} 份，"
            f"与已报送内容相同未变 {self.unchanged} 份。"
        )


class _Errors(list):
    def add(self, row: int | None, column: str, message: str) -> None:
        self.append(CellError(SHEET, row, column, message))


def _read(path_or_file, errors: _Errors) -> list[tuple[int, list]] | None:
    try:
        book = open_workbook(path_or_file)
    except CellError as e:
        errors.append(e)
        return None
    try:
        if SHEET not in book.sheet_names:
            errors.append(CellError(message=f"缺少工作表「{SHEET}」"))
            return None
        rows = sheet_rows(book, SHEET)
    except Exception:  # noqa: BLE001 — calamine raises several error types for broken sheets
        errors.append(CellError(message=BROKEN))
        return None
    finally:
        close_workbook(book)
    found = header_row(rows[0] if rows else [])
    headers = HEADERS_WITH_UNIT if found == HEADERS_WITH_UNIT else HEADERS
    problem = header_problem(found, headers)
    if problem:
        errors.add(None, "", problem)
        return None
    out = data_rows(rows, len(HEADERS_WITH_UNIT))  # no 填报单位 column: its cells are empty
    if not out:
        errors.add(None, "", "没有数据行")
        return None
    problems = control_problems(SHEET, headers, out)
    if problems:
        errors.extend(problems)
        return None
    return out


@dataclass
class _Group:
    project: object
    as_of: datetime.date
    first_row: int
    unit: object = None  # the 填报单位 named (None: the importing user's unit)
    figures: dict[int, tuple[Decimal, int]] = field(default_factory=dict)  # indicator id → (qty, row)
    investment: tuple[Decimal, int] | None = None
    image: tuple[str, int] | None = None
    problems: tuple[str, int] | None = None


@dataclass
class _Row:
    """One checked row of the sheet (None where the cell was wrong or empty)."""

    row: int
    project: object = None
    as_of: datetime.date | None = None
    name: str = ""
    indicator: object = None
    qty: Decimal | None = None
    investment: Decimal | None = None
    image: str = ""
    problems: str = ""
    unit: object = None


def _cell_number(raw, label: str, spec) -> Decimal | None:
    if isinstance(raw, datetime.date | datetime.datetime):
        raise ValueError(f"{label}须为数字（填写的是日期）")
    return services.parse_number(raw, label=label, spec=spec)


def reports_import(*, user, path_or_file, source: str = "import") -> ImportResult:
    """Read, check and record the reports of a workbook; nothing is written when anything is wrong."""
    result = ImportResult()
    errors = _Errors()
    rows = _read(path_or_file, errors)
    if rows is None:
        result.errors = list(errors)
        return result
    groups = _check_rows(user, rows, errors)
    if errors:
        result.errors = sorted(
            errors,
            key=lambda e: (
                e.row or 0,
                HEADERS_WITH_UNIT.index(e.column) if e.column in HEADERS_WITH_UNIT else -1,
            ),
        )
        return result
    _record_all(user=user, groups=groups, result=result, source=source, errors=errors)
    return result


def _check_rows(
    user, rows: list[tuple[int, list]], errors: _Errors
) -> dict[tuple[str, datetime.date], _Group]:
    """Every row checked (errors added) and grouped into reports by project and date."""
    today = selectors.today()
    codes = {text(cells[0]) for _row, cells in rows}
    projects = {
        p.code: p
        for p in project_list(user=user)
        .filter(code__in=codes)
        .select_related("lead_unit")
        .prefetch_related("indicators")
    }
    groups: dict[tuple, _Group] = {}
    reporters: dict[int, list] = {}
    for row, cells in rows:
        checked = _check_row(user, row, cells, projects, today, errors)
        if checked.project is not None:
            checked.unit = _check_unit(user, row, text(cells[7]), checked.project, reporters, errors)
        if checked.project is None or checked.as_of is None or checked.unit is False:
            continue
        key = (checked.project.code, checked.as_of, checked.unit.pk if checked.unit else None)
        group = groups.setdefault(key, _Group(checked.project, checked.as_of, row, checked.unit))
        _add_to_group(group, checked, errors)
    return groups


def _check_row(user, row: int, cells: list, projects: dict, today: datetime.date, errors: _Errors) -> _Row:
    out = _Row(row)
    code = text(cells[0])
    project = projects.get(code)
    if not code:
        errors.add(row, C_CODE, "不能为空")
    elif project is None:
        errors.add(row, C_CODE, f"项目编号「{code}」不存在或您无权查看")
    elif not report_can_submit(user=user, obj=project):
        errors.add(row, C_CODE, f"您的单位不是项目「{code}」的填报单位，不能填报")
        project = None
    out.project = project
    out.as_of = _check_date(row, cells[1], today, errors)
    out.name = name = text(cells[2])
    if name and project is not None:
        out.indicator = next((i for i in project.indicators.all() if i.name == name), None)
        if out.indicator is None:
            errors.add(row, C_INDICATOR, f"项目「{code}」没有名为「{name}」的指标")
    try:
        out.qty = _cell_number(cells[3], f"「{name}」累计完成量" if name else "累计完成量", QUANTITY)
    except ValueError as exc:
        errors.add(row, C_QTY, str(exc))
    else:
        if name and out.qty is None:
            errors.add(row, C_QTY, f"请填写「{name}」的累计完成量")
        if out.qty is not None and not name:
            errors.add(row, C_INDICATOR, "填写累计完成量时须填写指标名称")
    try:
        out.investment = _cell_number(cells[4], "累计完成投资(万元)", MONEY)
    except ValueError as exc:
        errors.add(row, C_INVEST, str(exc))
    out.image, out.problems = text(cells[5]), text(cells[6])
    if not name and out.qty is None and out.investment is None and not out.image and not out.problems:
        errors.add(
            row, C_INDICATOR, "本行没有可导入的内容（须填写指标名称和累计完成量，或投资、形象进度、存在问题）"
        )
    return out


def _check_unit(user, row: int, name: str, project, reporters: dict, errors: _Errors):
    """The 填报单位 of a row: None when empty (the user's own unit), the unit, or False after an error."""
    if not name:
        return None
    if project.pk not in reporters:
        reporters[project.pk] = selectors.reporting_units(project)
    unit = next((u for u in reporters[project.pk] if u.name == name), None)
    if unit is None:
        names = "、".join(u.name for u in reporters[project.pk])
        errors.add(row, C_UNIT, f"「{name}」不是项目「{project.code}」的填报单位（填报单位：{names}）")
        return False
    if not user.manages_all and (user.unit is None or user.unit.pk != unit.pk):
        own = user.unit.name if user.unit is not None else "无"
        errors.add(row, C_UNIT, f"只能为本单位（{own}）填报，不能为「{name}」填报")
        return False
    return unit


def _check_date(row: int, raw, today: datetime.date, errors: _Errors) -> datetime.date | None:
    try:
        as_of = date_cell(raw)
    except CellError as exc:
        errors.add(row, C_DATE, f"{exc.message}，请按YYYY-MM-DD填写")
        return None
    if as_of is None:
        errors.add(row, C_DATE, "不能为空")
    elif as_of > today:
        errors.add(row, C_DATE, f"截至日期不能晚于今天（{today.year}年{today.month}月{today.day}日）")
        return None
    return as_of


def _add_to_group(group: _Group, checked: _Row, errors: _Errors) -> None:
    row, name = checked.row, checked.name
    if checked.indicator is not None and checked.qty is not None:
        pk = checked.indicator.pk
        if pk in group.figures:
            errors.add(
                row, C_INDICATOR, f"指标「{name}」在同一周报中重复（第{group.figures[pk][1]}行已填写）"
            )
        else:
            group.figures[pk] = (checked.qty, row)
    for attr, value, column in (
        ("investment", checked.investment, C_INVEST),
        ("image", checked.image or None, C_IMAGE),
        ("problems", checked.problems or None, C_PROBLEMS),
    ):
        if value is None:
            continue
        current = getattr(group, attr)
        if current is not None and current[0] != value:
            errors.add(row, column, f"同一周报的「{column}」只能填写一次（第{current[1]}行已填写不同内容）")
        elif current is None:
            setattr(group, attr, (value, row))


def _record_all(*, user, groups: dict, result: ImportResult, source: str, errors: _Errors) -> None:
    """Record every report in one transaction; roll all back when any is refused."""
    with transaction.atomic():
        for group in groups.values():
            try:
                _record(user=user, group=group, result=result, source=source, errors=errors)
            except PermissionDenied as exc:
                errors.add(group.first_row, C_CODE, str(exc))
        if errors:
            transaction.set_rollback(True)
            result.errors = list(errors)
            result.created = result.revised = result.unchanged = 0
            result.reports = []
            result.warnings = []


def _record(*, user, group: _Group, result: ImportResult, source: str, errors: _Errors) -> None:
    project = group.project
    unit = group.unit or selectors.acting_unit(user=user, project=project)
    existing = selectors.existing_thread(project=project, as_of=group.as_of, unit=unit)
    figures: dict[int, tuple[Decimal, str]] = {}
    base = None
    if existing is not None:
        base = existing
        if existing.status != ReportStatus.DRAFT:
            if _same(existing, group):
                result.unchanged += 1
                return
        figures = {f.indicator_id: (f.quantity, f.decrease_reason) for f in existing.figures.all()}
    figures.update({ind: (qty, "") for ind, (qty, _row) in group.figures.items()})
    data = services.ReportInput(
        as_of=group.as_of,
        figures=figures,
        investment_done=group.investment[0] if group.investment else (base.investment_done if base else None),
        image_progress=group.image[0] if group.image else (base.image_progress if base else ""),
        problems=group.problems[0] if group.problems else (base.problems if base else ""),
    )
    try:
        with transaction.atomic():
            if existing is None:
                report = services.report_save_draft(
                    user=user, project=project, data=data, source=source, unit=group.unit
                )
                result.created += 1
            else:
                draft = (
                    existing
                    if existing.status == ReportStatus.DRAFT
                    else services.report_revise(user=user, report=existing, source=source)
                )
                report = services.report_save_draft(
                    user=user, project=project, data=data, report=draft, source=source
                )
                result.revised += 1 if draft.revision > 1 else 0
                result.created += 1 if draft.revision == 1 else 0
            report = services.report_submit(user=user, report=report, source=source)
    except ValidationError as exc:
        _map_errors(exc, group, errors)
        return
    result.reports.append(report.pk)
    result.warnings += [f"项目{project.code}截至{group.as_of.isoformat()}：{w}" for w in report.warnings]


def _same(report: Report, group: _Group) -> bool:
    current = {f.indicator_id: f.quantity for f in report.figures.all()}
    for ind, (qty, _row) in group.figures.items():
        if current.get(ind) != qty:
            return False
    if group.investment and report.investment_done != group.investment[0]:
        return False
    if group.image and report.image_progress != group.image[0]:
        return False
    if group.problems and report.problems != group.problems[0]:
        return False
    return report.counted


def _map_errors(exc: ValidationError, group: _Group, errors: _Errors) -> None:
    rows = {ind: row for ind, (_qty, row) in group.figures.items()}
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            errors.add(group.first_row, "", message)
        return
    for key, items in exc.error_dict.items():
        for message in (m for e in items for m in e.messages):
            if key.startswith(("quantity_", "reason_")):
                ind = int(key.split("_", 1)[1])
                if key.startswith("reason_"):
                    message = message.replace(
                        "请填写减少原因", "导入时无法填写减少原因，请在网页上填报该周报"
                    )
                errors.add(rows.get(ind, group.first_row), C_QTY, message)
            elif key == "as_of":
                errors.add(group.first_row, C_DATE, message)
            elif key == "investment_done":
                errors.add(group.investment[1] if group.investment else group.first_row, C_INVEST, message)
            elif key == "image_progress":
                errors.add(group.image[1] if group.image else group.first_row, C_IMAGE, message)
            elif key == "problems":
                errors.add(group.problems[1] if group.problems else group.first_row, C_PROBLEMS, message)
            else:
                errors.add(group.first_row, "", message)


def template_rows(*, user, as_of: datetime.date) -> list[list]:
    """Rows of a pre-filled 周报 sheet: every indicator of the projects the user reports on, with its
    current figure (for the download on the import page)."""
    out: list[list] = []
    projects = selectors.reportable_projects(user=user).prefetch_related("indicators").order_by("code")[:2000]
    figures: dict[int, Decimal] = {}
    for project in projects:
        unit = selectors.acting_unit(user=user, project=project)
        figures.update(
            {k: v[0] for k, v in selectors.latest_figures(project, as_of=as_of, unit=unit).items()}
        )
        for ind in project.indicators.all():
            out.append([project.code, as_of, ind.name, figures.get(ind.pk), None, "", "", unit.name])
    return out


def template_workbook(rows: list[list]):
    """An openpyxl workbook with the 周报 sheet (headers and rows)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADERS_WITH_UNIT)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    for col, width in zip("ABCDEFGH", (14, 12, 20, 14, 18, 40, 40, 20), strict=True):
        sheet.column_dimensions[col].width = width
    for (cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.number_format = "yyyy-mm-dd"
    return book


def grouped_errors(errors: list[CellError]) -> dict[int, list[CellError]]:
    out: dict[int, list[CellError]] = defaultdict(list)
    for e in errors:
        out[e.row or 0].append(e)
    return out
