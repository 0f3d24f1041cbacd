"""The office splits an indicator in the browser; the project page shows the shares; a street's phone form
shows its own share. Screenshots shares-*.png in the folder TIAODU_SCREENSHOTS names, if any (1920×1080, the phone 390×844)."""

import datetime
from decimal import Decimal

import pytest

from tests.browser_shots import shot
from tests.progress.test_browser import log_in, restore_migration_data  # noqa: F401 (module fixture)

WIDE = {"width": 1920, "height": 1080}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_office_splits_an_indicator_and_a_street_reports_its_share(live_server, browser, district):
    from django.utils import timezone

    from tiaodu.orgs.models import Unit, UnitType
    from tiaodu.progress.services import ReportInput, report_save_draft, report_submit
    from tiaodu.projects.models import Project

    today = timezone.localdate()
    Project.objects.filter(pk=district.project.pk).update(
        planned_start=today - datetime.timedelta(days=120),
        planned_finish=today + datetime.timedelta(days=120),
    )
    wuying = Unit.objects.create(
        name="无影山街道", type=UnitType.STREET, parent=district.units["gov"], sort_order=9
    )
    district.project.territorial_units.add(wuying)
    indicator = district.project.indicators.get(name="拆迁面积")

    office, page = log_in(browser, live_server, "office", WIDE)
    page.goto(f"{live_server.url}/projects/ZD-001/")
    page.locator("#indicators").get_by_role("link", name="属地分解").click()
    page.wait_for_url(f"{live_server.url}/projects/ZD-001/indicators/{indicator.pk}/shares/")
    page.get_by_label("北园街道").fill("48000")
    page.get_by_label("无影山街道").fill("70000")
    page.get_by_role("button", name="保存").click()
    error = page.locator(".invalid-feedback", has_text="属地分解合计")
    assert error.inner_text().strip() == "指标「拆迁面积」的属地分解合计118,000m²，与目标值120,000m²不符"
    shot(page, "shares-editor-error")
    page.get_by_label("无影山街道").fill("72000")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/projects/ZD-001/#indicators")
    assert "属地分解：北园街道 48,000；无影山街道 72,000" in page.inner_text("#indicators")

    street = district.users["street"]
    data = ReportInput(as_of=today, figures={indicator.pk: (Decimal(20000), "")})
    report_submit(user=street, report=report_save_draft(user=street, project=district.project, data=data))
    page.reload()
    row = page.locator('#progress-indicators tr[data-share="北园街道"]')
    assert "分解目标 48,000 m²" in row.inner_text() and "20,000 m²" in row.inner_text()
    page.locator("#progress").scroll_into_view_if_needed()
    shot(page, "shares-project-page", full_page=True)
    office.close()

    phone, page = log_in(browser, live_server, "street", {"width": 390, "height": 844})
    page.goto(f"{live_server.url}/projects/ZD-001/reports/new/")
    assert "本单位分解目标 48,000 m²（全项目 120,000）" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "shares-report-form-phone")
    phone.close()
