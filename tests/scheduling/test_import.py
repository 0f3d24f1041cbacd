"""Importing schedules: the .xlsx sheet 计划 (all or nothing), MS Project XML and Primavera XER."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.scheduling.conftest import write_plan
from tiaodu.core.audit import history_for
from tiaodu.scheduling.importers import ScheduleFileError
from tiaodu.scheduling.models import Dependency, Task
from tiaodu.scheduling.selectors import predecessors_text, project_schedule, project_tasks
from tiaodu.scheduling.services import schedule_import

pytestmark = pytest.mark.django_db

GOOD = [
    ["1", "征收拆迁", 20, "", "拆迁面积", 120000],
    ["2", "施工图设计", 15, "1SS+5", "", None],
    ["3", "道路施工", 60, "2、1FF+10", "", None],
    ["4", "绿化", 10, "3SF-5", "", None],
    ["5", "竣工验收", 0, "3,4", "", None],
]


def test_it_imports_the_plan_sheet(district, plan_file):
    path = plan_file(GOOD)
    count, notices = schedule_import(
        user=district.users["hq"], project=district.project, path=path, filename="计划.xlsx"
    )
    assert count == 5 and notices == []
    tasks = project_tasks(district.project)
    assert [t.code for t in tasks] == ["1", "2", "3", "4", "5"]
    assert [predecessors_text(t) for t in tasks] == ["", "1SS+5", "2、1FF+10", "3SF-5", "3、4"]
    first = tasks[0]
    assert first.indicator.name == "拆迁面积" and first.quantity == Decimal("120000")
    assert tasks[4].duration == 0
    record = history_for(district.project).first()
    assert record.object_repr == "ZD-001工期计划"
    assert record.changes["任务数"] == ["0", "5"]
    assert record.changes["导入文件"] == ["", "计划.xlsx"]


def test_it_replaces_the_previous_tasks(district, plan_file):
    schedule_import(user=district.users["hq"], project=district.project, path=plan_file(GOOD))
    schedule_import(
        user=district.users["hq"],
        project=district.project,
        path=plan_file([["A", "新任务", 3, "", "", None]]),
    )
    assert list(Task.objects.filter(project=district.project).values_list("code", flat=True)) == ["A"]
    assert Dependency.objects.count() == 0
    assert history_for(district.project).first().changes["任务数"] == ["5", "1"]


def messages_of(district, path):
    with pytest.raises(ScheduleFileError) as err:
        schedule_import(user=district.users["hq"], project=district.project, path=path)
    return err.value.messages


def test_it_names_row_and_column_of_an_unknown_predecessor(district, plan_file):
    rows = [["1", "拆迁", 5, "", "", None], ["2", "施工", 5, "9", "", None]]
    assert messages_of(district, plan_file(rows)) == ["工作表「计划」第3行「紧前任务」：未知任务「9」"]
    assert not Task.objects.exists()


def test_it_writes_nothing_and_lists_every_error(district, plan_file):
    schedule_import(
        user=district.users["hq"],
        project=district.project,
        path=plan_file([["X", "原任务", 1, "", "", None]]),
    )
    rows = [
        ["1", "拆迁", "五", "", "", None],
        ["1", "", 3.5, "2XX+1", "", None],
        ["3", "施工", -1, "1、1", "不存在的指标", "很多"],
        ["4", "绿化", 2, "", "拆迁面积", None],
    ]
    messages = messages_of(district, plan_file(rows))
    assert (
        "工作表「计划」第2行「工期(工作日)」：应为0到10000之间的整数（0表示里程碑），现为「五」" in messages
    )
    assert "工作表「计划」第3行「任务编号」：任务编号「1」重复（第2行已出现）" in messages
    assert "工作表「计划」第3行「任务名称」：不能为空" in messages
    assert "工作表「计划」第3行「紧前任务」：未知任务「2XX」" in messages
    assert (
        "工作表「计划」第4行「工期(工作日)」：应为0到10000之间的整数（0表示里程碑），现为「-1」" in messages
    )
    assert "工作表「计划」第4行「紧前任务」：紧前任务「1」重复" in messages
    assert any(
        m.startswith("工作表「计划」第4行「关联指标」：本项目没有指标「不存在的指标」") for m in messages
    )
    assert "工作表「计划」第4行「工程量」：应为不小于0的数字，现为「很多」" in messages
    assert "工作表「计划」第5行「工程量」：填写关联指标时须填写工程量" in messages
    assert list(Task.objects.values_list("code", flat=True)) == ["X"]


def test_it_refuses_a_cycle_naming_its_tasks(district, plan_file):
    rows = [["1", "a", 1, "3", "", None], ["2", "b", 1, "1", "", None], ["3", "c", 1, "2", "", None]]
    assert messages_of(district, plan_file(rows)) == ["工作表「计划」：任务之间存在循环依赖：1 → 2 → 3 → 1"]


def test_it_checks_the_sheet_and_headers(district, tmp_path):
    wrong_sheet = write_plan(tmp_path / "a.xlsx", [["1", "a", 1, "", "", None]], sheet="Sheet1")
    assert messages_of(district, wrong_sheet) == ["缺少工作表「计划」（现有：Sheet1）"]
    headers = ["编号", "任务名称", "工期(工作日)", "紧前任务", "关联指标", "工程量"]
    wrong_headers = write_plan(tmp_path / "b.xlsx", [], headers=headers)
    assert messages_of(district, wrong_headers)[0].startswith(
        "工作表「计划」第1行：表头不正确，第1行应依次为：任务编号 | 任务名称"
    )
    not_excel = tmp_path / "c.xlsx"
    not_excel.write_text("hello")
    assert "不是Excel工作簿" in messages_of(district, not_excel)[0]
    unknown = tmp_path / "d.pdf"
    unknown.write_text("%PDF")
    assert messages_of(district, unknown)[0].startswith("「d.pdf」的内容是 PDF 文档，不是计划文件")


def test_it_accepts_full_width_brackets_in_the_duration_header(district, tmp_path):
    headers = ["任务编号", "任务名称", "工期（工作日）", "紧前任务", "关联指标", "工程量"]
    path = write_plan(tmp_path / "a.xlsx", [["1", "a", 1, "", "", None]], headers=headers)
    assert schedule_import(user=district.users["hq"], project=district.project, path=path)[0] == 1


def test_it_lets_only_editors_import(district, plan_file):
    from tiaodu.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        schedule_import(user=district.users["dept"], project=district.project, path=plan_file(GOOD))
    assert (
        schedule_import(user=district.users["street"], project=district.project, path=plan_file(GOOD))[0] == 5
    )


def test_it_imports_from_the_command_line(district, plan_file, capsys):
    call_command("import_schedule", "ZD-001", str(plan_file(GOOD)))
    assert "已导入 5 项任务" in capsys.readouterr().out
    assert history_for(district.project).first().user_name == "系统"


def test_it_reports_errors_on_the_command_line(district, plan_file, capsys):
    rows = [["1", "拆迁", 5, "", "", None], ["2", "施工", 5, "9", "", None]]
    with pytest.raises(CommandError, match="导入失败：共1处错误"):
        call_command("import_schedule", "ZD-001", str(plan_file(rows)))
    assert "工作表「计划」第3行「紧前任务」：未知任务「9」" in capsys.readouterr().err
    with pytest.raises(CommandError, match="项目不存在或无权查看：NOPE"):
        call_command("import_schedule", "NOPE", str(plan_file(rows)))
    with pytest.raises(CommandError, match="无权修改"):
        call_command("import_schedule", "ZD-001", str(plan_file(GOOD)), user="dept")


def test_it_asks_for_the_project_of_a_two_project_file_on_the_command_line(district, tmp_path, capsys):
    from tests.scheduling import mpxj_files

    two = [("P1", "一期工程", mpxj_files.NETWORK), ("P2", "二期工程", mpxj_files.CYRILLIC)]
    path = mpxj_files.write_xer(tmp_path / "总进度.xer", charset="UTF-8", projects=two)
    with pytest.raises(CommandError, match="文件包含2个项目，请选择要导入的项目：请用 --project 指定"):
        call_command("import_schedule", "ZD-001", str(path))
    err = capsys.readouterr().err
    assert "--project P1" in err and "（4项任务）" in err and "--project P2" in err
    assert not Task.objects.filter(project=district.project).exists()
    call_command("import_schedule", "ZD-001", str(path), choice="P2")
    assert "已导入 2 项任务" in capsys.readouterr().out
    assert [t.name for t in project_tasks(district.project)] == ["Подготовка площадки", "Монтаж опор"]


# --- MS Project and Primavera through mpxj -----------------------------------------------------


def test_it_imports_ms_project_xml(district, tmp_path):
    from tests.scheduling.mpxj_files import write_mspdi

    path = write_mspdi(tmp_path / "plan.xml", summary=True)
    count, notices = schedule_import(
        user=district.users["hq"], project=district.project, path=path, filename="plan.xml"
    )
    assert count == 4  # the summary task is left out
    tasks = project_tasks(district.project)
    assert [(t.code, t.name, t.duration) for t in tasks] == [
        ("2", "征收拆迁", 5),
        ("3", "施工图设计", 3),
        ("4", "道路施工", 10),
        ("5", "竣工验收", 0),
    ]
    assert [predecessors_text(t) for t in tasks] == ["", "2FS+2", "3SS-1、2FF+4", "4"]


def test_it_imports_primavera_xer_read_as_gb18030(district, tmp_path):
    from tests.scheduling.mpxj_files import write_xer

    path = write_xer(tmp_path / "plan.xer")
    raw = path.read_bytes()
    assert "征收拆迁".encode("gb18030") in raw and "征收拆迁".encode() not in raw
    schedule_import(user=district.users["hq"], project=district.project, path=path, filename="plan.xer")
    tasks = project_tasks(district.project)
    assert [(t.code, t.name, t.duration) for t in tasks] == [
        ("A10", "征收拆迁", 5),
        ("A20", "施工图设计", 3),
        ("A30", "道路施工", 10),
        ("A40", "竣工验收", 0),
    ]
    assert [predecessors_text(t) for t in tasks] == ["", "A10FS+2", "A20SS-1、A10FF+4", "A30"]
    district.project.planned_start = datetime.date(2026, 3, 2)
    district.project.save()
    schedule = project_schedule(district.project)
    assert [t.early_finish.isoformat() for t in schedule.tasks] == [
        "2026-03-06",
        "2026-03-13",
        "2026-03-23",
        "2026-03-23",
    ]


def test_it_keeps_indicator_links_of_tasks_with_the_same_code(district, tmp_path, plan_file):
    from tests.scheduling.mpxj_files import write_xer

    schedule_import(
        user=district.users["hq"],
        project=district.project,
        path=plan_file([["A10", "拆迁", 3, "", "拆迁面积", 5000]]),
    )
    count, notices = schedule_import(
        user=district.users["hq"], project=district.project, path=write_xer(tmp_path / "p.xer")
    )
    assert "文件不含关联指标，1项任务按文件中的唯一标识对应原任务，保留了原关联指标和工程量" in notices
    first = project_tasks(district.project)[0]
    assert first.code == "A10" and first.quantity == Decimal("5000")


def test_it_explains_an_unreadable_project_file(district, tmp_path):
    bad = tmp_path / "plan.xml"
    bad.write_text("<?xml version='1.0'?><nothing/>")
    messages = messages_of(district, bad)
    assert messages == [
        "无法识别的文件「plan.xml」：内容不是 MS Project 或 Primavera P6 计划；"
        "请上传 .mpp、.mpx、.xml（MS Project 或 P6）、.xer、.pmxml 或 .xlsx 文件"
    ]
