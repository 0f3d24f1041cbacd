"""Project pages: list and filters, the project page, edit and status forms, indicators, 变更记录."""

import datetime
import re
from decimal import Decimal

import pytest

from tests.support import login


def field_block(page: str, name: str) -> str:
    """The errors shown beside one form field (inside the field's wrapper, after its input)."""
    match = re.search(
        rf'<div class="mb-3 td-field[^"]*" id="field-{name}">.*?id="id_{name}_error">(.*?)</div>', page, re.S
    )
    assert match, f"no errors beside field {name}"
    return match.group(1)


def edit_data(project, **overrides):
    data = {
        "name": project.name,
        "category": project.category_id,
        "description": project.description,
        "supervising_leader": project.supervising_leader_id or "",
        "responsible_person": project.responsible_person_id or "",
        "planned_start": project.planned_start.isoformat() if project.planned_start else "",
        "planned_finish": project.planned_finish.isoformat() if project.planned_finish else "",
        "deadline": project.deadline.isoformat() if project.deadline else "",
        "total_investment": str(project.total_investment or ""),
        "longitude": "",
        "latitude": "",
        "geometry": "",
    }
    data.update(overrides)
    return data


def manager_data(project, **overrides):
    data = edit_data(project)
    data.update(
        {
            "code": project.code,
            "type": project.type,
            "lead_unit": project.lead_unit_id,
            "territorial_units": [u.pk for u in project.territorial_units.all()],
            "supporting_units": [u.pk for u in project.supporting_units.all()],
        }
    )
    data.update(overrides)
    return data


def test_it_filters_the_list_by_type_status_unit_and_search(client, district):
    from tiaodu.projects.models import Category, Project, ProjectStatus, ProjectType

    remediation = Project.objects.create(
        code="ZZ-001",
        name="水屯社区综合整治",
        type=ProjectType.REMEDIATION,
        category=Category.objects.get(name="道路"),
        lead_unit=district.units["hq2"],
        status=ProjectStatus.UNDER_CONSTRUCTION,
    )
    remediation.territorial_units.set([district.units["street"]])
    login(client, district, "leader")

    page = client.get("/projects/", {"type": "remediation"}).content.decode()
    assert "ZZ-001" in page and "ZD-001" not in page and "ZD-002" not in page
    page = client.get("/projects/", {"status": "under_construction"}).content.decode()
    assert "ZZ-001" in page and "ZD-001" not in page
    page = client.get("/projects/", {"territorial_unit": district.units["street"].pk}).content.decode()
    assert "ZZ-001" in page and "ZD-001" in page and "ZD-002" not in page
    page = client.get("/projects/", {"lead_unit": district.units["hq"].pk}).content.decode()
    assert "ZD-001" in page and "ZZ-001" not in page
    page = client.get("/projects/", {"q": "小清河"}).content.decode()
    assert "ZD-002" in page and "ZD-001" not in page
    page = client.get("/projects/", {"q": "zd-00"}).content.decode()
    assert "ZD-001" in page and "ZD-002" in page and "ZZ-001" not in page
    assert "筛选出 2 个项目" in page


def test_it_offers_only_fitting_units_in_the_filter(client, district):
    login(client, district, "leader")
    page = client.get("/projects/").content.decode()
    lead = re.search(r'<select name="lead_unit".*?</select>', page, re.S).group(0)
    territorial = re.search(r'<select name="territorial_unit".*?</select>', page, re.S).group(0)
    assert "北园大街改造指挥部" in lead and "区建设局" in lead and "北园街道" not in lead
    assert "北园街道" in territorial and "泺口街道" in territorial and "指挥部" not in territorial


def test_it_paginates_fifty_a_page_and_keeps_the_filters(client, district):
    from tiaodu.projects.models import Category, Project, ProjectType

    road = Category.objects.get(name="道路")
    Project.objects.bulk_create(
        [
            Project(
                code=f"PX-{i:03d}",
                name=f"批量项目{i}",
                type=ProjectType.REMEDIATION,
                category=road,
                lead_unit=district.units["hq"],
            )
            for i in range(120)
        ]
    )
    login(client, district, "admin")
    page = client.get("/projects/", {"type": "remediation"}).content.decode()
    assert page.count('href="/projects/PX-') == 50 * 2
    assert "第 1 / 3 页，共 120 项" in page
    assert 'href="?type=remediation&amp;page=2"' in page
    last = client.get("/projects/", {"type": "remediation", "page": 3}).content.decode()
    assert "PX-119" in last and "PX-000" not in last
    assert client.get("/projects/", {"page": "abc"}).status_code == 200
    assert client.get("/projects/", {"page": "99999"}).status_code == 200


def test_it_lists_projects_without_a_query_per_row(client, district, django_assert_max_num_queries):
    from tiaodu.projects.models import Category, Project, ProjectType

    road = Category.objects.get(name="道路")
    created = Project.objects.bulk_create(
        [
            Project(
                code=f"PX-{i:03d}",
                name=f"批量项目{i}",
                type=ProjectType.REMEDIATION,
                category=road,
                lead_unit=district.units["hq"],
                responsible_person=district.people["hq"],
            )
            for i in range(60)
        ]
    )
    through = Project.territorial_units.through
    through.objects.bulk_create(
        [through(project_id=p.pk, unit_id=district.units["street"].pk) for p in created]
    )
    login(client, district, "hq")
    client.get("/projects/")
    with django_assert_max_num_queries(15):  # 15: the navigation asks if the user is a security auditor
        page = client.get("/projects/").content.decode()
    assert page.count("北园街道") >= 50


