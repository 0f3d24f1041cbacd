"""Ledger cells obey the rules of the fields they fill: no control characters, dates in 1900–2100."""

import datetime
import zipfile

import pytest

from tests.projects.ledger.helpers import NEW_INDICATORS, NEW_PROJECT, NEW_UNIT, write_ledger
from tiaodu.projects.ledger import ledger_import
from tiaodu.projects.models import Project


def _with_control_character(path, marker: str):
    """Replace `marker` in the workbook's XML by Excel's escape of U+0001 (openpyxl cannot write it)."""
    patched = path.with_name("patched.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data.replace(marker.encode(), b"_x0001_"))
    return patched


@pytest.mark.django_db
def test_it_refuses_a_control_character_in_a_ledger_cell(district, tmp_path):
    project = dict(NEW_PROJECT, 项目名称="堤口路MARK改造")
    path = write_ledger(
        tmp_path / "台账.xlsx", units=[NEW_UNIT], projects=[project], indicators=NEW_INDICATORS
    )
    result = ledger_import(user=district.users["admin"], path_or_file=_with_control_character(path, "MARK"))
    assert not result.ok
    assert [str(e) for e in result.errors] == [
        "工作表「项目」第2行「项目名称」：含有不可见的控制字符（U+0001），请删除后重试"
    ]
    assert not Project.objects.filter(code="ZD-100").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", [datetime.date(1, 1, 1), "9999-12-31", datetime.date(1899, 12, 31)])
def test_it_refuses_a_ledger_date_out_of_range(district, tmp_path, value):
    project = dict(NEW_PROJECT, 计划开工=value)
    path = write_ledger(
        tmp_path / "台账.xlsx", units=[NEW_UNIT], projects=[project], indicators=NEW_INDICATORS
    )
    result = ledger_import(user=district.users["admin"], path_or_file=path)
    assert not result.ok
    # Text gets the range message; a real Excel date before 1900 has no serial number: 日期无效.
    messages = [str(e) for e in result.errors]
    assert len(messages) == 1 and messages[0].startswith("工作表「项目」第2行「计划开工」：")
    if isinstance(value, str):
        assert "日期须在1900-01-01至2100-12-31之间「9999-12-31」" in messages[0]
    assert not Project.objects.filter(code="ZD-100").exists()
