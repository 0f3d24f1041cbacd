"""Helpers of the anomaly-flag tests: photos with EXIF time and GPS made here, reports through the services."""

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from tests.progress.conftest import draft, figures_of

NEAR = (36.691667, 117.005)  # the project's point in these tests


def dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 2)
    return (degrees, minutes, seconds)


def photo(name: str, *, seed: int, taken: datetime.datetime | None = None, at: tuple | None = NEAR):
    """A JPEG of random shapes (its own perceptual hash per seed) with EXIF time and GPS when given."""
    rng = random.Random(seed)
    image = Image.new("RGB", (160, 120), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    pen = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(150), rng.randrange(110)
        pen.rectangle(
            (x, y, x + rng.randrange(10, 80), y + rng.randrange(10, 60)),
            fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)),
        )
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    if taken is not None:
        exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if at is not None:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = "N", dms(at[0]), "E", dms(at[1])
    buf = io.BytesIO()
    image.save(buf, format="JPEG", exif=exif, quality=90)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def report(user, project, as_of, *, photos=(), text="", **values):
    """A submitted report (figures by indicator name), with photos; returns it fresh from the database."""
    from tiaodu.progress.models import Report
    from tiaodu.progress.services import ReportInput, report_save_draft, report_submit

    r = draft(user, project, as_of, figures_of(project, **values), image_progress=text)
    if photos:
        data = ReportInput(as_of=as_of, figures=figures_of(project, **values), image_progress=text)
        report_save_draft(user=user, project=project, data=data, report=r, photos=list(photos))
    report_submit(user=user, report=r)
    return Report.objects.get(pk=r.pk)


def verified(_submitter, r, note="已核实"):
    """The report verified by the office (the lead unit's own report is verified by the office)."""
    from tiaodu.orgs.models import User
    from tiaodu.progress.services import report_verify

    return report_verify(user=User.objects.get(username="office"), report=r, note=note)


def codes(r) -> list[str]:
    return [f["code"] for f in r.flags]
