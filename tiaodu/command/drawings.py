"""Static SVG drawings of the project file, for its page and its PDF (no JavaScript):

* `curve_svg` — the S-curve (计划 against 实际, 综合进度 in percent), from the dict of
  progress.overview.project_curve (the dashboard's chart);
* `geometry_svg` — the project's geometry (point, line, polygon; WGS-84 GeoJSON) on a blank ground with a
  scale bar, for the PDF (the page has the interactive small map).

Pure: no Django. Presentation attributes only (no style attributes: the CSP forbids them)."""

from __future__ import annotations

import datetime
import math
from html import escape

WIDTH, HEIGHT = 760, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 30, 36
FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"
PLANNED, ACTUAL, GRID = "#1565c0", "#d32f2f", "#d9dee5"


def _points(values, xs, y) -> list[str]:
    """Polyline runs (a None breaks the line)."""
    runs, run = [], []
    for x, v in zip(xs, values, strict=True):
        if v is None:
            if len(run) > 1:
                runs.append(" ".join(run))
            run = []
            continue
        run.append(f"{x:.1f},{y(v):.1f}")
    if len(run) > 1:
        runs.append(" ".join(run))
    return runs


def _label(day: str) -> str:
    d = datetime.date.fromisoformat(day)
    return f"{d.year}年{d.month}月"


