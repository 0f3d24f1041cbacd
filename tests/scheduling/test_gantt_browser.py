"""The Gantt chart in a real browser."""

import datetime

import pytest

from tiaodu.scheduling.engine import Link
from tiaodu.scheduling.importers import ImportedTask
from tiaodu.scheduling.services import tasks_replace


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_opens_the_gantt_with_critical_tasks_negative_float_and_the_deadline(
    live_server, browser, district
):
    project = district.project
    project.planned_start = datetime.date(2026, 9, 28)
    project.deadline = datetime.date(
        2026, 10, 13
    )  # one working day too early: float −1 on the critical chain
    project.save()
    tasks_replace(
        user=district.users["hq"],
        project=project,
        tasks=[
            ImportedTask(1, "A", "征收拆迁", 4, []),
            ImportedTask(2, "B", "道路施工", 3, [Link("A", "FS", 2)]),
            ImportedTask(3, "C", "管线迁改", 2, [Link("A", "FS", -1)]),
            ImportedTask(4, "M", "竣工验收", 0, [Link("B"), Link("C")]),
        ],
    )
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "hq")
    page.fill("input[name=password]", "Tiaodu@2026!")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/projects/ZD-001/schedule/")
    page.wait_for_selector("#gantt svg .bar-wrapper")
    assert errors == []
    bars = page.locator("#gantt .bar-wrapper")
    assert bars.count() == 5  # four tasks and the deadline row
    assert page.locator("#gantt .bar-wrapper.td-negative").count() == 2  # A and B
    assert page.locator("#gantt .bar-wrapper.td-negative-ms").count() == 1  # M
    assert page.locator("#gantt .bar-wrapper.td-normal").count() == 1  # C
    assert page.locator("#gantt .bar-wrapper.td-deadline").count() == 1
    assert page.locator("#gantt .bar-wrapper.td-deadline .bar-label").text_content() == "完成时限 2026-10-13"
    # Holidays are shaded and the deadline's column is marked.
    assert page.locator("#gantt .holiday-highlight[class~='2026-10-01']").count() >= 1
    assert page.locator("#gantt .holiday-highlight[class~='2026-10-13']").count() >= 1
    assert (
        page.locator("#gantt .holiday-highlight[class~='2026-10-10']").count() == 0
    )  # a make-up working Saturday
    # Negative float is red: the bar's fill comes from our stylesheet.
    fill = page.locator("#gantt .bar-wrapper.td-negative .bar").first.evaluate(
        "e => getComputedStyle(e).fill"
    )
    assert fill == "rgb(201, 42, 42)"
    assert page.locator("#min-float").inner_text() == "-1 个工作日"
    # Clicking a bar explains its dates in Chinese.
    page.locator("#gantt .bar-wrapper.td-normal .bar-label").click()
    popup = page.locator(".popup-wrapper")
    popup.wait_for(state="visible")
    assert "C 管线迁改" in popup.inner_text() and "总时差：3 个工作日" in popup.inner_text()
    page.click("button[data-view=Week]")
    page.wait_for_selector("#gantt .bar-wrapper.td-deadline")
    assert errors == []
    page.close()
