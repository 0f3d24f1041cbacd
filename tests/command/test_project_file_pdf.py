"""The project file as one PDF (/projects/<code>/file.pdf): written, read back with poppler (text, fonts,
page size, images)."""

import datetime
import re
import subprocess
import urllib.parse

import pytest

from tests.command.conftest import TODAY, remediation_project
from tests.support import login
from tiaodu.progress.overview import project_status
from tiaodu.progress.services import ReportInput, report_save_draft, report_submit, report_verify

pytestmark = pytest.mark.django_db

HEADINGS = [
    "项目档案",
    "基本信息",
    "进度与指标",
    "S曲线",
    "关键任务",
    "最近一份已审核周报",
    "待解决难题",
    "办理中的督办事项",
    "本年度投资",
    "相关文件",
    "位置",
    "目标责任书事项",
    "项目大事记",
]


def _pdf(client, code, tmp_path):
    response = client.get(f"/projects/{code}/file.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / f"{code}.pdf"
    path.write_bytes(response.content)
    return response, path


def _run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_the_pdf_has_every_section_the_figures_and_embedded_fonts(district, frozen, client, tmp_path):
    project = district.project
    indicator = project.indicators.get(name="拆迁面积")
    draft = report_save_draft(
        user=district.users["hq"],
        project=project,
        data=ReportInput(as_of=TODAY - datetime.timedelta(days=1), figures={indicator.pk: ("30000", "")}),
    )
    report_verify(
        user=district.users["office"], report=report_submit(user=district.users["hq"], report=draft)
    )
    login(client, district, "office")
    response, path = _pdf(client, "ZD-001", tmp_path)
    disposition = response["Content-Disposition"]
    assert "filename*=utf-8''" in disposition
    assert (
        urllib.parse.unquote(disposition.split("''", 1)[1])
        == "ZD-001 北园大街道路拓宽及两侧整治 项目档案.pdf"
    )
    text = re.sub(r"\s+", "", _run("pdftotext", "-enc", "UTF-8", str(path), "-"))
    for heading in HEADINGS:
        assert heading in text, heading
    p = project_status(user=district.users["office"], code="ZD-001", as_of=TODAY)
    assert re.sub(r"\s+", "", p.lag_text) in text
    assert f"剩余{(datetime.date(2027, 8, 31) - TODAY).days}天" in text
    assert "30,000" in text
    fonts = _run("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all(" yes yes " in line for line in fonts), fonts
    assert any("CJK" in line for line in fonts)
    info = _run("pdfinfo", str(path))
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)


def test_the_pdf_of_a_remediation_project_puts_its_photos_side_by_side(district, frozen, client, tmp_path):
    project = remediation_project(district)
    login(client, district, "hq")
    _response, path = _pdf(client, project.code, tmp_path)
    text = re.sub(r"\s+", "", _run("pdftotext", "-enc", "UTF-8", str(path), "-"))
    assert "整治前后对比" in text and "整治前2026年10月9日" in text and "整治后2026年11月20日" in text
    images = _run("pdfimages", "-list", str(path)).splitlines()[2:]
    # the latest report's two photos and the before/after pair
    assert len(images) >= 4


def test_no_pdf_for_a_project_the_user_may_not_see(district, client):
    login(client, district, "outsider")
    assert client.get("/projects/ZD-001/file.pdf").status_code == 404
    assert client.get("/projects/NOPE/file.pdf").status_code == 404


def test_an_unchanged_pdf_is_written_once_and_any_change_shows_in_the_next(
    district, frozen, client, tmp_path, monkeypatch
):
    from weasyprint import HTML

    from tiaodu.command import file_pdf
    from tiaodu.projects.models import Project

    monkeypatch.setattr(file_pdf, "RENDERED", type(file_pdf.RENDERED)())
    laid_out = []
    write_pdf = HTML.write_pdf
    monkeypatch.setattr(HTML, "write_pdf", lambda self, **kw: laid_out.append(1) or write_pdf(self, **kw))
    login(client, district, "office")
    first, _path = _pdf(client, "ZD-001", tmp_path)
    again, _path = _pdf(client, "ZD-001", tmp_path)
    assert again.content == first.content and len(laid_out) == 1
    # The data changes (the same minute, the same user): the next PDF is written anew and shows it.
    Project.objects.filter(pk=district.project.pk).update(name="北园大街道路拓宽二期")
    changed, path = _pdf(client, "ZD-001", tmp_path)
    assert len(laid_out) == 2 and changed.content != first.content
    text = re.sub(r"\s+", "", _run("pdftotext", "-enc", "UTF-8", str(path), "-"))
    assert "北园大街道路拓宽二期" in text and "北园大街道路拓宽及两侧整治" not in text
    # Another user gets a PDF of their own (printed by them), and the next minute a new print time.
    login(client, district, "hq")
    theirs, path = _pdf(client, "ZD-001", tmp_path)
    assert len(laid_out) == 3 and "赵指挥打印于" in re.sub(r"\s+", "", _run("pdftotext", str(path), "-"))
    frozen.shift(datetime.timedelta(minutes=1))
    later, _path = _pdf(client, "ZD-001", tmp_path)
    assert len(laid_out) == 4 and later.content != theirs.content