def curve_svg(curve: dict | None) -> str:
    """The drawing, or "" when there is nothing to draw (no dates, no indicator)."""
    if not curve or len(curve.get("dates") or []) < 2 or not curve.get("indicators"):
        return ""
    dates = curve["dates"]
    top = max([100.0] + [v for v in curve["planned_pct"] + curve["actual_pct"] if v is not None])
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(dates) - 1
    xs = [LEFT + inner_w * i / n for i in range(len(dates))]

    def y(v: float) -> float:
        return TOP + inner_h * (1 - v / top)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" class="td-scurve" role="img" aria-label="S曲线：计划与实际综合进度" '
        f'font-family="{FONT}" font-size="12">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    for pct in range(0, int(top) + 1, 25):
        yy = y(pct)
        out.append(f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{WIDTH - RIGHT}" y2="{yy:.1f}" stroke="{GRID}"/>')
        out.append(f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end" fill="#555">{pct}%</text>')
    if curve.get("as_of") in dates:
        xa = xs[dates.index(curve["as_of"])]
        out.append(
            f'<line x1="{xa:.1f}" y1="{TOP}" x2="{xa:.1f}" y2="{HEIGHT - BOTTOM}" stroke="#888" '
            'stroke-dasharray="3 3"/>'
        )
        out.append(f'<text x="{xa:.1f}" y="{TOP - 6}" text-anchor="middle" fill="#555">今日</text>')
    for i in sorted({0, n // 2, n}):
        anchor = "start" if i == 0 else "end" if i == n else "middle"
        out.append(
            f'<text x="{xs[i]:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="{anchor}" fill="#555">'
            f"{escape(_label(dates[i]))}</text>"
        )
    for values, colour, dash in (
        (curve["planned_pct"], PLANNED, ' stroke-dasharray="6 4"'),
        (curve["actual_pct"], ACTUAL, ""),
    ):
        for run in _points(values, xs, y):
            out.append(f'<polyline points="{run}" fill="none" stroke="{colour}" stroke-width="2.2"{dash}/>')
    legend_x = LEFT + 12
    out.append(
        f'<line x1="{legend_x}" y1="14" x2="{legend_x + 24}" y2="14" stroke="{PLANNED}" stroke-width="2.2" '
        'stroke-dasharray="6 4"/>'
        f'<text x="{legend_x + 30}" y="18" fill="#333">计划</text>'
        f'<line x1="{legend_x + 76}" y1="14" x2="{legend_x + 100}" y2="14" stroke="{ACTUAL}" stroke-width="2.2"/>'
        f'<text x="{legend_x + 106}" y="18" fill="#333">实际</text>'
    )
    out.append("</svg>")
    return "".join(out)


def last_values(curve: dict | None) -> tuple[float | None, float | None]:
    """(planned, actual) percent at the curve's as-of date (the 综合进度 figures the curve ends on today)."""
    if not curve or curve.get("as_of") not in (curve.get("dates") or []):
        return None, None
    i = curve["dates"].index(curve["as_of"])
    return curve["planned_pct"][i], curve["actual_pct"][i]


def _rings(geometry: dict) -> tuple[list[list[tuple[float, float]]], list[list[tuple[float, float]]], list]:
    """(lines, polygon rings, points) of a GeoJSON geometry, as (lon, lat) lists."""
    lines, rings, points = [], [], []
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "GeometryCollection":
        for g in geometry.get("geometries") or []:
            a, b, c = _rings(g)
            lines += a
            rings += b
            points += c
    elif kind == "Point":
        points.append(tuple(coords[:2]))
    elif kind == "MultiPoint":
        points += [tuple(c[:2]) for c in coords]
    elif kind == "LineString":
        lines.append([tuple(c[:2]) for c in coords])
    elif kind == "MultiLineString":
        lines += [[tuple(c[:2]) for c in line] for line in coords]
    elif kind == "Polygon":
        rings += [[tuple(c[:2]) for c in ring] for ring in coords]
    elif kind == "MultiPolygon":
        rings += [[tuple(c[:2]) for c in ring] for poly in coords for ring in poly]
    return lines, rings, points


def geometry_svg(geometry: dict | None, size: int = 320) -> str:
    """The geometry drawn to fit a square of `size` px (north up, equal metres both ways), or ""."""
    if not geometry:
        return ""
    lines, rings, points = _rings(geometry)
    every = [p for part in lines + rings for p in part] + list(points)
    if not every:
        return ""
    lons, lats = [p[0] for p in every], [p[1] for p in every]
    lat0 = (min(lats) + max(lats)) / 2
    kx = math.cos(math.radians(lat0)) * 111_320  # metres per degree of longitude here
    ky = 110_540
    width_m = max((max(lons) - min(lons)) * kx, (max(lats) - min(lats)) * ky, 200.0)
    pad = 24
    scale = (size - 2 * pad) / width_m
    cx, cy = (min(lons) + max(lons)) / 2, lat0

    def xy(p) -> str:
        return f"{size / 2 + (p[0] - cx) * kx * scale:.1f},{size / 2 - (p[1] - cy) * ky * scale:.1f}"

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        f'font-family="{FONT}" font-size="11"><rect x="0.5" y="0.5" width="{size - 1}" height="{size - 1}" '
        'fill="#f4f6f8" stroke="#c5ccd4"/>'
    ]
    for ring in rings:
        out.append(
            f'<polygon points="{" ".join(xy(p) for p in ring)}" fill="#1565c0" fill-opacity="0.25" stroke="#1565c0" stroke-width="2"/>'
        )
    for line in lines:
        out.append(
            f'<polyline points="{" ".join(xy(p) for p in line)}" fill="none" stroke="#d32f2f" stroke-width="3"/>'
        )
    for p in points:
        x, y = xy(p).split(",")
        out.append(f'<circle cx="{x}" cy="{y}" r="6" fill="#d32f2f" stroke="#fff" stroke-width="2"/>')
    bar_m = _nice(width_m / 4)
    bar_px = bar_m * scale
    out.append(
        f'<line x1="12" y1="{size - 14}" x2="{12 + bar_px:.1f}" y2="{size - 14}" stroke="#333" stroke-width="2"/>'
        f'<text x="12" y="{size - 20}" fill="#333">{_metres(bar_m)}</text>'
        f'<text x="{size - 14}" y="20" text-anchor="middle" fill="#333">北</text>'
        f'<path d="M{size - 14},24 l-5,12 l5,-4 l5,4 z" fill="#333"/></svg>'
    )
    return "".join(out)


def _nice(value: float) -> float:
    """1, 2 or 5 × 10^n not above value."""
    exp = 10 ** math.floor(math.log10(value))
    return max(m * exp for m in (1, 2, 5) if m * exp <= value)


def _metres(value: float) -> str:
    return f"{value / 1000:g}公里" if value >= 1000 else f"{value:g}米"
