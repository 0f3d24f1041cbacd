"""The briefing generated for the shared district: its Word, PDF and Excel files read back."""

import datetime
import gc
import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from docx.oxml.ns import qn
from openpyxl import load_workbook

from tests.briefings.conftest import AS_OF, TZ
from tiaodu.briefings.models import Briefing, DocFormat, DocKind, Document
from tiaodu.briefings.render_xlsx import LAG_FILLS
from tiaodu.briefings.services import briefing_generate
from tiaodu.core.actors import SYSTEM
from tiaodu.progress.figures import summary_sentence
from tiaodu.progress.selectors import progress_status

W_EAST_ASIA = qn("w:eastAsia")


@pytest.fixture
def generated(busy_district):
    result = briefing_generate(as_of=AS_OF, user=busy_district.users["office"])
    status = progress_status(user=None, as_of=AS_OF)
    return {
        "result": result,
        "status": status,
        "sentences": [summary_sentence(k, v) for k, v in status.summary.items() if v.total],
        "docx": result.docx.file.read(),
        "pdf": result.pdf.file.read(),
        "xlsx": result.xlsx.file.read(),
        "district": busy_district,
    }


def _run_fonts(paragraph):
    run = paragraph.runs[0]
    return run.font.size.pt, run._r.rPr.rFonts.get(W_EAST_ASIA)


def _body_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_it_lays_the_word_file_out_after_gbt_9704(generated):
    document = docx.Document(io.BytesIO(generated["docx"]))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert abs(section.top_margin.mm - 37) < 0.1
    assert abs(section.bottom_margin.mm - 35) < 0.1
    assert abs(section.left_margin.mm - 28) < 0.1
    assert abs(section.right_margin.mm - 26) < 0.1
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "579"  # 225 mm / 22 lines
    assert int(grid.get(qn("w:charSpace"))) < 0  # 16 pt characters set closer: 28 to a 156 mm line

    paragraphs = document.paragraphs
    masthead, number, issuer = paragraphs[0], paragraphs[1], paragraphs[2]
    assert masthead.text == "重点工程建设调度通报"
    assert masthead.runs[0].font.color.rgb == docx.shared.RGBColor(0xFF, 0, 0)
    assert _run_fonts(masthead)[1] == "方正小标宋简体"
    assert number.text == f"第{generated['result'].briefing.number}期"
    assert issuer.text.endswith("2026年11月27日")
    title = next(p for p in paragraphs if p.style.name == "Title")
    assert _run_fonts(title) == (22.0, "方正小标宋简体")
    body = next(p for p in paragraphs if p.text.startswith("截至2026年11月27日，全区"))
    assert _run_fonts(body) == (16.0, "仿宋_GB2312")
    heading = next(p for p in paragraphs if p.text == "一、总体情况")
    assert _run_fonts(heading) == (16.0, "黑体")

    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "— " in section.footer.paragraphs[0].text
    assert section.even_page_footer.paragraphs[0].text.startswith("— ")
    # Every table repeats its header row on each page.
    assert len(document.tables) >= 5
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None


