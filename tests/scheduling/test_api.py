import pytest

pytestmark = pytest.mark.django_db


def test_it_gives_the_schedule_in_the_documented_shape(client, district, national_day):
    client.force_login(district.users["street"])
    response = client.get("/api/v1/projects/ZD-001/schedule")
    assert response.status_code == 200
    data = response.json()
    assert list(data) == [
        "project",
        "start",
        "deadline",
        "feasible",
        "min_float",
        "critical_path",
        "warnings",
        "tasks",
    ]
    assert data["project"] == "ZD-001" and data["start"] == "2026-09-28" and data["deadline"] == "2026-10-16"
    assert data["feasible"] is True and data["min_float"] == 2
    assert data["critical_path"] == ["A", "B", "M"]
    assert data["warnings"] == []
    assert data["tasks"][1] == {
        "code": "B",
        "name": "道路施工",
        "duration": 3,
        "early_start": "2026-10-12",
        "early_finish": "2026-10-14",
        "late_start": "2026-10-14",
        "late_finish": "2026-10-16",
        "total_float": 2,
        "critical": True,
    }
    assert data["tasks"][3]["early_start"] == data["tasks"][3]["early_finish"] == "2026-10-14"
    assert data["tasks"][3]["late_finish"] == "2026-10-16"


def test_it_hides_the_schedule_of_a_project_the_user_cannot_see(client, district, national_day):
    client.force_login(district.users["outsider"])
    response = client.get("/api/v1/projects/ZD-001/schedule")
    assert response.status_code == 404
    client.force_login(district.users["leader"])
    assert client.get("/api/v1/projects/ZD-001/schedule/").status_code == 200
    assert client.get("/api/v1/projects/NOPE/schedule").status_code == 404


def test_it_refuses_anonymous_requests(client, district, national_day):
    assert client.get("/api/v1/projects/ZD-001/schedule").status_code in (401, 403)


def test_it_explains_a_project_without_a_start_date(client, district):
    district.project.planned_start = None
    district.project.save()
    client.force_login(district.users["hq"])
    response = client.get("/api/v1/projects/ZD-001/schedule")
    assert response.status_code == 400
    assert "计划开工" in response.json()["detail"]


def test_it_warns_about_2027_when_its_arrangement_is_missing(client, district, national_day):
    national_day.deadline = national_day.deadline.replace(year=2027)
    national_day.save()
    client.force_login(district.users["hq"])
    data = client.get("/api/v1/projects/ZD-001/schedule").json()
    assert data["warnings"] == ["2027年节假日安排尚未录入"]
