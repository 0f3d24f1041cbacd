"""The one safe row writer of every exported workbook (tiaodu.core.xlsx.append_row)."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from tiaodu.core.xlsx import append_row

ROW = ['=HYPERLINK("http://x","点我")', "-1+2", "@SUM(A1)", "+1", "\t=1", "\r=1", "a\x01b", 3, None, "正常"]


@pytest.mark.parametrize("write_only", [True, False])
def test_it_writes_formula_like_text_as_text_in_both_workbook_modes(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("表")
    append_row(sheet, ROW + [datetime.date(1, 1, 1), datetime.date(2026, 4, 1)])
    out = io.BytesIO()
    book.save(out)
    cells = list(load_workbook(io.BytesIO(out.getvalue()))["表"].iter_rows())[0]
    assert [c.data_type for c in cells[:7]] == ["s"] * 7
    assert [c.value for c in cells[:7]] == [*ROW[:6], "ab"]
    assert cells[10].value == "0001-01-01"  # no Excel serial number before 1900: its text
    assert cells[11].value == datetime.datetime(2026, 4, 1)
    assert b"<f>" not in out.getvalue()
    read = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_name("表").to_python()
    assert read[0][:7] == [*ROW[:6], "ab"]
