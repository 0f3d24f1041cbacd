"""A project's 空间范围 (GeoJSON) in words a user reads: 「线，3个点」, never the raw coordinates. Pure."""

from __future__ import annotations

import json

_KINDS = {
    "Point": "点",
    "MultiPoint": "多个点",
    "LineString": "线",
    "MultiLineString": "多条线",
    "Polygon": "面",
    "MultiPolygon": "多个面",
}


def _positions(coordinates) -> int:
    """How many positions ([lng, lat]) nested lists of coordinates hold."""
    if not isinstance(coordinates, list) or not coordinates:
        return 0
    if all(isinstance(c, int | float) for c in coordinates):
        return 1
    return sum(_positions(c) for c in coordinates)


def _rings(geometry: dict) -> list:
    coordinates = geometry.get("coordinates") or []
    if geometry["type"] == "Polygon":
        return list(coordinates)
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in coordinates if isinstance(polygon, list) for ring in polygon]
    return []


def _corners(geometry: dict) -> int:
    """Positions of the geometry; a polygon's ring repeats its first corner at the end, counted once."""
    count = _positions(geometry.get("coordinates"))
    closed = sum(
        1 for ring in _rings(geometry) if isinstance(ring, list) and len(ring) > 1 and ring[0] == ring[-1]
    )
    return count - closed


def parse_geometry(value) -> dict | None:
    """The geometry of a GeoJSON value (dict or its JSON text; a Feature's geometry), or None."""
    if isinstance(value, str):
        text = value.strip()
        if not text.startswith("{"):
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
    if not isinstance(value, dict):
        return None
    if value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in _KINDS:
        return None
    return value


def geometry_summary(value) -> str:
    """「线，3个点」 for a GeoJSON geometry; "" for none; 「已标绘」 for something we cannot read."""
    if value in (None, "", {}):
        return ""
    geometry = parse_geometry(value)
    if geometry is None:
        return "已标绘"
    kind = _KINDS[geometry["type"]]
    count = _corners(geometry)
    if geometry["type"] == "Point":
        return kind
    return f"{kind}，{count}个点"


def geometry_change(old, new) -> tuple[str, str]:
    """The two sides of a change of 空间范围 as the change log shows them."""
    before, after = geometry_summary(old), geometry_summary(new)
    if before and after and before == after:
        after = f"已修改（{after}）"
    return before, after
