"""A ledger that would inflate to 1 GiB, or that carries macros, is refused before any parsing, fast.

"Fast" is the CPU time of this thread (time.thread_time), not the wall clock: inflating the sheet would
cost several CPU seconds, while a loaded machine stretches only the wall time."""

import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.projects.ledger.helpers import write_ledger
from tiaodu.projects.ledger import ledger_import

GIB = 1 << 30


@pytest.fixture(scope="module")
def gib_ledger(tmp_path_factory):
    """A 1 MB .xlsx whose sheet inflates to 1 GiB (written streaming: never 1 GiB on disk)."""
    path = tmp_path_factory.mktemp("bomb") / "台账.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b" " * (1 << 20)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(GIB // len(chunk)):
                member.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    return path


@pytest.mark.django_db
def test_it_refuses_a_1_gib_ledger_in_under_2_seconds_with_bounded_memory(district, gib_ledger):
    tracemalloc.start()
    started = time.thread_time()
    result = ledger_import(user=district.users["admin"], path_or_file=gib_ledger)
    elapsed = time.thread_time() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not result.ok
    assert "疑似压缩炸弹，已拒绝" in str(result.errors[0])
    assert elapsed < 2
    assert peak < 20 * 1024 * 1024


@pytest.mark.django_db
def test_it_refuses_a_1_gib_ledger_on_the_page(district, gib_ledger):
    client = Client()
    client.force_login(district.users["office"])
    started = time.thread_time()
    response = client.post("/ledger/", {"file": SimpleUploadedFile("台账.xlsx", gib_ledger.read_bytes())})
    assert time.thread_time() - started < 2
    assert response.status_code == 400
    assert "疑似压缩炸弹，已拒绝" in response.content.decode()


@pytest.mark.django_db
def test_it_refuses_a_ledger_whose_header_lies_about_its_size(district, tmp_path):
    path = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<x/>" * 300_000)
    data = bytearray(path.read_bytes())
    # Make the central directory (and the local header) claim the sheet is 10 bytes.
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    real = info.file_size.to_bytes(4, "little")
    data = data.replace(real, (10).to_bytes(4, "little"))
    path.write_bytes(bytes(data))
    result = ledger_import(user=district.users["admin"], path_or_file=path)
    assert not result.ok
    assert "疑似压缩炸弹" in str(result.errors[0]) or "已损坏" in str(result.errors[0])


@pytest.mark.django_db
def test_it_refuses_a_macro_enabled_ledger(district, tmp_path):
    path = write_ledger(tmp_path / "台账.xlsx")
    macro = tmp_path / "台账宏.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(macro, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    result = ledger_import(user=district.users["admin"], path_or_file=macro)
    assert not result.ok
    assert "含有宏" in str(result.errors[0])