def test_it_states_in_word_the_figures_progress_status_gives(generated):
    status = generated["status"]
    document = docx.Document(io.BytesIO(generated["docx"]))
    text = _body_text(document)
    for sentence in generated["sentences"]:
        assert sentence in text
    assert "全区2个重点建设项目中，已竣工0项，在建1项，未开工1项，暂停0项，开工率50.0%。" in text
    rows = {r.code: r for r in status.projects}
    lagging = [r for r in status.projects if r.level != "normal"]
    assert lagging, "the district has a lagging project"
    lag_table = next(t for t in document.tables if t.rows[0].cells[2].text == "滞后情况")
    names = {row.cells[1].text: row.cells[2].text for row in lag_table.rows[1:]}
    lag = names["北园大街道路拓宽及两侧整治"]
    assert lag.replace("：\n", "：").replace("\n", " ") == rows["ZD-001"].lag_text
    assert lag.startswith(f"滞后{rows['ZD-001'].lag_days}个工作日：\n拆迁面积\n计划")
    lag_row = next(row for row in lag_table.rows[1:] if row.cells[1].text == "北园大街道路拓宽及两侧整治")
    assert [c.text for c in lag_row.cells[3:]] == ["北园大街改造指挥部", "北园街道", "赵指挥", "王区长"]
    # The unit ranking in the order and with the shares of progress_status.
    ranking = next(t for t in document.tables if [c.text for c in t.rows[0].cells[:2]] == ["名次", "单位"])
    assert [row.cells[1].text for row in ranking.rows[1:]] == [u.unit for u in status.units]
    assert [row.cells[4].text for row in ranking.rows[1:]] == [
        f"{u.on_time_share * 100:.1f}%" for u in status.units
    ]
    # Category table: the average planned and actual percent of each project (综合进度).
    planned = f"{rows['ZD-001'].planned_pct:.1f}%"
    actual = f"{rows['ZD-001'].actual_pct:.1f}%"
    assert f"北园大街道路拓宽及两侧整治 | 北园大街改造指挥部 | 在建 | {planned} / {actual} | {lag}" in text
    # Missing reports, escalated problems, warned items.
    missing_codes = {m.code for m in status.missing_reports}
    assert missing_codes == {"ZD-002"}
    assert "以下1个项目近7日内未报送" in text
    assert "征收补偿资金缺口约3200万元" in text and "分管区领导" in text
    assert "仍在责任单位办理的问题" not in text
    assert "北园大街西段管线迁改11月上旬完成 | 北园大街改造指挥部 | 2026.11.6 | 红牌" in text
    assert "水屯社区违建拆除进度周报 | 北园街道 | 2026.11.25 | 黄牌" in text
    assert "不应出现的未到期事项" not in text
    # Charts as images.
    assert len(document.inline_shapes) == 2


def test_it_embeds_the_fonts_of_the_pdf_and_counts_its_pages(generated, tmp_path):
    path = tmp_path / "b.pdf"
    path.write_bytes(generated["pdf"])
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    lines = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert lines, fonts
    assert any("CJK" in line for line in lines)
    for line in lines:
        assert re.search(r"\s+yes\s+yes\s+yes\s+\d+\s+\d+\s*$", line), line  # embedded, subset, unicode
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert "A4" in info
    result = generated["result"]
    assert pages == result.pdf.page_count == result.briefing.summary["pages"] >= 2
    # The Word file says the same page count (docProps/app.xml), the document center records it.
    app = zipfile.ZipFile(io.BytesIO(generated["docx"])).read("docProps/app.xml").decode()
    assert f"<Pages>{pages}</Pages>" in app
    assert result.docx.page_count == pages
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "重点工程建设调度通报" in text
    assert f"第{result.briefing.number}期" in text
    flat = re.sub(r"\s+", "", text)
    for sentence in generated["sentences"]:
        assert re.sub(r"\s+", "", sentence) in flat
    assert re.search(r"—\s*1\s*—", text) and re.search(rf"—\s*{pages}\s*—", text)


