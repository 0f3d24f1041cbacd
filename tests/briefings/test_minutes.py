"""The minutes of a dispatch meeting (会议纪要): the briefing's official-document layout, read back from the
Word and PDF files; numbered 调度会纪要〔2026〕N号 per year; revisions keep the number and the earlier files;
filed in the document center, sent to the units concerned; the button and the command."""

import datetime
import io
import re
import subprocess

import docx
import pytest
from django.core.management import CommandError, call_command
from docx.oxml.ns import qn

from tests.briefings.conftest import AS_OF
from tiaodu.briefings.minutes import minutes_generate
from tiaodu.briefings.models import DocFormat, DocKind, Document, Minutes
from tiaodu.supervision import services
from tiaodu.supervision.models import Notification

W_EAST_ASIA = qn("w:eastAsia")


def _meeting(district, *, day=AS_OF, decisions=True, title=""):
    meeting = services.meeting_create(
        user=district.users["supervisor"],
        data={
            "date": day,
            "title": title,
            "chair": district.people["leader"],
            "location": "区政府三楼会议室",
            "attendees": [district.people["hq"], district.people["street"]],
            "attendees_note": "区财政局、区自然资源局负责同志",
        },
    )
    if decisions:
        services.decision_add(
            user=district.users["supervisor"],
            meeting=meeting,
            content="北园大街西段拆迁12月15日前全部完成",
            item={
                "assignee_units": [district.units["hq"], district.units["street"]],
                "responsible_person": district.people["hq"],
                "deadline": datetime.date(2026, 12, 15),
                "project": district.project,
            },
        )
        services.decision_add(
            user=district.users["supervisor"],
            meeting=meeting,
            content="小清河资金缺口由区建设局会同财政统筹",
            item={"assignee_units": [district.units["dept"]], "deadline": datetime.date(2026, 12, 31)},
        )
        services.decision_add(user=district.users["supervisor"], meeting=meeting, content="下周继续调度")
    return meeting


@pytest.fixture
def made(district, frozen):
    meeting = _meeting(district)
    result = minutes_generate(user=district.users["supervisor"], meeting=meeting)
    return {
        "meeting": meeting,
        "result": result,
        "docx": result.docx.file.read(),
        "pdf": result.pdf.file.read(),
        "district": district,
    }


def _fonts(paragraph):
    run = paragraph.runs[0]
    return run.font.size.pt, run._r.rPr.rFonts.get(W_EAST_ASIA)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "m.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout


def test_it_lays_the_minutes_out_like_the_briefing(made):
    document = docx.Document(io.BytesIO(made["docx"]))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(getattr(section, f"{side}_margin").mm - mm) < 0.1, side
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"
    masthead, number, issuer = document.paragraphs[:3]
    assert masthead.text == "重点工程调度会议纪要"
    assert masthead.runs[0].font.color.rgb == docx.shared.RGBColor(0xFF, 0, 0)
    assert _fonts(masthead) == (40.0, "方正小标宋简体")
    assert number.text == "调度会纪要〔2026〕1号"
    assert issuer.text.endswith("2026年11月27日")
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert title.text == "2026年11月27日重点工程调度会纪要"
    assert _fonts(title) == (22.0, "方正小标宋简体")
    heading = next(p for p in document.paragraphs if p.text == "三、会议决定事项")
    assert _fonts(heading) == (16.0, "黑体")
    body = next(p for p in document.paragraphs if p.text.startswith("会议时间："))
    assert _fonts(body) == (16.0, "仿宋_GB2312")
    assert document.core_properties.title == "重点工程调度会议纪要（调度会纪要〔2026〕1号）"
    assert document.core_properties.keywords == "会议纪要"


def test_it_states_the_meeting_and_each_decision_with_unit_and_deadline(made, tmp_path):
    document = docx.Document(io.BytesIO(made["docx"]))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = "\n".join(" | ".join(c.text for c in row.cells) for t in document.tables for row in t.rows)
    assert "会议时间：2026年11月27日" in text
    assert "会议地点：区政府三楼会议室" in text
    assert "主持人：王区长（区长）" in text
    assert (
        "参会人员：赵指挥（北园大街改造指挥部）、钱主任（北园街道）；区财政局、区自然资源局负责同志" in text
    )
    lines = [
        "1．（北园大街道路拓宽及两侧整治）北园大街西段拆迁12月15日前全部完成",
        "责任单位：北园大街改造指挥部、北园街道；责任人：赵指挥；完成时限：2026年12月15日。",
        "2．小清河资金缺口由区建设局会同财政统筹",
        "责任单位：区建设局；完成时限：2026年12月31日。",
        "3．下周继续调度",
    ]
    for line in lines:
        assert line in text, line
    lagging = made["meeting"].agenda["lagging"]
    assert lagging and all(r["name"] in tables for r in lagging)
    assert "抄送：区委、区政府领导，北园大街改造指挥部、北园街道、区建设局。" in text
    flat = re.sub(r"\s+", "", _pdf_text(made["pdf"], tmp_path))
    assert "重点工程调度会议纪要" in flat and "调度会纪要〔2026〕1号" in flat
    for line in lines:
        assert re.sub(r"\s+", "", line) in flat, line
    assert "抄送：区委、区政府领导，北园大街改造指挥部、北园街道、区建设局。" in flat


