"""REST API v1 of the map: GET /api/v1/map/ (the map payload, filtered like /map/data.json) and
PUT /api/v1/projects/<code>/geometry/ (a geometry drawn on the map, in the map's display datum)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from tiaodu.command.map_data import display_crs, map_features, map_payload, to_display
from tiaodu.command.map_filters import apply_level, map_filter
from tiaodu.command.permissions import geometry_can_edit
from tiaodu.command.services import GEOMETRY_DENIED, project_geometry_save
from tiaodu.core.api import PARSERS, reject_nul
from tiaodu.core.params import has_nul
from tiaodu.projects.selectors import project_list

_FILTERS = [
    OpenApiParameter("project", OpenApiTypes.STR, description="项目编号（可重复）"),
    OpenApiParameter("type", OpenApiTypes.STR, description="项目类型 key_construction / remediation"),
    OpenApiParameter("category", OpenApiTypes.INT, description="项目类别编号"),
    OpenApiParameter("unit", OpenApiTypes.INT, description="牵头或属地单位编号"),
    OpenApiParameter("level", OpenApiTypes.STR, description="滞后等级 normal / lagging / severe"),
]


class MapView(APIView):
    """项目地图数据：底图配置（瓦片或辖区边界）和当前用户可见项目的空间要素（GeoJSON，按滞后等级着色所需属性）。"""

    @extend_schema(summary="项目地图数据", parameters=_FILTERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        selection = map_filter(user=request.user, params=request.query_params)
        return Response(apply_level(map_payload(user=request.user, codes=selection.codes), selection.level))


class ProjectGeometryView(APIView):
    """标绘项目空间范围：请求体为GeoJSON几何（Point/LineString/Polygon及Multi*），坐标与地图显示一致
    （使用GCJ-02瓦片时为GCJ-02，保存时换算为WGS-84）。"""

    parser_classes = PARSERS

    @extend_schema(
        summary="保存项目空间范围",
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT},
    )
    def put(self, request, code: str):
        if has_nul(code):
            raise NotFound("该项目不存在或您无权查看")
        project = project_list(user=request.user).filter(code=code).first()
        if project is None:
            raise NotFound("该项目不存在或您无权查看")
        if not geometry_can_edit(user=request.user, obj=project):
            raise PermissionDenied(GEOMETRY_DENIED)
        reject_nul(request.data if isinstance(request.data, dict) else {})
        project = project_geometry_save(user=request.user, project=project, drawn=request.data, source="api")
        features = map_features(user=request.user, codes=[project.code])["features"]
        return Response(
            {
                "code": project.code,
                "crs": display_crs(),
                "geometry": project.geometry,
                "display_geometry": to_display(project.geometry),
                "feature": features[0] if features else None,
            }
        )
