"""整治前后对比 in the demo: the first remediation project (by code) with a point and at least two verified
reports gets site photos of three places around its point — a cluttered "before" in its earliest verified
report and a tidy "after" in its latest — and one place photographed only once (no pair). Photos are
JPEGs made with Pillow, EXIF time and GPS written like the demo's flagged photos (tiaodu.demo.flags), read
and stored as the reporting service stores uploads (re-encoded, position and time from EXIF). Loading is
additive: nothing is done when the project's reports already carry photos with a position."""

from __future__ import annotations

import datetime
import io
import math
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from tiaodu.core.domain import REMEDIATION
from tiaodu.demo.flags import _dms
from tiaodu.progress.models import Report, ReportPhoto, ReportStatus
from tiaodu.progress.photos import photo_read
from tiaodu.progress.services import photo_store
from tiaodu.projects.models import Project

# metres north, east of the project's point (about 110 m apart: three places)
PLACES = [(0, 0), (110, 40), (-60, 120)]
SINGLE = (40, -140)


def _scene(seed: int, *, tidy: bool, taken: datetime.datetime, at: tuple[float, float], name: str):
    rng = random.Random(seed)
    image = Image.new("RGB", (800, 600), (175, 205, 235) if tidy else (185, 185, 180))
    pen = ImageDraw.Draw(image)
    for i in range(5):  # the same street front before and after
        x = 20 + i * 155 + rng.randrange(10)
        h = 160 + (seed * 37 + i * 53) % 140
        wall = (225, 215, 195) if tidy else (150, 140, 125)
        pen.rectangle((x, 400 - h, x + 140, 400), fill=wall)
        for wy in range(400 - h + 15, 390, 40):
            pen.rectangle((x + 15, wy, x + 45, wy + 22), fill=(90, 130, 170) if tidy else (70, 70, 70))
            pen.rectangle((x + 90, wy, x + 120, wy + 22), fill=(90, 130, 170) if tidy else (70, 70, 70))
    pen.rectangle((0, 400, 800, 600), fill=(120, 175, 95) if tidy else (125, 105, 80))
    if tidy:
        for x in range(40, 800, 110):
            pen.ellipse((x, 430, x + 50, 480), fill=(60, 140, 60))
            pen.rectangle((x + 22, 478, x + 28, 520), fill=(100, 70, 40))
    else:
        for _ in range(14):  # rubbish, sheds and heaps
            x, y = rng.randrange(760), rng.randrange(420, 570)
            pen.rectangle((x, y, x + rng.randrange(30, 110), y + rng.randrange(15, 45)), fill=(90, 80, 70))
        pen.polygon([(300, 560), (420, 450), (540, 560)], fill=(110, 95, 75))
    exif = Image.Exif()
    exif[0x010F] = "Tiaodu Demo"
    exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", _dms(at[0]), "E", _dms(at[1])
    buf = io.BytesIO()
    image.save(buf, format="JPEG", exif=exif, quality=85)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def _store(report: Report, upload) -> None:
    photo_store(report, photo_read(upload), uploaded_by=report.submitted_by)


def _offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    return lat + north_m / 110_540, lon + east_m / (111_320 * math.cos(math.radians(lat)))


def load_demo_before_after() -> int:
    """The photos added (0 when there is no such project or it has them already)."""
    for project in Project.objects.filter(type=REMEDIATION, latitude__isnull=False).order_by("code"):
        reports = list(
            Report.objects.filter(project=project, status=ReportStatus.VERIFIED, superseded=False).order_by(
                "as_of", "id"
            )
        )
        if len({r.as_of for r in reports}) >= 2:
            break
    else:
        return 0
    if ReportPhoto.objects.filter(report__project=project, latitude__isnull=False).exists():
        return 0
    first, last = reports[0], reports[-1]
    tz = timezone.get_current_timezone()
    lat0, lon0 = float(project.latitude), float(project.longitude)
    added = 0
    for i, (north, east) in enumerate(PLACES, start=1):
        at = _offset(lat0, lon0, north, east)
        for report, tidy in ((first, False), (last, True)):
            taken = datetime.datetime.combine(report.as_of, datetime.time(9 + i, 20), tzinfo=tz)
            _store(report, _scene(i, tidy=tidy, taken=taken, at=at, name=f"地点{i}_{report.as_of:%m%d}.jpg"))
            added += 1
    taken = datetime.datetime.combine(last.as_of, datetime.time(15, 5), tzinfo=tz)
    _store(last, _scene(9, tidy=True, taken=taken, at=_offset(lat0, lon0, *SINGLE), name="单张.jpg"))
    return added + 1
