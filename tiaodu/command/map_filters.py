"""The filters of the map (/map/data.json, /api/v1/map/): project codes, type, category, unit, level.

`map_filter(user, params)` reads the query parameters (a bad value raises BadParameter, a Chinese 400) and
returns the codes to draw (None: every visible project) and the level to keep (None: every level).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from tiaodu.core import domain
from tiaodu.core.params import BadParameter, choice_param, id_param, text_param
from tiaodu.projects.models import Category, ProjectType
from tiaodu.projects.selectors import project_list

MAX_CODES = 200


@dataclass
class MapFilter:
    codes: list[str] | None
    level: str | None
    active: bool


def _codes(params) -> list[str] | None:
    values = params.getlist("project") if hasattr(params, "getlist") else [params.get("project")]
    codes = []
    for value in values:
        code = text_param({"project": value}, "project", label="项目编号", max_length=50)
        if code:
            codes.append(code)
    if len(codes) > MAX_CODES:
        raise BadParameter("project", f"一次最多查询{MAX_CODES}个项目")
    return codes or None


def map_filter(*, user, params) -> MapFilter:
    codes = _codes(params)
    kind = choice_param(params, "type", ProjectType.values, label="项目类型")
    category = id_param(params, "category", label="项目类别")
    unit = id_param(params, "unit", label="单位")
    level = choice_param(params, "level", [v for v, _ in domain.LEVELS], label="滞后等级")
    if category is not None and not Category.objects.filter(pk=category).exists():
        raise BadParameter("category", f"项目类别编号「{category}」不存在")
    if kind is None and category is None and unit is None:
        return MapFilter(codes=codes, level=level, active=bool(codes or level))
    scope = project_list(user=user)
    if codes is not None:
        scope = scope.filter(code__in=codes)
    if kind is not None:
        scope = scope.filter(type=kind)
    if category is not None:
        scope = scope.filter(category_id=category)
    if unit is not None:
        scope = scope.filter(Q(lead_unit_id=unit) | Q(territorial_units=unit))
    return MapFilter(codes=list(scope.values_list("code", flat=True).distinct()), level=level, active=True)


def apply_level(payload: dict, level: str | None) -> dict:
    """Keep only the features of that level (a completed project keeps the level it had)."""
    if level is not None:
        features = payload["features"]["features"]
        payload["features"]["features"] = [f for f in features if f["properties"]["level"] == level]
    return payload
