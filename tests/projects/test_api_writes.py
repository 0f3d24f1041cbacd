"""Writes through the API: the shapes accepted, the change log, clear 400s, filters and scans."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _project(**extra):
    data = {
        "code": "ZD-101",
        "name": "堤口路改造",
        "type": "key_construction",
        "category": "道路",
        "lead_unit": "北园大街改造指挥部",
        "territorial_units": ["北园街道", "泺口街道"],
    }
    return {**data, **extra}


def _snapshot(project):
    project.refresh_from_db()
    return (
        project.code,
        project.name,
        project.status,
        project.description,
        project.lead_unit_id,
        project.planned_start,
        project.planned_finish,
        project.total_investment,
        sorted(project.territorial_units.values_list("name", flat=True)),
    )


def test_it_creates_a_project_from_names_and_ids(api, district):
    response = api("office").post(
        "/api/v1/projects/",
        _project(
            supporting_units=[district.units["dept"].pk],
            supervising_leader=district.people["leader"].pk,
            responsible_person=str(district.people["hq"].pk),
            planned_start="2026-04-01",
            planned_finish="2026-12-31",
            deadline="2027-01-31",
            total_investment=1000,
            longitude="117.0",
            latitude=36.68,
            geometry={"type": "Point", "coordinates": [117.0, 36.68]},
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["lead_unit"] == {"id": district.units["hq"].pk, "name": "北园大街改造指挥部"}
    assert [u["name"] for u in body["territorial_units"]] == ["北园街道", "泺口街道"]
    assert [u["name"] for u in body["supporting_units"]] == ["区建设局"]
    assert body["supervising_leader"] == {"id": district.people["leader"].pk, "name": "王区长"}
    assert body["responsible_person"]["name"] == "赵指挥"
    assert body["status"] == "not_started"
    assert body["total_investment"] == "1000.00"
    assert body["deadline"] == "2027-01-31"
    assert body["latitude"] == "36.680000"
    assert body["can_edit"] is True


def test_it_records_an_api_update_in_the_change_log_with_source_api(api, district):
    from tiaodu.core.audit import history_for

    response = api("hq").patch(
        "/api/v1/projects/ZD-001/",
        {"status": "under_construction", "description": "已进场施工"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status_display"] == "在建"
    record = history_for(district.project).first()
    assert record.source == "api"
    assert record.user == district.users["hq"]
    assert record.get_action_display() == "修改"
    assert record.changes == {"状态": ["未开工", "在建"], "建设内容": ["", "已进场施工"]}


def test_it_records_creations_of_every_kind_with_source_api(api, district):
    from tiaodu.core.models import ChangeRecord

    client = api("admin")
    assert client.post("/api/v1/projects/", _project(), format="json").status_code == 201
    assert (
        client.post("/api/v1/units/", {"name": "区水务局", "type": "department"}, format="json").status_code
        == 201
    )
    assert (
        client.post("/api/v1/people/", {"name": "李工", "unit": "区水务局"}, format="json").status_code == 201
    )
    assert (
        client.post(
            "/api/v1/indicators/",
            {"project": "ZD-101", "name": "道路长度", "unit_of_measure": "m", "target": 1200},
            format="json",
        ).status_code
        == 201
    )
    letter = client.post("/api/v1/letters/", {"unit": "区水务局", "year": 2026}, format="json")
    assert letter.status_code == 201
    assert (
        client.post(
            "/api/v1/letter-items/",
            {"letter": letter.json()["id"], "project": "ZD-101", "target": 1200, "deadline": "2026-12-31"},
            format="json",
        ).status_code
        == 201
    )
    created = ChangeRecord.objects.filter(action="create")
    assert sorted(r.content_type.model for r in created) == [
        "indicator",
        "letteritem",
        "person",
        "project",
        "responsibilityletter",
        "unit",
    ]
    assert {r.source for r in created} == {"api"}
    assert {r.user_name for r in created} == {"admin"}


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"status": "completed"}, "status", "状态不能从「未开工」改为「已竣工」（允许：在建）"),
        ({"planned_finish": "2026-01-01"}, "planned_finish", "计划完工不能早于计划开工"),
        ({"planned_start": "2026-13-01"}, "planned_start", "日期格式错误"),
        ({"total_investment": "很多"}, "total_investment", "请填写合法的数字"),
        ({"total_investment": -5}, "total_investment", "大于或者等于 0"),
        ({"category": "飞机场"}, "category", "项目类别「飞机场」不存在"),
        ({"lead_unit": "不存在的指挥部"}, "lead_unit", "单位「不存在的指挥部」不存在"),
        ({"lead_unit": 987654}, "lead_unit", "单位「987654」不存在"),
        ({"lead_unit": ["北园街道"]}, "lead_unit", "单位须填写ID（整数）或名称，收到的是列表"),
        ({"territorial_units": []}, "territorial_units", "请至少选择一个属地单位"),
        ({"territorial_units": "北园街道"}, "territorial_units", "列表"),
        ({"supervising_leader": "王区长"}, "supervising_leader", "人员须填写ID（整数），收到的是「王区长」"),
        ({"longitude": 200, "latitude": 36}, "longitude", "小于或者等于 180"),
        ({"latitude": 36}, "latitude", "经度和纬度须同时填写"),
        ({"geometry": {"type": "Circle"}}, "geometry", "空间范围须为GeoJSON的点、线或面"),
        ({"code": "ZD-002"}, "code", "已存在"),
        ({"name": ""}, "name", "不能为空"),
        ({"type": "airport"}, "type", "不是合法选项"),
    ],
)
def test_it_rejects_invalid_project_changes_with_a_chinese_message_and_changes_nothing(
    api, district, payload, field, message
):
    before = _snapshot(district.project)
    response = api("office").patch("/api/v1/projects/ZD-001/", payload, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    assert message in " ".join(errors[field]), errors
    assert _snapshot(district.project) == before


def test_it_rejects_a_malformed_json_body_in_chinese(api, district):
    before = _snapshot(district.project)
    response = api("office").generic(
        "PATCH", "/api/v1/projects/ZD-001/", '{"name": "新名称",', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "请求体不是合法的JSON（第1行第16列附近有误）"
    response = api("office").generic(
        "PATCH", "/api/v1/projects/ZD-001/", "[1, 2]", content_type="application/json"
    )
    assert response.status_code == 400
    assert "期待为字典类型" in response.json()["non_field_errors"][0]
    assert _snapshot(district.project) == before


def test_it_rejects_a_project_without_required_fields(api):
    from tiaodu.projects.models import Project

    response = api("admin").post("/api/v1/projects/", {"code": "ZD-200"}, format="json")
    assert response.status_code == 400
    errors = response.json()
    for field in ("name", "type", "category", "lead_unit", "territorial_units"):
        assert errors[field] == ["该字段是必填项。"], field
    assert not Project.objects.filter(code="ZD-200").exists()


def test_it_forbids_units_to_change_who_is_responsible(api, district):
    before = _snapshot(district.project)
    client = api("hq")
    response = client.patch("/api/v1/projects/ZD-001/", {"lead_unit": "小清河综合治理指挥部"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有领导小组办公室或系统管理员可以修改牵头单位"
    response = client.patch("/api/v1/projects/ZD-001/", {"territorial_units": ["泺口街道"]}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有领导小组办公室或系统管理员可以修改属地单位"
    assert _snapshot(district.project) == before
    # Sending the unchanged values (a full PUT of what GET returned) is fine.
    body = client.get("/api/v1/projects/ZD-001/").json()
    body.update(
        lead_unit=body["lead_unit"]["id"],
        territorial_units=[u["id"] for u in body["territorial_units"]],
        supporting_units=[u["name"] for u in body["supporting_units"]],
        supervising_leader=body["supervising_leader"]["id"],
        responsible_person=body["responsible_person"]["id"],
        name="北园大街道路拓宽及两侧整治工程",
    )
    response = client.put("/api/v1/projects/ZD-001/", body, format="json")
    assert response.status_code == 200, response.json()
    district.project.refresh_from_db()
    assert district.project.name == "北园大街道路拓宽及两侧整治工程"


def test_it_lets_the_office_reassign_units(api, district):
    response = api("office").patch(
        "/api/v1/projects/ZD-001/",
        {
            "lead_unit": district.units["hq2"].pk,
            "territorial_units": ["北园街道", "泺口街道"],
            "supporting_units": [],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["lead_unit"]["name"] == "小清河综合治理指挥部"
    assert [u["name"] for u in body["territorial_units"]] == ["北园街道", "泺口街道"]
    assert body["supporting_units"] == []
    # 区建设局 no longer supports ZD-001, so it no longer sees it.
    assert api("dept").get("/api/v1/projects/ZD-001/").status_code == 404


def test_it_rejects_duplicate_and_invalid_indicators(api, district):
    client = api("office")  # adding indicators is the office's (the approved baseline)
    duplicate = client.post(
        "/api/v1/indicators/",
        {"project": "ZD-001", "name": "拆迁面积", "unit_of_measure": "m²", "target": 1},
        format="json",
    )
    assert duplicate.status_code == 400
    assert "已经存在" in " ".join(sum(duplicate.json().values(), []))
    zero = client.post(
        "/api/v1/indicators/",
        {"project": "ZD-001", "name": "清淤", "unit_of_measure": "m³", "target": 0},
        format="json",
    )
    assert zero.status_code == 400
    assert "0.001" in zero.json()["target"][0]
    indicator = district.project.indicators.get()
    moved = api("hq").patch(f"/api/v1/indicators/{indicator.pk}/", {"project": "ZD-002"}, format="json")
    assert moved.status_code == 400
    assert moved.json()["project"] == ["项目「ZD-002」不存在或您无权查看"]
    moved = api("office").patch(f"/api/v1/indicators/{indicator.pk}/", {"project": "ZD-002"}, format="json")
    assert moved.status_code == 400
    assert moved.json()["project"] == ["指标所属项目不能修改"]
    assert district.project.indicators.count() == 1


def test_it_refuses_to_delete_an_indicator_named_in_a_letter(api, district, letters):
    indicator = district.project.indicators.get()
    response = api("office").delete(f"/api/v1/indicators/{indicator.pk}/")
    assert response.status_code == 400
    assert response.json()["detail"] == ["该指标已列入目标责任书，不能删除"]
    assert district.project.indicators.count() == 1


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("", ["ZD-001", "ZD-002", "ZH-001"]),
        ("?type=remediation", ["ZH-001"]),
        ("?type=key_construction", ["ZD-001", "ZD-002"]),
        ("?status=under_construction", ["ZD-002"]),
        ("?q=小清河", ["ZD-002"]),
        ("?q=zh-", ["ZH-001"]),
        ("?type=key_construction&status=not_started", ["ZD-001"]),
        ("?territorial_unit={street}", ["ZD-001", "ZH-001"]),
        ("?lead_unit={hq2}", ["ZD-002"]),
    ],
)
def test_it_filters_projects_like_the_list_page(api, district, query, codes):
    from tiaodu.projects.models import Category, Project, ProjectStatus, ProjectType

    district.other.status = ProjectStatus.UNDER_CONSTRUCTION
    district.other.save()
    remediation = Project.objects.create(
        code="ZH-001",
        name="水屯社区综合整治",
        type=ProjectType.REMEDIATION,
        category=Category.objects.first(),
        lead_unit=district.units["hq"],
    )
    remediation.territorial_units.set([district.units["street"]])
    url = "/api/v1/projects/" + query.format(street=district.units["street"].pk, hq2=district.units["hq2"].pk)
    response = api("leader").get(url)
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == codes


def test_it_filters_within_what_the_user_sees(api, district):
    response = api("hq").get("/api/v1/projects/?q=小清河")
    assert response.json()["results"] == []


def test_it_rejects_an_invalid_filter_value_in_chinese(api, district):
    response = api("leader").get("/api/v1/projects/?type=airport")
    assert response.status_code == 400
    assert "不在可用的选项中" in response.json()["type"][0]


def test_it_pages_by_fifty(api, district):
    from tiaodu.projects.models import Project

    for n in range(60):
        p = Project.objects.create(
            code=f"ZH-{n:03d}",
            name=f"整治{n}",
            type="remediation",
            category_id=district.project.category_id,
            lead_unit=district.units["hq"],
        )
        p.territorial_units.set([district.units["street"]])
    first = api("leader").get("/api/v1/projects/").json()
    assert first["count"] == 62
    assert len(first["results"]) == 50
    assert first["next"].endswith("/api/v1/projects/?page=2")
    second = api("leader").get("/api/v1/projects/?page=2").json()
    assert len(second["results"]) == 12
    missing = api("leader").get("/api/v1/projects/?page=9")
    assert missing.status_code == 404


def test_it_says_not_found_in_chinese(api, district):
    for url, noun in [
        ("/api/v1/projects/ZD-404/", "项目"),
        ("/api/v1/units/424242/", "单位"),
        ("/api/v1/units/99999999999999999999999999/", "单位"),
        ("/api/v1/people/abc/", "人员"),
    ]:
        response = api("leader").get(url)
        assert response.status_code == 404
        assert response.json()["detail"] == f"该{noun}不存在或您无权查看"


def test_it_addresses_projects_whose_code_has_a_dot_or_chinese(api, district):
    client = api("admin")
    for code in ["ZD.2026.01", "重点-甲"]:
        assert client.post("/api/v1/projects/", _project(code=code), format="json").status_code == 201
        response = client.get(f"/api/v1/projects/{code}/")
        assert response.status_code == 200
        assert response.json()["code"] == code


# --- letters and scans -------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_it_uploads_a_letter_scan_as_multipart(api, district, media):
    from tiaodu.core.audit import history_for
    from tiaodu.projects.models import ResponsibilityLetter

    response = api("office").post(
        "/api/v1/letters/",
        {
            "unit": "北园街道",
            "year": "2026",
            "status": "signed",
            "signing_date": "2026-02-15",
            "scan": SimpleUploadedFile("责任书.pdf", PDF, content_type="application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    letter = ResponsibilityLetter.objects.get(pk=body["id"])
    assert body["scan_url"] == f"http://testserver/letters/{letter.pk}/scan/"
    assert body["scan_name"] == "责任书.pdf"
    assert body["scan_type"] == "application/pdf"
    assert "scan" not in body
    with letter.scan.open("rb") as fh:
        assert fh.read() == PDF
    assert history_for(letter).first().source == "api"


def test_it_replaces_a_scan_and_rejects_a_file_that_is_not_a_scan(api, district, letters, media):
    client = api("office")
    url = f"/api/v1/letters/{letters['hq'].pk}/"
    ok = client.patch(url, {"scan": SimpleUploadedFile("scan.pdf", PDF)}, format="multipart")
    assert ok.status_code == 200, ok.json()
    bad = client.patch(
        url,
        {"title": "改了标题", "scan": SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf at all")},
        format="multipart",
    )
    assert bad.status_code == 400
    assert bad.json()["scan"][0].startswith("扫描件须为PDF、JPEG或PNG文件")
    letters["hq"].refresh_from_db()
    assert letters["hq"].title == ""
    assert letters["hq"].scan_name == "scan.pdf"
    empty = client.patch(url, {"scan": SimpleUploadedFile("empty.pdf", b"")}, format="multipart")
    assert empty.status_code == 400
    as_json = client.patch(url, {"scan": "data:application/pdf;base64,JVBERi0="}, format="json")
    assert as_json.status_code == 400
    assert "不是一个文件" in as_json.json()["scan"][0]


def test_it_rejects_a_scan_that_is_too_large(api, district, media, settings):
    from tiaodu.projects.models import ResponsibilityLetter

    settings.LETTER_SCAN_MAX_BYTES = 1024
    response = api("office").post(
        "/api/v1/letters/",
        {"unit": "北园街道", "year": 2026, "scan": SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "扫描件过大" in response.json()["scan"][0]
    assert not ResponsibilityLetter.objects.exists()


def test_it_rejects_a_second_letter_for_the_same_unit_and_year(api, district, letters):
    response = api("office").post(
        "/api/v1/letters/", {"unit": "北园大街改造指挥部", "year": 2026}, format="json"
    )
    assert response.status_code == 400
    assert "已经存在" in " ".join(sum(response.json().values(), []))


def test_it_checks_letter_items(api, district, letters):
    from tiaodu.projects.models import Indicator

    client = api("office")
    other_indicator = Indicator.objects.create(
        project=district.other, name="清淤", unit_of_measure="m³", target=Decimal("1000")
    )
    wrong = client.post(
        "/api/v1/letter-items/",
        {
            "letter": letters["hq"].pk,
            "project": "ZD-001",
            "indicator": other_indicator.pk,
            "target": 5,
            "deadline": "2026-12-31",
        },
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong.json()["indicator"] == ["指标不属于所选项目"]
    missing = client.post(
        "/api/v1/letter-items/",
        {"letter": 424242, "project": "ZD-404", "target": "x", "deadline": "明年"},
        format="json",
    )
    assert missing.status_code == 400
    errors = missing.json()
    assert errors["letter"] == ["责任书「424242」不存在或您无权查看"]
    assert errors["project"] == ["项目「ZD-404」不存在或您无权查看"]
    assert "请填写合法的数字" in errors["target"][0]
    assert "日期格式错误" in errors["deadline"][0]
    item = letters["hq"].items.get()
    moved = client.patch(f"/api/v1/letter-items/{item.pk}/", {"letter": letters["street2"].pk}, format="json")
    assert moved.status_code == 400
    assert moved.json()["letter"] == ["目标事项所属责任书不能修改"]
    changed = client.patch(f"/api/v1/letter-items/{item.pk}/", {"deadline": "2026-11-30"}, format="json")
    assert changed.status_code == 200
    item.refresh_from_db()
    assert item.deadline == datetime.date(2026, 11, 30)
    assert letters["hq"].items.count() == 1


def test_it_rejects_nul_characters_naming_the_field(api, district):
    before = _snapshot(district.project)
    client = api("office")
    response = client.patch(
        "/api/v1/projects/ZD-001/",
        {"code": "ZD\x00001", "geometry": {"type": "Point", "coordinates": ["\x00"]}, "name": "正常名称"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": ["不能包含空字符（\\u0000）"],
        "geometry": ["不能包含空字符（\\u0000）"],
    }
    response = client.patch("/api/v1/projects/ZD-001/", {"name": "名\x00称"}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"name": ["不能包含空字符（\\u0000）"]}
    assert _snapshot(district.project) == before


@pytest.mark.parametrize("key", ["leader", "hq"])
def test_it_lists_projects_and_letters_in_a_fixed_number_of_queries(
    api, district, letters, key, django_assert_max_num_queries
):
    from tiaodu.projects.models import LetterItem, Project

    client = api(key)
    for n in range(30):
        p = Project.objects.create(
            code=f"ZH-{n:03d}",
            name=f"整治{n}",
            type="remediation",
            category_id=district.project.category_id,
            lead_unit=district.units["hq"],
            responsible_person=district.people["hq"],
        )
        p.territorial_units.set([district.units["street"], district.units["street2"]])
        p.supporting_units.set([district.units["dept"]])
        LetterItem.objects.create(
            letter=letters["hq"], project=p, target=1, deadline=datetime.date(2026, 12, 31)
        )
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/v1/projects/").json()["results"]) == (32 if key == "leader" else 31)
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/v1/letters/").json()["results"][0]["items"]) == 31
