"""Uploads: checked by content against the allow-list, size limits, zip bombs and macros refused."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from tests.briefings.conftest import docx_bytes, jpeg_bytes, pdf_bytes, png_bytes, upload, xlsx_bytes
from tiaodu.briefings.inspect import ZIP_MAX_RATIO, inspect_bytes
from tiaodu.briefings.models import Document
from tiaodu.briefings.services import document_upload

MB = 1024 * 1024


def _refusal(data: bytes, name: str, max_bytes=50 * MB) -> str:
    with pytest.raises(ValidationError) as info:
        inspect_bytes(data, name, max_bytes=max_bytes)
    return " ".join(info.value.messages)


def _office_zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def _with_entry(data: bytes, name: str, content: bytes, content_types: bytes | None = None) -> bytes:
    """A copy of an Office file with one more entry (and optionally another [Content_Types].xml)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml" and content_types is not None:
                body = content_types
            dst.writestr(info, body)
        dst.writestr(name, content)
    return out.getvalue()


def test_it_accepts_each_allowed_format_and_reads_it():
    pdf = inspect_bytes(pdf_bytes("Dispatch minutes", pages=3), "纪要.pdf", max_bytes=50 * MB)
    assert (pdf.format, pdf.page_count) == ("pdf", 3)
    assert "Dispatch minutes 2" in pdf.text

    word = inspect_bytes(docx_bytes(["北园大街拆迁进度滞后。"] * 30), "方案.docx", max_bytes=50 * MB)
    assert word.format == "docx"
    assert "北园大街拆迁进度滞后" in word.text
    assert word.outline[0] == {"level": 1, "text": "一、总体情况"}
    assert word.page_count == 2 and word.page_count_estimated  # 31 lines on a 22-line page
    saved_by_word = inspect_bytes(docx_bytes(pages=1), "有页数.docx", max_bytes=50 * MB)
    assert (saved_by_word.page_count, saved_by_word.page_count_estimated) == (1, False)

    sheet = inspect_bytes(xlsx_bytes(), "台账.xlsx", max_bytes=50 * MB)
    assert sheet.format == "xlsx" and "ZD-001" in sheet.text and "北园大街道路拓宽" in sheet.text
    assert sheet.outline[0]["sheet"] == "台账" and sheet.outline[0]["rows"][1] == [
        "ZD-001",
        "北园大街道路拓宽",
    ]

    assert inspect_bytes(png_bytes(), "现场.png", max_bytes=50 * MB).format == "png"
    assert inspect_bytes(jpeg_bytes(), "现场.JPG", max_bytes=50 * MB).format == "jpeg"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "setup.exe", "按内容无法识别"),
        (b"<html><script>alert(1)</script></html>", "通知.pdf", "按内容无法识别"),
        (b"plain text notes", "notes.txt", "按内容无法识别"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "旧版.doc", "不接收旧版Office文件"),
        (png_bytes(), "伪装.pdf", "与其内容（PNG）不符"),
        (pdf_bytes(), "scan.gif", "扩展名 .gif 不在允许范围内"),
        (b"PK\x03\x04" + b"\x00" * 100, "坏.docx", "已损坏"),
        (b"", "empty.pdf", "文件为空"),
    ],
)
def test_it_refuses_what_is_not_on_the_allow_list(data, name, message):
    assert message in _refusal(data, name)


def test_it_refuses_a_plain_zip_and_a_powerpoint():
    assert "仅允许" in _refusal(_office_zip({"readme.txt": b"hello"}), "资料.zip")
    pptx = _office_zip(
        {
            "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            b'presentationml.presentation.main+xml"/></Types>',
            "ppt/presentation.xml": b"<p/>",
        }
    )
    assert "不接收PowerPoint" in _refusal(pptx, "汇报.pptx")


def test_it_refuses_files_over_the_size_limit():
    assert "不能超过 1 MB" in _refusal(b"%PDF-1.4\n" + b"0" * (MB + 10), "大.pdf", max_bytes=MB)


def test_it_refuses_a_zip_bomb_by_ratio_by_total_size_and_by_entry_count(monkeypatch):
    # 30 MB of zeros compress to about 30 KB: a ratio of about a thousand.
    bomb = _with_entry(docx_bytes(), "word/media/bomb.bin", b"\x00" * (30 * MB))
    assert len(bomb) < MB
    assert f"超过{ZIP_MAX_RATIO}倍" in _refusal(bomb, "炸弹.docx")
    # Entries that add up to more than the total limit (lowered here to keep the test small).
    monkeypatch.setattr("tiaodu.core.zipguard.ZIP_MAX_TOTAL", 5 * MB)
    chunk = bytes(range(256)) * (4 * 1024)  # 1 MB
    many = {"[Content_Types].xml": b"<Types/>"} | {f"xl/big{i}.bin": chunk for i in range(6)}
    big = _office_zip(many, compression=zipfile.ZIP_STORED)
    assert "解压后超过5 MB" in _refusal(big, "大表.xlsx", max_bytes=50 * MB)
    crowded = _office_zip({f"x/{i}": b"" for i in range(6000)})
    assert "条目过多" in _refusal(crowded, "碎片.xlsx")


