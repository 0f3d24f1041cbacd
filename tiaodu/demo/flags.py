"""Anomaly flags (数据异常) in the demo district: a few of last week's reports, still waiting for verification,
are revised by their lead unit (第2版) with site photos and figures that the real submit flags.

Photos are real JPEGs made here with Pillow, EXIF time and GPS written with Pillow's Exif API:
* 照片无拍摄时间 and 照片过旧 — one photo without EXIF, one taken five weeks before the as-of date;
* 照片位置偏离 — a photo taken 2.5 km north of the project;
* 照片重复 — the same picture as a photo of another project's revised report (re-encoded: the perceptual
  hash finds it);
* 累计数减少 — one figure reduced below the accepted one, with its reason; verified with a note (审核意见);
* 形象进度照抄 and 增量异常 — last week's text kept while one figure jumps by a sixth of its target.
Every other photo is taken on the as-of date on the project's point. The reports stay counted: submitted
(awaiting verification) except the verified one. Loading is additive: nothing is done when a report
already has flags.
"""

from __future__ import annotations

import datetime
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from tiaodu.core.actors import SYSTEM
from tiaodu.demo import data
from tiaodu.demo.progress import STORIES
from tiaodu.orgs.models import UnitType, User
from tiaodu.progress import selectors, services
from tiaodu.progress.models import Report, ReportStatus
from tiaodu.projects.models import ProjectStatus


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (degrees, minutes, round(((value - degrees) * 60 - minutes) * 60, 2))


def site_photo(name: str, *, seed: int, taken: datetime.datetime | None, at: tuple[float, float] | None):
    """A made-up site photo (sky, ground, a building's blocks) as an uploaded JPEG with EXIF time and GPS."""
    rng = random.Random(seed)
    image = Image.new("RGB", (800, 600), (150 + rng.randrange(60), 180 + rng.randrange(50), 220))
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 380, 800, 600), fill=(120 + rng.randrange(40), 100 + rng.randrange(30), 70))
    for _ in range(9):
        x, w, h = rng.randrange(700), rng.randrange(40, 200), rng.randrange(60, 300)
        grey = rng.randrange(90, 220)
        pen.rectangle((x, 380 - h, x + w, 380), fill=(grey, grey - 10, grey - 20))
    x = rng.randrange(600)
    pen.rectangle((x, 420, x + 120, 470), fill=(230, 170, 30))  # a digger
    exif = Image.Exif()
    exif[0x010F] = "Tiaodu Demo"
    if taken is not None:
        exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if at is not None:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = "N", _dms(at[0]), "E", _dms(at[1])
    buf = io.BytesIO()
    image.save(buf, format="JPEG", exif=exif, quality=85)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def _candidates() -> list[tuple[Report, User]]:
    """Last week's reports waiting for verification (first versions, by the lead unit) of projects under
    construction with a point and an accepted report before, outside the demo's stories, by project code, each with who revises it:
    the lead unit's demo account, else the system."""
    accounts: dict[int, User] = {}
    for user in User.objects.filter(person__isnull=False).select_related("person").order_by("id"):
        accounts.setdefault(user.person.unit_id, user)
    # The projects of the demo's stories keep their story (their lag, their replanned schedules).
    stories = [s["name"] for s in data.PROJECTS if s["code"] in STORIES]
    newest = Report.objects.filter(counted=True).order_by("-as_of").values_list("as_of", flat=True).first()
    out = []
    for r in (
        Report.objects.filter(
            as_of=newest,
            status=ReportStatus.SUBMITTED,
            revision=1,
            counted=True,
            project__status=ProjectStatus.UNDER_CONSTRUCTION,
            project__latitude__isnull=False,
        )
        .exclude(project__name__in=stories)
        .select_related("project", "reporting_unit")
        .order_by("project__code")
    ):
        user = accounts.get(r.reporting_unit_id) or SYSTEM
        earlier = Report.objects.filter(
            project=r.project,
            reporting_unit=r.reporting_unit,
            status=ReportStatus.VERIFIED,
            as_of__lt=r.as_of,
        ).exists()
        if earlier and r.reporting_unit_id == r.project.lead_unit_id:
            out.append((r, user))
    return out


