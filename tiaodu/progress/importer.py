"""Bulk entry of weekly reports from an .xlsx workbook (sheet 周报), all or nothing.

Headers, exactly: 项目编号 | 截至日期 | 指标名称 | 累计完成量 | 累计完成投资(万元) | 形象进度 | 存在问题.
Rows with the same 项目编号 and 截至日期 form one report; investment, image progress and problems may stand
on any one of its rows (a row may carry them without an indicator). Each report is recorded as submitted
(已提交) through the same services as the web form, for the importing user's unit (the lead unit when
the office imports). A report of the same unit and date that exists already gets a new revision (its
indicators not in the file keep their figures); one whose figures are unchanged is left alone.

Any error anywhere and nothing is written; every error names the row and the column:
工作表「周报」第5行「累计完成量」：「拆迁面积」累计完成量不能小于0.
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tiaodu.progress import selectors, services
from tiaodu.progress.models import Report, ReportStatus
from tiaodu.projects.ledger import LedgerError, _Bad, _date, _text, check_xlsx
from tiaodu.projects.models import MONEY
from tiaodu.projects.selectors import project_list

SHEET = "周报"
HEADERS = ["项目编号", "截至日期", "指标名称", "累计完成量", "累计完成投资(万元)", "形象进度", "存在问题"]
C_CODE, C_DATE, C_INDICATOR, C_QTY, C_INVEST, C_IMAGE, C_PROBLEMS = HEADERS
ERRORS_KEPT = 1000


@dataclass
class ImportResult:
    errors: list[LedgerError] = field(default_factory=list)
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
        self.append(LedgerError(SHEET, row, column, message))


def _read(path_or_file, errors: _Errors) -> list[tuple[int, list]] | None:
    from python_calamine import CalamineWorkbook

    problem = check_xlsx(path_or_file)
    if problem:
        errors.append(LedgerError("", None, "", problem))
        return None
    try:
        if isinstance(path_or_file, str | os.PathLike):
            book = CalamineWorkbook.from_path(os.fspath(path_or_file))
        else:
            book = CalamineWorkbook.from_filelike(path_or_file)
    except Exception:  # calamine raises several error types for broken files
        errors.append(LedgerError("", None, "", "文件已损坏或不是有效的Excel工作簿（.xlsx），无法读取"))
        return None
    try:
        if SHEET not in book.sheet_names:
            errors.append(LedgerError("", None, "", f"缺少工作表「{SHEET}」"))
            return None
        rows = book.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    except Exception:
        errors.append(LedgerError("", None, "", "文件已损坏或不是有效的Excel工作簿（.xlsx），无法读取"))
        return None
    found = [_text(c) for c in rows[0]] if rows else []
    while found and not found[-1]:
        found.pop()
    if found != HEADERS:
        detail = ""
        for i, expected in enumerate(HEADERS):
            actual = found[i] if i < len(found) else ""
            if actual != expected:
                detail = f"（第{i + 1}列应为「{expected}」，实际为「{actual or '空'}」）"
                break
        else:
            detail = f"（多出第{len(HEADERS) + 1}列「{found[len(HEADERS)]}」）"
        errors.add(None, "", f"表头不正确，第1行应依次为：{' | '.join(HEADERS)}{detail}")
        return None
    out = []
    for index, row in enumerate(rows[1:], start=2):
        cells = list(row[: len(HEADERS)]) + [""] * (len(HEADERS) - len(row[: len(HEADERS)]))
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        out.append((index, cells))
    if not out:
        errors.add(None, "", "没有数据行")
        return None
    return out


@dataclass
class _Group:
    project: object
    as_of: datetime.date
    first_row: int
    figures: dict[int, tuple[Decimal, int]] = field(default_factory=dict)  # indicator id → (qty, row)
    investment: tuple[Decimal, int] | None = None
    image: tuple[str, int] | None = None
    problems: tuple[str, int] | None = None


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
    today = selectors.today()
    codes = {_text(cells[0]) for _row, cells in rows}
    projects = {
        p.code: p
        for p in project_list(user=user)
        .filter(code__in=codes)
        .select_related("lead_unit")
        .prefetch_related("indicators")
    }
    groups: dict[tuple[str, datetime.date], _Group] = {}
    for row, cells in rows:
        code = _text(cells[0])
        project = projects.get(code)
        if not code:
            errors.add(row, C_CODE, "不能为空")
        elif project is None:
            errors.add(row, C_CODE, f"项目编号「{code}」不存在或您无权查看")
        elif not selectors.report_can_submit(user=user, project=project):
            errors.add(row, C_CODE, f"您的单位不是项目「{code}」的填报单位，不能填报")
            project = None
        as_of = None
        try:
            as_of = _date(cells[1])
            if as_of is None:
                errors.add(row, C_DATE, "不能为空")
            elif as_of > today:
                errors.add(row, C_DATE, f"截至日期不能晚于今天（{today.year}年{today.month}月{today.day}日）")
                as_of = None
        except _Bad as exc:
            errors.add(row, C_DATE, f"{exc}，请按YYYY-MM-DD填写")
        name = _text(cells[2])
        indicator = None
        if name and project is not None:
            indicator = next((i for i in project.indicators.all() if i.name == name), None)
            if indicator is None:
                errors.add(row, C_INDICATOR, f"项目「{code}」没有名为「{name}」的指标")
        qty = None
        try:
            qty = _cell_number(cells[3], f"「{name}」累计完成量" if name else "累计完成量", services.QUANTITY)
        except ValueError as exc:
            errors.add(row, C_QTY, str(exc))
        else:
            if name and qty is None:
                errors.add(row, C_QTY, f"请填写「{name}」的累计完成量")
            if qty is not None and not name:
                errors.add(row, C_INDICATOR, "填写累计完成量时须填写指标名称")
        investment = None
        try:
            investment = _cell_number(cells[4], "累计完成投资(万元)", MONEY)
        except ValueError as exc:
            errors.add(row, C_INVEST, str(exc))
        image, problems = _text(cells[5]), _text(cells[6])
        if not name and qty is None and investment is None and not image and not problems:
            errors.add(
                row,
                C_INDICATOR,
                "本行没有可导入的内容（须填写指标名称和累计完成量，或投资、形象进度、存在问题）",
            )
        if project is None or as_of is None:
            continue
        group = groups.setdefault((project.code, as_of), _Group(project, as_of, row))
        if indicator is not None and qty is not None:
            if indicator.pk in group.figures:
                errors.add(
                    row,
                    C_INDICATOR,
                    f"指标「{name}」在同一周报中重复（第{group.figures[indicator.pk][1]}行已填写）",
                )
            else:
                group.figures[indicator.pk] = (qty, row)
        for attr, value, column in (
            ("investment", investment, C_INVEST),
            ("image", image or None, C_IMAGE),
            ("problems", problems or None, C_PROBLEMS),
        ):
            if value is None:
                continue
            current = getattr(group, attr)
            if current is not None and current[0] != value:
                errors.add(
                    row, column, f"同一周报的「{column}」只能填写一次（第{current[1]}行已填写不同内容）"
                )
            elif current is None:
                setattr(group, attr, (value, row))
    if errors:
        result.errors = sorted(
            errors, key=lambda e: (e.row or 0, HEADERS.index(e.column) if e.column in HEADERS else -1)
        )
        return result
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
    return result


def _record(*, user, group: _Group, result: ImportResult, source: str, errors: _Errors) -> None:
    project = group.project
    unit = selectors.acting_unit(user=user, project=project)
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
                report = services.report_save_draft(user=user, project=project, data=data, source=source)
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
        figures.update({k: v[0] for k, v in selectors.latest_figures(project, as_of=as_of).items()})
        for ind in project.indicators.all():
            out.append([project.code, as_of, ind.name, figures.get(ind.pk), None, "", ""])
    return out


def template_workbook(rows: list[list]):
    """An openpyxl workbook with the 周报 sheet (headers and rows)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for col, width in zip("ABCDEFG", (14, 12, 20, 14, 18, 40, 40), strict=True):
        sheet.column_dimensions[col].width = width
    for (cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.number_format = "yyyy-mm-dd"
    return book


def grouped_errors(errors: list[LedgerError]) -> dict[int, list[LedgerError]]:
    out: dict[int, list[LedgerError]] = defaultdict(list)
    for e in errors:
        out[e.row or 0].append(e)
    return out
