"""PUT /api/v1/projects/<code>/geometry/: a geometry drawn on the map, saved in WGS-84 with its history."""

import json

import pytest

from tiaodu.core.audit import history_for
from tiaodu.core.gcj02 import gcj02_to_wgs84, wgs84_to_gcj02
from tiaodu.projects.models import Project

pytestmark = pytest.mark.django_db

LINE = {"type": "LineString", "coordinates": [[116.9812, 36.6921], [116.995, 36.6928], [117.0195, 36.694]]}


def put(client, code, body, content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.put(f"/api/v1/projects/{code}/geometry/", data=data, content_type=content_type)


def test_the_lead_unit_saves_a_line_and_the_history_says_who(client, district):
    client.force_login(district.users["hq"])
    response = put(client, "ZD-001", LINE)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["geometry"] == LINE and body["crs"] == "wgs84"
    assert body["feature"]["geometry"] == LINE and body["feature"]["properties"]["code"] == "ZD-001"
    assert Project.objects.get(code="ZD-001").geometry == LINE
    record = history_for(Project.objects.get(code="ZD-001")).first()
    assert record.user == district.users["hq"] and record.source == "api"
    before, after = record.changes["空间范围(GeoJSON)"]
    assert before == "" and json.loads(after) == LINE


def test_polygons_multi_geometries_and_a_feature_are_accepted(client, district):
    client.force_login(district.users["office"])
    ring = [[116.98, 36.68], [116.99, 36.68], [116.99, 36.69], [116.98, 36.68]]
    assert put(client, "ZD-001", {"type": "Polygon", "coordinates": [ring]}).status_code == 200
    open_ring = ring[:-1]  # closed on save
    assert put(client, "ZD-001", {"type": "MultiPolygon", "coordinates": [[open_ring]]}).status_code == 200
    assert Project.objects.get(code="ZD-001").geometry["coordinates"][0][0][-1] == [116.98, 36.68]
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Point", "coordinates": [117.0, 36.7]},
    }
    assert put(client, "ZD-001", feature).status_code == 200
    assert Project.objects.get(code="ZD-001").geometry == {"type": "Point", "coordinates": [117.0, 36.7]}


def test_drawn_on_gcj02_tiles_it_is_stored_in_wgs84(client, district, settings):
    settings.MAP_TILE_URL = "https://tiles.example.cn/{z}/{x}/{y}.png"
    settings.MAP_TILE_CRS = "gcj02"
    drawn = {"type": "LineString", "coordinates": []}
    for lon, lat in LINE["coordinates"]:
        g_lat, g_lon = wgs84_to_gcj02(lat, lon)
        drawn["coordinates"].append([g_lon, g_lat])
    client.force_login(district.users["office"])
    response = put(client, "ZD-001", drawn)
    assert response.status_code == 200 and response.json()["crs"] == "gcj02"
    stored = Project.objects.get(code="ZD-001").geometry["coordinates"]
    for (lon, lat), (s_lon, s_lat) in zip(LINE["coordinates"], stored, strict=True):
        assert abs(lon - s_lon) < 1e-6 and abs(lat - s_lat) < 1e-6
    shown = response.json()["display_geometry"]["coordinates"]
    for (d_lon, d_lat), (s_lon, s_lat) in zip(drawn["coordinates"], shown, strict=True):
        assert abs(d_lon - s_lon) < 1e-6 and abs(d_lat - s_lat) < 1e-6
    lat, lon = gcj02_to_wgs84(drawn["coordinates"][0][1], drawn["coordinates"][0][0])
    assert abs(stored[0][0] - lon) < 1e-7


def test_with_wgs84_tiles_nothing_is_shifted(client, district, settings):
    settings.MAP_TILE_URL = "https://t{s}.tianditu.example/{z}/{x}/{y}"
    settings.MAP_TILE_CRS = "wgs84"
    client.force_login(district.users["office"])
    assert put(client, "ZD-001", LINE).status_code == 200
    assert Project.objects.get(code="ZD-001").geometry == LINE


@pytest.mark.parametrize(
    "body, words",
    [
        ({"type": "Circle", "coordinates": [1, 2]}, "type：几何类型「Circle」不支持"),
        ({"type": "LineString", "coordinates": [[116.9, 36.6]]}, "coordinates：线至少需要2个点"),
        (
            {"type": "LineString", "coordinates": [[116.9, 36.6], [200, 36.6]]},
            "coordinates[1]：经度须在-180到180之间",
        ),
        ({"type": "Point", "coordinates": [116.9, 95]}, "coordinates：纬度须在-90到90之间"),
        ({"type": "Point", "coordinates": ["116.9", 36.6]}, "经度和纬度须为数字"),
        ({"type": "Point"}, "coordinates：缺少坐标"),
        ({"type": "Polygon", "coordinates": [[[1, 1], [2, 2], [1, 1]]]}, "面的边界至少需要3个不同的点"),
        ([1, 2], "须为GeoJSON几何对象"),
        ("{not json", "不是合法的JSON"),
        ("", "几何类型「缺少」不支持"),
    ],
)
def test_bad_geometry_is_a_chinese_400_and_nothing_is_saved(client, district, body, words):
    client.force_login(district.users["office"])
    response = put(client, "ZD-001", body)
    assert response.status_code == 400
    assert words in json.dumps(response.json(), ensure_ascii=False)
    assert Project.objects.get(code="ZD-001").geometry is None


def test_who_may_not_draw(client, district):
    client.force_login(district.users["leader"])  # sees it, may not edit it
    response = put(client, "ZD-001", LINE)
    assert response.status_code == 403 and "无权标绘" in response.json()["detail"]
    client.force_login(district.users["outsider"])  # does not even see it
    assert put(client, "ZD-001", LINE).status_code == 404
    client.force_login(district.users["office"])
    assert put(client, "NO-SUCH", LINE).status_code == 404
    client.logout()
    assert put(client, "ZD-001", LINE).status_code in (401, 403)
    assert Project.objects.get(code="ZD-001").geometry is None
