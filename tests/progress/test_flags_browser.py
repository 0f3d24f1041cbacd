"""In a browser: a flagged report shows its flags and is verified only with a note; the dashboard counts it."""

import datetime

import pytest

from tests.browser_shots import shot
from tests.progress.flagkit import photo, report, verified
from tests.progress.test_browser import log_in, restore_migration_data  # noqa: F401


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_flagged_report_is_verified_with_a_note_in_the_browser(live_server, browser, district, media_root):
    hq = district.users["hq"]
    day = datetime.date.today() - datetime.timedelta(days=1)
    verified(hq, report(hq, district.project, day - datetime.timedelta(days=7), 拆迁面积=1500))
    taken = datetime.datetime.combine(day - datetime.timedelta(days=30), datetime.time(9))
    r = report(
        hq,
        district.project,
        day,
        拆迁面积=(1200, "复核后核减"),
        photos=[photo("IMG_0012.jpg", seed=4, taken=taken)],
    )
    assert [f["code"] for f in r.flags] == ["decrease", "photo_old"]
    context, page = log_in(browser, live_server, "office", {"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/reports/{r.pk}/")
    flags = page.locator(f"[data-flags='{r.pk}']")
    assert "数据异常 2 项" in flags.inner_text() and "低于上次审核通过的1,500m²" in flags.inner_text()
    shot(page, "report_flags_1920", full_page=True)
    page.fill("#verify textarea[name=note]", "征收范围调整，已核实")
    page.click("#verify button.btn-success")
    page.wait_for_selector("#verify-note")
    assert "审核意见：征收范围调整，已核实" in page.locator("#verify-note").inner_text()
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("#flagged-count").inner_text().strip() == "数据异常 1 份"
    shot(page, "dashboard_1920")
    page.click("#flagged-count")
    page.wait_for_selector("#flagged-filter")
    shot(page, "flagged_list_1920", full_page=True)
    context.close()
    phone, page = log_in(browser, live_server, "hq", {"width": 390, "height": 844})
    page.goto(f"{live_server.url}/reports/{r.pk}/")
    shot(page, "report_flags_390", full_page=True)
    phone.close()
    office, page = log_in(browser, live_server, "office", {"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/reports/settings/")
    shot(page, "settings_1920", full_page=True)
    office.close()
