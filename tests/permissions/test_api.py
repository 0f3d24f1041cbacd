"""Who may list, read, create and change what through /api/v1/ — the whole cast, every resource."""

import pytest

from tests.support import ROLES

SEES_ALL = {"leader", "supervisor", "admin", "office"}
MANAGERS = {"admin", "office"}
ANONYMOUS = (401, 403)


def _codes(response):
    return {row["code"] for row in response.json()["results"]}


# --- projects ----------------------------------------------------------------------------------

PROJECTS_SEEN = {
    **{key: {"ZD-001", "ZD-002"} for key in SEES_ALL},
    "hq": {"ZD-001"},
    "street": {"ZD-001"},
    "dept": {"ZD-001"},
    "outsider": {"ZD-002"},
}


@pytest.mark.parametrize("key", ROLES)
def test_it_lists_the_projects_each_user_may_see(api, key):
    response = api(key).get("/api/v1/projects/")
    assert response.status_code == 200
    assert _codes(response) == PROJECTS_SEEN[key]
    assert response.json()["count"] == len(PROJECTS_SEEN[key])


@pytest.mark.parametrize("key", ROLES)
def test_it_retrieves_a_project_by_code_or_hides_it_with_404(api, key):
    response = api(key).get("/api/v1/projects/ZD-001/")
    if key == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        body = response.json()
        assert body["code"] == "ZD-001"
        assert body["lead_unit"]["name"] == "北园大街改造指挥部"
        assert [u["name"] for u in body["territorial_units"]] == ["北园街道"]
        assert [u["name"] for u in body["supporting_units"]] == ["区建设局"]
        assert body["category"] == "道路"
        assert body["type_display"] == "重点建设"
        assert body["status_display"] == "未开工"
        assert body["planned_start"] == "2026-03-01"
        assert body["total_investment"] == "52000.00"
        assert body["responsible_person"]["name"] == "赵指挥"


PROJECT_EDITORS = {"admin", "office", "hq", "street"}


@pytest.mark.parametrize("key", ROLES)
def test_it_lets_only_editors_change_a_project(api, district, key):
    response = api(key).patch("/api/v1/projects/ZD-001/", {"description": f"由{key}修改"}, format="json")
    district.project.refresh_from_db()
    if key in PROJECT_EDITORS:
        assert response.status_code == 200, response.json()
        assert response.json()["description"] == f"由{key}修改"
        assert district.project.description == f"由{key}修改"
    else:
        assert response.status_code == (404 if key == "outsider" else 403)
        assert district.project.description == ""


@pytest.mark.parametrize("key", ROLES)
def test_it_tells_each_user_whether_a_project_is_editable(api, key):
    response = api(key).get("/api/v1/projects/")
    can_edit = {row["code"]: row["can_edit"] for row in response.json()["results"]}
    if key in MANAGERS:
        assert can_edit == {"ZD-001": True, "ZD-002": True}
    elif key in {"hq", "street"}:
        assert can_edit == {"ZD-001": True}
    elif key == "outsider":  # 泺口街道 is the territorial unit of ZD-002
        assert can_edit == {"ZD-002": True}
    else:
        assert not any(can_edit.values())


def test_it_lets_the_lead_unit_edit_its_project_but_not_another(api):
    client = api("hq")
    assert (
        client.patch("/api/v1/projects/ZD-001/", {"status": "under_construction"}, format="json").status_code
        == 200
    )
    assert (
        client.patch("/api/v1/projects/ZD-002/", {"status": "under_construction"}, format="json").status_code
        == 404
    )


def _new_project(code="ZD-101"):
    return {
        "code": code,
        "name": "堤口路改造",
        "type": "key_construction",
        "category": "道路",
        "lead_unit": "北园大街改造指挥部",
        "territorial_units": ["北园街道"],
    }


@pytest.mark.parametrize("key", ROLES)
def test_it_lets_only_managers_create_a_project(api, key):
    from tiaodu.projects.models import Project

    response = api(key).post("/api/v1/projects/", _new_project(), format="json")
    if key in MANAGERS:
        assert response.status_code == 201, response.json()
        assert response.json()["code"] == "ZD-101"
        assert Project.objects.filter(code="ZD-101").exists()
    else:
        assert response.status_code == 403
        assert "只有领导小组办公室或系统管理员可以新建项目" in response.json()["detail"]
        assert not Project.objects.filter(code="ZD-101").exists()


def test_it_refuses_anonymous_requests_to_every_endpoint(api, district, letters):
    client = api(None)
    indicator = district.project.indicators.get()
    urls = [
        "/api/v1/projects/",
        "/api/v1/projects/ZD-001/",
        "/api/v1/indicators/",
        f"/api/v1/indicators/{indicator.pk}/",
        "/api/v1/letters/",
        f"/api/v1/letters/{letters['hq'].pk}/",
        "/api/v1/letter-items/",
        "/api/v1/units/",
        f"/api/v1/units/{district.units['hq'].pk}/",
        "/api/v1/people/",
        f"/api/v1/people/{district.people['hq'].pk}/",
    ]
    for url in urls:
        assert client.get(url).status_code in ANONYMOUS, url
        assert client.post(url, {}, format="json").status_code in ANONYMOUS, url
        assert client.patch(url, {}, format="json").status_code in ANONYMOUS, url


