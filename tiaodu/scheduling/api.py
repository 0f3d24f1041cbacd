"""REST API v1: a project's computed schedule (倒排工期).

GET /api/v1/projects/{code}/schedule answers exactly what `python manage.py schedule CODE --json`
prints. A project the user may not see is a 404; a project that cannot be scheduled (missing dates, a
cycle) is a 400 with the reason in Chinese.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tiaodu.projects.models import Project
from tiaodu.scheduling import engine
from tiaodu.scheduling.selectors import ScheduleUnavailable, project_schedule, visible_project

_TASK = inline_serializer(
    "ScheduleTask",
    {
        "code": serializers.CharField(help_text="任务编号"),
        "name": serializers.CharField(help_text="任务名称"),
        "duration": serializers.IntegerField(help_text="工期（工作日），0 为里程碑"),
        "early_start": serializers.DateField(help_text="最早开始"),
        "early_finish": serializers.DateField(help_text="最早完成"),
        "late_start": serializers.DateField(help_text="最迟开始"),
        "late_finish": serializers.DateField(help_text="最迟完成"),
        "total_float": serializers.IntegerField(help_text="总时差（工作日，可为负）"),
        "critical": serializers.BooleanField(help_text="是否关键任务（总时差等于项目最小总时差）"),
    },
    many=True,
)
SCHEDULE = inline_serializer(
    "Schedule",
    {
        "project": serializers.CharField(help_text="项目编号"),
        "start": serializers.DateField(help_text="开工日（计划开工顺延至工作日，即第0个工作日）"),
        "deadline": serializers.DateField(help_text="完成时限"),
        "feasible": serializers.BooleanField(help_text="最小总时差 ≥ 0 即可按期完成"),
        "min_float": serializers.IntegerField(allow_null=True, help_text="最小总时差（工作日）"),
        "critical_path": serializers.ListField(
            child=serializers.CharField(), help_text="关键任务编号，按开始顺序"
        ),
        "warnings": serializers.ListField(
            child=serializers.CharField(), help_text="如「2027年节假日安排尚未录入」"
        ),
        "tasks": _TASK,
    },
)


class ProjectScheduleView(APIView):
    @extend_schema(
        operation_id="project_schedule",
        summary="项目倒排工期",
        description="按项目的日历（法定工作日或连续施工）计算每项任务的最早/最迟开始与完成日期、总时差和关键路径。",
        responses={
            200: SCHEDULE,
            400: OpenApiResponse(description="项目缺少日期或任务存在循环依赖"),
            404: OpenApiResponse(description="项目不存在或无权查看"),
        },
        tags=["工期计划"],
    )
    def get(self, request, code: str):
        try:
            project = visible_project(user=request.user, code=code)
        except Project.DoesNotExist:
            raise Http404("项目不存在或无权查看")
        try:
            schedule = project_schedule(project)
        except (ScheduleUnavailable, engine.ScheduleError) as exc:
            raise ValidationError({"detail": str(exc)})
        return Response(schedule.as_json())


@extend_schema_view(get=extend_schema(exclude=True))
class ProjectScheduleSlashView(ProjectScheduleView):
    """The same answer with a trailing slash, left out of the OpenAPI document."""
