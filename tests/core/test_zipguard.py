"""Every .xlsx importer checks the zip (bomb, macros) before parsing: tiaodu.core.zipguard."""

import io
import zipfile

import pytest

from tiaodu.core.xlsx import CellError, check_xlsx, open_workbook
from tiaodu.core.zipguard import zip_problem

MB = 1024 * 1024


def _workbook(extra: dict[str, bytes] | None = None, content_types: bytes = b"<Types/>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def test_it_refuses_too_many_entries():
    data = _workbook({f"xl/x{i}.xml": b"" for i in range(5001)})
    assert "条目过多" in zip_problem(io.BytesIO(data))


def test_it_refuses_a_compression_ratio_above_150():
    data = _workbook({"xl/worksheets/sheet1.xml": b" " * (4 * MB)})
    assert "压缩比异常（超过150倍）" in zip_problem(io.BytesIO(data))


def test_it_refuses_more_than_the_total_once_inflated(monkeypatch):
    monkeypatch.setattr("tiaodu.core.zipguard.ZIP_MAX_TOTAL", MB)
    data = _workbook({f"xl/s{i}.xml": bytes(range(256)) * 2048 for i in range(3)})  # 3 × 512 KB
    assert "解压后超过1 MB" in zip_problem(io.BytesIO(data))


@pytest.mark.parametrize(
    "extra,content_types",
    [
        ({"xl/vbaProject.bin": b"\x00"}, b"<Types/>"),
        ({}, b'<Types><Default ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'),
        ({"xl/activeX/activeX1.xml": b"<x/>"}, b"<Types/>"),
    ],
    ids=["vbaProject", "xlsm-content-type", "activeX"],
)
def test_it_refuses_macros_before_any_parser(extra, content_types):
    data = io.BytesIO(_workbook(extra, content_types))
    assert "含有宏" in check_xlsx(data)
    assert data.tell() == 0
    with pytest.raises(CellError, match="含有宏"):
        open_workbook(data, check=False)  # the schedule importer's path: checked all the same


def test_it_passes_an_ordinary_workbook(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "ok.xlsx"
    book = Workbook()
    book.active.append(["项目编号", "名称"])
    book.save(path)
    assert check_xlsx(path) is None and zip_problem(path) is None


@pytest.mark.django_db
def test_it_refuses_a_macro_workbook_of_weekly_reports_and_a_schedule(district, tmp_path):
    from tiaodu.progress.importer import reports_import
    from tiaodu.scheduling.importers import ScheduleFileError, read_xlsx

    macro = _workbook({"xl/vbaProject.bin": b"\x00"})
    result = reports_import(user=district.users["hq"], path_or_file=io.BytesIO(macro))
    assert "含有宏" in str(result.errors[0])
    path = tmp_path / "计划.xlsx"
    path.write_bytes(macro)
    with pytest.raises(ScheduleFileError, match="含有宏"):
        read_xlsx(path, project=district.project)
