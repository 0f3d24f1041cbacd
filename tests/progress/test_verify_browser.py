"""The verification page in a browser: the lead unit on a phone (390×844) refuses to pass a flagged report
without a note (the error beside the 审核意见 field), then passes it with one; the office at 1920×1080 sees
the lead unit's own report with its figures against last week and the plan and its photos."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.browser_shots import shot
from tests.progress.conftest import exif_with_gps, jpeg
from tests.progress.test_browser import log_in, restore_migration_data  # noqa: F401 — the fixture

D = datetime.date


def _world(district):
    from django.utils import timezone

    from tiaodu.progress import services
    from tiaodu.progress.models import Report
    from tiaodu.progress.settings_services import reporting_units_set
    from tiaodu.projects.models import Project

    today = timezone.localdate()
    Project.objects.filter(pk=district.project.pk).update(
        planned_start=today - datetime.timedelta(days=120),
        planned_finish=today + datetime.timedelta(days=120),
        latitude=Decimal("36.6917"),
        longitude=Decimal("117.0050"),
    )
    project = Project.objects.get(pk=district.project.pk)
    reporting_units_set(user=district.users["hq"], project=project, units=[district.units["street"]])
    indicator = project.indicators.get()

    def report(who, as_of, quantity, photos=()):
        user = district.users[who]
        data = services.ReportInput(
            as_of=as_of, figures={indicator.pk: (quantity, "")}, problems="南段两户未签约"
        )
        draft = services.report_save_draft(user=user, project=project, data=data)
        if photos:
            services.report_add_photos(user=user, report=draft, photos=photos)
        return services.report_submit(user=user, report=draft)

    last_week = today - datetime.timedelta(days=7)
    services.report_verify(user=district.users["hq"], report=report("street", last_week, "20000"))
    photos = [
        SimpleUploadedFile(
            "现场东侧.jpg", jpeg(exif=exif_with_gps(), size=(320, 240)), content_type="image/jpeg"
        ),
        SimpleUploadedFile(
            "现场西侧.jpg", jpeg(size=(320, 240), color=(40, 120, 60)), content_type="image/jpeg"
        ),
    ]
    street = report("street", today, "36000", photos)
    Report.objects.filter(pk=street.pk).update(
        flags=[
            {"code": "jump", "message": "「拆迁面积」本周增加16,000m²，为前四周平均的8倍"},
            {"code": "photo_time", "message": "照片「现场西侧.jpg」无拍摄时间"},
        ]
    )
    again = SimpleUploadedFile(
        "指挥部.jpg", jpeg(exif=exif_with_gps(), size=(320, 240)), content_type="image/jpeg"
    )
    own = report("hq", today, "30000", [again])
    return street, own


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_lead_unit_verifies_on_a_phone_and_the_office_reads_at_1920(
    live_server, browser, district, tmp_path
):
    from tiaodu.progress.models import Report, ReportStatus

    street, own = _world(district)

    phone, page = log_in(browser, live_server, "hq", {"width": 390, "height": 844})
    page.goto(f"{live_server.url}/reports/verify/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    assert page.locator("[data-report]").count() == 1  # its own report waits for the office, not for it
    card = page.locator(f"[data-report='{street.pk}']")
    assert "数据异常 2 项" in card.inner_text() and "距项目" in card.inner_text()
    assert "无拍摄时间" in card.inner_text() and "无位置" in card.inner_text()
    shot(page, "verify-queue-390", full_page=True)
    card.get_by_role("button", name="审核通过").click()
    page.wait_for_load_state()
    card = page.locator(f"[data-report='{street.pk}']")
    error = card.locator(".invalid-feedback")
    assert error.is_visible() and "请填写审核意见" in error.inner_text()
    note = card.get_by_label("审核意见")
    box, error_box = note.bounding_box(), error.bounding_box()
    assert 0 <= error_box["y"] - (box["y"] + box["height"]) < 40  # right below the field
    shot(card, "verify-note-error-390")
    note.fill("已到现场核实，拆迁集中签约")
    card.get_by_role("button", name="审核通过").click()
    page.wait_for_url(f"{live_server.url}/reports/verify/")
    assert "没有待审核的周报" in page.inner_text("main")
    street.refresh_from_db()
    assert street.status == ReportStatus.VERIFIED and street.verify_note == "已到现场核实，拆迁集中签约"
    phone.close()

    desk, page = log_in(browser, live_server, "office", {"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/reports/{own.pk}/")
    assert "审核者：领导小组办公室" in page.inner_text("main")
    assert page.locator("#checks").is_visible() and page.locator("#verify #id_note").is_visible()
    shot(page, "report-verify-1920", full_page=True)
    page.goto(f"{live_server.url}/reports/verify/")
    shot(page, "verify-queue-1920", full_page=True)
    card = page.locator(f"[data-report='{own.pk}']")
    own.refresh_from_db()
    if own.flags:  # its photo's EXIF (time, place) may raise flags on submit: the office notes its check
        assert "数据异常" in card.inner_text()
    card.get_by_label("审核意见").fill("已核实")
    card.get_by_role("button", name="审核通过").click()
    page.wait_for_url(f"{live_server.url}/reports/verify/")
    assert Report.objects.get(pk=own.pk).verified_by == district.users["office"]
    desk.close()
