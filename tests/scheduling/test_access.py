"""Who may open and change schedule pages, the plan overrides and the holiday calendar; calendar years
outside the accepted range."""

import pytest

BIG = "99999999999999999999999"


@pytest.mark.parametrize("year", ["0", "1999", "2101", "10000", BIG])
def test_it_answers_404_for_a_calendar_year_outside_the_accepted_range(client, district, year):
    client.force_login(district.users["hq"])
    response = client.get(f"/calendar/{year}/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_it_still_shows_a_calendar_year_inside_the_range(client, district):
    client.force_login(district.users["hq"])
    response = client.get("/calendar/2026/")
    assert response.status_code == 200
    assert "2026" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/projects/ZD-001/schedule/",
        "/projects/ZD-001/schedule/plan/",
        "/projects/ZD-001/schedule/baseline/",
        "/projects/ZD-001/schedule/template.xlsx",
        "/projects/ZD-001/schedule/import/",
        "/projects/ZD-001/schedule/tasks/new/",
        "/api/v1/projects/ZD-001/schedule",
    ],
)
def test_it_hides_the_schedule_of_a_project_the_user_cannot_see(client, district, url):
    client.force_login(district.users["outsider"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/projects/ZD-001/schedule/import/", "/projects/ZD-001/schedule/tasks/new/"])
def test_it_refuses_schedule_edits_to_a_supporting_unit_with_403(client, district, url):
    client.force_login(district.users["dept"])
    assert client.get("/projects/ZD-001/schedule/").status_code == 200
    response = client.get(url)
    assert response.status_code == 403
    assert "无权修改" in response.content.decode()
    assert client.post("/projects/ZD-001/schedule/mode/", {"mode": "continuous"}).status_code == 403


@pytest.mark.parametrize("who", ["hq", "leader", "supervisor"])
def test_it_lets_only_the_office_enter_the_holiday_calendar(client, district, who):
    client.force_login(district.users[who])
    assert client.get("/calendar/enter/").status_code == 403
    assert client.post("/calendar/enter/", {"year": "2030", "text": "", "notice": ""}).status_code == 403
    assert client.post("/projects/ZD-001/schedule/baseline/approve/", {"note": ""}).status_code in (403, 404)


@pytest.mark.parametrize("kind", ["month\r\nX-Evil: 1", "zz", ""])
def test_it_clears_a_plan_override_whatever_period_kind_is_posted(client, district, kind):
    from decimal import Decimal

    from tiaodu.scheduling.models import PeriodPlanOverride

    client.raise_request_exception = False
    indicator = district.project.indicators.get()
    override = PeriodPlanOverride.objects.create(indicator=indicator, period="2026-05", value=Decimal("10"))
    client.force_login(district.users["office"])
    response = client.post(f"/projects/ZD-001/schedule/plan/overrides/{override.pk}/clear/", {"kind": kind})
    assert response.status_code == 302
    assert response["Location"] == "/projects/ZD-001/schedule/plan/?kind=month"
    assert not PeriodPlanOverride.objects.filter(pk=override.pk).exists()
