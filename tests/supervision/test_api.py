"""/api/v1/supervision-items/, problems/, meetings/, accountability-records/, notifications/."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from tests.supervision.conftest import image_bytes, make_item

pytestmark = pytest.mark.usefixtures("no_project_warnings")
D = datetime.date


@pytest.fixture
def api(sup):
    def make(key):
        client = APIClient()
        client.force_login(sup.users[key])
        return client

    return make


@pytest.mark.django_db
def test_it_creates_an_item_with_the_assignee_unit_by_name_or_id(api, sup):
    body = {
        "title": "清理北园大街建筑垃圾",
        "content": "三日内清理",
        "assignee_unit": "北园街道",
        "deadline": "2026-12-31",
        "source": "instruction",
    }
    response = api("supervisor").post("/api/v1/supervision-items/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["assignee_units"] == [{"id": sup.units["street"].pk, "name": "北园街道"}]
    assert (
        data["source_display"] == "领导批示"
        and data["status"] == "open"
        and data["warning"] in ("none", "reminder", "yellow", "red")
    )
    body["assignee_unit"] = sup.units["dept"].pk
    response = api("leader").post("/api/v1/supervision-items/", body, format="json")
    assert response.json()["assignee_units"][0]["name"] == "区建设局"


@pytest.mark.django_db
def test_it_answers_bad_input_with_chinese_messages_naming_the_field(api):
    response = api("supervisor").post(
        "/api/v1/supervision-items/",
        {
            "title": "x",
            "content": "y",
            "assignee_unit": "不存在的单位",
            "deadline": "2026-02-30",
            "source": "x",
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["assignee_unit"] == ["单位「不存在的单位」不存在"]
    assert "deadline" in errors and "source" in errors
    response = api("supervisor").post(
        "/api/v1/supervision-items/",
        {"title": "x", "content": "y", "deadline": "2099-12-31", "source": "other"},
        format="json",
    )
    assert response.json() == {"assignee_units": ["请至少选择一个承办单位"]}


@pytest.mark.django_db
def test_units_may_not_create_items(api):
    response = api("hq").post("/api/v1/supervision-items/", {"title": "x"}, format="json")
    assert response.status_code == 403
    assert "只有领导、督查室" in response.json()["detail"]


@pytest.mark.django_db
def test_it_lists_each_items_warning_for_today(api, sup):
    due = {"none": D(2026, 6, 30), "reminder": D(2026, 6, 5), "yellow": D(2026, 6, 1), "red": D(2026, 5, 20)}
    ids = {
        level: make_item(sup, deadline=day, on=D(2026, 5, 1), title=level).pk for level, day in due.items()
    }
    with time_machine.travel(
        datetime.datetime(2026, 6, 3, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), tick=False
    ):
        response = api("street").get("/api/v1/supervision-items/")
        rows = {r["id"]: r["warning"] for r in response.json()["results"]}
        assert rows == {pk: level for level, pk in ids.items()}
        only_red = api("supervisor").get("/api/v1/supervision-items/?warning=red").json()["results"]
        assert [r["id"] for r in only_red] == [ids["red"]]
        assert only_red[0]["warning_display"] == "红牌"


@pytest.mark.django_db
def test_the_item_actions_and_closure_rights(api, sup):
    item = make_item(sup, deadline=D(2026, 12, 31))
    base = f"/api/v1/supervision-items/{item.pk}"
    assert api("street").post(f"{base}/feedback/", {"text": "已进场"}, format="json").status_code == 200
    assert (
        api("hq").post(f"{base}/feedback/", {"text": "x"}, format="json").status_code == 404
    )  # hq does not see it
    response = api("street").post(f"{base}/request-close/", {"text": "已完成"}, format="json")
    assert response.json()["status"] == "close_requested"
    for who in ("admin", "leader", "office", "street"):
        response = api(who).post(f"{base}/confirm-close/", {}, format="json")
        assert response.status_code == 403, who
        assert response.json()["detail"] == "只有督查室可以确认办结或退回"
    response = api("supervisor").post(f"{base}/send-back/", {"reason": ""}, format="json")
    assert response.status_code == 400 and response.json() == {"reason": ["请填写退回理由"]}
    response = api("supervisor").post(f"{base}/send-back/", {"reason": "照片不清楚"}, format="json")
    assert response.json()["status"] == "open"
    api("street").post(f"{base}/request-close/", {"text": "补充照片"}, format="json")
    response = api("supervisor").post(f"{base}/confirm-close/", {"text": "同意"}, format="json")
    data = response.json()
    assert data["status"] == "closed"
    assert [e["kind"] for e in data["timeline"]] == [
        "created",
        "feedback",
        "close_requested",
        "sent_back",
        "close_requested",
        "closed",
    ]


@pytest.mark.django_db
def test_inspection_items_take_photos_by_multipart(api, sup):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("site.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    response = api("supervisor").post(
        "/api/v1/supervision-items/",
        {
            "title": "垃圾死角",
            "content": "清理",
            "source": "inspection",
            "location": "北园大街东段",
            "assignee_unit": "北园街道",
            "deadline": "2026-12-31",
            "photos": [photo],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["photo_list"][0]["kind"] == "issue"
    response = api("street").post(
        f"/api/v1/supervision-items/{pk}/request-close/", {"text": "已清理"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {"photos": ["巡查发现的事项申请办结须上传整改后的现场照片"]}
    after = SimpleUploadedFile("after.png", image_bytes("PNG"), content_type="image/png")
    response = api("street").post(
        f"/api/v1/supervision-items/{pk}/request-close/",
        {"text": "已清理", "photos": [after]},
        format="multipart",
    )
    assert response.status_code == 200
    url = response.json()["timeline"][-1]["photos"][0]["url"]
    assert api("street").get(url)["Content-Type"] == "image/png"
    assert api("outsider").get(url).status_code == 404


@pytest.mark.django_db
def test_the_problem_endpoints(api, sup):
    response = api("street").post(
        "/api/v1/problems/",
        {"project": "ZD-001", "type": "land", "description": "临时用地手续未办结"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["owner_unit"]["name"] == "北园街道" and response.json()["level"] == 1
    response = api("street").post(f"/api/v1/problems/{pk}/escalate/", {"text": ""}, format="json")
    assert response.status_code == 400
    response = api("street").post(
        f"/api/v1/problems/{pk}/escalate/", {"text": "已与国土分局沟通两次"}, format="json"
    )
    assert response.json()["level"] == 2 and response.json()["level_display"] == "牵头指挥部"
    assert (
        api("hq")
        .post(f"/api/v1/problems/{pk}/feedback/", {"text": "指挥部协调中"}, format="json")
        .status_code
        == 200
    )
    response = api("hq").post(f"/api/v1/problems/{pk}/resolve/", {"text": "国土分局已批复"}, format="json")
    assert response.json()["status"] == "resolved"
    assert [e["kind"] for e in response.json()["timeline"]] == ["raised", "escalated", "feedback", "resolved"]
    assert api("outsider").get(f"/api/v1/problems/{pk}/").status_code == 404
    response = api("outsider").post(
        "/api/v1/problems/", {"project": "ZD-001", "type": "land", "description": "x"}, format="json"
    )
    assert response.status_code == 400 and "ZD-001" in response.json()["project"][0]


@pytest.mark.django_db
def test_meetings_and_decisions_become_items(api, sup):
    response = api("supervisor").post(
        "/api/v1/meetings/",
        {"date": "2026-06-04", "chair": sup.people["leader"].pk, "attendees": [sup.people["hq"].pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    meeting = response.json()
    assert set(meeting["agenda"]) >= {"lagging", "missing", "problems", "overdue"}
    response = api("supervisor").post(
        f"/api/v1/meetings/{meeting['id']}/decisions/",
        {
            "content": "北园街道6月10日前完成12号院清表",
            "item": {"assignee_unit": "北园街道", "deadline": "2026-12-10"},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    decision = response.json()["decisions"][0]
    assert decision["item"]["title"] == "北园街道6月10日前完成12号院清表"
    item = api("street").get(f"/api/v1/supervision-items/{decision['item']['id']}/").json()
    assert item["source"] == "meeting" and item["meeting"] == meeting["id"]
    assert (
        api("street").get(f"/api/v1/meetings/{meeting['id']}/").status_code == 200
    )  # it got an item from it
    assert api("outsider").get(f"/api/v1/meetings/{meeting['id']}/").status_code == 404
    assert api("hq").post("/api/v1/meetings/", {"date": "2026-06-04"}, format="json").status_code == 403


@pytest.mark.django_db
def test_accountability_records_are_written_by_the_supervision_office(api, sup):
    body = {
        "measure": "interview",
        "unit": "北园街道",
        "reason": "督办事项连续两次亮红牌",
        "decision_date": "2026-06-20",
        "decided_by": "区委督查室",
    }
    assert api("leader").post("/api/v1/accountability-records/", body, format="json").status_code == 403
    response = api("supervisor").post("/api/v1/accountability-records/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["measure_display"] == "约谈"
    response = api("supervisor").post(
        "/api/v1/accountability-records/", {**body, "unit": None, "person": None}, format="json"
    )
    assert response.status_code == 400 and response.json() == {"unit": ["请填写问责单位或问责人员"]}
    assert len(api("street").get("/api/v1/accountability-records/").json()["results"]) == 1
    assert api("outsider").get("/api/v1/accountability-records/").json()["results"] == []


@pytest.mark.django_db
def test_the_inbox_endpoint(api, sup):
    make_item(sup, deadline=D(2026, 12, 31))
    inbox = api("street").get("/api/v1/notifications/?unread=true").json()["results"]
    assert len(inbox) == 1 and inbox[0]["title"].startswith("新督办事项")
    assert api("street").post(f"/api/v1/notifications/{inbox[0]['id']}/read/").json()["unread"] is False
    assert api("outsider").post(f"/api/v1/notifications/{inbox[0]['id']}/read/").status_code == 404
    assert api("street").post("/api/v1/notifications/read-all/").json() == {"marked": 0}


@pytest.mark.django_db
def test_my_endpoints_are_in_the_schema_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = set(schema["paths"])
    for path in (
        "/api/v1/supervision-items/",
        "/api/v1/supervision-items/{id}/confirm-close/",
        "/api/v1/problems/{id}/escalate/",
        "/api/v1/meetings/{id}/decisions/",
        "/api/v1/accountability-records/",
        "/api/v1/notifications/read-all/",
    ):
        assert path in paths
    mine = [w for w in GENERATOR_STATS._warn_cache if "progress" not in str(w)]
    assert mine == []
