"""The objects the permission matrix acts on, built on the shared test district when a row first asks.

The district (tests/conftest.py): ZD-001 led by 北园大街改造指挥部 (hq), held by 北园街道 (street),
supported by 区建设局 (dept); ZD-002 led by 小清河综合治理指挥部, held by 泺口街道 (the outsider's unit).
On top of it, each object below is made the first time a row's address, body or check uses it, by the
services and the role that would make it in real life. Time stands at Friday 27 November 2026, 10:00
in Beijing (the matrix fixture freezes it).
"""

from __future__ import annotations

import datetime
from functools import cached_property

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

D = datetime.date
TODAY = D(2026, 11, 27)


def png_bytes() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 6), (30, 120, 200)).save(buf, format="PNG")
    return buf.getvalue()


def png(name="现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


class World:
    def __init__(self, district):
        self.d = district
        self.users = district.users
        self.units = district.units
        self.people = district.people
        self.project = district.project  # ZD-001
        self.other = district.other  # ZD-002

    def user(self, key):
        return self.users[key]

    # --- projects --------------------------------------------------------------------------------

    @cached_property
    def indicator(self):
        return self.project.indicators.get()

    @cached_property
    def spare_indicator(self):
        """An indicator in no letter, so that it may be deleted."""
        from tiaodu.projects.models import Indicator

        return Indicator.objects.create(
            project=self.project, name="清表面积", unit_of_measure="m²", target=500
        )

    @cached_property
    def change(self):
        """北园街道's pending request (计划变更) to move ZD-001's planned finish."""
        from tiaodu.projects.changes import Proposal, change_request

        return change_request(
            user=self.users["street"],
            project=self.project,
            proposal=Proposal(reason="矩阵申请顺延", planned_finish=D(2027, 9, 30)),
        )

    @cached_property
    def letter(self):
        """北园大街改造指挥部's 2026 letter, with a scan and one item on ZD-001."""
        from tiaodu.projects.models import LetterItem, ResponsibilityLetter

        letter = ResponsibilityLetter.objects.create(unit=self.units["hq"], year=2026)
        letter.scan.save("scan", ContentFile(png_bytes()), save=False)
        letter.scan_name, letter.scan_type = "责任书.png", "image/png"
        letter.save()
        LetterItem.objects.create(
            letter=letter,
            project=self.project,
            indicator=self.indicator,
            target=60000,
            deadline=D(2026, 12, 31),
        )
        return letter

    @cached_property
    def letter_item(self):
        return self.letter.items.get()

    # --- funds (investment) -----------------------------------------------------------------------

    @cached_property
    def annual_plan(self):
        """ZD-001's 2026 annual plan."""
        from tiaodu.investment.models import AnnualPlan

        return AnnualPlan.objects.create(project=self.project, year=2026, amount=20000)

    @cached_property
    def arrival(self):
        """Funds arrived for ZD-001."""
        from tiaodu.investment.models import FundArrival, FundingSource

        source = FundingSource.objects.get(name="区级财政资金")
        return FundArrival.objects.create(project=self.project, date=D(2026, 3, 1), source=source, amount=500)

    @cached_property
    def gap(self):
        """ZD-001 flagged 资金缺口 in November: 500 of 40,000 arrived (1.3%) against 时间进度 91.7%."""
        from tiaodu.investment.models import FundingPlan, FundingSource

        source = FundingSource.objects.get(name="区级财政资金")
        FundingPlan.objects.create(project=self.project, source=source, amount=40000)
        return self.arrival

    # --- reports ---------------------------------------------------------------------------------

    @cached_property
    def reporters(self):
        """北园街道 reports on ZD-001 besides its lead unit (added by the lead unit)."""
        from tiaodu.progress.settings_services import reporting_units_set

        reporting_units_set(user=self.user("hq"), project=self.project, units=[self.units["street"]])
        return True

    def _draft(self, as_of, quantity, **fields):
        from tiaodu.progress.services import ReportInput, report_save_draft

        data = ReportInput(as_of=as_of, figures={self.indicator.pk: (quantity, "")}, **fields)
        return report_save_draft(user=self.user("hq"), project=self.project, data=data)

    @cached_property
    def submitted(self):
        """hq's report as of Thursday, submitted and waiting for verification, with a problem in it."""
        from tiaodu.progress.services import report_submit

        assert self.reporters
        report = self._draft(D(2026, 11, 26), "1000", problems="南段两户未签约")
        return report_submit(user=self.user("hq"), report=report)

    @cached_property
    def flagged(self):
        """hq's submitted report with an anomaly flag (数据异常)."""
        from tiaodu.progress.models import Report

        flags = [
            {"code": "photo_no_time", "message": "照片「a.jpg」没有拍摄时间（EXIF），无法确认是本期所拍"}
        ]
        Report.objects.filter(pk=self.submitted.pk).update(flags=flags)
        return self.submitted

    @cached_property
    def street_submitted(self):
        """北园街道's report on ZD-001 as of Thursday, submitted by the street: the lead unit verifies it."""
        from tiaodu.progress.services import ReportInput, report_save_draft, report_submit

        assert self.reporters
        data = ReportInput(as_of=D(2026, 11, 26), figures={self.indicator.pk: ("900", "")})
        street = self.user("street")
        return report_submit(
            user=street, report=report_save_draft(user=street, project=self.project, data=data)
        )

    @cached_property
    def draft(self):
        """hq's draft as of the week before: only hq, its author's unit, and the office see it."""
        assert self.reporters
        return self._draft(D(2026, 11, 19), "800", problems="草稿中的问题")

    # --- monthly investment ----------------------------------------------------------------------

    @cached_property
    def monthly_submitted(self):
        """hq's October figure for ZD-001, submitted and waiting for verification (by the office)."""
        from tiaodu.investment.services_monthly import monthly_save_draft, monthly_submit

        figure = monthly_save_draft(
            user=self.user("hq"), project=self.project, year=2026, month=10, amount="1200"
        )
        return monthly_submit(user=self.user("hq"), figure=figure)

    @cached_property
    def monthly_draft(self):
        """hq's September draft for ZD-001: only hq and the office see it."""
        from tiaodu.investment.services_monthly import monthly_save_draft

        return monthly_save_draft(
            user=self.user("hq"), project=self.project, year=2026, month=9, amount="800"
        )

    # --- schedules -------------------------------------------------------------------------------

    @cached_property
    def task(self):
        from tiaodu.scheduling.importers import ImportedTask
        from tiaodu.scheduling.models import Task
        from tiaodu.scheduling.services import tasks_replace

        rows = [
            ImportedTask(1, "A", "征收拆迁", 20, [], self.indicator, 120000),
            ImportedTask(2, "B", "道路施工", 30, []),
        ]
        tasks_replace(user=self.user("hq"), project=self.project, tasks=rows, filename="", source="web")
        return Task.objects.get(project=self.project, code="B")

    @cached_property
    def schedule_import(self):
        """An import of ZD-001's schedule, with its report."""
        from tiaodu.scheduling.models import ScheduleImport

        return ScheduleImport.objects.create(
            project=self.project,
            file_name="总进度计划.xml",
            file_format="MS Project XML (MSPDI)",
            user=self.user("hq"),
            report={"counts": {"任务": 2}, "added": ["A 征收拆迁"], "dropped": []},
        )

    # --- supervision -----------------------------------------------------------------------------

    def _item(self, title, units, **extra):
        from tiaodu.supervision import services

        data = {
            "title": title,
            "content": "按批示办理",
            "source": "instruction",
            "deadline": D(2026, 12, 31),
            "assignee_units": [self.units[u] for u in units],
            **extra,
        }
        return services.item_create(user=self.user("supervisor"), data=data, on=D(2026, 11, 20))

    @cached_property
    def item(self):
        """Assigned to 北园街道, on ZD-001: seen by every unit of ZD-001, answered by the street."""
        return self._item("清理北园大街沿线建筑垃圾", ["street"], project=self.project)

    @cached_property
    def item_elsewhere(self):
        """Assigned to 泺口街道 (the outsider), on no project."""
        return self._item("泺口街道背街小巷整治", ["street2"])

    @cached_property
    def item_closing(self):
        """Assigned to 北园街道, which asked to close it: waits for 督查室."""
        from tiaodu.supervision import services

        item = self._item("恢复北园大街路面", ["street"], project=self.project)
        services.item_request_close(user=self.user("street"), item=item, text="已恢复")
        return item

    @cached_property
    def item_closed(self):
        """Closed by 督查室: nobody adjusts it any more."""
        from tiaodu.supervision import services

        item = self.item_closing
        services.item_confirm_close(user=self.user("supervisor"), item=item, text="核查属实")
        return item

    @cached_property
    def problem(self):
        """Raised by 北园街道 on ZD-001 (the owner unit); the lead unit handles it too."""
        from tiaodu.supervision import services

        return services.problem_raise(
            user=self.user("street"), project=self.project, type="funding", description="征收补偿资金缺口"
        )

    @cached_property
    def meeting(self):
        """Attended by 北园大街改造指挥部's 指挥长; made by 督查室."""
        from tiaodu.supervision import services

        meeting = services.meeting_create(
            user=self.user("supervisor"),
            data={"title": "第45次调度会", "date": D(2026, 11, 26), "attendees": [self.people["hq"]]},
        )
        return meeting

    @cached_property
    def decision(self):
        from tiaodu.supervision import services

        return services.decision_add(
            user=self.user("supervisor"), meeting=self.meeting, content="加快北园大街清表"
        )

    @cached_property
    def record(self):
        """A 约谈 of 北园街道, recorded by 督查室."""
        from tiaodu.supervision import services

        return services.accountability_create(
            user=self.user("supervisor"),
            data={
                "measure": "interview",
                "unit": self.units["street"],
                "reason": "督办事项超期",
                "decision_date": TODAY,
                "decided_by": "区委督查室",
            },
        )

    @cached_property
    def note(self):
        """A notification in hq's inbox."""
        from tiaodu.supervision.models import Notification

        return Notification.objects.create(
            recipient=self.user("hq"), kind="item", title="新督办事项", url="/"
        )

    # --- documents -------------------------------------------------------------------------------

    @cached_property
    def doc(self):
        """Uploaded by hq, linked to ZD-001."""
        from tiaodu.briefings.services import document_upload

        return document_upload(user=self.user("hq"), file=png("北园方案.png"), project=self.project)

    @cached_property
    def private_doc(self):
        """Uploaded by the outsider, linked to nothing: its author's (and those who see all)."""
        from tiaodu.briefings.services import document_upload

        return document_upload(user=self.user("outsider"), file=png("泺口草稿.png"))

    @cached_property
    def briefing(self):
        from tiaodu.briefings.models import Briefing

        return Briefing.objects.create(
            year=2026, number=7, as_of=D(2026, 11, 20), issuer="领导小组办公室", state=Briefing.State.READY
        )

    @cached_property
    def briefing_doc(self):
        """A file of the briefing: circulated to everybody, deleted only by the office."""
        from tiaodu.briefings.models import DocKind
        from tiaodu.briefings.services import document_upload

        doc = document_upload(user=self.user("office"), file=png("通报.png"))
        doc.kind, doc.briefing = DocKind.BRIEFING, self.briefing
        doc.save()
        return doc

    @cached_property
    def minutes_pdf(self):
        """The PDF of the meeting's minutes (made by 督查室): seen by whoever sees the meeting."""
        from tiaodu.briefings.minutes import minutes_generate

        return minutes_generate(user=self.user("supervisor"), meeting=self.meeting).pdf

    @cached_property
    def share(self):
        """hq's 7-day share link of its document."""
        from tiaodu.briefings.services import share_create

        return share_create(
            user=self.user("hq"), document=self.doc, expires_at=self._now() + datetime.timedelta(days=7)
        )

    @cached_property
    def kiosk(self):
        """A live kiosk link of the big screen (its secret in `.token`)."""
        from tiaodu.command.kiosk import kiosk_create

        link, link.token = kiosk_create(user=self.user("office"), name="会议室大屏")
        return link

    def _now(self):
        from django.utils import timezone

        return timezone.now()


def project_form(world, **overrides) -> dict:
    """The edit form of ZD-001 as the page sends it (responsibility fields included, unchanged)."""
    p = world.project
    data = {
        "code": p.code,
        "name": p.name,
        "type": p.type,
        "category": p.category_id,
        "description": p.description,
        "lead_unit": p.lead_unit_id,
        "territorial_units": [u.pk for u in p.territorial_units.all()],
        "supporting_units": [u.pk for u in p.supporting_units.all()],
        "supervising_leader": p.supervising_leader_id or "",
        "responsible_person": p.responsible_person_id or "",
        "planned_start": p.planned_start.isoformat(),
        "planned_finish": p.planned_finish.isoformat(),
        "deadline": p.deadline.isoformat(),
        "total_investment": str(p.total_investment),
        "longitude": "",
        "latitude": "",
        "geometry": "",
    }
    data.update(overrides)
    return data
