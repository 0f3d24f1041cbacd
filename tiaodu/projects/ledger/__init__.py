"""The project ledger (台账): one .xlsx workbook in, the same workbook out.

Four sheets with fixed header rows (the fourth, 属地分解, may be absent: shares stay as they are) (``HEADERS``). Import is all-or-nothing: the whole file is read,
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
- a status change on an existing project must be reachable by allowed steps (``status_reachable``);
- an indicator named in 属地分解 gets exactly the shares listed for it, summing to its target
  (``share_rows``); the share units become reporting units of the project.

The modules, in the order an import runs:
- ``schema``: sheet names, header rows, widths, labels of choices, the change-log views;
- ``cells``: the workbook read into rows of raw cells (sheets and headers checked);
- ``plan`` and ``rows``: what the database holds, and the rows checked and turned into plans;
- ``write``: the plan carried out with bulk statements and change records;
- ``importer``: ``ledger_import`` (read → plan → write);
- ``export``: ``ledger_export``, which takes extra sheet writers from higher layers (the 进度计划 sheet
  is written by ``tiaodu.scheduling.ledger_sheet``).
"""

from tiaodu.core.xlsx import check_xlsx
from tiaodu.projects.ledger.export import LedgerBook, SheetWriter, excel_number, ledger_export
from tiaodu.projects.ledger.importer import ledger_import
from tiaodu.projects.ledger.result import LedgerError, LedgerResult
from tiaodu.projects.ledger.schema import (
    HEADERS,
    KIND_LABELS,
    SHEET_INDICATORS,
    SHEET_PERIOD_PLAN,
    SHEET_PROJECTS,
    SHEET_SHARES,
    SHEET_UNITS,
    WIDTHS,
)

__all__ = [
    "HEADERS",
    "KIND_LABELS",
    "SHEET_INDICATORS",
    "SHEET_PERIOD_PLAN",
    "SHEET_PROJECTS",
    "SHEET_SHARES",
    "SHEET_UNITS",
    "WIDTHS",
    "LedgerBook",
    "LedgerError",
    "LedgerResult",
    "SheetWriter",
    "check_xlsx",
    "excel_number",
    "ledger_export",
    "ledger_import",
]
