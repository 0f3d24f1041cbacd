"""The document center: who sees what, search and filters, preview, favourites, share links and their log."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from tests.briefings.conftest import NOW, docx_bytes, pdf_bytes, png_bytes, upload, xlsx_bytes
from tiaodu.briefings.models import Briefing, DocKind, Document, ShareAccess
from tiaodu.briefings.selectors import document_list
from tiaodu.briefings.services import document_upload, share_create, share_revoke
from tiaodu.core.actors import SYSTEM

EVERYONE = ["admin", "leader", "supervisor", "office", "hq", "street", "dept", "outsider"]


@pytest.fixture
def docs(district):
    """One document per kind of link, uploaded by hq (or the office)."""
    from tiaodu.supervision.models import Meeting

    hq = district.users["hq"]
    meeting = Meeting.objects.create(title="第45次调度会", date=datetime.date(2026, 11, 26))
    meeting.attendees.set([district.people["dept"]])
    briefing = Briefing.objects.create(
        year=2026, number=1, as_of=datetime.date(2026, 11, 27), issuer="办公室", state=Briefing.State.READY
    )
    circulated = document_upload(user=district.users["office"], file=upload("通报.pdf", pdf_bytes()))
    circulated.kind, circulated.briefing = DocKind.BRIEFING, briefing
    circulated.save()
    return {
        "briefing": circulated,
        "project": document_upload(
            user=hq, file=upload("北园方案.docx", docx_bytes(["征收补偿标准细则"])), project=district.project
        ),
        "unit": document_upload(
            user=hq, file=upload("指挥部内部.xlsx", xlsx_bytes()), unit=district.units["hq"]
        ),
        "private": document_upload(user=hq, file=upload("草稿.png", png_bytes())),
        "meeting": document_upload(
            user=district.users["office"], file=upload("会议纪要.pdf", pdf_bytes()), meeting=meeting
        ),
    }


def _seen(district, key):
    return {d.title for d in document_list(user=district.users[key])}


def test_it_shows_each_user_only_the_documents_they_may_see(district, docs):
    everything = {"通报", "北园方案", "指挥部内部", "草稿", "会议纪要"}
    for key in ("admin", "leader", "supervisor", "office"):
        assert _seen(district, key) == everything
    assert _seen(district, "hq") == everything - {"会议纪要"}  # the author of the others
    assert _seen(district, "street") == {"通报", "北园方案"}  # territorial unit of ZD-001
    assert _seen(district, "dept") == {
        "通报",
        "北园方案",
        "会议纪要",
    }  # supporting unit, attended the meeting
    assert _seen(district, "outsider") == {"通报"}  # briefings are circulated to everybody


@pytest.mark.parametrize("key", EVERYONE)
def test_it_serves_a_file_only_to_those_who_may_see_it(district, docs, client, key):
    client.force_login(district.users[key])
    visible = _seen(district, key)
    for doc in docs.values():
        page = client.get(f"/documents/{doc.pk}/")
        download = client.get(f"/documents/{doc.pk}/file/")
        api = client.get(f"/api/v1/documents/{doc.pk}/")
        if doc.title in visible:
            assert page.status_code == 200 and download.status_code == 200 and api.status_code == 200
            assert download["X-Content-Type-Options"] == "nosniff"
        else:
            assert page.status_code == 404 and download.status_code == 404 and api.status_code == 404


def test_it_refuses_anonymous_users(docs, client):
    response = client.get(f"/documents/{docs['briefing'].pk}/file/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get("/api/v1/documents/").status_code in (401, 403)


def test_it_searches_titles_and_text_and_filters(district, docs, client):
    client.force_login(district.users["leader"])
    page = client.get("/documents/", {"q": "征收补偿"}).content.decode()
    assert "北园方案" in page and "指挥部内部" not in page
    assert "筛选出 1 个文件" in page
    by_format = client.get("/documents/", {"format": "xlsx"}).content.decode()
    assert "指挥部内部" in by_format and "北园方案" not in by_format
    by_project = client.get("/api/v1/documents/", {"project": "ZD-001"}).json()
    assert [d["title"] for d in by_project["results"]] == ["北园方案"]
    by_kind = client.get("/api/v1/documents/", {"kind": "briefing"}).json()
    assert [d["title"] for d in by_kind["results"]] == ["通报"]
    assert client.get("/api/v1/documents/", {"q": "ZD-001"}).json()["count"] == 1  # a cell of the workbook


def test_it_previews_pdf_inline_images_word_text_and_excel_rows(district, docs, client):
    client.force_login(district.users["hq"])
    pdf = client.get(f"/documents/{docs['briefing'].pk}/file/", {"inline": "1"})
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].startswith("inline")
    assert "<iframe" in client.get(f"/documents/{docs['briefing'].pk}/").content.decode()
    image = client.get(f"/documents/{docs['private'].pk}/file/", {"inline": "1"})
    assert image["Content-Type"] == "image/png" and image["Content-Disposition"].startswith("inline")
    word_page = client.get(f"/documents/{docs['project'].pk}/").content.decode()
    assert "征收补偿标准细则" in word_page and "请下载后用Word查看" in word_page
    word = client.get(f"/documents/{docs['project'].pk}/file/", {"inline": "1"})
    assert word["Content-Disposition"].startswith("attachment")  # Word is never served inline
    sheet_page = client.get(f"/documents/{docs['unit'].pk}/").content.decode()
    assert "工作表「台账」" in sheet_page and "北园大街道路拓宽" in sheet_page


def test_it_keeps_favourites_per_user(district, docs, client):
    client.force_login(district.users["street"])
    client.post(f"/documents/{docs['project'].pk}/favorite/")
    page = client.get("/documents/", {"favorites": "on"}).content.decode()
    assert "北园方案" in page and "通报" not in page.split('id="td-documents"')[1]
    client.force_login(district.users["dept"])
    assert "还没有文件" not in client.get("/documents/").content.decode()
    assert "没有符合条件的文件" in client.get("/documents/", {"favorites": "on"}).content.decode()
    client.force_login(district.users["street"])
    client.post(f"/documents/{docs['project'].pk}/favorite/")  # again: no longer a favourite
    assert "没有符合条件的文件" in client.get("/documents/", {"favorites": "on"}).content.decode()


def test_it_lets_only_the_author_or_the_office_delete(district, docs, client):
    client.force_login(district.users["street"])
    assert client.post(f"/documents/{docs['project'].pk}/delete/").status_code == 403
    client.force_login(district.users["hq"])
    assert client.post(f"/documents/{docs['project'].pk}/delete/").status_code == 302
    doc = Document.objects.get(pk=docs["project"].pk)
    assert doc.deleted_at is not None and doc.file.storage.exists(doc.file.name)  # kept, not listed
    assert client.get(f"/documents/{doc.pk}/").status_code == 404


# --- share links ----------------------------------------------------------------------------------


def test_it_opens_a_share_link_without_login_until_it_expires(district, docs, client):
    with time_machine.travel(NOW, tick=False) as clock:
        link = share_create(
            user=district.users["hq"],
            document=docs["project"],
            expires_at=NOW + datetime.timedelta(days=3),
            note="发给市住建局",
        )
        page = client.get(f"/s/{link.token}/", HTTP_USER_AGENT="TestBrowser/1.0", REMOTE_ADDR="10.1.2.3")
        assert page.status_code == 200
        text = page.content.decode()
        assert "北园方案" in text and "征收补偿标准细则" in text and "本次访问已记录" in text
        download = client.get(f"/s/{link.token}/file/")
        assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
        clock.move_to(NOW + datetime.timedelta(days=3, seconds=1))
        expired = client.get(f"/s/{link.token}/", HTTP_USER_AGENT="Late/2.0")
        assert expired.status_code == 410 and "该分享链接已过期" in expired.content.decode()
        assert client.get(f"/s/{link.token}/file/").status_code == 410
    log = list(ShareAccess.objects.filter(link=link).order_by("at", "id"))
    assert [a.outcome for a in log] == ["view", "download", "expired", "expired"]
    assert (log[0].ip, log[0].user_agent) == ("10.1.2.3", "TestBrowser/1.0")
    assert log[2].user_agent == "Late/2.0"
    assert client.get("/s/not-a-token/").status_code == 404


def test_it_refuses_a_revoked_share_link_and_logs_the_attempt(district, docs, client):
    with time_machine.travel(NOW, tick=False):
        link = share_create(
            user=district.users["street"],
            document=docs["project"],
            expires_at=NOW + datetime.timedelta(days=7),
        )
        assert client.get(f"/s/{link.token}/").status_code == 200
        with pytest.raises(PermissionDenied):
            share_revoke(user=district.users["dept"], link=link)
        client.force_login(district.users["hq"])  # the document's author may revoke
        assert client.post(f"/documents/shares/{link.pk}/revoke/").status_code == 302
        client.logout()
        refused = client.get(f"/s/{link.token}/")
        assert refused.status_code == 410 and "已被撤销" in refused.content.decode()
    assert list(
        ShareAccess.objects.filter(link=link).order_by("at", "id").values_list("outcome", flat=True)
    ) == [
        "view",
        "revoked",
    ]


def test_it_limits_share_links_to_thirty_days(district, docs, client):
    from django.core.exceptions import ValidationError

    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError, match="最长30天"):
            share_create(
                user=district.users["hq"],
                document=docs["project"],
                expires_at=NOW + datetime.timedelta(days=31),
            )
        client.force_login(district.users["hq"])
        response = client.post(f"/documents/{docs['project'].pk}/share/", {"days": "7", "note": "给监理"})
        assert response.status_code == 302
        page = client.get(f"/documents/{docs['project'].pk}/").content.decode()
        assert "已生成分享链接（7天内有效）" in page and "给监理" in page and "/s/" in page


def test_it_shows_a_word_briefing_through_its_pdf_on_the_share_page(district, frozen, client):
    from tiaodu.briefings.services import briefing_generate

    result = briefing_generate(as_of=datetime.date(2026, 11, 27), user=SYSTEM)
    link = share_create(
        user=district.users["office"], document=result.docx, expires_at=NOW + datetime.timedelta(days=1)
    )
    page = client.get(f"/s/{link.token}/").content.decode()
    assert f"/s/{link.token}/file/?preview=1&amp;inline=1" in page
    preview = client.get(f"/s/{link.token}/file/", {"preview": "1", "inline": "1"})
    assert preview["Content-Type"] == "application/pdf" and preview["Content-Disposition"].startswith(
        "inline"
    )
    word = client.get(f"/s/{link.token}/file/")
    assert word["Content-Type"].endswith("wordprocessingml.document")


def test_it_lists_responsibility_letter_scans_for_those_who_see_the_letter(district, client):
    from tiaodu.projects.services import letter_create

    letter = letter_create(
        user=district.users["office"],
        data={"unit": district.units["hq"], "year": 2026, "title": "2026年度目标责任书"},
        scan=upload("责任书扫描.pdf", pdf_bytes("Letter scan", pages=3)),
    )
    client.force_login(district.users["hq"])
    page = client.get("/documents/", {"kind": "letter"}).content.decode()
    assert "2026年度目标责任书（扫描件）" in page and "责任书" in page
    doc = Document.objects.get(letter=letter)
    assert (doc.page_count, doc.format, doc.file.name) == (3, "pdf", letter.scan.name)
    assert client.get(f"/documents/{doc.pk}/file/").status_code == 200
    client.force_login(district.users["outsider"])
    assert client.get(f"/documents/{doc.pk}/").status_code == 404
    assert "2026年度目标责任书（扫描件）" not in client.get("/documents/").content.decode()
    client.get("/documents/")
    assert Document.objects.filter(letter=letter).count() == 1  # registered once


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"as_of": ""},
        {"as_of": None},
        {"as_of": "2026-02-30"},
        {"as_of": "0001-01-01"},
        {"as_of": "2099-01-01"},
        {"as_of": ["2026-11-27"]},
        {"as_of": "\x00"},
        {"as_of": "tomorrow"},
    ],
)
def test_it_answers_weird_briefing_requests_with_a_400(district, frozen, client, body):
    client.force_login(district.users["office"])
    response = client.post("/api/v1/briefings/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert not Briefing.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"q": "\x00"},
        {"format": "exe"},
        {"kind": "x" * 500},
        {"project": "北园\x00"},
        {"unit": "abc"},
        {"favorites": "maybe"},
        {"page": "-1"},
    ],
)
def test_it_never_fails_on_weird_document_queries(district, client, query):
    client.force_login(district.users["hq"])
    assert client.get("/documents/", query).status_code == 200
    assert client.get("/api/v1/documents/", query).status_code in (200, 404)


def test_it_answers_an_upload_without_a_file_with_a_400(district, client):
    client.force_login(district.users["hq"])
    response = client.post("/api/v1/documents/", {"title": "无文件"})
    assert response.status_code == 400 and "请上传文件" in response.json()["file"][0]
    response = client.post("/api/v1/documents/", {"file": "not a file"}, content_type="application/json")
    assert response.status_code in (400, 415)