# --- indicators --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ROLES)
def test_it_lists_and_retrieves_indicators_of_visible_projects(api, district, key):
    indicator = district.project.indicators.get()
    client = api(key)
    names = [row["name"] for row in client.get("/api/v1/indicators/").json()["results"]]
    detail = client.get(f"/api/v1/indicators/{indicator.pk}/")
    if key == "outsider":
        assert names == []
        assert detail.status_code == 404
    else:
        assert names == ["拆迁面积"]
        assert detail.status_code == 200
        assert detail.json() == {
            "id": indicator.pk,
            "project": {"code": "ZD-001", "name": "北园大街道路拓宽及两侧整治"},
            "name": "拆迁面积",
            "unit_of_measure": "m²",
            "target": "120000.000",
            "sort_order": 0,
        }


@pytest.mark.parametrize("key", ROLES)
def test_it_lets_only_project_editors_create_change_and_delete_indicators(api, district, key):
    client = api(key)
    indicator = district.project.indicators.get()
    created = client.post(
        "/api/v1/indicators/",
        {"project": "ZD-001", "name": "拆除违建", "unit_of_measure": "m²", "target": "30000"},
        format="json",
    )
    changed = client.patch(f"/api/v1/indicators/{indicator.pk}/", {"target": 130000}, format="json")
    indicator.refresh_from_db()
    if key in PROJECT_EDITORS and not district.users[key].manages_all:
        # Indicators and targets are the approved baseline: a unit requests a change (计划变更) instead,
        # and neither adds nor deletes an indicator (deleting a lagging one would drop its lag).
        assert (
            created.status_code == 403
            and "只有领导小组办公室或系统管理员可以新增或删除指标" in created.json()["detail"]
        )
        assert changed.status_code == 403 and "计划变更申请" in changed.json()["detail"]
        assert str(indicator.target) == "120000.000"
        renamed = client.patch(
            f"/api/v1/indicators/{indicator.pk}/", {"unit_of_measure": "平方米"}, format="json"
        )
        assert renamed.status_code == 200
        deleted = client.delete(f"/api/v1/indicators/{indicator.pk}/")
        assert deleted.status_code == 403 and "新增或删除指标" in deleted.json()["detail"]
        assert district.project.indicators.filter(pk=indicator.pk).exists()
    elif key in PROJECT_EDITORS:
        assert created.status_code == 201, created.json()
        assert created.json()["target"] == "30000.000"
        assert changed.status_code == 200
        assert str(indicator.target) == "130000.000"
        assert client.delete(f"/api/v1/indicators/{created.json()['id']}/").status_code == 204
        assert list(district.project.indicators.values_list("name", flat=True)) == ["拆迁面积"]
    elif key == "outsider":
        assert created.status_code == 400
        assert created.json()["project"] == ["项目「ZD-001」不存在或您无权查看"]
        assert changed.status_code == 404
        assert str(indicator.target) == "120000.000"
    else:
        assert created.status_code == 403
        assert "您无权修改该项目的指标" in created.json()["detail"]
        assert changed.status_code == 403
        assert client.delete(f"/api/v1/indicators/{indicator.pk}/").status_code == 403
        assert district.project.indicators.count() == 1


def test_it_filters_indicators_by_project_code(api, district):
    from decimal import Decimal

    from tiaodu.projects.models import Indicator

    Indicator.objects.create(
        project=district.other, name="清淤", unit_of_measure="m³", target=Decimal("111000")
    )
    client = api("leader")
    assert [r["name"] for r in client.get("/api/v1/indicators/?project=ZD-002").json()["results"]] == ["清淤"]
    assert [r["name"] for r in client.get("/api/v1/indicators/?project=ZD-001").json()["results"]] == [
        "拆迁面积"
    ]
    assert client.get("/api/v1/indicators/?project=ZD-404").json()["count"] == 0


# --- letters -----------------------------------------------------------------------------------

LETTERS_SEEN = {
    **{key: {"北园大街改造指挥部", "泺口街道"} for key in SEES_ALL},
    "hq": {"北园大街改造指挥部"},
    "street": set(),
    "dept": set(),
    "outsider": {"泺口街道"},
}


