"""Writing the ledger: the sheets 单位, 项目 and 目标指标 of what the user may see (openpyxl, write-only),
plus any sheets the caller adds.

Higher layers add their own read-only sheets by passing writers (``extra_sheets``): a writer gets the
``LedgerBook`` and the projects the user may see and returns its row counts. The 进度计划 sheet is such a
writer, in ``tiaodu.scheduling.ledger_sheet``; the import ignores sheets it does not know.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.db.models import QuerySet

from tiaodu.core.xlsx import append_row
from tiaodu.orgs.models import Person, Unit, UnitType
from tiaodu.projects.ledger import extensions
from tiaodu.projects.ledger.schema import (
    HEADERS,
    SHEET_INDICATORS,
    SHEET_PROJECTS,
    SHEET_SHARES,
    SHEET_UNITS,
    WIDTHS,
)
from tiaodu.projects.models import Category, Indicator, IndicatorShare, Project, ProjectStatus, ProjectType
from tiaodu.projects.selectors import project_list


class LedgerBook:
    """The exported workbook (write-only): sheets with the ledger's frozen, bold, shaded header row."""

    def __init__(self):
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill

        self.book = Workbook(write_only=True)
        self._bold = Font(bold=True)
        self._fill = PatternFill("solid", fgColor="F2F2F2")
        self._center = Alignment(horizontal="center", vertical="center")

    def add_sheet(self, title: str, headers: Sequence[str], widths: Sequence[int]):
        """A new write-only sheet with its header row; append the data rows to it."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter

        ws = self.book.create_sheet(title)
        ws.freeze_panes = "A2"
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        header = []
        for text in headers:
            cell = WriteOnlyCell(ws, value=None)
            cell.value = text
            cell.data_type = "s"
            cell.font, cell.fill, cell.alignment = self._bold, self._fill, self._center
            header.append(cell)
        ws.append(header)
        return ws

    def save(self, path_or_file) -> None:
        self.book.save(path_or_file)


# A writer of an extra sheet: (book, the projects the user may see) -> its row counts.
SheetWriter = Callable[[LedgerBook, QuerySet], dict[str, int]]


def excel_number(value: Decimal | None):
    """A Decimal as the number Excel shows: an int when whole, else a float; None stays empty."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def ledger_export(*, user, path_or_file, extra_sheets: Sequence[SheetWriter] = ()) -> dict[str, int]:
    """Write the ledger of what the user may see (everything when user is None), then the extra
    sheets; the row counts of every sheet."""
    projects = Project.objects.all() if user is None else project_list(user=user)
    units = list(Unit.objects.all())
    unit_names = {u.pk: u.name for u in units}
    book = LedgerBook()
    counts = {
        "units": _write_units(book, units, unit_names),
        "projects": _write_projects(book, projects, unit_names),
        "indicators": _write_indicators(book, projects),
        "shares": _write_shares(book, projects, unit_names),
    }
    for sheet in extensions.registered():  # the optional sheets of the apps above (资金计划, …)
        counts.update(sheet.export(book, projects))
    for writer in extra_sheets:
        counts.update(writer(book, projects))
    book.save(path_or_file)
    return counts


def _write_units(book: LedgerBook, units: list[Unit], unit_names: dict[int, str]) -> int:
    ws = book.add_sheet(SHEET_UNITS, HEADERS[SHEET_UNITS], WIDTHS[SHEET_UNITS])
    for u in units:
        append_row(ws, [u.name, str(UnitType(u.type).label), unit_names.get(u.parent_id)])
    return len(units)


_PROJECT_COLUMNS = (
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


def _territorial_names(projects: QuerySet, unit_names: dict[int, str]) -> dict[int, list[str]]:
    through = Project.territorial_units.through
    territorial: dict[int, list[str]] = defaultdict(list)
    for project_id, unit_id in (
        through.objects.filter(project__in=projects.values("pk"))
        .order_by("id")
        .values_list("project_id", "unit_id")
    ):
        territorial[project_id].append(unit_names[unit_id])
    return territorial


def _write_projects(book: LedgerBook, projects: QuerySet, unit_names: dict[int, str]) -> int:
    territorial = _territorial_names(projects, unit_names)
    people = dict(Person.objects.values_list("id", "name"))
    categories = dict(Category.objects.values_list("id", "name"))
    type_labels = {v: str(label) for v, label in ProjectType.choices}
    status_labels = {v: str(label) for v, label in ProjectStatus.choices}
    ws = book.add_sheet(SHEET_PROJECTS, HEADERS[SHEET_PROJECTS], WIDTHS[SHEET_PROJECTS])
    count = 0
    rows = projects.order_by("code").values_list(*_PROJECT_COLUMNS)
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
        append_row(
            ws,
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
                excel_number(money),
                description or None,
                status_labels[status],
                excel_number(lon),
                excel_number(lat),
            ],
        )
        count += 1
    return count


def _write_indicators(book: LedgerBook, projects: QuerySet) -> int:
    ws = book.add_sheet(SHEET_INDICATORS, HEADERS[SHEET_INDICATORS], WIDTHS[SHEET_INDICATORS])
    indicators = (
        Indicator.objects.filter(project__in=projects.values("pk"))
        .order_by("project__code", "sort_order", "id")
        .values_list("project__code", "name", "unit_of_measure", "target")
    )
    count = 0
    for code, name, uom, target in indicators.iterator(chunk_size=5000):
        append_row(ws, [code, name, uom, excel_number(target)])
        count += 1
    return count


def _write_shares(book: LedgerBook, projects: QuerySet, unit_names: dict[int, str]) -> int:
    """The 属地分解 sheet: each split indicator's shares (the sheet with its header alone when none is split)."""
    ws = book.add_sheet(SHEET_SHARES, HEADERS[SHEET_SHARES], WIDTHS[SHEET_SHARES])
    shares = (
        IndicatorShare.objects.filter(indicator__project__in=projects.values("pk"))
        .order_by(
            "indicator__project__code",
            "indicator__sort_order",
            "indicator_id",
            "unit__sort_order",
            "unit__name",
        )
        .values_list("indicator__project__code", "indicator__name", "unit_id", "target")
    )
    count = 0
    for code, name, unit_id, target in shares.iterator(chunk_size=5000):
        append_row(ws, [code, name, unit_names[unit_id], excel_number(target)])
        count += 1
    return count
