"""The import page and the import report in a real browser: an .xlsx plan, a second version, the report;
a file with several projects asks which one. Screenshots store-*.png in the folder
TIAODU_SCREENSHOTS names, when it names one (1920×1080, the phone 390×844)."""

import pytest

from tests.browser_shots import shot
from tests.progress.test_browser import log_in, restore_migration_data  # noqa: F401 (module fixture)
from tests.scheduling import mpxj_files
from tests.scheduling.conftest import write_plan

WIDE = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}

FIRST = [
    ["1", "征收拆迁", 20, "", "拆迁面积", 120000],
    ["2", "施工图设计", 15, "1SS+5", "", None],
    ["3", "道路施工", 60, "2、1FF+10", "", None],
    ["4", "绿化", 10, "3SF-5", "", None],
]
SECOND = [
    ["1", "征收拆迁", 25, "", "拆迁面积", 120000],
    ["2", "施工图设计及审查", 15, "1SS+5", "", None],
    ["3", "道路施工", 60, "2、1FF+10", "", None],
    ["5", "管线迁改", 12, "1", "", None],
    ["6", "竣工验收", 0, "3、5", "", None],
]


pytestmark = pytest.mark.usefixtures("sessions_saved_at_sign_in_only")  # tests/conftest.py


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_import_a_plan_read_the_report_and_choose_a_project(live_server, browser, district, tmp_path):

    context, page = log_in(browser, live_server, "hq", WIDE)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/projects/ZD-001/schedule/import/")
    page.set_input_files("input[name=file]", str(write_plan(tmp_path / "总进度计划.xlsx", FIRST)))
    page.get_by_role("button", name="导入").click()
    page.wait_for_selector("#report-counts")
    assert "新增 4 项" in page.inner_text("#report-changes")

    page.goto(f"{live_server.url}/projects/ZD-001/schedule/import/")
    page.set_input_files("input[name=file]", str(write_plan(tmp_path / "总进度计划第二版.xlsx", SECOND)))
    page.get_by_role("button", name="导入").click()
    page.wait_for_selector("#report-counts")
    changes = page.inner_text("#report-changes")
    assert "新增 2 项：5 管线迁改、6 竣工验收" in changes and "删除 1 项：4 绿化" in changes
    assert "1 征收拆迁：工期20天→25天" in changes
    assert "2 施工图设计及审查：名称「施工图设计」→「施工图设计及审查」" in changes
    assert "本系统排程完工" in page.inner_text("#report-finish")
    shot(page, "store-import-report", full_page=True)

    page.goto(f"{live_server.url}/projects/ZD-001/schedule/import/")
    two = [("P1", "一期工程", mpxj_files.NETWORK), ("P2", "二期工程", mpxj_files.CYRILLIC)]
    xer = mpxj_files.write_xer(tmp_path / "总进度.xer", charset="UTF-8", projects=two)
    page.set_input_files("input[name=file]", str(xer))
    page.get_by_role("button", name="导入").click()
    page.wait_for_selector("#project-choice")
    assert "P2（2项任务）" in page.inner_text("#project-choice")
    shot(page, "store-import-choice", full_page=True)
    page.select_option("select[name=choice]", "P1")
    page.get_by_role("button", name="导入所选项目").click()
    page.wait_for_selector("#report-counts")
    assert "道路施工" in page.inner_text("#report-changes")
    assert errors == []
    context.close()

    phone, page = log_in(browser, live_server, "hq", PHONE)
    page.goto(f"{live_server.url}/projects/ZD-001/schedule/import/")
    page.locator("#schedule-imports a").nth(1).click()
    page.wait_for_selector("#report-changes")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "store-import-report-phone", full_page=True)
    page.goto(f"{live_server.url}/projects/ZD-001/schedule/import/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "store-import-page-phone", full_page=True)
    phone.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "size, name", [(WIDE, "fix1-import-wrong-choice"), (PHONE, "fix1-import-wrong-choice-phone")]
)
def test_a_project_choice_the_file_does_not_hold_asks_again(
    live_server, browser, district, tmp_path, size, name
):
    context, page = log_in(browser, live_server, "hq", size)
    page.goto(f"{live_server.url}/projects/ZD-001/schedule/import/")
    two = [("P1", "一期工程", mpxj_files.NETWORK), ("P2", "二期工程", mpxj_files.CYRILLIC)]
    page.set_input_files("input[name=file]", str(mpxj_files.write_xer(tmp_path / "总进度.xer", projects=two)))
    page.get_by_role("button", name="导入").click()
    page.wait_for_selector("#project-choice")
    # A stale page (the file re-exported meanwhile) offers a project the kept file does not hold.
    page.evaluate("document.querySelector('select[name=choice]').add(new Option('P9 三期工程', 'P9'))")
    page.select_option("select[name=choice]", "P9")
    page.get_by_role("button", name="导入所选项目").click()
    page.wait_for_selector("#import-errors")
    assert "所选项目「P9」不在文件「总进度.xer」中，请重新选择" in page.inner_text("#import-errors")
    assert "P2（2项任务）" in page.inner_text("#project-choice")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    shot(page, f"{name}", full_page=True)
    page.select_option("select[name=choice]", "P1")
    page.get_by_role("button", name="导入所选项目").click()
    page.wait_for_selector("#report-counts")
    assert "道路施工" in page.inner_text("#report-changes")
    context.close()
