"""WGS-84 ⇄ GCJ-02 (the "Mars" datum of 高德/腾讯 tiles). Pure.

Coordinates are stored in WGS-84 (what GPS and EXIF give, and what 天地图/CGCS2000 tiles expect to within a
metre); when the map's tiles are GCJ-02 every coordinate is shifted for display with `wgs84_to_gcj02`, and a
geometry drawn on such a map is shifted back with `gcj02_to_wgs84` before it is stored. Outside China the
datum is not shifted. The forward transform is the published one (Krasovsky ellipsoid); the inverse is
found by fixed-point iteration to well under a millimetre.
"""

from __future__ import annotations

import math
from collections.abc import Callable

_A = 6378245.0  # Krasovsky 1940 semi-major axis
_EE = 0.00669342162296594323  # its first eccentricity squared


def out_of_china(lat: float, lon: float) -> bool:
    """The rough box outside which GCJ-02 leaves positions as they are."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _d_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _d_lon(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """(lat, lon) in WGS-84 → (lat, lon) in GCJ-02."""
    if out_of_china(lat, lon):
        return lat, lon
    d_lat = _d_lat(lon - 105.0, lat - 35.0)
    d_lon = _d_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lat + d_lat, lon + d_lon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """(lat, lon) in GCJ-02 → (lat, lon) in WGS-84 (the forward transform inverted by iteration)."""
    if out_of_china(lat, lon):
        return lat, lon
    w_lat, w_lon = lat, lon
    for _ in range(30):
        g_lat, g_lon = wgs84_to_gcj02(w_lat, w_lon)
        e_lat, e_lon = g_lat - lat, g_lon - lon
        w_lat, w_lon = w_lat - e_lat, w_lon - e_lon
        if abs(e_lat) < 1e-10 and abs(e_lon) < 1e-10:
            break
    return w_lat, w_lon


def transform_geometry(geometry: dict | None, fn: Callable[[float, float], tuple[float, float]]):
    """A copy of a GeoJSON geometry (or Feature / FeatureCollection) with every position passed through
    fn(lat, lon) → (lat, lon); GeoJSON writes positions [lon, lat, …]."""
    if geometry is None:
        return None

    def positions(coords):
        if coords and isinstance(coords[0], (int, float)):
            lat, lon = fn(float(coords[1]), float(coords[0]))
            return [round(lon, 7), round(lat, 7), *coords[2:]]
        return [positions(c) for c in coords]

    kind = geometry.get("type")
    if kind == "FeatureCollection":
        return {**geometry, "features": [transform_geometry(f, fn) for f in geometry.get("features", [])]}
    if kind == "Feature":
        return {**geometry, "geometry": transform_geometry(geometry.get("geometry"), fn)}
    if kind == "GeometryCollection":
        return {**geometry, "geometries": [transform_geometry(g, fn) for g in geometry.get("geometries", [])]}
    return {**geometry, "coordinates": positions(geometry.get("coordinates", []))}