@pytest.mark.parametrize("key", ROLES)
def test_it_lists_and_retrieves_the_letters_each_user_may_see(api, letters, key):
    client = api(key)
    rows = client.get("/api/v1/letters/").json()["results"]
    assert {row["unit"]["name"] for row in rows} == LETTERS_SEEN[key]
    detail = client.get(f"/api/v1/letters/{letters['hq'].pk}/")
    if "北园大街改造指挥部" in LETTERS_SEEN[key]:
        assert detail.status_code == 200
        body = detail.json()
        assert body["display_title"] == "2026年度北园大街改造指挥部目标责任书"
        assert body["scan_url"] is None
        assert body["items"] == [
            {
                "id": letters["hq"].items.get().pk,
                "letter": letters["hq"].pk,
                "project": {"code": "ZD-001", "name": "北园大街道路拓宽及两侧整治"},
                "indicator": {
                    "id": body["items"][0]["indicator"]["id"],
                    "name": "拆迁面积",
                    "unit_of_measure": "m²",
                },
                "target": "60000.000",
                "deadline": "2026-12-31",
                "note": "年内完成一半",
            }
        ]
    else:
        assert detail.status_code == 404
    items = client.get("/api/v1/letter-items/").json()["results"]
    assert len(items) == (1 if "北园大街改造指挥部" in LETTERS_SEEN[key] else 0)


@pytest.mark.parametrize("key", ROLES)
def test_it_lets_only_managers_create_and_change_letters_and_items(api, district, letters, key):
    from tiaodu.projects.models import LetterItem, ResponsibilityLetter

    client = api(key)
    created = client.post("/api/v1/letters/", {"unit": "北园街道", "year": 2026}, format="json")
    changed = client.patch(
        f"/api/v1/letters/{letters['hq'].pk}/",
        {"status": "signed", "signing_date": "2026-02-15", "signatories": "王区长、赵指挥"},
        format="json",
    )
    item = client.post(
        "/api/v1/letter-items/",
        {"letter": letters["hq"].pk, "project": "ZD-001", "target": "5", "deadline": "2026-10-31"},
        format="json",
    )
    letters["hq"].refresh_from_db()
    if key in MANAGERS:
        assert created.status_code == 201, created.json()
        assert created.json()["unit"]["name"] == "北园街道"
        assert changed.status_code == 200, changed.json()
        assert letters["hq"].status == "signed"
        assert item.status_code == 201, item.json()
        assert item.json()["indicator"] is None
        assert client.delete(f"/api/v1/letter-items/{item.json()['id']}/").status_code == 204
    else:
        # A letter the user may not see is a 404 for a change too (as on the letter's page); one it sees, 403.
        sees_letter = "北园大街改造指挥部" in LETTERS_SEEN[key]
        assert changed.status_code == (403 if sees_letter else 404)
        for response in (created, changed, item) if sees_letter else (created, item):
            assert response.status_code == 403
            assert response.json()["detail"] == "只有领导小组办公室或系统管理员可以管理目标责任书"
        assert letters["hq"].status == "draft"
        assert not ResponsibilityLetter.objects.filter(unit=district.units["street"]).exists()
        assert LetterItem.objects.count() == 1


# --- units and people --------------------------------------------------------------------------


@pytest.mark.parametrize("key", ROLES)
def test_it_lets_everyone_read_units_and_people(api, district, key):
    client = api(key)
    units = client.get("/api/v1/units/").json()
    assert units["count"] == 8
    assert units["results"][0] == {
        "id": district.units["gov"].pk,
        "name": "区委区政府",
        "type": "government",
        "type_display": "区委区政府",
        "parent": None,
        "sort_order": 1,
    }
    people = client.get("/api/v1/people/").json()
    assert people["count"] == 8
    hq = client.get(f"/api/v1/people/{district.people['hq'].pk}/").json()
    assert hq == {
        "id": district.people["hq"].pk,
        "name": "赵指挥",
        "post": "指挥长",
        "phone": "",
        "unit": {"id": district.units["hq"].pk, "name": "北园大街改造指挥部"},
    }


@pytest.mark.parametrize("key", ROLES)
def test_it_lets_only_managers_write_units_and_people(api, district, key):
    from tiaodu.orgs.models import Person, Unit

    client = api(key)
    unit = client.post(
        "/api/v1/units/", {"name": "区水务局", "type": "department", "parent": "区委区政府"}, format="json"
    )
    renamed = client.patch(
        f"/api/v1/units/{district.units['dept'].pk}/", {"name": "区住房和城乡建设局"}, format="json"
    )
    person = client.post(
        "/api/v1/people/", {"name": "李工", "post": "工程师", "unit": district.units["hq"].pk}, format="json"
    )
    moved = client.patch(
        f"/api/v1/people/{district.people['hq'].pk}/", {"phone": "0531-12345678"}, format="json"
    )
    if key in MANAGERS:
        assert unit.status_code == 201, unit.json()
        assert unit.json()["parent"] == {"id": district.units["gov"].pk, "name": "区委区政府"}
        assert renamed.status_code == 200
        assert person.status_code == 201, person.json()
        assert moved.status_code == 200
        assert Person.objects.get(pk=district.people["hq"].pk).phone == "0531-12345678"
    else:
        for response in (unit, renamed, person, moved):
            assert response.status_code == 403
            assert response.json()["detail"] == "只有领导小组办公室或系统管理员可以维护单位和人员"
        assert not Unit.objects.filter(name="区水务局").exists()
        assert Unit.objects.filter(name="区建设局").exists()
        assert not Person.objects.filter(name="李工").exists()
