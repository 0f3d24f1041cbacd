"""What every map in Tiaodu draws (the /map/ page, the project file's small map, the big screen, the meeting
walk-through): one function, `map_payload`, so the colours and the figures agree everywhere.

The payload is plain JSON for static/command/tdmap.js:
    {"config": {"tiles": {"url", "attribution", "subdomains"} | None, "crs": "wgs84" | "gcj02",
                "boundary": GeoJSON | None},
     "features": {"type": "FeatureCollection", "features": [Feature, …]}}
Each feature is one project (its drawn geometry, else its point) with properties code, name, type,
type_label, category, lead_unit, status, status_label, level, level_label, lag_days, lag_text, url.
Positions are in the datum of the tiles: shifted to GCJ-02 when MAP_TILE_CRS is "gcj02" and a tile URL is
set (the offline boundary is WGS-84, as stored).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse

from tiaodu.command.geojson import GeoJSONError, clean_geometry
from tiaodu.command.models import CommandSettings
from tiaodu.core import domain
from tiaodu.core.gcj02 import transform_geometry, wgs84_to_gcj02
from tiaodu.core.geometry import parse_geometry
from tiaodu.progress.overview.status import progress_status, project_status
from tiaodu.progress.selectors import today
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import project_list


def display_crs() -> str:
    """The datum positions are shown in: gcj02 only when GCJ-02 tiles are in use."""
    return "gcj02" if settings.MAP_TILE_URL and settings.MAP_TILE_CRS == "gcj02" else "wgs84"


def to_display(geometry: dict | None) -> dict | None:
    """A stored (WGS-84) GeoJSON geometry as the map shows it."""
    if geometry is None or display_crs() == "wgs84":
        return geometry
    return transform_geometry(geometry, wgs84_to_gcj02)


def map_config() -> dict:
    tiles = None
    if settings.MAP_TILE_URL:
        tiles = {
            "url": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "subdomains": settings.MAP_TILE_SUBDOMAINS,
        }
    boundary = CommandSettings.load().boundary
    return {"tiles": tiles, "crs": display_crs(), "boundary": to_display(boundary) if boundary else None}


def project_geometry(project: Project) -> dict | None:
    """A project's stored geometry, else its point, else None (WGS-84). A stored geometry that is not
    well-formed GeoJSON (imported before it was checked, say) is passed over for the point: one bad row must
    not take the map down for everyone."""
    geometry = parse_geometry(project.geometry) if project.geometry else None
    if geometry is not None:
        try:
            return clean_geometry(geometry)
        except GeoJSONError:
            pass
    if project.longitude is not None and project.latitude is not None:
        return {"type": "Point", "coordinates": [float(project.longitude), float(project.latitude)]}
    return None


FEW = 50  # up to this many projects named by code, each is computed alone (project_status), not the overview


def _figures(*, user, as_of, codes, status) -> dict:
    """The projects' figures by code: from `status` (an overview already computed for this user and day),
    else one project at a time for a few named projects, else the whole overview (progress_status)."""
    if status is not None:
        return {p.code: p for p in status.projects}
    if codes is not None and user is not None and len(codes) <= FEW:
        found = (project_status(user=user, code=code, as_of=as_of) for code in codes)
        return {f.code: f for f in found if f is not None}
    return {p.code: p for p in progress_status(user=user, as_of=as_of, include_indicators=False).projects}


def map_features(*, user, as_of: datetime.date | None = None, codes=None, status=None) -> dict:
    """The projects the user may see (user None: every project — the kiosk screen), as a FeatureCollection
    coloured by their level on `as_of` (today by default). `codes` narrows to those projects; `status` is the
    overview (progress_status for the same user and day) when the caller has it already."""
    as_of = as_of or today()
    scope = Project.objects.all() if user is None else project_list(user=user)
    if codes is not None:
        codes = list(codes)
        scope = scope.filter(code__in=codes)
    scope = scope.select_related("category", "lead_unit").order_by("code")
    figures = {}
    if scope.exists():
        figures = _figures(user=user, as_of=as_of, codes=codes, status=status)
    features = []
    for project in scope:
        geometry = project_geometry(project)
        if geometry is None:
            continue
        f = figures.get(project.code)
        level = f.level if f is not None else domain.NORMAL
        features.append(
            {
                "type": "Feature",
                "geometry": to_display(geometry),
                "properties": {
                    "code": project.code,
                    "name": project.name,
                    "type": project.type,
                    "type_label": project.get_type_display(),
                    "category": project.category.name,
                    "lead_unit": project.lead_unit.name,
                    "status": project.status,
                    "status_label": project.get_status_display(),
                    "level": level,
                    "level_label": domain.LEVEL_LABELS[level],
                    "lag_days": f.lag_days if f is not None else 0,
                    "lag_text": getattr(f, "lag_text", "") if f is not None else "",
                    "url": reverse("project_detail", args=[project.code]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def map_payload(*, user, as_of: datetime.date | None = None, codes=None, status=None) -> dict:
    features = map_features(user=user, as_of=as_of, codes=codes, status=status)
    return {"config": map_config(), "features": features}