def test_it_writes_the_excel_ledger_with_a_sheet_per_type(generated):
    status = generated["status"]
    workbook = load_workbook(io.BytesIO(generated["xlsx"]))
    assert workbook.sheetnames == [
        "重点建设项目",
        "综合整治项目",
        "数据来源",
        "数据异常",
        "本期调整计划的项目",
        "投资完成情况",
    ]
    sheet = workbook["重点建设项目"]
    headers = [c.value for c in sheet[1]]
    assert headers[:15] == [
        "项目编号",
        "项目名称",
        "项目类别",
        "牵头单位",
        "属地单位",
        "配合单位",
        "责任人",
        "分管领导",
        "状态",
        "滞后程度",
        "滞后天数",
        "滞后情况",
        "综合进度·计划(%)",
        "综合进度·实际(%)",
        "近7日已报送",
    ]
    assert headers[15:20] == [
        "指标1名称",
        "指标1计量单位",
        "指标1目标值",
        "指标1计划完成量",
        "指标1实际完成量",
    ]
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["B"].width >= 30
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"ZD-001", "ZD-002"}
    p = status.project("ZD-001")
    row = rows["ZD-001"]
    assert row[1] == "北园大街道路拓宽及两侧整治" and row[3] == "北园大街改造指挥部" and row[4] == "北园街道"
    assert row[5] == "区建设局" and row[6] == "赵指挥" and row[7] == "王区长"
    assert row[10] == p.lag_days and isinstance(row[10], int)
    assert row[11] == p.lag_text and p.lag_text.startswith(f"滞后{p.lag_days}个工作日：拆迁面积 计划")
    assert row[12] == pytest.approx(p.planned_pct) and isinstance(row[12], int | float)
    assert row[13] == pytest.approx(p.actual_pct)
    ind = p.indicators[0]
    assert row[15:20] == ("拆迁面积", "m²", ind.target, pytest.approx(ind.planned), ind.actual)
    assert isinstance(row[17], int | float) and row[19] == 30000
    # 滞后程度 filled by level on the project's own row (the row is counted as the sheet is written)
    for cells in sheet.iter_rows(min_row=2):
        level = status.project(cells[0].value).level
        fill = LAG_FILLS.get(level)
        if fill is None:
            assert cells[9].fill.fill_type is None, cells[0].value
        else:
            assert cells[9].fill.fgColor.rgb == fill.fgColor.rgb, cells[0].value
    assert any(LAG_FILLS.get(status.project(c).level) for c in rows)  # the district has a lagging project
    assert workbook["综合整治项目"].max_row == 1  # headers only: the district has no remediation project


def test_it_files_the_three_files_in_the_document_center(generated):
    result = generated["result"]
    docs = Document.objects.filter(briefing=result.briefing)
    assert {d.format for d in docs} == {DocFormat.DOCX, DocFormat.PDF, DocFormat.XLSX}
    assert all(d.kind == DocKind.BRIEFING for d in docs)
    assert result.docx.preview_pdf_id == result.pdf.pk
    assert all(d.file.name.startswith("documents/") and "调度" not in d.file.name for d in docs)
    assert "征收补偿资金缺口" in result.pdf.text
    assert result.xlsx.outline[0]["sheet"] == "重点建设项目"


def test_it_numbers_briefings_per_year(district, frozen):
    first = briefing_generate(as_of=datetime.date(2026, 11, 20), user=SYSTEM).briefing
    second = briefing_generate(as_of=datetime.date(2026, 11, 27), user=SYSTEM).briefing
    assert (first.year, first.number) == (2026, 1)
    assert (second.year, second.number) == (2026, 2)
    frozen.move_to(datetime.datetime(2027, 1, 8, 10, 0, tzinfo=TZ))
    third = briefing_generate(as_of=datetime.date(2027, 1, 8), user=SYSTEM).briefing
    assert (third.year, third.number) == (2027, 1)
    assert "第1期" in third.documents.get(format=DocFormat.PDF).text


@pytest.mark.django_db(transaction=True)
def test_it_gives_simultaneous_briefings_different_numbers(district):
    """Two offices pressing the button at the same moment: unique (year, number) and a retry."""
    import threading

    from django.db import connection

    from tiaodu.briefings.services import _allocate

    numbers, errors = [], []
    barrier = threading.Barrier(4)

    def worker():
        try:
            barrier.wait()
            numbers.append(_allocate(as_of=AS_OF, user=SYSTEM, automatic=False, issuer="办公室").number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == [1, 2, 3, 4]
    assert Briefing.objects.filter(year=2026).count() == 4


def test_it_prints_the_three_paths_from_the_command(district, frozen, tmp_path, capsys):
    call_command("make_briefing", "--as-of", "2026-11-27", "--out", str(tmp_path / "out"))
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.rsplit(".", 1)[-1] for line in lines] == ["docx", "pdf", "xlsx"]
    for line in lines:
        assert (tmp_path / "out") in Path(line).parents
        assert Path(line).stat().st_size > 1000
    assert "2026年第1期调度通报.docx" in lines[0]


def test_it_refuses_a_bad_date_in_the_command(district):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="截至日期无效"):
        call_command("make_briefing", "--as-of", "2026-13-01")


