"""Text that Excel would take for a formula is exported as text, and the ledger round trip keeps it."""

import datetime
import io
import re
import zipfile

import pytest
from django.test import Client
from openpyxl import load_workbook

from tiaodu.projects.ledger import ledger_import
from tiaodu.projects.models import Indicator, Project
from tiaodu.scheduling.ledger_sheet import full_ledger_export

# (A leading tab or CR is written as text too — tests/core/test_xlsx_writing.py — but imports, like
# forms, trim the spaces around a cell, so it is not part of the round trip.)
NAMES = ['=HYPERLINK("http://x","点我")', "-1+2", "@SUM(A1)", "+86 531", "=1+1"]


def assert_inert(data: bytes) -> list:
    """No cell of the workbook is a formula; returns every cell value."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(?:\w+:)?f[ >]", archive.read(name)), name
    values = []
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t")):
                    assert cell.data_type == "s"
                values.append(cell.value)
    return values


def _name_projects(district):
    Project.objects.filter(pk=district.project.pk).update(name=NAMES[0])
    Project.objects.filter(pk=district.other.pk).update(name=NAMES[1], description=NAMES[3])
    Indicator.objects.filter(project=district.project).update(name=NAMES[2], unit_of_measure=NAMES[4])


def _export(tmp_path, name) -> bytes:
    path = tmp_path / name
    full_ledger_export(user=None, path_or_file=path)
    return path.read_bytes()


@pytest.mark.django_db
def test_it_exports_formula_like_names_as_text_and_the_round_trip_is_identical(district, tmp_path):
    _name_projects(district)
    first = _export(tmp_path, "first.xlsx")
    values = assert_inert(first)
    for name in NAMES:
        assert name in values

    result = ledger_import(user=district.users["admin"], path_or_file=tmp_path / "first.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    assert not result.changed
    assert Project.objects.get(pk=district.project.pk).name == NAMES[0]
    assert Indicator.objects.get(project=district.project).name == NAMES[2]

    second = _export(tmp_path, "second.xlsx")
    assert assert_inert(second) == values


@pytest.mark.django_db
def test_it_imports_a_formula_like_name_typed_in_the_ledger_as_that_text(district, tmp_path):
    _name_projects(district)
    _export(tmp_path, "first.xlsx")
    book = load_workbook(tmp_path / "first.xlsx")
    sheet = book["项目"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == district.other.code:
            row[1].value = "@SUM(A1)"
            row[1].data_type = "s"
    book.save(tmp_path / "edited.xlsx")
    result = ledger_import(user=district.users["admin"], path_or_file=tmp_path / "edited.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    assert Project.objects.get(pk=district.other.pk).name == "@SUM(A1)"


@pytest.mark.django_db
def test_it_writes_the_other_workbooks_inert(district, tmp_path):
    from tiaodu.briefings.services import briefing_generate

    _name_projects(district)
    client = Client()
    client.force_login(district.users["office"])
    response = client.get("/ledger/export/")
    assert response.status_code == 200
    assert NAMES[0] in assert_inert(
        b"".join(response.streaming_content) if response.streaming else response.content
    )

    hq = Client()
    hq.force_login(district.users["hq"])
    response = hq.get("/reports/import/template.xlsx")
    assert response.status_code == 200
    assert NAMES[2] in assert_inert(response.content)

    response = hq.get(f"/projects/{district.project.code}/schedule/template.xlsx")
    assert response.status_code == 200
    assert_inert(response.content)

    generated = briefing_generate(
        as_of=datetime.date(2026, 4, 3), user=district.users["office"], out_dir=tmp_path
    )
    workbook = generated.briefing.documents.get(format="xlsx")
    assert NAMES[0] in assert_inert(workbook.file.read())
