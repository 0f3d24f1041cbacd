"""A real browser follows the closed loop: the 督查室 makes a supervision item from a problem's page, the
street requests closure, the 督查室 confirms, and the problem's page shows it resolved with the closing
note; a reporter raising a problem from a report chooses its type."""

import datetime

import pytest

from tests import browser_shots
from tests.supervision.test_browser import login, restore_migration_data  # noqa: F401


def shot(page, name, tmp_path):
    browser_shots.shot(page, name, full_page=True)


def wide(context):
    page = context.pages[0]
    page.set_viewport_size({"width": 1920, "height": 1080})
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_item_made_on_a_problems_page_resolves_it_when_confirmed(live_server, browser, district, tmp_path):
    from tiaodu.supervision import services
    from tiaodu.supervision.models import Problem, SupervisionItem

    problem = services.problem_raise(
        user=district.users["street"],
        project=district.project,
        type="demolition",
        description="北园大街12号院2户拒绝搬迁\n补偿标准分歧较大",
    )
    deadline = datetime.date.today() + datetime.timedelta(days=14)

    context, page = login(browser, live_server, "supervisor")
    page = wide(context)
    page.goto(f"{live_server.url}/problems/{problem.pk}/")
    page.locator("#td-make-item").click()
    page.wait_for_url(lambda url: "/supervision/new/" in url)
    assert "北园大街12号院2户拒绝搬迁" in page.locator("#td-item-problem").inner_text()
    assert page.get_by_label("北园街道").is_checked()  # the problem's owner unit
    page.locator("#id_deadline").fill(deadline.isoformat())
    shot(page, "item_form_from_problem", tmp_path)
    page.get_by_role("button", name="交办").click()
    page.wait_for_url(lambda url: "/supervision/new/" not in url)
    item = SupervisionItem.objects.get()
    assert item.problem_id == problem.pk
    assert "北园大街12号院2户拒绝搬迁" in page.locator("#td-item-problem").inner_text()
    shot(page, "item_linked", tmp_path)
    context.close()

    services.item_request_close(user=district.users["street"], item=item, text="2户已签约搬迁")

    context, page = login(browser, live_server, "supervisor")
    page = wide(context)
    page.goto(f"{live_server.url}/supervision/{item.pk}/")
    page.get_by_label("确认意见（可选）").fill("经现场核实，已腾空")
    with page.expect_navigation():  # the item's page again, once it has loaded
        page.get_by_role("button", name="确认办结").click()
    timeline = page.locator("#timeline").inner_text()
    assert "确认办结" in timeline and "关联难题已解决" in timeline
    shot(page, "item_closed", tmp_path)
    page.locator("#td-item-problem a").click()
    page.wait_for_url(f"{live_server.url}/problems/{problem.pk}/")
    assert page.locator("#td-problem-status").inner_text() == "已解决"
    events = page.locator("#timeline").inner_text()
    assert (
        "立为督办事项" in events
        and "办理结果：2户已签约搬迁" in events
        and "确认意见：经现场核实，已腾空" in events
    )
    assert item.number in page.locator("#td-problem-items").inner_text()
    shot(page, "problem_resolved", tmp_path)
    context.close()
    assert Problem.objects.get().status == "resolved"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reporter_chooses_the_type_of_a_problem_raised_from_a_report(
    live_server, browser, district, tmp_path
):
    from tiaodu.progress.models import Report
    from tiaodu.supervision.models import Problem

    report = Report.objects.create(
        project=district.project,
        as_of=datetime.date.today() - datetime.timedelta(days=1),
        reporting_unit=district.units["hq"],
        status="submitted",
        image_progress="西段路基完成",
        problems="沿线燃气管线迁改审批未批复，影响东段施工",
        created_by=district.users["hq"],
    )
    context, page = login(browser, live_server, "hq")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    with page.expect_navigation():  # the form of the new problem, once it has loaded
        page.get_by_role("button", name="登记为难题").click()
    assert "沿线燃气管线迁改审批未批复" in page.locator("#td-report-problems").inner_text()
    with page.expect_navigation():  # the form again, once it has loaded
        page.get_by_role("button", name="登记为难题").click()  # no type chosen yet
    assert "请选择难题类型" in page.content()
    page.get_by_label("难题类型").select_option(label="审批")
    shot(page, "from_report_mobile", tmp_path)
    page.get_by_role("button", name="登记为难题").click()
    page.wait_for_url(lambda url: "/problems/" in url and "from-report" not in url)
    assert Problem.objects.get().type == "approval"
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_meeting_decides_on_an_agenda_problem_and_its_item_is_linked(
    live_server, browser, district, tmp_path
):
    from tiaodu.supervision import services
    from tiaodu.supervision.models import Decision, Level, Problem

    problem = services.problem_raise(
        user=district.users["street"],
        project=district.project,
        type="funding",
        description="征收补偿资金缺口约3200万元，需区财政统筹解决。",
    )
    Problem.objects.filter(pk=problem.pk).update(level=Level.LEADER)
    today = datetime.date.today()
    meeting = services.meeting_create(user=district.users["supervisor"], data={"date": today})

    context, page = login(browser, live_server, "supervisor")
    page = wide(context)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    with page.expect_navigation():  # ?problem=…, once it has loaded
        page.locator("#agenda").get_by_role("link", name="作出决定").click()
    form = page.locator("#decision-form")
    assert (
        "征收补偿资金缺口约3200万元" in form.get_by_label("关于难题").locator("option:checked").inner_text()
    )
    form.get_by_label("决定事项").fill("区财政局两周内提出资金统筹方案")
    form.get_by_label("区建设局").check()
    form.get_by_label("办结时限").fill((today + datetime.timedelta(days=14)).isoformat())
    with page.expect_navigation():  # the meeting's page again, once it has loaded
        form.get_by_role("button", name="记录决定").click()
    assert "并转为督办事项" in page.locator(".alert-success").inner_text()
    decision = Decision.objects.get()
    assert decision.problem_id == problem.pk and decision.item.problem_id == problem.pk
    assert (
        "征收补偿资金缺口约3200万元"
        in page.locator(f"#decision-{decision.pk} .td-decision-problem").inner_text()
    )
    shot(page, "meeting_decision_problem", tmp_path)
    context.close()
