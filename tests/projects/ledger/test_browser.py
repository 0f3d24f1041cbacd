"""The ledger import as an office user does it in a real browser."""

import pytest

from tests.projects.ledger.helpers import NEW_INDICATORS, NEW_PROJECT, write_ledger
from tiaodu.projects.models import Project


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_uploads_previews_and_confirms_in_the_browser(live_server, browser, district, tmp_path):
    bad = write_ledger(tmp_path / "bad.xlsx", projects=[dict(NEW_PROJECT, 计划开工="2026-13-01")])
    good = write_ledger(tmp_path / "good.xlsx", projects=[NEW_PROJECT], indicators=NEW_INDICATORS)
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", "Tiaodu@2026!")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.click("text=台账导入导出")
    page.set_input_files("input[type=file]", str(bad))
    page.click("text=上传并预览")
    page.wait_for_selector("#import-errors")
    assert "日期无效「2026-13-01」" in page.locator("#import-errors").inner_text()
    assert page.locator("#confirm-import").count() == 0

    page.goto(f"{live_server.url}/ledger/")
    page.set_input_files("input[type=file]", str(good))
    page.click("text=上传并预览")
    page.wait_for_selector("#confirm-import")
    assert "ZD-100 堤口路改造" in page.inner_text("main")
    assert not Project.objects.filter(code="ZD-100").exists()
    page.click("#confirm-import")
    page.wait_for_selector("#import-done")
    assert "台账已导入" in page.inner_text("main")
    assert Project.objects.get(code="ZD-100").indicators.count() == 2

    with page.expect_download() as download:
        page.goto(f"{live_server.url}/ledger/")
        page.click("#ledger-export")
    assert download.value.suggested_filename.startswith("台账_")
    assert errors == []
