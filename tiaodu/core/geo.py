"""Distances on the ground (WGS-84 degrees in, metres out). Pure.

`distance_to_project_m` is how far a photo's EXIF position lies from a project: the haversine distance to
its point, or to the nearest vertex or segment of its geometry (a point inside a polygon is 0 m away).
Segments are measured in a local plane around the photo (equirectangular), exact enough for the
hundreds of metres a district deals in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from tiaodu.core.geometry import parse_geometry

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two WGS-84 positions, in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _plane(lat0: float, lon0: float, lat: float, lon: float) -> tuple[float, float]:
    """(x, y) metres of a position in the plane tangent at (lat0, lon0)."""
    x = math.radians(lon - lon0) * math.cos(math.radians(lat0)) * EARTH_RADIUS_M
    y = math.radians(lat - lat0) * EARTH_RADIUS_M
    return x, y


def _to_segment_m(lat: float, lon: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    """Metres from (lat, lon) to the segment a–b (each (lon, lat), as GeoJSON writes them)."""
    ax, ay = _plane(lat, lon, a[1], a[0])
    bx, by = _plane(lat, lon, b[1], b[0])
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return haversine_m(lat, lon, a[1], a[0])
    t = max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
    if t in (0.0, 1.0):
        end = a if t == 0.0 else b
        return haversine_m(lat, lon, end[1], end[0])
    return math.hypot(ax + t * dx, ay + t * dy)


def _position(value) -> tuple[float, float] | None:
    if (
        isinstance(value, list | tuple)
        and len(value) >= 2
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in value[:2])
    ):
        return float(value[0]), float(value[1])
    return None


def _lines(geometry: dict) -> Iterable[list[tuple[float, float]]]:
    """Every chain of positions of a geometry (a point is a chain of one)."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        chains = [[coords]]
    elif kind in ("MultiPoint", "LineString"):
        chains = [coords] if kind == "LineString" else [[c] for c in coords or []]
    elif kind in ("MultiLineString", "Polygon"):
        chains = coords or []
    elif kind == "MultiPolygon":
        chains = [ring for polygon in coords or [] for ring in polygon or []]
    else:
        chains = []
    for chain in chains:
        positions = [p for p in (_position(c) for c in chain or []) if p is not None]
        if positions:
            yield positions


def _inside(lat: float, lon: float, ring: list[tuple[float, float]]) -> bool:
    """Ray casting: whether (lat, lon) is inside the closed ring of (lon, lat) positions."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _polygons(geometry: dict) -> list[list[list[tuple[float, float]]]]:
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    result = []
    for polygon in polygons:
        rings = [[p for p in (_position(c) for c in ring or []) if p is not None] for ring in polygon or []]
        rings = [r for r in rings if len(r) >= 3]
        if rings:
            result.append(rings)
    return result


def distance_to_geometry_m(lat: float, lon: float, geometry) -> float | None:
    """Metres from (lat, lon) to the nearest vertex or segment of a GeoJSON geometry; 0 inside a polygon
    (outside its holes); None when the geometry has no position."""
    geometry = parse_geometry(geometry)
    if geometry is None:
        return None
    for rings in _polygons(geometry):
        outer, holes = rings[0], rings[1:]
        if _inside(lat, lon, outer) and not any(_inside(lat, lon, h) for h in holes):
            return 0.0
    best = None
    for chain in _lines(geometry):
        if len(chain) == 1:
            d = haversine_m(lat, lon, chain[0][1], chain[0][0])
        else:
            d = min(_to_segment_m(lat, lon, a, b) for a, b in zip(chain, chain[1:], strict=False))
        best = d if best is None else min(best, d)
    return best


def distance_to_project_m(
    lat: float, lon: float, *, point: tuple[float, float] | None, geometry=None
) -> float | None:
    """Metres from a photo's position to a project: its geometry when it has one, else its point
    `(latitude, longitude)`; None when the project has neither."""
    if geometry:
        d = distance_to_geometry_m(lat, lon, geometry)
        if d is not None:
            return d
    if point is None or point[0] is None or point[1] is None:
        return None
    return haversine_m(lat, lon, float(point[0]), float(point[1]))
