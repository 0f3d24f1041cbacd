"""A remediation project with before/after photos, for the project file and the briefing's annex."""

import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=TZ)  # a Friday
TODAY = NOW.date()
BEFORE_DAY = datetime.date(2026, 10, 9)
AFTER_DAY = datetime.date(2026, 11, 20)
PLACE = (36.690000, 117.010000)  # lat, lon of the photographed place
FAR = (36.693000, 117.010000)  # 333 m north: another place


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _dms(value: float):
    d = int(value)
    m = int((value - d) * 60)
    return (d, m, round(((value - d) * 60 - m) * 60, 3))


def photo(name, *, day=None, at=None, color=(200, 30, 30)):
    """A JPEG upload with EXIF time (day, 10:00) and GPS (at), either optional."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    if day is not None:
        exif.get_ifd(0x8769)[36867] = f"{day:%Y:%m:%d} 10:00:00"
    if at is not None:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = "N", _dms(at[0]), "E", _dms(at[1])
    buf = io.BytesIO()
    Image.new("RGB", (96, 72), color).save(buf, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def remediation_project(district):
    """ZZ-001, a remediation project of the HQ in the street's territory, with two verified reports: the
    first (9 Oct) photographs the place and a far one, the second (20 Nov) the place again (15 m off) and
    carries a photo without GPS."""
    from tiaodu.progress.services import ReportInput, report_save_draft, report_submit, report_verify
    from tiaodu.projects.models import Category, Indicator, Project, ProjectType

    project = Project.objects.create(
        code="ZZ-001",
        name="水屯社区综合整治",
        type=ProjectType.REMEDIATION,
        category=Category.objects.order_by("id").first(),
        lead_unit=district.units["hq"],
        planned_start=datetime.date(2026, 3, 1),
        planned_finish=datetime.date(2026, 12, 31),
        deadline=datetime.date(2026, 12, 31),
        total_investment=Decimal("3600"),
        latitude=Decimal(str(PLACE[0])),
        longitude=Decimal(str(PLACE[1])),
    )
    project.territorial_units.set([district.units["street"]])
    area = Indicator.objects.create(
        project=project, name="拆违面积", unit_of_measure="m²", target=Decimal("40000")
    )
    hq, office = district.users["hq"], district.users["office"]
    batches = [
        (
            BEFORE_DAY,
            "12000",
            [
                photo("前.jpg", day=BEFORE_DAY, at=PLACE, color=(120, 90, 60)),
                photo("远处.jpg", day=BEFORE_DAY, at=FAR),
            ],
        ),
        (
            AFTER_DAY,
            "36000",
            [
                photo("后.jpg", day=AFTER_DAY, at=(PLACE[0] + 0.000135, PLACE[1]), color=(60, 160, 60)),
                photo("无定位.jpg", day=AFTER_DAY),
            ],
        ),
    ]
    for as_of, quantity, photos in batches:
        draft = report_save_draft(
            user=hq,
            project=project,
            data=ReportInput(as_of=as_of, figures={area.pk: (quantity, "")}, image_progress="拆违推进"),
            photos=photos,
        )
        report_verify(user=office, report=report_submit(user=hq, report=draft), note="已核实现场照片")
    return project
