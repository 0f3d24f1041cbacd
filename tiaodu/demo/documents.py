"""Demo data of the document center: two weekly briefings and a few attached files.

`load_demo_documents(today)` is meant to run after the demo district (projects, reports, supervision):
it generates the briefings of the last two Fridays (第1期, 第2期) and uploads, through the same services
as the pages, an implementation plan (Word) for 北园大街, the minutes of the demo dispatch meeting (PDF),
a site photo (PNG) and the office's monthly ledger (Excel), shares the minutes and logs two openings.
Repeatable: it does nothing once a demo file exists.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tiaodu.briefings import layout as L
from tiaodu.briefings import services
from tiaodu.briefings.models import Briefing, Document
from tiaodu.core.actors import SYSTEM
from tiaodu.orgs.models import User
from tiaodu.projects.models import Project
from tiaodu.supervision.models import Meeting

MARKER = "北园大街道路拓宽工程实施方案"


def _last_friday(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=(today.weekday() - 4) % 7)


def _plan_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("北园大街道路拓宽工程实施方案", level=0)
    sections = [
        (
            "一、工程概况",
            [
                "北园大街西起北园立交、东至历山路，全长5.6公里，红线宽度由40米拓宽至60米。",
                "同步实施两侧建筑立面整治、管线入地和绿化亮化，涉及北园街道、泺口街道两个属地单位。",
            ],
        ),
        (
            "二、进度安排",
            [
                "红线内拆迁已于今年一季度完成；管线迁改9月底前完成。",
                "主路路面施工10月至次年4月；两侧整治与绿化亮化同步推进，次年6月底前全线完工。",
            ],
        ),
        (
            "三、责任分工",
            [
                "北园大街改造指挥部牵头负责；北园街道、泺口街道负责辖区内拆迁清表和沿街整治。",
                "区建设局负责施工监管，区城管局负责沿街秩序，区财政局保障资金按进度拨付。",
            ],
        ),
        (
            "四、保障措施",
            [
                "实行周调度、旬通报制度，倒排工期、挂图作战。",
                "对滞后标段约谈施工单位，对推进不力的责任单位按程序问责。",
            ],
        ),
    ]
    for heading, paragraphs in sections:
        document.add_heading(heading, level=1)
        for text in paragraphs:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _minutes_pdf(title: str, date_text: str) -> bytes:
    from weasyprint import HTML

    items = [
        "北园大街改造指挥部：西段管线迁改本月底前完成，每周报送进度。",
        "区财政局：小清河综合治理征收补偿资金缺口，两周内提出筹措方案。",
        "各街道办事处：违法建设拆除进度纳入周调度，未按期完成的在通报中点名。",
    ]
    body = "".join(f"<p>{i + 1}. {text}</p>" for i, text in enumerate(items))
    html = (
        f"<html><head><style>@page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}"
        f"body {{ font-family: {L.css_family(L.BODY_FONT)}; font-size: 16pt; line-height: 29pt; }}"
        f"h1 {{ font-family: {L.css_family(L.TITLE_FONT)}; font-size: 22pt; text-align: center; }}"
        f"p {{ text-indent: 2em; margin: 0; }}</style></head><body><h1>{title}会议纪要</h1>"
        f"<p>{date_text}，区委、区政府召开重点工程建设调度会，听取各指挥部进展汇报，研究解决推进中的难题。"
        f"会议议定事项如下：</p>{body}</body></html>"
    )
    return HTML(string=html).write_pdf()


def _photo_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 640), (205, 214, 222))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 420, 960, 640), fill=(120, 110, 95))
    for x in range(40, 960, 150):
        draw.rectangle((x, 200, x + 110, 420), fill=(170, 160, 150), outline=(90, 90, 90), width=3)
    draw.polygon([(0, 640), (480, 430), (960, 640)], fill=(95, 95, 100))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _ledger_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "月度台账"
    sheet.append(["项目编号", "项目名称", "牵头单位", "本月完成投资(万元)", "形象进度"])
    for project in Project.objects.select_related("lead_unit").order_by("code")[:40]:
        sheet.append([project.code, project.name, project.lead_unit.name, 0, "按计划推进"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def load_demo_documents(today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    created: Counter = Counter()
    if Document.objects.filter(title=MARKER).exists():
        return dict(created)
    friday = _last_friday(today)
    for as_of in (friday - datetime.timedelta(days=7), friday):
        if not Briefing.objects.filter(as_of=as_of).exists():
            services.briefing_generate(as_of=as_of, user=SYSTEM, automatic=True)
            created["briefings"] += 1
    users = {u.username: u for u in User.objects.filter(username__in=["office", "beiyuan_hq", "leader"])}
    office, hq = users.get("office"), users.get("beiyuan_hq")
    if office is None or hq is None:
        return dict(created)
    beiyuan = Project.objects.filter(name__startswith="北园大街").order_by("code").first()
    meeting = Meeting.objects.order_by("-date").first()
    with transaction.atomic():
        services.document_upload(
            user=hq,
            file=SimpleUploadedFile(f"{MARKER}.docx", _plan_docx()),
            title=MARKER,
            description="指挥部报领导小组办公室备案的实施方案",
            project=beiyuan,
        )
        minutes = services.document_upload(
            user=office,
            file=SimpleUploadedFile(
                "调度会会议纪要.pdf",
                _minutes_pdf(
                    meeting.title if meeting else "重点工程建设调度会",
                    f"{(meeting.date if meeting else friday).year}年{(meeting.date if meeting else friday).month}月"
                    f"{(meeting.date if meeting else friday).day}日",
                ),
            ),
            title=f"{meeting.title if meeting else '重点工程建设调度会'}会议纪要",
            meeting=meeting,
        )
        services.document_upload(
            user=hq,
            file=SimpleUploadedFile("北园大街西段现场.png", _photo_png()),
            title="北园大街西段拆迁清表现场",
            project=beiyuan,
        )
        services.document_upload(
            user=office,
            file=SimpleUploadedFile("重点项目月度台账.xlsx", _ledger_xlsx()),
            title="重点项目月度台账",
            unit=office.unit,
        )
        created["uploads"] += 4
        link = services.share_create(
            user=office,
            document=minutes,
            expires_at=timezone.now() + datetime.timedelta(days=7),
            note="发送市住建局备案",
        )
        for agent in (
            "Mozilla/5.0 (Windows NT 10.0) Chrome/120.0",
            "Mozilla/5.0 (iPhone) MicroMessenger/8.0",
        ):
            services.share_log(link=link, outcome="view", ip="10.20.30.40", user_agent=agent)
        created["shares"] += 1
        leader = users.get("leader")
        if leader is not None:
            latest = Briefing.objects.filter(state=Briefing.State.READY).order_by("-year", "-number").first()
            if latest is not None and latest.document("pdf") is not None:
                services.favorite_toggle(user=leader, document=latest.document("pdf"))
    return dict(created)