def test_it_refuses_macros():
    data = docx_bytes()
    with_vba = _with_entry(data, "word/vbaProject.bin", b"\x00\x01macro")
    assert "含有宏" in _refusal(with_vba, "带宏.docx")
    content_types = (
        zipfile.ZipFile(io.BytesIO(data))
        .read("[Content_Types].xml")
        .replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
    )
    macro_enabled = _with_entry(data, "customXml/x.xml", b"<x/>", content_types=content_types)
    assert "含有宏" in _refusal(macro_enabled, "启用宏.docx")
    assert "含有宏" in _refusal(xlsx_bytes(), "报表.xlsm")


def test_it_stores_an_upload_under_a_random_name_with_its_text(district):
    user = district.users["hq"]
    doc = document_upload(
        user=user,
        file=upload("北园大街实施方案.docx", docx_bytes(["征收补偿标准"])),
        project=district.project,
    )
    assert (
        doc.title == "北园大街实施方案"
        and doc.format == "docx"
        and doc.original_name == "北园大街实施方案.docx"
    )
    assert doc.file.name.startswith("documents/") and doc.file.name.endswith(".docx")
    assert "北园" not in doc.file.name
    assert "征收补偿标准" in doc.text and doc.size > 0 and len(doc.sha256) == 64


def test_it_shows_upload_refusals_in_chinese_on_the_page(district, client, settings):
    settings.DOCUMENT_MAX_BYTES = MB
    client.force_login(district.users["hq"])
    response = client.post("/documents/upload/", {"file": upload("病毒.pdf", b"MZ" + b"\x00" * 100)})
    assert response.status_code == 400
    assert "按内容无法识别" in response.content.decode()
    big = client.post("/documents/upload/", {"file": upload("大.pdf", b"%PDF-1.4\n" + b"0" * (MB + 100))})
    assert big.status_code == 400 and "不能超过 1 MB" in big.content.decode()
    bomb = _with_entry(docx_bytes(), "word/media/bomb.bin", b"\x00" * (30 * MB))
    refused = client.post("/documents/upload/", {"file": upload("炸弹.docx", bomb)})
    assert refused.status_code == 400 and "疑似压缩炸弹" in refused.content.decode()
    missing = client.post("/documents/upload/", {"title": "无文件"})
    assert missing.status_code == 400 and "请选择要上传的文件" in missing.content.decode()
    assert not Document.objects.exists()
    ok = client.post(
        "/documents/upload/", {"file": upload("现场照片.png", png_bytes()), "title": "水屯社区现场"}
    )
    assert ok.status_code == 302
    assert Document.objects.get().title == "水屯社区现场"


def test_it_refuses_links_the_uploader_may_not_make(district):
    outsider = district.users["outsider"]
    with pytest.raises(ValidationError) as info:
        document_upload(user=outsider, file=upload("a.png", png_bytes()), project=district.project)
    assert "无权关联该项目" in " ".join(info.value.messages)
    with pytest.raises(ValidationError) as info:
        document_upload(user=outsider, file=upload("a.png", png_bytes()), unit=district.units["hq"])
    assert "只能关联本单位" in " ".join(info.value.messages)


def test_it_uploads_through_the_api(district, client):
    client.force_login(district.users["hq"])
    response = client.post(
        "/api/v1/documents/", {"file": upload("纪要.pdf", pdf_bytes()), "project": "ZD-001"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["format"] == "pdf" and body["project"] == "ZD-001" and body["page_count"] == 2
    bad = client.post("/api/v1/documents/", {"file": upload("x.pdf", b"not a pdf")})
    assert bad.status_code == 400 and "按内容无法识别" in bad.json()["file"][0]
    unknown = client.post("/api/v1/documents/", {"file": upload("y.pdf", pdf_bytes()), "project": "NOPE"})
    assert unknown.status_code == 400 and "项目编号不存在" in unknown.json()["project"][0]


def test_it_prefills_the_project_from_the_project_page_link(district, client):
    client.force_login(district.users["hq"])
    page = client.get("/documents/upload/", {"project": "ZD-001"}).content.decode()
    assert (
        f'<option value="{district.project.pk}" selected>ZD-001 北园大街道路拓宽及两侧整治</option>' in page
    )
    client.force_login(district.users["outsider"])
    page = client.get("/documents/upload/", {"project": "ZD-001"}).content.decode()
    assert "ZD-001" not in page  # not a project the outsider may link
