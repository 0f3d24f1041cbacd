"""Checking GeoJSON that a person sends: a project's geometry drawn on the map, the district boundary
uploaded by the office. Pure: every problem is a `GeoJSONError` whose Chinese message names where it is
(「coordinates[0][1]：纬度须在-90到90之间」), and what comes back is a clean copy (positions [lon, lat] as
floats, an altitude dropped, a polygon's rings closed).
"""

from __future__ import annotations

import json
import math

GEOMETRY_TYPES = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")
KIND_LABELS = {
    "Point": "点",
    "LineString": "线",
    "Polygon": "面",
    "MultiPoint": "多点",
    "MultiLineString": "多线",
    "MultiPolygon": "多面",
}
MAX_POSITIONS = 20000
MAX_BOUNDARY_POSITIONS = 200000


class GeoJSONError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Counter:
    def __init__(self, limit: int):
        self.left = limit
        self.limit = limit

    def take(self):
        self.left -= 1
        if self.left < 0:
            raise GeoJSONError(f"坐标点过多（最多{self.limit}个）")


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _position(value, where: str, counter: _Counter) -> list[float]:
    if not isinstance(value, list) or len(value) < 2:
        raise GeoJSONError(f"{where}：坐标须为[经度, 纬度]")
    lon, lat = value[0], value[1]
    if not _number(lon) or not _number(lat):
        raise GeoJSONError(f"{where}：经度和纬度须为数字")
    if not -180 <= lon <= 180:
        raise GeoJSONError(f"{where}：经度须在-180到180之间")
    if not -90 <= lat <= 90:
        raise GeoJSONError(f"{where}：纬度须在-90到90之间")
    counter.take()
    return [float(lon), float(lat)]


def _list(value, where: str, what: str) -> list:
    if not isinstance(value, list) or not value:
        raise GeoJSONError(f"{where}：须为非空的{what}数组")
    return value


def _line(value, where: str, counter: _Counter) -> list:
    points = [_position(p, f"{where}[{i}]", counter) for i, p in enumerate(_list(value, where, "坐标"))]
    if len(points) < 2:
        raise GeoJSONError(f"{where}：线至少需要2个点")
    return points


def _ring(value, where: str, counter: _Counter) -> list:
    points = [_position(p, f"{where}[{i}]", counter) for i, p in enumerate(_list(value, where, "坐标"))]
    if points[0] != points[-1]:
        points.append(list(points[0]))
    if len({tuple(p) for p in points}) < 3:
        raise GeoJSONError(f"{where}：面的边界至少需要3个不同的点")
    return points


def _polygon(value, where: str, counter: _Counter) -> list:
    return [_ring(r, f"{where}[{i}]", counter) for i, r in enumerate(_list(value, where, "边界环"))]


_PARTS = {
    "Point": lambda c, w, n: _position(c, w, n),
    "LineString": _line,
    "Polygon": _polygon,
    "MultiPoint": lambda c, w, n: [_position(p, f"{w}[{i}]", n) for i, p in enumerate(_list(c, w, "坐标"))],
    "MultiLineString": lambda c, w, n: [_line(p, f"{w}[{i}]", n) for i, p in enumerate(_list(c, w, "线"))],
    "MultiPolygon": lambda c, w, n: [_polygon(p, f"{w}[{i}]", n) for i, p in enumerate(_list(c, w, "面"))],
}


def clean_geometry(value, *, allowed=GEOMETRY_TYPES, limit: int = MAX_POSITIONS, counter=None) -> dict:
    """A clean copy of a GeoJSON geometry (a Feature gives its geometry) of one of the `allowed` types."""
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict):
        raise GeoJSONError("须为GeoJSON几何对象（含type和coordinates）")
    kind = value.get("type")
    if kind not in allowed:
        names = "、".join(f"{k}（{KIND_LABELS[k]}）" for k in allowed)
        shown = str(kind)[:30] if kind is not None else "缺少"
        raise GeoJSONError(f"type：几何类型「{shown}」不支持，须为{names}")
    if "coordinates" not in value:
        raise GeoJSONError("coordinates：缺少坐标")
    counter = counter or _Counter(limit)
    return {"type": kind, "coordinates": _PARTS[kind](value["coordinates"], "coordinates", counter)}


def clean_boundary(value) -> dict:
    """The district boundary: a Polygon or MultiPolygon, a Feature of one, or a FeatureCollection of them
    (merged into one MultiPolygon)."""
    polygons = ("Polygon", "MultiPolygon")
    counter = _Counter(MAX_BOUNDARY_POSITIONS)
    if isinstance(value, dict) and value.get("type") == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or not features:
            raise GeoJSONError("FeatureCollection中没有要素（features为空）")
        parts: list = []
        for i, feature in enumerate(features):
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise GeoJSONError(f"features[{i}]：须为Feature要素")
            try:
                geometry = clean_geometry(feature, allowed=polygons, counter=counter)
            except GeoJSONError as exc:
                raise GeoJSONError(f"features[{i}].geometry.{exc.message}") from None
            parts.extend(
                [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
            )
        if len(parts) == 1:
            return {"type": "Polygon", "coordinates": parts[0]}
        return {"type": "MultiPolygon", "coordinates": parts}
    return clean_geometry(value, allowed=polygons, counter=counter)


def parse_boundary_file(raw: bytes) -> dict:
    """The boundary from the bytes of an uploaded .geojson/.json file (UTF-8, BOM allowed)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GeoJSONError("文件不是UTF-8编码的文本，请上传GeoJSON文件") from None
    if "\x00" in text:
        raise GeoJSONError("文件含有空字符，不是GeoJSON文本")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeoJSONError(f"文件不是合法的JSON（第{exc.lineno}行第{exc.colno}列附近有误）") from None
    except (ValueError, RecursionError):
        raise GeoJSONError("文件不是合法的JSON") from None
    return clean_boundary(value)


def bounds(geometry: dict) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of a clean geometry."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(c):
        if c and isinstance(c[0], float):
            xs.append(c[0])
            ys.append(c[1])
        else:
            for part in c:
                walk(part)

    walk(geometry["coordinates"])
    return min(xs), min(ys), max(xs), max(ys)
