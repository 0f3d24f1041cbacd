"""The xlsx cell readers and the one cell-error type every importer reports with."""

import datetime
import io
import pickle
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tiaodu.core import xlsx
from tiaodu.core.xlsx import CellError


def test_it_renders_the_standard_message_once_the_place_is_known():
    with pytest.raises(CellError) as caught:
        xlsx.date("2026-13-01")
    assert str(caught.value) == "日期无效「2026-13-01」"
    placed = caught.value.at("项目", 5, "计划开工")
    assert str(placed) == "工作表「项目」第5行「计划开工」：日期无效「2026-13-01」"
    assert placed.as_dict() == {
        "sheet": "项目",
        "row": 5,
        "column": "计划开工",
        "message": "日期无效「2026-13-01」",
        "text": "工作表「项目」第5行「计划开工」：日期无效「2026-13-01」",
    }
    assert str(CellError("周报", None, "", "没有数据行")) == "工作表「周报」：没有数据行"


def test_it_compares_and_pickles_errors_by_place_and_message():
    error = CellError("计划", 3, "紧前任务", "未知任务「9」")
    assert error == CellError("计划", 3, "紧前任务", "未知任务「9」")
    assert error != CellError("计划", 4, "紧前任务", "未知任务「9」")
    assert pickle.loads(pickle.dumps(error)) == error
    assert len({error, CellError("计划", 3, "紧前任务", "未知任务「9」")}) == 1


def test_it_reads_text_as_the_user_typed_it():
    assert xlsx.text(None) == "" and xlsx.text("") == ""
    assert xlsx.text("  北园街道 ") == "北园街道"
    assert xlsx.text(101.0) == "101" and xlsx.text(2.5) == "2.5" and xlsx.text(7) == "7"
    assert xlsx.text(True) == "是" and xlsx.text(False) == "否"
    assert xlsx.text(datetime.datetime(2026, 4, 1)) == "2026-04-01"
    assert xlsx.text(datetime.datetime(2026, 4, 1, 9, 30)) == "2026-04-01 09:30"
    assert xlsx.text(datetime.date(2026, 4, 1)) == "2026-04-01"


def test_it_reads_dates_from_excel_dates_and_text():
    assert xlsx.date(datetime.datetime(2026, 4, 1, 8)) == datetime.date(2026, 4, 1)
    assert xlsx.date(datetime.date(2026, 4, 1)) == datetime.date(2026, 4, 1)
    assert xlsx.date(" 2026-4-1 ") == datetime.date(2026, 4, 1)
    assert xlsx.date(None) is None and xlsx.date("") is None and xlsx.date("  ") is None
    for bad, shown in (("2026/04/01", "2026/04/01"), (46000.0, "46000"), ("明天", "明天")):
        with pytest.raises(CellError) as caught:
            xlsx.date(bad)
        assert caught.value.message == f"日期无效「{shown}」"


def test_it_reads_decimals_rounded_half_up():
    assert xlsx.decimal("1,234.5", places=2, max_digits=14) == Decimal("1234.50")
    assert xlsx.decimal(2.675, places=2, max_digits=14) == Decimal("2.68")
    assert xlsx.decimal(12, places=3, max_digits=18) == Decimal("12.000")
    assert xlsx.decimal(None, places=2, max_digits=14) is None
    assert xlsx.decimal(" ", places=2, max_digits=14) is None
    assert xlsx.decimal(-5, places=2, max_digits=14) == Decimal("-5.00")
    cases = [
        ("很多", {}, "不是有效的数字「很多」"),
        (True, {}, "不是有效的数字「True」"),
        (float("nan"), {}, "不是有效的数字「nan」"),
        ("Infinity", {}, "不是有效的数字「Infinity」"),
        (1e12, {}, "数值过大「1000000000000」"),
        (-0.5, {"nonnegative": True}, "不能为负数「-0.5」"),
    ]
    for raw, extra, message in cases:
        with pytest.raises(CellError) as caught:
            xlsx.decimal(raw, places=2, max_digits=14, **extra)
        assert caught.value.message == message


def test_it_reads_whole_numbers():
    assert xlsx.integer(5) == 5 and xlsx.integer(5.0) == 5 and xlsx.integer(" 5 ") == 5
    assert xlsx.integer(None) is None and xlsx.integer("") is None
    for bad in (3.5, "五", True, float("inf")):
        with pytest.raises(CellError) as caught:
            xlsx.integer(bad)
        assert caught.value.message.startswith("不是整数「")


def test_it_reads_a_choice_by_its_label_and_names_the_choices_when_unknown():
    labels = {"重点建设": "key", "城市更新": "renewal"}
    assert xlsx.choice(" 城市更新 ", labels, noun="项目类型") == "renewal"
    assert xlsx.choice("", labels, noun="项目类型") is None
    with pytest.raises(CellError) as caught:
        xlsx.choice("学校", labels, noun="项目类型")
    assert caught.value.message == "未知的项目类型「学校」（应为：重点建设、城市更新）"


def test_it_names_the_first_wrong_header_column():
    expected = ["项目编号", "指标名称", "计量单位", "目标值"]
    assert (
        xlsx.header_problem(
            xlsx.header_row(["项目编号", "指标名称", "计量单位", "目标值", "", None]), expected
        )
        is None
    )
    assert xlsx.header_problem(["项目编号", "指标", "计量单位", "目标值"], expected) == (
        "表头不正确，第1行应依次为：项目编号 | 指标名称 | 计量单位 | 目标值（第2列应为「指标名称」，实际为「指标」）"
    )
    assert xlsx.header_problem(["项目编号", "指标名称"], expected).endswith(
        "（第3列应为「计量单位」，实际为「空」）"
    )
    assert xlsx.header_problem([*expected, "备注"], expected).endswith("（多出第5列「备注」）")


def test_it_keeps_numbered_data_rows_that_hold_anything():
    rows = [["a", "b", "c"], ["1", None], ["", " ", None], ["2", "x", "y", "extra"]]
    assert xlsx.data_rows(rows, 3) == [(2, ["1", None, ""]), (4, ["2", "x", "y"])]


def test_it_tells_a_workbook_from_other_files(tmp_path):
    text = tmp_path / "a.xlsx"
    text.write_text("hello")
    assert xlsx.check_xlsx(text) == xlsx.NOT_XLSX
    assert xlsx.check_xlsx(tmp_path / "missing.xlsx") == "文件不存在"
    other_zip = tmp_path / "b.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "hi")
    assert xlsx.check_xlsx(other_zip) == xlsx.NO_WORKBOOK
    buffer = io.BytesIO()
    Workbook().save(buffer)
    buffer.seek(3)
    assert xlsx.check_xlsx(buffer) is None and buffer.tell() == 3
    with pytest.raises(CellError) as caught:
        xlsx.open_workbook(text)
    assert str(caught.value) == xlsx.NOT_XLSX


def test_it_reads_the_rows_of_a_sheet(tmp_path):
    book = Workbook()
    book.active.title = "周报"
    book.active.append(["项目编号", "截至日期"])
    book.active.append(["ZD-001", datetime.date(2026, 4, 1)])
    path = tmp_path / "w.xlsx"
    book.save(path)
    workbook = xlsx.open_workbook(path)
    try:
        rows = xlsx.sheet_rows(workbook, "周报")
    finally:
        xlsx.close_workbook(workbook)
    assert xlsx.data_rows(rows, 2) == [(2, ["ZD-001", datetime.date(2026, 4, 1)])]
