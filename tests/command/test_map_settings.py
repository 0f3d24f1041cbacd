"""/command/settings/: the campaign and the district boundary (GeoJSON upload), the office only."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tiaodu.command.models import CommandSettings
from tiaodu.core.audit import history_for

pytestmark = pytest.mark.django_db

RING = [[116.97, 36.66], [117.03, 36.66], [117.03, 36.72], [116.97, 36.72], [116.97, 36.66]]


def upload(name, content):
    raw = content if isinstance(content, bytes) else json.dumps(content, ensure_ascii=False).encode()
    return SimpleUploadedFile(name, raw, content_type="application/geo+json")


def post(client, boundary=None, **fields):
    data = {"campaign_name": "决战2027", "campaign_date": "2027-08-31", **fields}
    if boundary is not None:
        data["boundary_file"] = boundary
    return client.post("/command/settings/", data)


def test_the_office_uploads_a_feature_collection_and_the_history_records_it(client, district):
    client.force_login(district.users["office"])
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "东片"},
                "geometry": {"type": "Polygon", "coordinates": [RING]},
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "MultiPolygon", "coordinates": [[RING], [RING]]},
            },
        ],
    }
    response = post(client, upload("区界.geojson", collection), campaign_name="决战2027年")
    assert response.status_code == 302 and response["Location"] == "/command/settings/"
    row = CommandSettings.load()
    assert row.boundary["type"] == "MultiPolygon" and len(row.boundary["coordinates"]) == 3
    assert row.boundary_name == "区界.geojson" and row.campaign_name == "决战2027年"
    assert row.campaign_date == datetime.date(2027, 8, 31) and row.updated_by == district.users["office"]
    record = history_for(row).first()
    assert record.user == district.users["office"]
    assert (
        record.changes["边界文件名"] == ["", "区界.geojson"]
        and record.changes["攻坚行动名称"][1] == "决战2027年"
    )
    page = client.get("/command/settings/").content.decode()
    assert "当前边界：<strong>区界.geojson</strong>" in page and "3个面" in page
    # the map draws it as its offline base
    assert client.get("/map/data.json").json()["config"]["boundary"] == row.boundary


def test_a_single_polygon_with_a_bom_and_a_feature(client, district):
    client.force_login(district.users["admin"])
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [RING]}, "properties": None}
    raw = b"\xef\xbb\xbf" + json.dumps(feature).encode()
    assert post(client, upload("boundary.json", raw)).status_code == 302
    assert CommandSettings.load().boundary == {"type": "Polygon", "coordinates": [RING]}


@pytest.mark.parametrize(
    "content, words",
    [
        (
            {"type": "LineString", "coordinates": [[1, 1], [2, 2]]},
            "几何类型「LineString」不支持，须为Polygon（面）、MultiPolygon（多面）",
        ),
        ({"type": "FeatureCollection", "features": []}, "FeatureCollection中没有要素"),
        (
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}],
            },
            "features[0].geometry.type：几何类型「Point」不支持",
        ),
        (
            {"type": "Polygon", "coordinates": [[[116.9, 36.6], [190, 36.6], [117, 36.7]]]},
            "coordinates[0][1]：经度须在-180到180之间",
        ),
        (b'{"type": ', "不是合法的JSON"),
        ("区界".encode("gbk"), "不是UTF-8编码"),
        (b"PK\x03\x04 not a geojson", "不是合法的JSON"),
    ],
)
def test_a_bad_file_is_refused_in_chinese_and_nothing_is_saved(client, district, content, words):
    client.force_login(district.users["office"])
    response = post(client, upload("bad.geojson", content), campaign_name="不应保存")
    assert response.status_code == 200
    assert words in response.content.decode()
    row = CommandSettings.load()
    assert row.boundary is None and row.campaign_name == "决战2027" and row.updated_at is None
    assert not history_for(row).exists()


def test_a_file_over_5_mb_is_refused(client, district):
    client.force_login(district.users["office"])
    padding = " " * (5 * 1024 * 1024)
    raw = ('{"type": "Polygon", "coordinates": [' + json.dumps(RING) + "]}" + padding).encode()
    response = post(client, upload("big.geojson", raw))
    assert response.status_code == 200 and "辖区边界文件不能超过5MB" in response.content.decode()
    assert CommandSettings.load().boundary is None


def test_clearing_the_boundary(client, district):
    row = CommandSettings.load()
    row.boundary = {"type": "Polygon", "coordinates": [RING]}
    row.boundary_name = "old.geojson"
    row.save()
    client.force_login(district.users["office"])
    assert post(client, clear_boundary="on").status_code == 302
    row = CommandSettings.load()
    assert row.boundary is None and row.boundary_name == ""
    assert history_for(row).first().changes["边界文件名"] == ["old.geojson", ""]


def test_a_blank_campaign_name_is_refused(client, district):
    client.force_login(district.users["office"])
    response = post(client, campaign_name="  ")
    assert response.status_code == 200 and response.context["form"].errors["campaign_name"]
    assert CommandSettings.load().updated_at is None


@pytest.mark.parametrize("who", ["leader", "supervisor", "hq", "street", "dept"])
def test_only_the_office_and_admins_open_it(client, district, who):
    client.force_login(district.users[who])
    assert client.get("/command/settings/").status_code == 403
    assert post(client, upload("x.geojson", {"type": "Polygon", "coordinates": [RING]})).status_code == 403
    assert CommandSettings.load().boundary is None


def test_the_demo_loads_its_boundary_and_campaign(db):
    from tests.demo_copy import demo_district
    from tiaodu.demo.loader import load_demo

    today = datetime.date(2026, 11, 29)  # the demo tests' day (one load per process for all of them)
    demo_district(today=today)
    row = CommandSettings.load()
    assert row.campaign_name == "决战2027" and row.campaign_date == datetime.date(2027, 8, 31)
    assert row.boundary["type"] == "Polygon" and "虚构" in row.boundary_name
    west, south, east, north = 116.9676, 36.6609, 117.0312, 36.7229
    from tiaodu.command.map_data import map_features
    from tiaodu.core.actors import SYSTEM

    features = map_features(user=SYSTEM, as_of=today)["features"]
    assert len(features) == 37
    for feature in features:  # every demo project lies inside the made-up district's box
        coords = feature["geometry"]["coordinates"]
        points = [coords] if feature["geometry"]["type"] == "Point" else coords
        assert all(west < lon < east and south < lat < north for lon, lat in points)
    # loading again leaves an office's own boundary alone
    row.boundary_name = "office.geojson"
    row.save()
    load_demo(today=today)
    assert CommandSettings.load().boundary_name == "office.geojson"
