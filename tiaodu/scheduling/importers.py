"""Reading schedule files: the .xlsx sheet 计划, and MS Project / Primavera P6 files through mpxj (mpxj_open).

Every reader returns ImportedTask rows or raises ScheduleFileError with every problem found, each a
CellError (the importers' one cell-error type, tiaodu.core.xlsx) naming the sheet, row and column like
the ledger import: `工作表「计划」第3行「紧前任务」：未知任务「9」`.
"""

from __future__ import annotations

import os
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from tiaodu.core.xlsx import (
    NOT_XLSX,
    CellError,
    append_row,
    control_problems,
    data_rows,
    decimal,
    header_row,
    integer,
    open_workbook,
    sheet_rows,
    text,
)
from tiaodu.projects.models import QUANTITY, Indicator, Project
from tiaodu.scheduling import engine
from tiaodu.scheduling.models import MAX_DURATION, MAX_LAG
from tiaodu.scheduling.selectors import predecessors_text, project_tasks

if TYPE_CHECKING:
    from tiaodu.scheduling.mpxj_open import OpenedFile

SHEET = "计划"
HEADERS = ["任务编号", "任务名称", "工期(工作日)", "紧前任务", "关联指标", "工程量"]
MAX_ERRORS = 200
MAX_TASKS = 20000
FORMATS = {
    ".xlsx": "Excel 工作表「计划」",
    ".mpp": "MS Project",
    ".mpx": "MS Project MPX",
    ".xml": "MS Project XML (MSPDI) 或 Primavera P6 XML",
    ".xer": "Primavera P6 XER",
    ".pmxml": "Primavera P6 XML",
}


@dataclass(frozen=True)
class ExactLag:
    """A link's lag as the file states it (the engine.Link's `lag` is it rounded to days)."""

    minutes: int
    elapsed: bool = False
    percent: float | None = None


@dataclass
class ImportedTask:
    """One task read from a schedule file, already checked."""

    row: int | str
    code: str
    name: str
    duration: int
    links: list[engine.Link]
    indicator: Indicator | None = None
    quantity: Decimal | None = None
    key: str = ""  # the file's stable identity (Task.source_key); "" for .xlsx rows
    detail: dict | None = None  # the file's scheduling semantics (Task.detail)
    exact_lags: list[ExactLag | None] = field(default_factory=list)  # beside `links`, same order


@dataclass
class ScheduleRead:
    tasks: list[ImportedTask]
    notices: list[str] = field(default_factory=list)
    # .xlsx states each task's indicator and quantity; MS Project / P6 files do not (kept by identity).
    carries_indicators: bool = True
    file_format: str = "Excel 工作表「计划」"
    project_name: str = ""
    file_data: dict | None = None  # ProjectSchedule.file_data (calendars, summaries, data date)
    counts: dict[str, int] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    file_finish: str | None = None  # ISO datetime of the file's own finish
    file_critical: list[str] | None = None  # codes the file marks critical (None: it does not say)


class ScheduleFileError(ValueError):
    def __init__(self, errors: list[CellError]):
        self.errors = errors[:MAX_ERRORS]
        self.truncated = len(errors) > MAX_ERRORS
        super().__init__("\n".join(str(e) for e in self.errors))

    @property
    def messages(self) -> list[str]:
        out = [str(e) for e in self.errors]
        if self.truncated:
            out.append(f"错误过多，仅列出前{MAX_ERRORS}条")
        return out


def read_schedule_file(
    path: str | os.PathLike,
    *,
    project: Project,
    filename: str | None = None,
    choice: str | None = None,
) -> ScheduleRead:
    """Read any supported file, chosen by its content (a renamed file is read as what it is).

    `choice` is the project to take from a file that holds several (see mpxj_open.ProjectChoiceNeeded).
    """
    from tiaodu.scheduling.mpxj_open import open_file  # mpxj_open imports this module

    name = filename or os.fspath(path)
    if _sniff(path, Path(name).suffix.lower()) == ".xlsx":
        return read_xlsx(path, project=project)
    opened = open_file(path, filename=Path(name).name, choice=choice)
    return read_mpxj(path, project=project, opened=opened)


def _sniff(path, ext: str = "") -> str:
    """ ".xlsx" for an Excel workbook, a zip file that cannot be opened, or a file named .xlsx that is no
    schedule file mpxj reads (read_xlsx explains it); else "" (opened by mpxj_open)."""
    from tiaodu.scheduling.mpxj_open import sniff

    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
        if not head.startswith(b"PK"):
            return ".xlsx" if ext == ".xlsx" and sniff(head) in ("empty", "xml", "text", "binary") else ""
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return ".xlsx"
    return ".xlsx" if any(n.startswith("xl/") for n in names) else ""


# --- Excel ----------------------------------------------------------------------------------------


def _norm_header(raw) -> str:
    return str(raw or "").strip().replace("（", "(").replace("）", ")").replace(" ", "")


