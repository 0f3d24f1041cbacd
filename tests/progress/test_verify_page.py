"""What the verifier sees: each figure against last week (the unit's previous accepted report) and the
plan (the overview's planned quantity at the as-of date), the photos with their EXIF time and distance
from the project, the flags, and the 审核意见 field with its error beside it."""

import datetime
import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.progress.conftest import draft, exif_with_gps, figures_of, jpeg, submitted
from tests.support import login
from tiaodu.core.geo import distance_to_project_m
from tiaodu.core.templatetags.tiaodu import cn_num
from tiaodu.progress import services
from tiaodu.progress.models import Report, ReportStatus
from tiaodu.progress.overview import project_status

D = datetime.date


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _street_week(d, media_root):
    """Last week's street report verified by hq at 1,000; this week's at 1,500 with two photos."""
    p = d.project
    p.latitude, p.longitude = Decimal("36.6917"), Decimal("117.0150")
    p.save(update_fields=["latitude", "longitude"])
    street = d.users["street"]
    services.report_verify(
        user=d.users["hq"], report=submitted(street, p, D(2026, 11, 19), figures_of(p, 拆迁面积=1000))
    )
    report = draft(street, p, D(2026, 11, 26), figures_of(p, 拆迁面积=1500))
    photos = [
        SimpleUploadedFile("有位置.jpg", jpeg(exif=exif_with_gps()), content_type="image/jpeg"),
        SimpleUploadedFile("无信息.jpg", jpeg(), content_type="image/jpeg"),
    ]
    services.report_add_photos(user=street, report=report, photos=photos)
    return services.report_submit(user=street, report=report)


def test_the_queue_shows_last_week_the_plan_the_photos_and_the_flags(frozen, reporters, client, media_root):
    d = reporters
    report = _street_week(d, media_root)
    Report.objects.filter(pk=report.pk).update(
        flags=[{"code": "jump", "message": "「拆迁面积」本周增加500m²，远超前四周平均"}]
    )

    login(client, d, "hq")
    html = client.get("/reports/verify/").content.decode()
    text = _text(html)
    planned = project_status(user=d.users["hq"], code="ZD-001", as_of=D(2026, 11, 26)).indicators[0].planned
    assert planned is not None
    assert "1,500 m²" in text and "1,000 截至2026年11月19日" in text and "+500" in text
    assert cn_num(planned) in text
    assert cn_num(round(1500 - planned, 3)) in text
    assert "数据异常 1 项" in text and "「拆迁面积」本周增加500m²，远超前四周平均" in text
    metres = distance_to_project_m(36.691667, 117.005, point=(36.6917, 117.0150))
    assert f"距项目 {metres:.0f} 米" in text and 800 < metres < 1000
    assert "拍摄于 2026年11月25日 09:30" in text
    assert "无拍摄时间" in text and "无位置" in text
    assert f'name="r{report.pk}-note"' in html

    # A flagged report without a note: the error beside the field, what was typed kept.
    response = client.post(f"/reports/{report.pk}/verify/", {"next": "queue", f"r{report.pk}-note": " "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="invalid-feedback d-block"' in html
    assert "该周报有1项数据异常，请填写审核意见（核实情况）后再审核通过" in html
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    response = client.post(
        f"/reports/{report.pk}/verify/", {"next": "queue", f"r{report.pk}-note": "已到现场核实"}
    )
    assert response.status_code == 302 and response["Location"] == "/reports/verify/"
    report.refresh_from_db()
    assert report.verify_note == "已到现场核实" and report.verified_by == d.users["hq"]


def test_the_report_page_shows_the_same_and_keeps_the_note_error_beside_the_field(
    frozen, reporters, client, media_root
):
    d = reporters
    report = _street_week(d, media_root)
    Report.objects.filter(pk=report.pk).update(flags=[{"code": "x", "message": "照片无拍摄时间"}])

    login(client, d, "hq")
    text = _text(client.get(f"/reports/{report.pk}/").content.decode())
    assert (
        "与上周、计划对比" in text
        and "数据异常 1 项" in text
        and "审核者：牵头单位（北园大街改造指挥部）" in text
    )
    response = client.post(f"/reports/{report.pk}/verify/", {"note": ""})
    assert response.status_code == 400
    assert 'id="id_note-error">该周报有1项数据异常' in response.content.decode()

    for who in ("leader", "supervisor"):  # they look on
        login(client, d, who)
        html = client.get("/reports/verify/").content.decode()
        assert "以下为待审核的周报（只读）" in _text(html) and "北园大街道路拓宽及两侧整治" in html
        assert "审核通过</button>" not in html and "<textarea" not in html


def test_a_verified_flagged_report_no_longer_asks_for_a_note(frozen, reporters, client, media_root):
    d = reporters
    report = _street_week(d, media_root)
    Report.objects.filter(pk=report.pk).update(flags=[{"code": "jump", "message": "「拆迁面积」增量异常"}])
    login(client, d, "hq")
    before = _text(client.get(f"/reports/{report.pk}/").content.decode()).replace(" ", "")
    assert "数据异常1项（审核通过须填写审核意见）" in before
    client.post(f"/reports/{report.pk}/verify/", {"note": "已到现场核实"})
    after = _text(client.get(f"/reports/{report.pk}/").content.decode()).replace(" ", "")
    assert "数据异常1项（已核实，见审核意见）" in after and "审核通过须填写审核意见" not in after
    assert "审核意见：已到现场核实" in after
