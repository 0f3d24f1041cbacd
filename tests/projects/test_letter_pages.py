"""Responsibility letters: list filters, create and edit with a scan, items, the scan download, 变更记录."""

import urllib.parse

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.projects.test_pages import field_block
from tests.support import PDF, PNG, login


def letter_data(district, **overrides):
    data = {
        "unit": district.units["street"].pk,
        "year": "2026",
        "title": "",
        "status": "draft",
        "signing_date": "",
        "signatories": "",
    }
    data.update(overrides)
    return data


def test_it_creates_a_letter_with_a_pdf_scan_and_serves_it_with_its_name(client, district):
    login(client, district, "office")
    scan = SimpleUploadedFile("北园街道责任书.pdf", PDF, content_type="application/octet-stream")
    response = client.post(
        "/letters/new/",
        letter_data(
            district, status="signed", signing_date="2026-02-20", signatories="王区长、钱主任", scan=scan
        ),
    )
    assert response.status_code == 302
    from tiaodu.projects.models import ResponsibilityLetter

    letter = ResponsibilityLetter.objects.get(unit=district.units["street"], year=2026)
    assert response["Location"] == f"/letters/{letter.pk}/"
    page = client.get(f"/letters/{letter.pk}/").content.decode()
    assert "2026年度北园街道目标责任书" in page
    assert "2026年2月20日" in page and "王区长、钱主任" in page and "已签订" in page
    assert "北园街道责任书.pdf" in page
    download = client.get(f"/letters/{letter.pk}/scan/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert urllib.parse.quote("北园街道责任书.pdf") in download["Content-Disposition"]
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF


def test_it_serves_the_scan_only_to_those_who_see_the_letter(client, district, letter):
    login(client, district, "office")
    scan = SimpleUploadedFile("scan.png", PNG)
    data = letter_data(
        district,
        unit=letter.unit_id,
        status="signed",
        signing_date="2026-02-15",
        signatories=letter.signatories,
        scan=scan,
    )
    assert client.post(f"/letters/{letter.pk}/edit/", data).status_code == 302
    for who, expected in (("leader", 200), ("hq", 200), ("street", 404), ("dept", 404), ("outsider", 404)):
        client.force_login(district.users[who])
        assert client.get(f"/letters/{letter.pk}/scan/").status_code == expected, who
    client.logout()
    assert client.get(f"/letters/{letter.pk}/scan/").status_code == 302


def test_it_refuses_a_scan_of_the_wrong_type_beside_the_field(client, district):
    login(client, district, "office")
    fake = SimpleUploadedFile(
        "合同.pdf", b"just some text, not a PDF at all\n" * 20, content_type="application/pdf"
    )
    response = client.post("/letters/new/", letter_data(district, scan=fake))
    assert response.status_code == 200
    assert "扫描件须为PDF、JPEG或PNG文件（按内容识别为：无法识别）" in field_block(
        response.content.decode(), "scan"
    )
    from tiaodu.projects.models import ResponsibilityLetter

    assert not ResponsibilityLetter.objects.exists()


def test_it_refuses_a_scan_over_20_mb_with_a_message_not_a_500(client, district, letter, tmp_path):
    big = tmp_path / "big.pdf"
    with open(big, "wb") as fh:
        fh.write(PDF)
        fh.write(b"\0" * (21 * 1024 * 1024))
    login(client, district, "office")
    with open(big, "rb") as fh:
        response = client.post(
            f"/letters/{letter.pk}/edit/",
            letter_data(district, unit=letter.unit_id, status="signed", signing_date="2026-02-15", scan=fh),
        )
    assert response.status_code == 200
    assert "扫描件过大，不能超过 20 MB" in field_block(response.content.decode(), "scan")
    letter.refresh_from_db()
    assert not letter.scan


def test_it_shows_letter_field_errors_beside_the_fields(client, district, letter):
    login(client, district, "office")
    response = client.post(
        "/letters/new/", letter_data(district, unit=letter.unit_id, status="signed", year="1999")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "已签订的责任书须填写签订日期" in field_block(page, "signing_date")
    assert "2000" in field_block(page, "year")
    response = client.post("/letters/new/", letter_data(district, unit=letter.unit_id, year="2026"))
    assert "北园大街改造指挥部已有2026年度的目标责任书" in field_block(response.content.decode(), "year")


def test_it_filters_letters_by_year_and_status(client, district, letter):
    from tiaodu.projects.models import ResponsibilityLetter

    ResponsibilityLetter.objects.create(unit=district.units["street"], year=2025)
    login(client, district, "leader")
    page = client.get("/letters/", {"year": "2025"}).content.decode()
    assert "2025年度北园街道目标责任书" in page and "2026年度北园大街改造指挥部" not in page
    page = client.get("/letters/", {"status": "signed"}).content.decode()
    assert "2026年度北园大街改造指挥部目标责任书" in page and "北园街道目标责任书" not in page
    for params in ({"year": "abc"}, {"year": "99999999999999999999"}, {"status": "nope"}, {"page": "x"}):
        assert client.get("/letters/", params).status_code == 200


def test_it_adds_edits_and_deletes_items_and_keeps_their_history(client, district, letter):
    login(client, district, "office")
    indicator = district.project.indicators.get()
    response = client.post(
        f"/letters/{letter.pk}/items/new/",
        {
            "project_code": "",
            "indicator": indicator.pk,
            "target": "30000",
            "deadline": "2026-06-30",
            "note": "上半年",
        },
    )
    assert response.status_code == 302
    item = letter.items.get(note="上半年")
    assert item.project == district.project
    response = client.post(
        f"/letters/{letter.pk}/items/new/",
        {"project_code": "ZD-404", "indicator": "", "target": "1", "deadline": "2026-06-30"},
    )
    assert "项目编号「ZD-404」不存在" in field_block(response.content.decode(), "project_code")
    response = client.post(
        f"/letters/{letter.pk}/items/new/",
        {"project_code": "ZD-002", "indicator": indicator.pk, "target": "1", "deadline": "2026-06-30"},
    )
    assert "不属于项目 ZD-002" in field_block(response.content.decode(), "indicator")
    response = client.post(
        f"/letters/{letter.pk}/items/new/",
        {"project_code": "ZD-002", "indicator": "", "target": "-1", "deadline": "不是日期"},
    )
    page = response.content.decode()
    assert "大于或等于0.001" in field_block(page, "target")
    assert "有效的日期" in field_block(page, "deadline")
    response = client.post(
        f"/letters/{letter.pk}/items/{item.pk}/edit/",
        {
            "project_code": "ZD-001",
            "indicator": indicator.pk,
            "target": "40000",
            "deadline": "2026-06-30",
            "note": "上半年",
        },
    )
    assert response.status_code == 302
    assert client.post(f"/letters/{letter.pk}/items/{item.pk}/delete/").status_code == 302
    page = client.get(f"/letters/{letter.pk}/").content.decode()
    history = page[page.index('id="history"') :]
    assert "目标事项" in history
    assert "<del>30000</del> → <ins>40000</ins>" in history
    assert "删除" in history and "刘主任" in history


def test_it_shows_the_letter_items_on_the_project_page(client, district, letter):
    login(client, district, "hq")
    page = client.get("/projects/ZD-001/").content.decode()
    section = page[page.index('id="letter-items"') : page.index('id="history"')]
    assert "2026年度" in section and "北园大街改造指挥部" in section and "60,000" in section
    assert "2026年12月31日" in section and "年内完成一半" in section