def test_it_lets_only_the_office_generate(district, frozen, client):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        briefing_generate(as_of=AS_OF, user=district.users["hq"])
    client.force_login(district.users["hq"])
    response = client.post("/briefings/generate/", {"as_of": "2026-11-27"})
    assert response.status_code == 403
    assert "只有领导小组办公室" in response.content.decode()
    page = client.get("/briefings/").content.decode()
    assert "生成调度通报" not in page
    assert not Briefing.objects.exists()


def test_it_generates_from_the_button_and_asks_before_a_second_issue_of_a_day(district, frozen, client):
    client.force_login(district.users["office"])
    response = client.post("/briefings/generate/", {"as_of": "2026-11-27"})
    briefing = Briefing.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/briefings/{briefing.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "2026年第1期" in page and "下载Word" in page and "?inline=1" in page
    again = client.post("/briefings/generate/", {"as_of": "2026-11-27"})
    assert again.status_code == 400
    assert "已有2026年第1期" in again.content.decode()
    confirmed = client.post("/briefings/generate/", {"as_of": "2026-11-27", "again": "on"})
    assert confirmed.status_code == 302
    assert Briefing.objects.count() == 2
    future = client.post("/briefings/generate/", {"as_of": "2026-12-31"})
    assert future.status_code == 400 and "不能晚于今天" in future.content.decode()


def test_it_generates_through_the_api(district, frozen, client):
    client.force_login(district.users["office"])
    response = client.post("/api/v1/briefings/", {"as_of": "2026-11-27"}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["label"] == "2026年第1期" and set(body["documents"]) == {"docx", "pdf", "xlsx"}
    download = client.get(body["documents"]["xlsx"]["download_url"])
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    client.force_login(district.users["street"])
    denied = client.post("/api/v1/briefings/", {"as_of": "2026-11-27"}, content_type="application/json")
    assert denied.status_code == 403
    assert client.get("/api/v1/briefings/").json()["count"] == 1


def test_it_numbers_the_pages_of_a_pdf_rendered_in_two_processes(busy_district, monkeypatch, tmp_path):
    """A large briefing is laid out by two processes; the page numbers still run on, odd right, even left."""
    from tiaodu.briefings import render_pdf as R

    monkeypatch.setattr(R, "SPLIT_MIN_ROWS", 1)
    result = briefing_generate(as_of=AS_OF, user=SYSTEM)
    path = tmp_path / "split.pdf"
    path.write_bytes(result.pdf.file.read())
    pages = result.briefing.summary["pages"]
    checked = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    info = checked.stdout
    assert checked.stderr == ""  # no syntax error anywhere in the joined file
    assert re.search(rf"^Pages:\s+{pages}$", info, re.M)
    numbers = []
    for page in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
            capture_output=True,
            text=True,
        ).stdout
        found = re.findall(r"—\s*(\d+)\s*—", text)
        numbers.append(int(found[-1]))
        last = [line for line in text.splitlines() if line.strip()][-1]
        indent = len(last) - len(last.lstrip())
        assert (indent > 30) == (page % 2 == 1), (page, last)  # odd pages right, even pages left
    assert numbers == list(range(1, pages + 1))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert text.index("三、分类推进情况") < text.index("四、滞后项目") < text.index("抄送")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert all(" yes yes yes " in line for line in fonts.splitlines()[2:] if line.strip())
    info_title = re.search(r"^Title:\s+(.*)$", info, re.M)
    assert info_title and info_title.group(1) == f"重点工程建设调度通报（2026年第{result.briefing.number}期）"


def test_it_gives_the_number_back_and_leaves_no_file_when_rendering_fails(
    district, frozen, monkeypatch, media_root
):
    from tiaodu.briefings import services

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(services, "_xlsx_text", broken)  # after the PDF and the Word file are stored
    with pytest.raises(RuntimeError):
        briefing_generate(as_of=AS_OF, user=SYSTEM)
    assert not Briefing.objects.exists() and not Document.objects.exists()
    assert list((media_root / "documents").glob("*")) == []
    assert gc.isenabled()  # the garbage collector, paused while the files are made, runs again
    monkeypatch.undo()
    assert briefing_generate(as_of=AS_OF, user=SYSTEM).briefing.number == 1
    assert gc.isenabled()
