"""The ledger pages: upload → preview → confirm, download, and who may do what."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.projects.ledger.helpers import NEW_INDICATORS, NEW_PROJECT, counts, read_ledger, write_ledger
from tiaodu.core.models import ChangeRecord
from tiaodu.projects.ledger import ledger_export
from tiaodu.projects.models import LedgerImport, Project

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, path, name="台账.xlsx"):
    return client.post("/ledger/", {"file": SimpleUploadedFile(name, path.read_bytes(), content_type=XLSX)})


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_it_previews_then_imports_on_confirm(client, district, tmp_path):
    office = district.users["office"]
    client.force_login(office)
    path = write_ledger(tmp_path / "l.xlsx", projects=[NEW_PROJECT], indicators=NEW_INDICATORS)
    before = counts()

    response = _upload(client, path)
    record = LedgerImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ledger/imports/{record.pk}/"
    assert record.user == office and record.original_name == "台账.xlsx" and record.state == "pending"
    assert counts() == before  # the preview writes nothing

    page = _text(client.get(f"/ledger/imports/{record.pk}/"))
    assert "台账导入预览" in page and "将要发生的变更" in page
    assert '<td>项目</td><td class="text-end">1</td>' in page
    assert "ZD-100 堤口路改造" in page and "属地单位：</span>北园街道、泺口街道" in page
    assert "将新建的人员" in page and "李新（北园大街改造指挥部）" in page
    assert "确认导入" in page

    response = client.post(f"/ledger/imports/{record.pk}/confirm/")
    assert response.status_code == 302
    project = Project.objects.get(code="ZD-100")
    assert project.indicators.count() == 2
    assert (
        ChangeRecord.objects.filter(source="import", user=office).count() == 1 + 1 + 2
    )  # person, project, 2 ind.
    record.refresh_from_db()
    assert record.state == "done"
    page = _text(client.get(response["Location"]))
    assert "台账已导入" in page and "已导入" in page and "确认导入" not in page

    # Confirmed once only.
    after = counts()
    response = client.post(f"/ledger/imports/{record.pk}/confirm/", follow=True)
    assert "该台账导入已处理（已导入），不能再次确认" in _text(response)
    assert counts() == after


def test_it_shows_every_error_with_sheet_row_and_column(client, district, tmp_path):
    client.force_login(district.users["admin"])
    rows = [
        dict(NEW_PROJECT, 计划开工="2026-13-01"),
        dict(NEW_PROJECT, 项目编号="ZD-101", 牵头单位="火星指挥部"),
    ]
    path = write_ledger(tmp_path / "l.xlsx", projects=rows)
    before = counts()
    response = _upload(client, path)
    record = LedgerImport.objects.get()
    assert record.state == "failed" and record.summary["error_count"] == 2
    page = _text(client.get(response["Location"]))
    assert "台账有 <strong>2</strong> 处错误，<strong>未导入任何数据</strong>" in page
    assert (
        '<td class="td-nowrap">项目</td><td class="td-nowrap">第2行</td><td class="td-nowrap">计划开工</td><td>日期无效「2026-13-01」</td>'
        in page
    )
    assert '第3行</td><td class="td-nowrap">牵头单位</td><td>未知的单位「火星指挥部」</td>' in page
    assert "确认导入" not in page
    response = client.post(f"/ledger/imports/{record.pk}/confirm/", follow=True)
    assert "不能再次确认" in _text(response)
    assert counts() == before


def test_it_reports_when_the_file_matches_the_database(client, district, tmp_path):
    client.force_login(district.users["office"])
    path = tmp_path / "export.xlsx"
    path.write_bytes(client.get("/ledger/export/").getvalue())
    page = _text(client.get(_upload(client, path)["Location"]))
    assert "台账与系统中的数据一致，无需导入。" in page


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a spreadsheet at all", "文件不是Excel工作簿（.xlsx），无法读取"),
        (None, "文件不是Excel工作簿（.xlsx）：压缩包中没有工作簿内容"),
        (b"", "上传的文件是空的"),
    ],
)
def test_it_rejects_a_file_that_is_not_xlsx(client, district, content, message):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        content = buffer.getvalue()
    client.force_login(district.users["office"])
    response = client.post("/ledger/", {"file": SimpleUploadedFile("台账.xlsx", content, content_type=XLSX)})
    assert response.status_code == 400
    assert message in _text(response)
    assert not LedgerImport.objects.exists()


def test_it_rejects_a_broken_workbook_without_a_server_error(client, district, tmp_path):
    # A zip that names xl/workbook.xml but whose content is garbage.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<<<not xml")
        archive.writestr("[Content_Types].xml", "garbage")
    client.force_login(district.users["office"])
    response = client.post(
        "/ledger/", {"file": SimpleUploadedFile("x.xlsx", buffer.getvalue(), content_type=XLSX)}
    )
    page = _text(client.get(response["Location"]))
    assert "文件已损坏或不是有效的Excel工作簿（.xlsx），无法读取" in page


def test_it_rejects_a_file_above_the_size_limit(client, district, tmp_path, settings):
    settings.LEDGER_MAX_BYTES = 1024 * 1024
    client.force_login(district.users["office"])
    big = SimpleUploadedFile("big.xlsx", b"PK" + b"0" * (1024 * 1024 + 10), content_type=XLSX)
    response = client.post("/ledger/", {"file": big})
    assert response.status_code == 400
    assert "文件过大（1.0 MB），不能超过 1 MB" in _text(response)


@pytest.mark.parametrize("who", ["street", "hq", "dept", "leader", "supervisor"])
def test_only_managers_may_upload(client, district, tmp_path, who):
    client.force_login(district.users[who])
    path = write_ledger(tmp_path / "l.xlsx", projects=[NEW_PROJECT])
    response = _upload(client, path)
    assert response.status_code == 403
    assert "只有领导小组办公室或系统管理员可以导入台账" in _text(response)
    assert not LedgerImport.objects.exists()
    page = _text(client.get("/ledger/"))
    assert "下载台账" in page and "上传并预览" not in page


def test_an_import_is_confirmed_only_by_its_own_user(client, district, tmp_path):
    client.force_login(district.users["office"])
    path = write_ledger(tmp_path / "l.xlsx", projects=[NEW_PROJECT])
    record_url = _upload(client, path)["Location"]
    client.force_login(district.users["admin"])
    assert client.get(record_url).status_code == 404
    assert client.post(record_url + "confirm/").status_code == 404
    client.force_login(district.users["street"])
    assert client.post(record_url + "confirm/").status_code == 403
    assert not Project.objects.filter(code="ZD-100").exists()


def test_the_street_downloads_only_its_visible_projects(client, district, tmp_path):
    client.force_login(district.users["street"])
    response = client.get("/ledger/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "filename*=utf-8''%E5%8F%B0%E8%B4%A6_" in response["Content-Disposition"]
    path = tmp_path / "street.xlsx"
    path.write_bytes(response.getvalue())
    sheets = read_ledger(path)
    assert [row[0] for row in sheets["项目"][1:]] == ["ZD-001"]
    assert [row[:2] for row in sheets["目标指标"][1:]] == [["ZD-001", "拆迁面积"]]
    assert len(sheets["单位"]) == 1 + 8  # every unit

    full = tmp_path / "all.xlsx"
    ledger_export(user=district.users["leader"], path_or_file=full)
    assert [row[0] for row in read_ledger(full)["项目"][1:]] == ["ZD-001", "ZD-002"]


def test_the_ledger_page_needs_a_login(client):
    response = client.get("/ledger/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/ledger/export/").status_code == 302


def test_it_asks_for_a_new_upload_when_the_stored_file_is_gone(client, district, tmp_path):
    client.force_login(district.users["office"])
    path = write_ledger(tmp_path / "l.xlsx", projects=[NEW_PROJECT])
    record_url = _upload(client, path)["Location"]
    record = LedgerImport.objects.get()
    record.file.storage.delete(record.file.name)
    response = client.post(record_url + "confirm/", follow=True)
    assert "上传的台账文件已不在服务器上，请重新上传" in _text(response)
    assert not Project.objects.filter(code="ZD-100").exists()
