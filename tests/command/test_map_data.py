"""The map's data (/map/data.json, GET /api/v1/map/): who sees which projects, the filters, bad input."""

import json
from decimal import Decimal

import pytest

from tiaodu.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(district):
    """Both projects located: ZD-001 drawn as a line, ZD-002 as a point."""
    line = {"type": "LineString", "coordinates": [[116.9812, 36.6921], [117.0195, 36.694]]}
    Project.objects.filter(code="ZD-001").update(geometry=line)
    Project.objects.filter(code="ZD-002").update(longitude=Decimal("116.99"), latitude=Decimal("36.70"))
    return district


def codes(response):
    return sorted(f["properties"]["code"] for f in response.json()["features"]["features"])


def test_the_office_sees_every_project_with_its_card_fields(client, placed):
    client.force_login(placed.users["office"])
    response = client.get("/map/data.json")
    assert response.status_code == 200
    body = response.json()
    assert body["config"] == {"tiles": None, "crs": "wgs84", "boundary": None}
    assert codes(response) == ["ZD-001", "ZD-002"]
    first = body["features"]["features"][0]
    assert first["geometry"]["type"] == "LineString"
    props = first["properties"]
    assert props["name"] == "北园大街道路拓宽及两侧整治" and props["category"] == "道路"
    assert props["lead_unit"] == "北园大街改造指挥部" and props["url"] == "/projects/ZD-001/"
    assert props["level"] in ("normal", "lagging", "severe") and props["level_label"]


def test_a_street_office_sees_only_its_territory(client, placed):
    client.force_login(placed.users["street"])
    assert codes(client.get("/map/data.json")) == ["ZD-001"]
    assert codes(client.get("/api/v1/map/")) == ["ZD-001"]
    # asking for another territory's project by code shows nothing, not the project
    assert codes(client.get("/map/data.json?project=ZD-002")) == []


def test_a_headquarters_sees_its_projects(client, placed):
    client.force_login(placed.users["hq"])
    assert codes(client.get("/map/data.json")) == ["ZD-001"]


def test_signed_out_gets_no_data(client, placed):
    assert client.get("/map/data.json").status_code == 302
    assert client.get("/api/v1/map/").status_code in (401, 403)


def test_filters_type_category_unit_level_and_code(client, placed):
    from tiaodu.projects.models import Category

    client.force_login(placed.users["office"])
    river = Category.objects.get(name="河道")
    assert codes(client.get(f"/map/data.json?category={river.pk}")) == ["ZD-002"]
    assert codes(client.get(f"/map/data.json?unit={placed.units['street'].pk}")) == ["ZD-001"]  # territorial
    assert codes(client.get(f"/map/data.json?unit={placed.units['hq2'].pk}")) == ["ZD-002"]  # lead
    assert codes(client.get("/map/data.json?type=remediation")) == []
    assert codes(client.get("/map/data.json?type=key_construction&project=ZD-002")) == ["ZD-002"]
    assert codes(client.get("/map/data.json?project=ZD-001&project=ZD-002")) == ["ZD-001", "ZD-002"]
    levels = {f["properties"]["level"] for f in client.get("/map/data.json").json()["features"]["features"]}
    for level in levels:
        assert codes(client.get(f"/map/data.json?level={level}"))
    assert codes(client.get("/api/v1/map/?level=severe")) == codes(client.get("/map/data.json?level=severe"))