def test_it_ignores_bad_filter_values_without_error(client, district):
    login(client, district, "leader")
    for params in (
        {"lead_unit": "abc"},
        {"type": "nope"},
        {"status": "x" * 500},
        {"category": "-1"},
        {"territorial_unit": "9999999999999999999999"},
        {"q": "a\x00b"},
        {"q": "%_'\"<>"},
    ):
        response = client.get("/projects/", params)
        assert response.status_code == 200, params


def test_it_shows_all_fields_units_people_and_indicators(client, district):
    project = district.project
    project.longitude, project.latitude = Decimal("117.000923"), Decimal("36.675807")
    project.save()
    login(client, district, "street")
    page = client.get("/projects/ZD-001/").content.decode()
    for text in (
        "ZD-001",
        "北园大街道路拓宽及两侧整治",
        "重点建设",
        "道路",
        "2026年3月1日",
        "2027年6月30日",
        "2027年8月31日",
        "52,000 万元",
        "经度 117.000923，纬度 36.675807",
        "未开工",
        "王区长",
        "区长",
        "赵指挥",
        "指挥长",
        "拆迁面积",
        "m²",
        "120,000",
    ):
        assert text in page, text
    assert f'href="/units/{district.units["hq"].pk}/">北园大街改造指挥部</a>' in page
    assert f'href="/units/{district.units["street"].pk}/">北园街道</a>' in page
    assert f'href="/units/{district.units["dept"].pk}/">区建设局</a>' in page
    assert "变更记录" in page


def test_it_saves_an_edit_and_shows_it_in_the_history(client, district):
    login(client, district, "office")  # the deadline is part of the approved baseline: the office changes it
    response = client.post(
        "/projects/ZD-001/edit/",
        manager_data(
            district.project, name="北园大街道路拓宽工程", deadline="2027-09-30", total_investment="56000"
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == "/projects/ZD-001/"
    page = client.get("/projects/ZD-001/").content.decode()
    history = page[page.index('id="history"') :]
    assert "刘主任" in history
    assert "<del>北园大街道路拓宽及两侧整治</del> → <ins>北园大街道路拓宽工程</ins>" in history
    assert "<del>2027年8月31日</del> → <ins>2027年9月30日</ins>" in history
    assert "<del>52000</del> → <ins>56000</ins>" in history
    assert "修改" in history


def test_it_keeps_unit_users_from_changing_the_lead_unit(client, district):
    login(client, district, "hq")
    data = edit_data(district.project, lead_unit=district.units["hq2"].pk, code="HACK-1")
    response = client.post("/projects/ZD-001/edit/", data)
    assert response.status_code == 403  # refused as through the API, not silently dropped
    assert "只有领导小组办公室或系统管理员可以修改" in response.content.decode()
    district.project.refresh_from_db()
    assert district.project.lead_unit == district.units["hq"]
    assert district.project.code == "ZD-001"


def test_it_shows_finish_before_start_beside_the_field(client, district):
    login(client, district, "office")  # the baseline dates are the office's (units request a change)
    response = client.post(
        "/projects/ZD-001/edit/",
        manager_data(district.project, planned_start="2026-05-01", planned_finish="2026-04-01"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "计划完工不能早于计划开工" in field_block(page, "planned_finish")
    assert "请修改标红的内容后再保存" in page
    district.project.refresh_from_db()
    assert district.project.planned_finish == datetime.date(2027, 6, 30)


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"planned_start": "2026-02-30"}, "planned_start", "有效的日期"),
        ({"total_investment": "很多"}, "total_investment", "数字"),
        ({"total_investment": "-5"}, "total_investment", "大于或等于0"),
        ({"total_investment": "1" * 20}, "total_investment", "不超过 14 个数字"),
        ({"longitude": "200", "latitude": "36"}, "longitude", "小于或等于180"),
        ({"longitude": "117"}, "latitude", "经度和纬度须同时填写"),
        ({"geometry": "{bad json"}, "geometry", "JSON"),
        ({"geometry": '{"type": "Circle"}'}, "geometry", "点、线或面"),
        ({"name": ""}, "name", "该字段是必填项"),
        ({"name": "x" * 300}, "name", "200"),
        ({"category": "999999"}, "category", "选择一个有效的选项"),
        ({"responsible_person": "abc"}, "responsible_person", "选择一个有效的选项"),
    ],
)
def test_it_shows_bad_input_beside_the_field_never_a_500(client, district, overrides, field, message):
    login(client, district, "office")  # offered every field, the baseline dates included
    response = client.post("/projects/ZD-001/edit/", manager_data(district.project, **overrides))
    assert response.status_code == 200
    assert message in field_block(response.content.decode(), field)


