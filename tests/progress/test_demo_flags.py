"""The demo district has reports that raise the anomaly flags, consistent with the rest of the demo."""

import datetime

import pytest

from tests.demo_copy import demo_district
from tiaodu.demo.loader import load_demo
from tiaodu.progress.models import Report, ReportStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 29)  # a Sunday


def test_the_demo_has_flagged_reports_awaiting_verification_or_verified_with_a_note(media_root):
    result = demo_district(today=TODAY)
    flagged = list(Report.objects.exclude(flags=[]).order_by("project__code"))
    assert result.created["flagged reports"] == 4 == len(flagged)
    codes = {f["code"] for r in flagged for f in r.flags}
    assert {
        "photo_no_time",
        "photo_old",
        "photo_far",
        "photo_reused",
        "decrease",
        "jump",
        "copied_text",
    } <= codes
    for r in flagged:
        assert r.counted and r.revision == 2 and r.as_of == datetime.date(2026, 11, 26)
        assert r.status == ReportStatus.SUBMITTED or (r.status == ReportStatus.VERIFIED and r.verify_note)
    messages = [f["message"] for r in flagged for f in r.flags]
    assert any(m.startswith("照片「IMG_2301.jpg」拍摄地点距项目2.") for m in messages), messages
    assert load_demo(today=TODAY).created["flagged reports"] == 0
