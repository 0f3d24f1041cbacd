"""Optional ledger sheets that belong to the apps above projects (dependency inversion, like panels.py).

projects may not import investment (the layer order), yet the ledger carries its 资金计划, 年度计划 and 资金到位
sheets. An app above registers an ``ExtraSheet`` from its AppConfig.ready(): its name and exact header row,
and three callbacks —

* ``plan(planner, rows)``: check the sheet's data rows (Excel row number, cells) after the projects,
  indicators and shares are planned; add every error to ``planner.errors`` naming sheet, row and column
  (a project code in the same ledger counts: ``planner.file_codes``); return the sheet's plan;
* ``write(planner, plan, user)``: carry the plan out with bulk statements inside the import's transaction,
  after the projects are written (``planner.existing_projects`` maps every code to its saved project: a
  ``Project``, or a ``plan.NewProject`` — key, code, name, status — for one this import created);
  return the unsaved change records (source "import"), written with the ledger's own;
* ``export(book, projects)``: add the sheet for the projects the user may see; return its row counts.

``counts(plan)`` gives the preview's counts (merged into LedgerResult.counts; the keys in ``change_counts``
make the import count as a change) and ``summary(counts)`` the preview's line. The sheets are optional on
import (absent: nothing of theirs changes) and all or nothing with the rest of the ledger.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ExtraSheet:
    name: str
    headers: Sequence[str]
    widths: Sequence[int]
    plan: Callable[..., Any]
    write: Callable[..., list]
    export: Callable[..., dict[str, int]]
    counts: Callable[[Any], dict[str, int]] = lambda plan: {}
    summary: Callable[[dict[str, int]], str | None] = lambda counts: None
    change_counts: tuple[str, ...] = field(default=())


_sheets: dict[str, ExtraSheet] = {}


def register(sheet: ExtraSheet) -> ExtraSheet:
    """Add (or replace, by name) an optional ledger sheet."""
    _sheets[sheet.name] = sheet
    return sheet


def registered() -> tuple[ExtraSheet, ...]:
    return tuple(_sheets.values())


def headers() -> dict[str, list[str]]:
    return {s.name: list(s.headers) for s in _sheets.values()}


def change_counts() -> tuple[str, ...]:
    return tuple(k for s in _sheets.values() for k in s.change_counts)