def read_xlsx(path, *, project: Project) -> ScheduleRead:
    rows = _plan_sheet_rows(path)
    indicators = _indicator_labels(project)
    errors: list[CellError] = []
    first_row: dict[str, int] = {}
    parsed = []
    problems = control_problems(SHEET, HEADERS, data_rows(rows, len(HEADERS)))
    if problems:
        raise ScheduleFileError(problems)
    for index, cells in data_rows(rows, len(HEADERS)):
        parsed.append(_xlsx_row(index, cells, indicators, first_row, errors))
        if len(parsed) > MAX_TASKS:
            raise ScheduleFileError([CellError(SHEET, None, "", f"任务超过{MAX_TASKS}项，请拆分后导入")])
    if not parsed and not errors:
        raise ScheduleFileError([CellError(SHEET, None, "", "没有任务；请从第2行起每行填写一项任务")])
    known_codes = set(first_row)
    tasks: list[ImportedTask] = []
    for index, code, name, duration, links_text, indicator, quantity in parsed:
        links = _links(links_text, known_codes, code, index, errors)
        tasks.append(ImportedTask(index, code, name, duration or 0, links, indicator, quantity))
    if errors:
        errors.sort(key=lambda e: (e.row or 0, HEADERS.index(e.column) if e.column in HEADERS else 99))
        raise ScheduleFileError(errors)
    _check_cycles(tasks, sheet=SHEET)
    links = sum(len(t.links) for t in tasks)
    return ScheduleRead(tasks, [], counts={"任务": len(tasks), "摘要任务": 0, "依赖": links})


def _plan_sheet_rows(path) -> list[list]:
    """The rows of the sheet 计划, its header row checked."""
    try:
        workbook = open_workbook(path, check=False, broken=NOT_XLSX)
    except CellError as e:
        raise ScheduleFileError([e])
    if SHEET not in workbook.sheet_names:
        raise ScheduleFileError(
            [CellError(message=f"缺少工作表「{SHEET}」（现有：{'、'.join(workbook.sheet_names)}）")]
        )
    rows = sheet_rows(workbook, SHEET)
    if not rows:
        raise ScheduleFileError([CellError(SHEET, None, "", "工作表是空的")])
    header = header_row(rows[0], clean=_norm_header)
    if header != HEADERS:
        raise ScheduleFileError(
            [
                CellError(
                    SHEET,
                    1,
                    "",
                    f"表头不正确，第1行应依次为：{' | '.join(HEADERS)}（现为：{' | '.join(header) or '空'}）",
                )
            ]
        )
    return rows


def _indicator_labels(project: Project) -> tuple[dict[str, Indicator], dict[str, Indicator]]:
    """The project's indicators by name, and by "name（unit）" / "name(unit)"."""
    by_name = {i.name: i for i in Indicator.objects.filter(project=project)}
    labels = {f"{i.name}（{i.unit_of_measure}）": i for i in by_name.values()}
    labels.update({f"{i.name}({i.unit_of_measure})": i for i in by_name.values()})
    return by_name, labels


def _xlsx_row(index: int, cells: list, indicators, first_row: dict[str, int], errors: list[CellError]):
    """(row, code, name, duration, links text, indicator, quantity) of one task row; errors added."""

    def err(column: str, message: str) -> None:
        errors.append(CellError(SHEET, index, column, message))

    code, name = text(cells[0]), text(cells[1])
    if not code:
        err("任务编号", "不能为空")
    elif len(code) > 50:
        err("任务编号", "不能超过50个字符")
    elif any(ch in code for ch in ",，、;；"):
        err("任务编号", f"「{code}」不能包含逗号、顿号或分号")
    elif code in first_row:
        err("任务编号", f"任务编号「{code}」重复（第{first_row[code]}行已出现）")
    else:
        first_row[code] = index
    if not name:
        err("任务名称", "不能为空")
    elif len(name) > 200:
        err("任务名称", "不能超过200个字符")
    duration = _duration(cells[2])
    if duration is None:
        err(
            "工期(工作日)",
            f"应为0到{MAX_DURATION}之间的整数（0表示里程碑），现为「{text(cells[2]) or '空'}」",
        )
    indicator, quantity = _indicator_and_quantity(cells[4], cells[5], indicators, err)
    return (index, code, name, duration, text(cells[3]), indicator, quantity)


def _indicator_and_quantity(indicator_cell, quantity_cell, indicators, err):
    by_name, labels = indicators
    indicator = None
    indicator_text = text(indicator_cell)
    if indicator_text:
        indicator = by_name.get(indicator_text) or labels.get(indicator_text)
        if indicator is None:
            known = "、".join(by_name) or "无"
            err("关联指标", f"本项目没有指标「{indicator_text}」（现有指标：{known}）")
    quantity = None
    quantity_text = text(quantity_cell)
    if quantity_text:
        quantity = _quantity(quantity_cell)
        if quantity is None:
            err("工程量", f"应为不小于0的数字，现为「{quantity_text}」")
    if indicator_text and not quantity_text:
        err("工程量", "填写关联指标时须填写工程量")
    if quantity_text and not indicator_text:
        err("关联指标", "填写工程量时须填写关联指标")
    return indicator, quantity


