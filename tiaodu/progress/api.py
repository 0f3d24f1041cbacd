"""REST API v1: GET /api/v1/progress?as_of=YYYY-MM-DD — the overview of tiaodu.progress.overview."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tiaodu.core.params import date_param
from tiaodu.progress.figures import status_json
from tiaodu.progress.selectors import progress_status


class ProgressView(APIView):
    """进度总览：按截至日期给出各类项目的开工情况、每个项目的计划与实际、滞后天数、未报送周报的项目和单位排名。"""

    @extend_schema(
        summary="进度总览（计划与实际）",
        parameters=[
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="截至日期 YYYY-MM-DD，默认今天"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        if "as_of" in request.query_params and not request.query_params["as_of"].strip():
            # Given but blank: a client's mistake, not a request for today (leave the parameter out for that).
            raise ValidationError({"as_of": ["截至日期为空：请按YYYY-MM-DD填写，或不带此参数（默认今天）"]})
        as_of = date_param(request.query_params, "as_of", label="截至日期", default=timezone.localdate())
        return Response(status_json(progress_status(user=request.user, as_of=as_of)))


@extend_schema(exclude=True)
class ProgressSlashView(ProgressView):
    """/api/v1/progress/ — the same answer (left out of the schema: one operation, one path)."""
