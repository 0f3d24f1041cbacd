"""The import's entry point: read, plan, and (unless a dry run or anything is wrong) write."""

from __future__ import annotations

from django.db import transaction

from tiaodu.core.errors import NotAllowed
from tiaodu.core.gcpause import without_gc
from tiaodu.projects.ledger import extensions
from tiaodu.projects.ledger.cells import read_sheets
from tiaodu.projects.ledger.plan import Planner
from tiaodu.projects.ledger.result import ErrorList, LedgerResult
from tiaodu.projects.ledger.rows import plan_indicators, plan_projects, plan_units
from tiaodu.projects.ledger.schema import PEOPLE_SAMPLE
from tiaodu.projects.ledger.share_rows import plan_shares, share_counts, share_samples
from tiaodu.projects.ledger.write import write_plan
from tiaodu.projects.permissions import ledger_can_import


@without_gc  # ~10⁶ short-lived objects without reference cycles: collections would free nothing
def ledger_import(*, user, path_or_file, dry_run: bool = False) -> LedgerResult:
    """Check the ledger and, unless dry_run or anything is wrong, write it (all or nothing).

    `user` None means the system (the command line without --user); otherwise the user must manage all.
    """
    if user is not None and not ledger_can_import(user=user):
        raise NotAllowed("只有领导小组办公室或系统管理员可以导入台账")
    result = LedgerResult(dry_run=dry_run)
    errors = ErrorList()
    sheets = read_sheets(path_or_file, errors)
    if sheets is None:
        result.errors = list(errors)
        return result
    if dry_run:
        _plan(sheets, errors, result)
        return result
    with transaction.atomic():
        planner = _plan(sheets, errors, result)
        if planner is None:
            return result
        result.records = write_plan(planner, user=user)
        result.written = True
    return result


def _plan(sheets, errors: ErrorList, result: LedgerResult) -> Planner | None:
    """Plan the import into `result` (errors, counts, samples); the planner when there is no error."""
    planner = Planner(sheets, errors)
    plan_units(planner)
    plan_projects(planner)
    plan_indicators(planner)
    plan_shares(planner)
    extra_counts: dict[str, int] = {}
    for sheet in extensions.registered():  # the optional sheets of the apps above (资金计划, …)
        planner.extra_plans[sheet.name] = plan = sheet.plan(planner, planner.sheets.get(sheet.name, []))
        extra_counts.update(sheet.counts(plan))
    result.errors = list(errors)
    result.counts = {**planner.counts(), **share_counts(planner), **extra_counts}
    result.changes = {**planner.samples(), "share": share_samples(planner)}
    result.new_people = [
        {"name": p.name, "unit": p.unit} for p in list(planner.new_people.values())[:PEOPLE_SAMPLE]
    ]
    return planner if not errors else None