@pytest.mark.parametrize(
    "query, field, words",
    [
        ("type=road", "type", "项目类型「road」不是可选值"),
        ("category=abc", "category", "项目类别编号无效"),
        ("category=999999", "category", "项目类别编号「999999」不存在"),
        ("unit=-3", "unit", "单位编号无效"),
        ("level=red", "level", "滞后等级「red」不是可选值"),
        ("project=" + "X" * 60, "project", "项目编号不能超过50个字符"),
        ("project=%00", "project", "项目编号不能包含空字符"),
    ],
)
def test_bad_filters_are_a_chinese_400(client, placed, query, field, words):
    client.force_login(placed.users["office"])
    response = client.get(f"/map/data.json?{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field and words in response.json()["error"]
    api = client.get(f"/api/v1/map/?{query}")
    assert api.status_code == 400 and words in json.dumps(api.json(), ensure_ascii=False)


def test_the_page_data_lists_unlocated_projects_and_what_the_user_may_draw(client, district):
    Project.objects.filter(code="ZD-002").update(longitude=Decimal("116.99"), latitude=Decimal("36.70"))
    client.force_login(district.users["office"])
    body = client.get("/map/data.json?page=1").json()
    assert body["unlocated"] == [
        {"code": "ZD-001", "name": "北园大街道路拓宽及两侧整治", "url": "/projects/ZD-001/"}
    ]
    assert body["editable"] == ["ZD-001", "ZD-002"]
    client.force_login(district.users["leader"])  # leaders read everything, draw nothing
    body = client.get("/map/data.json?page=1").json()
    assert body["editable"] == [] and [u["code"] for u in body["unlocated"]] == ["ZD-001"]


def test_tiles_in_gcj02_shift_what_is_shown(client, placed, settings):
    from tiaodu.core.gcj02 import wgs84_to_gcj02

    settings.MAP_TILE_URL = "https://tiles.example.cn/{z}/{x}/{y}.png"
    settings.MAP_TILE_CRS = "gcj02"
    client.force_login(placed.users["office"])
    body = client.get("/map/data.json?project=ZD-002").json()
    assert body["config"]["crs"] == "gcj02" and body["config"]["tiles"]["url"].startswith(
        "https://tiles.example.cn/"
    )
    lon, lat = body["features"]["features"][0]["geometry"]["coordinates"]
    g_lat, g_lon = wgs84_to_gcj02(36.70, 116.99)
    assert abs(lon - g_lon) < 1e-6 and abs(lat - g_lat) < 1e-6


def test_the_map_page_renders_its_filters(client, placed):
    client.force_login(placed.users["street"])
    response = client.get("/map/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>项目地图" in html and 'id="project-map"' in html and "牵头/属地单位" in html
    assert "北园街道" in html and "小清河综合治理指挥部" not in html  # only units of the visible projects
    assert "辖区边界与攻坚设置" not in html


def test_the_tile_host_is_allowed_for_images_only_when_a_tile_url_is_set(client, placed, settings):
    client.force_login(placed.users["office"])
    csp = client.get("/map/")["Content-Security-Policy"]
    assert "img-src 'self' data: blob:;" in csp
    settings.MAP_TILE_URL = "https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}"
    csp = client.get("/map/")["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://*.is.autonavi.com;" in csp
    assert "connect-src 'self';" in csp and "script-src 'self';" in csp  # only images come from there


@pytest.mark.parametrize(
    "url, source",
    [
        ("", None),
        ("https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}", "https://*.is.autonavi.com"),
        ("http://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY", "http://*.tianditu.gov.cn"),
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tiles.example.com:8443/{z}/{x}/{y}", "https://*.tiles.example.com:8443"),
        ("/tiles/{z}/{x}/{y}.png", None),
        ("javascript:alert(1)", None),
    ],
)
def test_tile_source(url, source):
    from tiaodu.core.headers import tile_source

    assert tile_source(url) == source


def test_the_small_map_include_points_at_one_projects_data(placed):
    from django.template import Context, Template

    html = Template(
        '{% include "command/_map_assets.html" %}{% include "command/_small_map.html" with code=c %}'
    ).render(Context({"c": "ZD-001"}))
    assert '<div data-td-map data-src="/map/data.json?project=ZD-001"' in html
    assert 'class="td-map td-map-small"' in html and "style=" not in html and "<script>" not in html
    for asset in (
        "vendor/leaflet/leaflet.css",
        "vendor/leaflet/leaflet.js",
        "command/tdmap.js",
        "command/tdmap.css",
    ):
        assert asset in html


@pytest.mark.parametrize("bad", [["116.99", "36.70"], [1], [None, None]])
def test_a_malformed_stored_geometry_falls_back_to_the_point_everywhere(client, placed, settings, bad):
    """A geometry stored before it was checked (an old import, say) must not take the map, the big screen's
    data or the project file's PDF down: the project is drawn at its point instead."""
    settings.MAP_TILE_URL = "https://tiles.example.cn/{z}/{x}/{y}.png"
    settings.MAP_TILE_CRS = "gcj02"
    Project.objects.filter(code="ZD-001").update(
        geometry={"type": "Point", "coordinates": bad}, longitude=Decimal("116.98"), latitude=Decimal("36.69")
    )
    client.force_login(placed.users["office"])
    response = client.get("/map/data.json?project=ZD-001")
    assert response.status_code == 200
    (feature,) = response.json()["features"]["features"]
    lon, lat = feature["geometry"]["coordinates"]
    assert feature["geometry"]["type"] == "Point" and 116.98 < lon < 116.99 and 36.69 < lat < 36.70  # shifted
    assert client.get("/map/data.json").status_code == 200
    assert client.get("/screen/data/").status_code == 200
    pdf = client.get("/projects/ZD-001/file.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_a_single_project_is_coloured_like_the_overview(client, placed):
    """The small map of one project computes that project alone; its level is the overview's."""
    from tiaodu.command.map_data import map_features
    from tiaodu.progress.overview.status import progress_status
    from tiaodu.progress.selectors import today

    office = placed.users["office"]
    overview = {p.code: p.level for p in progress_status(user=office, as_of=today()).projects}
    for code in ("ZD-001", "ZD-002"):
        (feature,) = map_features(user=office, codes=[code])["features"]
        assert feature["properties"]["level"] == overview[code]
