"""The WGS-84 ⇄ GCJ-02 shift (tiaodu.core.gcj02) against coordinate pairs published by others.

Sources (checked 2026-11):
* wandergis/coordtransform, test/app.js — wgs84togcj02(116.404, 39.915) → [116.41024449916938,
  39.91640428150164] (the same pair is asserted in hutool's CoordinateUtilTest and in coordtransform-rs);
* hujiulong/gcoord, test/unit/crs/WGS84.spec.ts — WGS84→GCJ02 [123, 45] → [123.00607541, 45.00197815],
  and test/unit/crs/GCJ02.spec.ts — GCJ02→WGS84 [123, 45] → [122.99395597, 44.99804071], both to 5 decimals
  (toBeCloseTo(x, 5): |Δ| < 5e-6); [183, 45] is outside China and unchanged.
coordtransform's own gcj02towgs84 is the one-step approximation ([116.39775550083061, 39.91359571849836]
for (116.404, 39.915)); ours iterates to the exact inverse, which lies within 1e-6° of it.
"""

import math

import pytest

from tiaodu.core.gcj02 import gcj02_to_wgs84, out_of_china, transform_geometry, wgs84_to_gcj02


def test_forward_matches_coordtransform_exactly():
    lat, lon = wgs84_to_gcj02(39.915, 116.404)
    assert lon == pytest.approx(116.41024449916938, abs=1e-12)
    assert lat == pytest.approx(39.91640428150164, abs=1e-12)


def test_forward_and_inverse_match_gcoord():
    lat, lon = wgs84_to_gcj02(45.0, 123.0)
    assert abs(lon - 123.00607541) < 5e-6 and abs(lat - 45.00197815) < 5e-6
    lat, lon = gcj02_to_wgs84(45.0, 123.0)
    assert abs(lon - 122.99395597) < 5e-6 and abs(lat - 44.99804071) < 5e-6


def test_inverse_is_close_to_coordtransforms_approximation():
    lat, lon = gcj02_to_wgs84(39.915, 116.404)
    assert abs(lon - 116.39775550083061) < 1e-6 and abs(lat - 39.91359571849836) < 1e-6


@pytest.mark.parametrize(
    "lat, lon",
    [
        (39.915, 116.404),
        (36.6921, 116.9812),
        (22.54, 114.06),
        (31.2304, 121.4737),
        (45.0, 123.0),
        (29.65, 91.1),
    ],
)
def test_round_trip_within_a_millionth_of_a_degree(lat, lon):
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    assert (g_lat, g_lon) != (lat, lon)  # inside China the datum is shifted (by some hundreds of metres)
    w_lat, w_lon = gcj02_to_wgs84(g_lat, g_lon)
    assert abs(w_lat - lat) < 1e-6 and abs(w_lon - lon) < 1e-6


def test_the_shift_near_the_demo_district_is_a_few_hundred_metres():
    lat, lon = 36.6921, 116.9812
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    metres = math.hypot((g_lat - lat) * 111_320, (g_lon - lon) * 111_320 * math.cos(math.radians(lat)))
    assert 300 < metres < 800


@pytest.mark.parametrize(
    "lat, lon", [(45.0, 183.0), (51.5, -0.12), (40.7, -74.0), (-33.9, 151.2), (1.29, 103.85 - 40)]
)
def test_outside_china_positions_are_unchanged(lat, lon):
    assert out_of_china(lat, lon)
    assert wgs84_to_gcj02(lat, lon) == (lat, lon)
    assert gcj02_to_wgs84(lat, lon) == (lat, lon)


def test_transform_geometry_shifts_every_position_and_keeps_the_shape():
    line = {"type": "LineString", "coordinates": [[116.9812, 36.6921], [117.0195, 36.694]]}
    shifted = transform_geometry(line, wgs84_to_gcj02)
    assert shifted["type"] == "LineString" and len(shifted["coordinates"]) == 2
    back = transform_geometry(shifted, gcj02_to_wgs84)
    for (lon, lat), (b_lon, b_lat) in zip(line["coordinates"], back["coordinates"], strict=True):
        assert abs(lon - b_lon) < 1e-6 and abs(lat - b_lat) < 1e-6
    assert line["coordinates"][0] == [116.9812, 36.6921]  # the input is not changed
