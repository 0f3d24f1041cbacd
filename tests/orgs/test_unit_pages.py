"""Unit pages: the tree, a unit's page, unit and person forms, and the unit's 变更记录."""

from tests.projects.test_pages import field_block
from tests.support import login


def test_it_creates_and_edits_units_with_history(client, district):
    login(client, district, "office")
    gov = district.units["gov"]
    response = client.post(
        "/units/new/", {"name": "宝华街街道", "type": "street", "parent": gov.pk, "sort_order": "9"}
    )
    assert response.status_code == 302
    from tiaodu.orgs.models import Unit

    unit = Unit.objects.get(name="宝华街街道")
    assert response["Location"] == f"/units/{unit.pk}/"
    response = client.post(
        "/units/new/", {"name": "宝华街街道", "type": "street", "parent": "", "sort_order": "0"}
    )
    assert "已存在" in field_block(response.content.decode(), "name")
    client.post(
        f"/units/{unit.pk}/edit/",
        {"name": "宝华街街道办事处", "type": "street", "parent": gov.pk, "sort_order": "9"},
    )
    page = client.get(f"/units/{unit.pk}/").content.decode()
    assert "<del>宝华街街道</del> → <ins>宝华街街道办事处</ins>" in page
    assert "刘主任" in page


def test_it_refuses_a_parent_cycle_beside_the_field(client, district):
    login(client, district, "admin")
    gov, office = district.units["gov"], district.units["office"]
    response = client.post(
        f"/units/{gov.pk}/edit/", {"name": gov.name, "type": gov.type, "parent": office.pk, "sort_order": "1"}
    )
    assert response.status_code == 200
    assert "上级单位不能形成循环" in field_block(response.content.decode(), "parent")
    page = client.get(f"/units/{office.pk}/edit/").content.decode()
    assert f'<option value="{office.pk}"' not in page  # a unit is never offered as its own parent


def test_it_adds_and_edits_people_and_shows_them_in_the_units_history(client, district):
    login(client, district, "office")
    hq = district.units["hq"]
    page = client.get(f"/people/new/?unit={hq.pk}").content.decode()
    assert f'<option value="{hq.pk}" selected>' in page
    response = client.post(
        "/people/new/", {"name": "李联络", "post": "联络员", "phone": "0531-1234567", "unit": hq.pk}
    )
    assert response.status_code == 302 and response["Location"] == f"/units/{hq.pk}/"
    response = client.post("/people/new/", {"name": "李联络", "post": "", "phone": "", "unit": hq.pk})
    assert "北园大街改造指挥部已有名为「李联络」的人员" in field_block(response.content.decode(), "name")
    person = hq.people.get(name="李联络")
    client.post(
        f"/people/{person.pk}/edit/",
        {"name": "李联络", "post": "联络员", "phone": "0531-7654321", "unit": hq.pk},
    )
    page = client.get(f"/units/{hq.pk}/").content.decode()
    assert "0531-7654321" in page
    history = page[page.index('id="history"') :]
    assert "人员「李联络」" in history
    assert "<del>0531-1234567</del> → <ins>0531-7654321</ins>" in history


def test_it_shows_a_streets_territorial_projects_first(client, district):
    login(client, district, "leader")
    page = client.get(f"/units/{district.units['street'].pk}/").content.decode()
    assert '<button class="nav-link active" id="tab-territorial"' in page
    assert "钱主任" in page and "街道主任" in page


def test_it_links_the_account_page_to_the_users_unit(client, district):
    login(client, district, "street")
    page = client.get("/account/").content.decode()
    assert f'href="/units/{district.units["street"].pk}/">北园街道</a>' in page
    assert "修改密码" in page