def _revise(report: Report, user: User, *, photos=(), figures=None, text=None) -> Report:
    """A second version of the report with the given changes, submitted (its flags computed)."""
    draft = services.report_revise(user=user, report=report, source="demo")
    current = {f.indicator_id: (f.quantity, f.decrease_reason) for f in draft.figures.all()}
    current.update(figures or {})
    data = services.ReportInput(
        as_of=draft.as_of,
        figures=current,
        investment_done=draft.investment_done,
        image_progress=draft.image_progress if text is None else text,
        problems=draft.problems,
    )
    draft = services.report_save_draft(
        user=user, project=draft.project, data=data, report=draft, photos=photos
    )
    return services.report_submit(user=user, report=draft, source="demo")


def load_demo_flags(today: datetime.date) -> int:
    """Revise four of last week's pending reports so that they carry every photo, figure and text flag;
    return how many reports were flagged (0 when flags exist already or too few reports are pending)."""
    if today > timezone.localdate() or Report.objects.exclude(flags=[]).exists():
        return 0  # a demo loaded "as of" a later day: a report cannot be dated in the future
    chosen = _candidates()[:4]
    if len(chosen) < 4:
        return 0
    tz = timezone.get_current_timezone()

    def at_day(day: datetime.date, hour: int) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, 10), tzinfo=tz)

    def point(r: Report) -> tuple[float, float]:
        return float(r.project.latitude), float(r.project.longitude)

    (a, ua), (b, ub), (c, uc), (d, ud) = chosen
    flagged = []
    shared_seed = 4401  # the picture that is used again
    flagged.append(
        _revise(
            a,
            ua,
            photos=[
                site_photo("IMG_0012.jpg", seed=shared_seed, taken=at_day(a.as_of, 10), at=point(a)),
                site_photo("微信图片_20261101.jpg", seed=4402, taken=None, at=None),
                site_photo(
                    "IMG_0007.jpg",
                    seed=4403,
                    taken=at_day(a.as_of - datetime.timedelta(days=35), 15),
                    at=point(a),
                ),
            ],
        )
    )
    far = (point(b)[0] + 0.0225, point(b)[1])
    flagged.append(
        _revise(
            b,
            ub,
            photos=[
                site_photo("IMG_2301.jpg", seed=4404, taken=at_day(b.as_of, 9), at=far),
                site_photo("现场照片.jpg", seed=shared_seed, taken=at_day(b.as_of, 11), at=point(b)),
            ],
        )
    )
    accepted = {f.indicator_id: f.quantity for f in selectors.accepted_reports_before(c)[0].figures.all()}
    first = max(c.figures.all(), key=lambda f: accepted.get(f.indicator_id, 0))
    lower = (accepted[first.indicator_id] * Decimal("0.97")).quantize(Decimal("0.001"))
    decreased = _revise(
        c,
        uc,
        figures={first.indicator_id: (lower, "复核测量后核减，以监理确认数为准")},
        photos=[site_photo("IMG_3310.jpg", seed=4405, taken=at_day(c.as_of, 14), at=point(c))],
    )
    # The lead unit's own report is verified by the office.
    office = User.objects.filter(person__unit__type=UnitType.OFFICE).order_by("id").first() or SYSTEM
    flagged.append(services.report_verify(user=office, report=decreased, note="已核对监理测量记录，核减属实"))
    previous = selectors.accepted_reports_before(d)[0]
    jump = max(d.figures.select_related("indicator"), key=lambda f: f.indicator.target - f.quantity)
    higher = min(jump.quantity + jump.indicator.target / 6, jump.indicator.target).quantize(Decimal("0.001"))
    flagged.append(_revise(d, ud, figures={jump.indicator_id: (higher, "")}, text=previous.image_progress))
    return sum(1 for r in flagged if r.flags)
