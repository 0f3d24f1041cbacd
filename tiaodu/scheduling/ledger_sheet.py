"""The ledger's 进度计划 sheet: the period plans (季、月、旬) of the scheduled projects, read-only.

The projects app writes the ledger's own sheets and takes extra sheet writers from its caller; this
module is such a writer, and ``full_ledger_export`` is the workbook users download (the page and the
``export_ledger`` command): 单位, 项目, 目标指标, then 进度计划. The import ignores this sheet.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from tiaodu.core.xlsx import append_row
from tiaodu.projects.ledger import SHEET_PERIOD_PLAN, LedgerBook, excel_number, ledger_export
from tiaodu.scheduling.selectors import PERIOD_PLAN_HEADERS, period_plan_rows

PERIOD_PLAN_WIDTHS = [14, 30, 16, 8, 12, 8, 16, 12, 14, 10, 8, 10]


def write_period_plan_sheet(book: LedgerBook, projects: QuerySet) -> dict[str, int]:
    """Add the sheet 进度计划 for the given projects (those the user may see); its row count."""
    ws = book.add_sheet(SHEET_PERIOD_PLAN, PERIOD_PLAN_HEADERS, PERIOD_PLAN_WIDTHS)
    scheduled = projects.filter(schedule_tasks__isnull=False).distinct().order_by("code")
    count = 0
    for row in period_plan_rows(scheduled):
        append_row(ws, [excel_number(v) if isinstance(v, Decimal) else v for v in row])
        count += 1
    return {"period_plan_rows": count}


def full_ledger_export(*, user, path_or_file) -> dict[str, int]:
    """The ledger as users download it: the projects' sheets and the 进度计划 sheet; the row counts."""
    return ledger_export(user=user, path_or_file=path_or_file, extra_sheets=[write_period_plan_sheet])
