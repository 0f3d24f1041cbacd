"""The ledger users download carries the period plans (进度计划) of scheduled projects; the import ignores
them. The projects app writes its own sheets and those of the writers it is given."""

from django.core.management import call_command
from python_calamine import CalamineWorkbook

from tiaodu.core.models import ChangeRecord
from tiaodu.demo.schedules import demo_tasks
from tiaodu.projects.ledger import ledger_export, ledger_import
from tiaodu.scheduling.ledger_sheet import full_ledger_export
from tiaodu.scheduling.selectors import PERIOD_PLAN_HEADERS, period_plan
from tiaodu.scheduling.services import tasks_replace

# The money sheets the investment app registers (tiaodu.investment.ledger_funds).
MONEY = ["资金计划", "年度计划", "资金到位"]


def test_it_exports_the_period_plan_sheet_and_reimports_without_change(district, tmp_path):
    admin = district.users["admin"]
    project = district.project
    tasks_replace(user=admin, project=project, tasks=demo_tasks(project), source="test")
    plan = period_plan(project)
    assert not plan.problem

    path = tmp_path / "ledger.xlsx"
    counts = full_ledger_export(user=admin, path_or_file=path)
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
    full_ledger_export(user=district.users["outsider"], path_or_file=path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("进度计划").to_python()
    assert rows[0] == PERIOD_PLAN_HEADERS
    assert all(r[0] != "ZD-001" for r in rows[1:])


def test_it_writes_only_the_projects_sheets_without_the_scheduling_writer(district, tmp_path):
    admin = district.users["admin"]
    tasks_replace(user=admin, project=district.project, tasks=demo_tasks(district.project), source="test")
    path = tmp_path / "projects.xlsx"
    counts = ledger_export(user=admin, path_or_file=path)
    assert CalamineWorkbook.from_path(str(path)).sheet_names == [
        "单位",
        "项目",
        "目标指标",
        "属地分解",
        *MONEY,
    ]
    assert "period_plan_rows" not in counts


def test_it_adds_the_sheets_of_the_writers_it_is_given(district, tmp_path):
    seen = []

    def notes(book, projects):
        seen.extend(projects.order_by("code").values_list("code", flat=True))
        ws = book.add_sheet("说明", ["项目编号"], [14])
        ws.append(["随附"])
        return {"notes": 1}

    path = tmp_path / "extra.xlsx"
    counts = ledger_export(user=district.users["street"], path_or_file=path, extra_sheets=[notes])
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["单位", "项目", "目标指标", "属地分解", *MONEY, "说明"]
    assert book.get_sheet_by_name("说明").to_python() == [["项目编号"], ["随附"]]
    assert counts["notes"] == 1 and seen == ["ZD-001"]  # only the projects the street may see


def test_it_exports_the_full_workbook_from_the_command_line(district, tmp_path, capsys):
    admin = district.users["admin"]
    tasks_replace(user=admin, project=district.project, tasks=demo_tasks(district.project), source="test")
    path = tmp_path / "cli.xlsx"
    call_command("export_ledger", str(path))
    assert CalamineWorkbook.from_path(str(path)).sheet_names == [
        "单位",
        "项目",
        "目标指标",
        "属地分解",
        *MONEY,
        "进度计划",
    ]
    assert f"已导出 {path}：单位 8 个，项目 2 个，目标指标" in capsys.readouterr().out
