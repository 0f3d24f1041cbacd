import datetime
import io
import zipfile
import zoneinfo

import pytest
import time_machine

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=TZ)  # a Friday
AS_OF = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def busy_district(district, frozen):
    """The shared district with a reported figure, a problem at 分管区领导 level and a red and a yellow item."""
    from tiaodu.progress.services import ReportInput, report_save_draft, report_submit
    from tiaodu.supervision.models import Level, Problem, ProblemType, SupervisionItem

    project = district.project
    indicator = project.indicators.get(name="拆迁面积")
    draft = report_save_draft(
        user=district.users["hq"],
        project=project,
        data=ReportInput(as_of=AS_OF - datetime.timedelta(days=1), figures={indicator.pk: ("30000", "")}),
    )
    report_submit(user=district.users["hq"], report=draft)
    Problem.objects.create(
        project=district.other,
        type=ProblemType.FUNDING,
        title="征收补偿资金缺口",
        description="征收补偿资金缺口约3200万元，需区财政统筹解决。",
        owner_unit=district.units["hq2"],
        level=Level.LEADER,
        level_entered_on=datetime.date(2026, 11, 20),
    )
    Problem.objects.create(
        project=district.project,
        type=ProblemType.LAND,
        title="低层级问题",
        description="仍在责任单位办理的问题",
        owner_unit=district.units["hq"],
        level=Level.UNIT,
        level_entered_on=datetime.date(2026, 11, 25),
    )
    red = SupervisionItem.objects.create(
        title="北园大街西段管线迁改11月上旬完成",
        content="管线迁改",
        deadline=datetime.date(2026, 11, 6),
    )
    red.assignee_units.set([district.units["hq"]])
    yellow = SupervisionItem.objects.create(
        title="水屯社区违建拆除进度周报",
        content="周报",
        deadline=datetime.date(2026, 11, 25),
    )
    yellow.assignee_units.set([district.units["street"]])
    fine = SupervisionItem.objects.create(
        title="不应出现的未到期事项", content="x", deadline=datetime.date(2026, 12, 30)
    )
    fine.assignee_units.set([district.units["street"]])
    return district


# --- files for upload tests -----------------------------------------------------------------------


def pdf_bytes(text="Tiaodu test PDF", pages=2) -> bytes:
    """A small real PDF (WeasyPrint) with `pages` pages."""
    from weasyprint import HTML

    body = "".join(f'<p style="page-break-after: always">{text} {i + 1}</p>' for i in range(pages - 1))
    body += f"<p>{text} {pages}</p>"
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def docx_bytes(paragraphs=("第一段正文",), heading="一、总体情况", pages=None) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    if pages is None:
        return strip_pages(data)
    return data


def strip_pages(data: bytes) -> bytes:
    """The same .docx without <Pages> in docProps/app.xml (as some tools write it)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "docProps/app.xml":
                content = content.replace(b"<Pages>1</Pages>", b"")
            dst.writestr(info, content)
    return out.getvalue()


def xlsx_bytes(rows=(("项目编号", "项目名称"), ("ZD-001", "北园大街道路拓宽"))) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def png_bytes(size=(40, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buf, format="PNG")
    return buf.getvalue()


def jpeg_bytes(size=(40, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format="JPEG")
    return buf.getvalue()


def upload(name: str, data: bytes, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)
