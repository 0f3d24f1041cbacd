"""The ledger export carries the period plans (进度计划) of scheduled projects; the import ignores them."""

from python_calamine import CalamineWorkbook

from tiaodu.core.models import ChangeRecord
from tiaodu.demo.schedules import demo_tasks
from tiaodu.projects.ledger import ledger_export, ledger_import
from tiaodu.scheduling.selectors import PERIOD_PLAN_HEADERS, period_plan
from tiaodu.scheduling.services import tasks_replace


def test_it_exports_the_period_plan_sheet_and_reimports_without_change(district, tmp_path):
    admin = district.users["admin"]
    project = district.project
    tasks_replace(user=admin, project=project, tasks=demo_tasks(project), source="test")
    plan = period_plan(project)
    assert not plan.problem

    path = tmp_path / "ledger.xlsx"
    counts = ledger_export(user=admin, path_or_file=path)
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("进度计划").to_python()
    assert rows[0] == PERIOD_PLAN_HEADERS
    body = rows[1:]
    assert counts["period_plan_rows"] == len(body) > 0
    # Only the scheduled project appears, with its indicator and a month row among the periods.
    assert {r[0] for r in body} == {"ZD-001"}
    assert {r[2] for r in body} == {"拆迁面积"}
    assert "月" in {r[5] for r in body}
    # The last figure of each kind reaches the target (the whole quantity is planned).
    assert max(float(r[8]) for r in body) == 120000

    before = ChangeRecord.objects.count()
    result = ledger_import(user=admin, path_or_file=path, dry_run=False)
    assert not result.errors
    assert ChangeRecord.objects.count() == before


def test_it_leaves_the_period_plan_to_what_the_user_may_see(district, tmp_path):
    admin = district.users["admin"]
    tasks_replace(user=admin, project=district.project, tasks=demo_tasks(district.project), source="test")
    path = tmp_path / "outsider.xlsx"
    ledger_export(user=district.users["outsider"], path_or_file=path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("进度计划").to_python()
    assert rows[0] == PERIOD_PLAN_HEADERS
    assert all(r[0] != "ZD-001" for r in rows[1:])
