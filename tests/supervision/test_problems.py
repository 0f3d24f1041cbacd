"""Problems: raised by who sees the project, handled by the owner and lead units and those who see all,
escalated by hand with what was tried, resolved with how; raised from a report's 存在问题 in one click."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tiaodu.core.errors import NotAllowed


@pytest.fixture
def problem(sup):
    from tiaodu.supervision import services

    return services.problem_raise(
        user=sup.users["street"],
        project=sup.project,
        type="demolition",
        description="北园大街12号院2户拒绝搬迁\n补偿标准分歧较大",
    )


@pytest.fixture
def report(sup):
    from tiaodu.progress.models import Report

    return Report.objects.create(
        project=sup.project,
        as_of=datetime.date(2026, 6, 4),
        reporting_unit=sup.units["hq"],
        status="submitted",
        image_progress="西段路基完成",
        problems="沿线燃气管线迁改审批未批复，影响东段施工",
        created_by=sup.users["hq"],
    )


@pytest.mark.django_db
def test_it_starts_at_the_owner_unit_with_a_title_from_the_first_line(sup, problem):
    assert problem.level == 1 and problem.owner_unit == sup.units["street"]
    assert problem.title == "北园大街12号院2户拒绝搬迁"
    assert problem.events.get().kind == "raised"


@pytest.mark.django_db
def test_a_unit_cannot_raise_a_problem_on_a_project_it_does_not_see(sup):
    from tiaodu.supervision import services

    with pytest.raises(NotAllowed):
        services.problem_raise(
            user=sup.users["outsider"], project=sup.project, type="funding", description="x"
        )
    with pytest.raises(ValidationError) as exc:
        services.problem_raise(user=sup.users["hq"], project=sup.project, type="funding", description=" ")
    assert exc.value.message_dict["description"] == ["请填写难题描述"]


@pytest.mark.django_db
def test_escalating_by_hand_asks_what_was_tried_and_tells_the_next_level(sup, problem):
    from tiaodu.supervision import services
    from tiaodu.supervision.models import Notification

    with pytest.raises(ValidationError) as exc:
        services.problem_escalate(user=sup.users["street"], problem=problem, text="")
    assert exc.value.message_dict["text"] == ["请说明在本层级已做的工作和未能解决的原因"]
    services.problem_escalate(user=sup.users["street"], problem=problem, text="已入户协商3次，分歧在补偿标准")
    problem.refresh_from_db()
    assert problem.level == 2
    event = problem.events.get(kind="escalated")
    assert (event.from_level, event.to_level, event.text) == (1, 2, "已入户协商3次，分歧在补偿标准")
    assert Notification.objects.filter(
        recipient=sup.users["hq"], title__contains="提请牵头指挥部协调"
    ).exists()


@pytest.mark.django_db
def test_handling_is_for_the_owner_and_lead_units_and_those_who_see_all(sup, problem):
    from tiaodu.supervision import services

    for who in ("dept", "outsider"):
        with pytest.raises(NotAllowed):
            services.problem_feedback(user=sup.users[who], problem=problem, text="x")
    services.problem_feedback(user=sup.users["hq"], problem=problem, text="指挥部已约谈产权人")
    services.problem_feedback(user=sup.users["leader"], problem=problem, text="请区拆迁办跟进")
    services.problem_resolve(user=sup.users["street"], problem=problem, text="签订补偿协议，已腾空")
    problem.refresh_from_db()
    assert problem.status == "resolved" and problem.resolution == "签订补偿协议，已腾空"
    with pytest.raises(ValidationError, match="已解决"):
        services.problem_escalate(user=sup.users["street"], problem=problem, text="x")


@pytest.mark.django_db
def test_the_city_is_the_top_of_the_ladder(sup, problem):
    from tiaodu.supervision import services

    for _ in range(4):
        services.problem_escalate(user=sup.users["supervisor"], problem=problem, text="已协调未果")
    problem.refresh_from_db()
    assert problem.level == 5
    with pytest.raises(ValidationError, match="最高层级"):
        services.problem_escalate(user=sup.users["supervisor"], problem=problem, text="已协调未果")


@pytest.mark.django_db
def test_it_raises_a_problem_from_a_reports_problems_once(sup, report):
    from tiaodu.supervision import services

    problem, created = services.problem_raise_from_report(
        user=sup.users["hq"], report_id=report.pk, type="approval"
    )
    assert created
    assert problem.title == "沿线燃气管线迁改审批未批复，影响东段施工"
    assert problem.description.endswith("（来自6月4日周报）")
    assert (problem.project, problem.owner_unit, problem.source_report_id) == (
        sup.project,
        sup.units["hq"],
        report.pk,
    )
    again, created = services.problem_raise_from_report(user=sup.users["hq"], report_id=report.pk)
    assert (again, created) == (problem, False)


@pytest.mark.django_db
def test_the_report_page_button_asks_the_type_then_raises_it(client, sup, report):
    from tiaodu.supervision.models import Problem

    client.force_login(sup.users["hq"])
    url = f"/problems/from-report/{report.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "沿线燃气管线迁改审批未批复" in page.content.decode()
    # The report page's button carries only the CSRF token: the form asks the type first.
    asked = client.post(url)
    html = asked.content.decode()
    assert asked.status_code == 200 and not Problem.objects.exists()
    assert "难题类型" in html and all(
        label in html for label in ("资金", "用地", "拆迁", "审批", "规划", "其他")
    )
    assert "请选择难题类型" not in html
    refused = client.post(url, {"type": "", "title": ""})
    assert refused.status_code == 400 and "请选择难题类型" in refused.content.decode()
    response = client.post(url, {"type": "approval", "title": ""})
    problem = Problem.objects.get(source_report_id=report.pk)
    assert response.status_code == 302 and response["Location"] == f"/problems/{problem.pk}/"
    assert problem.type == "approval"
    assert client.post(url)["Location"] == f"/problems/{problem.pk}/"
    assert Problem.objects.count() == 1
    client.force_login(sup.users["outsider"])
    assert client.get(url).status_code == 404
    assert client.get("/problems/from-report/999999/").status_code == 404