def _duration(raw) -> int | None:
    """Working days, 0 to MAX_DURATION; None when empty or wrong."""
    try:
        value = integer(raw)
    except CellError:
        return None
    if value is None or not 0 <= value <= MAX_DURATION:
        return None
    return value


def _quantity(raw) -> Decimal | None:
    """A quantity of at least 0, rounded to the model's places; None when wrong."""
    try:
        return decimal(
            raw, places=QUANTITY["decimal_places"], max_digits=QUANTITY["max_digits"], nonnegative=True
        )
    except CellError:
        return None


def _links(
    links_text: str, known: set[str], code: str, row: int, errors: list[CellError]
) -> list[engine.Link]:
    column = "紧前任务"
    try:
        links = engine.parse_links(links_text, known=known)
    except ValueError as exc:
        errors.append(CellError(SHEET, row, column, str(exc)))
        return []
    seen: set[tuple[str, str]] = set()
    out = []
    for link in links:
        if link.predecessor not in known:
            errors.append(CellError(SHEET, row, column, f"未知任务「{link.predecessor}」"))
        elif link.predecessor == code:
            errors.append(CellError(SHEET, row, column, f"任务不能以自身「{code}」为紧前任务"))
        elif (link.predecessor, link.type) in seen:
            errors.append(CellError(SHEET, row, column, f"紧前任务「{link.predecessor}」重复"))
        elif abs(link.lag) > MAX_LAG:
            errors.append(CellError(SHEET, row, column, f"「{engine.format_link(link)}」的间隔过大"))
        else:
            seen.add((link.predecessor, link.type))
            out.append(link)
    return out


def _check_cycles(tasks: list[ImportedTask], *, sheet: str = "") -> None:
    try:
        engine.schedule([engine.TaskIn(t.code, t.duration, t.links, row=t.row) for t in tasks], 0)
    except engine.ScheduleError as exc:
        raise ScheduleFileError([CellError(sheet, None, "", str(exc))])


def template_workbook(project: Project | None = None):
    """An openpyxl workbook with the sheet 计划 (the project's current tasks, or an example)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    rows = []
    if project is not None:
        for t in project_tasks(project):
            rows.append(
                [
                    t.code,
                    t.name,
                    t.duration,
                    predecessors_text(t),
                    t.indicator.name if t.indicator_id else "",
                    float(t.quantity) if t.quantity is not None else None,
                ]
            )
    if not rows:
        rows = [
            ["1", "征收拆迁", 60, "", "", None],
            ["2", "施工图设计", 30, "1SS+10", "", None],
            ["3", "施工招标", 20, "2", "", None],
            ["4", "道路施工", 120, "3、1FF+5", "", None],
            ["5", "竣工验收", 0, "4", "", None],
        ]
    for row in rows:
        append_row(ws, row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center")
    for column, width in zip("ABCDEF", (10, 30, 12, 24, 16, 12), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("说明")
    for line in (
        ["任务编号", "本项目内唯一，如 1、2、A10"],
        ["工期(工作日)", "整数；0 表示里程碑"],
        ["紧前任务", "以逗号或顿号分隔，每项为任务编号加可选的类型和间隔：3、3FS、3SS+2、4FF-1、5SF"],
        ["类型", "FS 完成-开始（默认）；SS 开始-开始；FF 完成-完成；SF 开始-完成；间隔为工作日，可为负数"],
        ["关联指标", "本项目目标指标的名称，可不填"],
        ["工程量", "本任务完成的关联指标数量，按工作日均匀计入季、月、旬进度计划"],
    ):
        notes.append(line)
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 90
    return wb


# --- MS Project XML and Primavera XER through mpxj ------------------------------------------------

_JVM_LOCK = threading.Lock()


def start_jvm():
    """Start the JVM with mpxj on the class path (once per process)."""
    with _JVM_LOCK:
        import jpype
        import mpxj  # noqa: F401 — adds the mpxj jars to the class path

        if not jpype.isJVMStarted():
            jpype.startJVM(
                "-Xmx1g",
                "-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
                convertStrings=False,
            )
    return jpype


def read_mpxj(path, *, project: Project, opened: OpenedFile) -> ScheduleRead:
    """Tasks, durations, links and the file's scheduling semantics of the project mpxj_open.open_file
    chose; the mapping is tiaodu.scheduling.file_import's."""
    from tiaodu.scheduling import file_import, mpxj_extract

    fp = mpxj_extract.extract(opened.project_file)
    return file_import.read_file_project(fp, file_format=opened.format_label)


def save_upload(uploaded) -> str:
    """Write an uploaded file to a temporary path (the caller deletes it)."""
    suffix = Path(uploaded.name or "").suffix.lower()
    fd, tmp = tempfile.mkstemp(suffix=suffix if suffix in FORMATS else "")
    with os.fdopen(fd, "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    return tmp
