"""Distances from a photo's position to a project (tiaodu.core.geo)."""

import pytest

from tiaodu.core.geo import distance_to_geometry_m, distance_to_project_m, haversine_m

# One degree of latitude is about 111.2 km; at 35°N one degree of longitude is about 91.1 km.
LAT, LON = 35.0, 117.0


def test_haversine_matches_a_degree_of_latitude():
    assert haversine_m(LAT, LON, LAT + 1, LON) == pytest.approx(111_195, rel=1e-3)
    assert haversine_m(LAT, LON, LAT, LON) == 0


def test_distance_to_a_point_project_without_geometry():
    d = distance_to_project_m(LAT + 0.01, LON, point=(LAT, LON))
    assert d == pytest.approx(1_112, rel=1e-2)


def test_distance_to_a_line_is_measured_to_the_nearest_segment_not_vertex():
    road = {"type": "LineString", "coordinates": [[LON - 0.05, LAT], [LON + 0.05, LAT]]}
    # 500 m north of the middle of a 9 km road: its vertices are 4.5 km away, the segment 500 m.
    d = distance_to_geometry_m(LAT + 500 / 111_195, LON, road)
    assert d == pytest.approx(500, rel=1e-2)
    # Beyond the end, the distance is to the end vertex.
    d_end = distance_to_geometry_m(LAT, LON + 0.06, road)
    assert d_end == pytest.approx(haversine_m(LAT, LON + 0.06, LAT, LON + 0.05), rel=1e-6)


def test_a_point_inside_a_polygon_is_at_zero_metres_but_not_inside_its_hole():
    outer = [
        [LON - 0.01, LAT - 0.01],
        [LON + 0.01, LAT - 0.01],
        [LON + 0.01, LAT + 0.01],
        [LON - 0.01, LAT + 0.01],
    ]
    hole = [
        [LON - 0.001, LAT - 0.001],
        [LON + 0.001, LAT - 0.001],
        [LON + 0.001, LAT + 0.001],
        [LON - 0.001, LAT + 0.001],
    ]
    polygon = {"type": "Polygon", "coordinates": [outer + [outer[0]], hole + [hole[0]]]}
    assert distance_to_geometry_m(LAT + 0.005, LON, polygon) == 0
    inside_hole = distance_to_geometry_m(LAT, LON, polygon)
    assert inside_hole == pytest.approx(0.001 * 91_090, rel=2e-2)


def test_the_geometry_wins_over_the_point_and_nothing_known_is_none():
    feature = '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [117.0, 35.0]}}'
    assert distance_to_project_m(LAT, LON, point=(LAT + 1, LON), geometry=feature) == 0
    assert distance_to_project_m(LAT, LON, point=None, geometry=None) is None
    assert distance_to_project_m(LAT, LON, point=(None, None), geometry={"type": "LineString"}) is None