def test_it_embeds_the_fonts_of_the_pdf(made, tmp_path):
    path = tmp_path / "m.pdf"
    path.write_bytes(made["pdf"])
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    lines = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert lines and any("CJK" in line for line in lines)
    for line in lines:
        assert re.search(r"\s+yes\s+yes\s+yes\s+\d+\s+\d+\s*$", line), line
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info and "调度会纪要〔2026〕1号" in info
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages == made["result"].pdf.page_count == made["result"].docx.page_count


def test_it_files_both_files_in_the_document_center(made):
    docs = Document.objects.filter(meeting=made["meeting"], kind=DocKind.MINUTES)
    assert {d.format for d in docs} == {DocFormat.PDF, DocFormat.DOCX}
    assert all(d.title == "2026年11月27日重点工程调度会纪要（调度会纪要〔2026〕1号）" for d in docs)
    assert "北园大街西段拆迁12月15日前全部完成" in docs.get(format=DocFormat.PDF).text


def test_it_numbers_per_year_and_a_new_revision_keeps_the_number_and_the_earlier_files(made, client):
    district = made["district"]
    second = _meeting(district, day=datetime.date(2026, 11, 20), decisions=False, title="第二次调度会")
    other = minutes_generate(user=district.users["office"], meeting=second)
    assert str(other.minutes) == "调度会纪要〔2026〕2号"
    next_year = _meeting(district, day=datetime.date(2027, 1, 8), decisions=False, title="新年调度会")
    assert (
        str(minutes_generate(user=district.users["admin"], meeting=next_year).minutes)
        == "调度会纪要〔2027〕1号"
    )
    again = minutes_generate(user=district.users["supervisor"], meeting=made["meeting"])
    assert again.minutes.pk == made["result"].minutes.pk and again.minutes.number == 1
    assert again.minutes.revision == 2 and again.pdf.title.endswith("第2版")
    docs = Document.objects.filter(meeting=made["meeting"], kind=DocKind.MINUTES)
    assert docs.count() == 4  # both revisions
    earlier = Document.objects.get(pk=made["result"].pdf.pk)
    assert earlier.deleted_at is None and earlier.description == "已由第2版取代"
    assert earlier.file.read() == made["pdf"]
    assert Minutes.objects.filter(year=2026).count() == 2


def test_it_tells_the_units_concerned_who_may_then_download_it(made, client):
    district = made["district"]
    pdf = made["result"].pdf
    assert made["result"].units == sorted(["北园大街改造指挥部", "北园街道", "区建设局"])
    for key in ("hq", "street", "dept"):
        note = Notification.objects.get(recipient=district.users[key], kind="minutes_issued")
        assert note.url == f"/documents/{pdf.pk}/" and "调度会纪要〔2026〕1号" in note.title
        client.force_login(district.users[key])
        assert client.get(note.url).status_code == 200
        response = client.get(f"/documents/{pdf.pk}/file/")
        assert response.status_code == 200 and b"".join(response.streaming_content)[:5] == b"%PDF-"
    assert not Notification.objects.filter(
        recipient=district.users["outsider"], kind="minutes_issued"
    ).exists()
    client.force_login(district.users["outsider"])
    assert client.get(f"/documents/{pdf.pk}/").status_code == 404
    assert client.get(f"/documents/{pdf.pk}/file/").status_code == 404


def test_the_button_generates_for_managers_only(district, frozen, client):
    meeting = _meeting(district)
    client.force_login(district.users["leader"])
    assert client.post(f"/meetings/{meeting.pk}/minutes/generate/").status_code == 403
    client.force_login(district.users["outsider"])
    assert client.post(f"/meetings/{meeting.pk}/minutes/generate/").status_code == 404
    client.force_login(district.users["supervisor"])
    assert client.get(f"/meetings/{meeting.pk}/minutes/generate/").status_code == 405
    response = client.post(f"/meetings/{meeting.pk}/minutes/generate/", follow=True)
    pdf = Document.objects.get(meeting=meeting, kind=DocKind.MINUTES, format=DocFormat.PDF)
    assert response.redirect_chain[-1][0] == f"/documents/{pdf.pk}/"
    assert "已生成调度会纪要〔2026〕1号" in response.content.decode()
    end = client.get(f"/meetings/{meeting.pk}/live/?n=999").content.decode()
    assert f"/documents/{pdf.pk}/" in end


def test_the_command_writes_both_files(district, frozen, tmp_path, capsys):
    meeting = _meeting(district)
    call_command("make_minutes", str(meeting.pk), "--out", str(tmp_path))
    paths = capsys.readouterr().out.split()
    assert [p.rsplit(".", 1)[1] for p in paths] == ["docx", "pdf"]
    docx_path, pdf_path = (tmp_path / p.rsplit("/", 1)[1] for p in paths)
    assert docx_path.name == "调度会纪要2026年第1号.docx"
    text = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    assert "责任单位：区建设局；完成时限：2026年12月31日。" in text
    assert pdf_path.read_bytes()[:5] == b"%PDF-"
    assert Document.objects.filter(meeting=meeting, kind=DocKind.MINUTES).count() == 2


def test_the_command_refuses_an_unknown_meeting_in_chinese(district):
    with pytest.raises(CommandError, match="不存在编号为999的调度会"):
        call_command("make_minutes", "999")
    with pytest.raises(CommandError, match="调度会编号须为正整数"):
        call_command("make_minutes", "abc")