def test_it_creates_a_project_with_errors_first_then_saved(client, district):
    login(client, district, "office")
    data = manager_data(district.project, code="ZD-001", territorial_units=[])
    response = client.post("/projects/new/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "已存在" in field_block(page, "code")
    assert "请至少选择一个属地单位" in field_block(page, "territorial_units")
    data = manager_data(
        district.project,
        code="ZD-003",
        name="少年路整治",
        status="under_construction",
        territorial_units=[district.units["street2"].pk],
    )
    response = client.post("/projects/new/", data)
    assert response.status_code == 302
    assert response["Location"] == "/projects/ZD-003/"
    page = client.get("/projects/ZD-003/").content.decode()
    assert "少年路整治" in page and "在建" in page and "新建" in page and "刘主任" in page


def test_it_rejects_codes_that_cannot_be_addressed(client, district):
    login(client, district, "office")
    data = manager_data(district.project, code="ZD/003", territorial_units=[district.units["street2"].pk])
    response = client.post("/projects/new/", data)
    assert response.status_code == 200
    assert "项目编号不能包含" in field_block(response.content.decode(), "code")


def test_it_offers_only_allowed_status_steps_and_refuses_others(client, district):
    login(client, district, "hq")
    page = client.get("/projects/ZD-001/").content.decode()
    select = re.search(r'<select name="status".*?</select>', page, re.S).group(0)
    assert "在建" in select and "已验收" not in select and "已竣工" not in select
    response = client.post("/projects/ZD-001/status/", {"status": "accepted"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "状态不能从「未开工」改为所选状态（允许：在建）" in page
    district.project.refresh_from_db()
    assert district.project.status == "not_started"
    assert client.post("/projects/ZD-001/status/", {"status": ""}).status_code == 400


def test_it_records_status_changes_in_the_history(client, district):
    login(client, district, "street")
    client.post("/projects/ZD-001/status/", {"status": "under_construction"})
    client.post("/projects/ZD-001/status/", {"status": "suspended"})
    page = client.get("/projects/ZD-001/").content.decode()
    assert "<del>在建</del> → <ins>暂停</ins>" in page
    assert "<del>未开工</del> → <ins>在建</ins>" in page
    assert "钱主任" in page


def test_it_adds_edits_and_deletes_indicators_with_history(client, district):
    login(client, district, "office")  # a target is part of the approved baseline: the office changes it
    response = client.post(
        "/projects/ZD-001/indicators/new/",
        {"name": "拆除违建", "unit_of_measure": "m²", "target": "30000", "sort_order": "1"},
    )
    assert response.status_code == 302
    ind = district.project.indicators.get(name="拆除违建")
    response = client.post(
        "/projects/ZD-001/indicators/new/",
        {"name": "拆除违建", "unit_of_measure": "m²", "target": "1", "sort_order": "1"},
    )
    assert "该项目已有名为「拆除违建」的指标" in field_block(response.content.decode(), "name")
    response = client.post(
        f"/projects/ZD-001/indicators/{ind.pk}/edit/",
        {"name": "拆除违建", "unit_of_measure": "m²", "target": "0", "sort_order": "1"},
    )
    assert "大于或等于0.001" in field_block(response.content.decode(), "target")
    client.post(
        f"/projects/ZD-001/indicators/{ind.pk}/edit/",
        {"name": "拆除违建", "unit_of_measure": "m²", "target": "35000", "sort_order": "1"},
    )
    assert client.post(f"/projects/ZD-001/indicators/{ind.pk}/delete/").status_code == 302
    page = client.get("/projects/ZD-001/").content.decode()
    history = page[page.index('id="history"') :]
    assert "目标指标「拆除违建（m²）」" in history
    assert "<del>30000</del> → <ins>35000</ins>" in history
    assert "删除" in history and "新建" in history


def test_it_refuses_to_delete_an_indicator_used_by_a_letter(client, district, letter):
    login(client, district, "office")
    ind = district.project.indicators.get()
    response = client.post(f"/projects/ZD-001/indicators/{ind.pk}/delete/", follow=True)
    assert "不能删除指标「拆迁面积」：该指标已列入目标责任书，不能删除" in response.content.decode()
    assert district.project.indicators.filter(pk=ind.pk).exists()


def test_it_lets_read_only_users_not_post_indicators(client, district):
    login(client, district, "dept")
    assert (
        client.post(
            "/projects/ZD-001/indicators/new/",
            {"name": "x", "unit_of_measure": "m", "target": "1", "sort_order": "0"},
        ).status_code
        == 403
    )


def test_it_lists_a_project_whose_code_has_a_slash_without_error(client, district):
    from tiaodu.projects.models import Project

    odd = Project.objects.create(
        code="ZD/009",
        name="编号带斜杠的项目",
        type="remediation",
        category=district.project.category,
        lead_unit=district.units["hq"],
    )
    odd.territorial_units.set([district.units["street"]])
    login(client, district, "hq")
    page = client.get("/projects/")
    assert page.status_code == 200
    assert 'href="/projects/ZD%2F009/"' in page.content.decode()
    assert client.get(f"/units/{district.units['hq'].pk}/").status_code == 200
