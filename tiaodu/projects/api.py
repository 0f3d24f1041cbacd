"""REST API v1: projects, indicators, responsibility letters and letter items.

Reads go through tiaodu.projects.selectors (a project the user may not see is a 404, never a 403);
writes go through tiaodu.projects.services with source="api", so every change is in the change log.
Projects are addressed by code (/api/v1/projects/ZD-001/). Letter items are read nested in their
letter and written at /api/v1/letter-items/.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tiaodu.core.api import PARSERS, ApiViewSet, LookupMixin, reject_nul
from tiaodu.core.permissions import allows
from tiaodu.projects import changes, services
from tiaodu.projects.change_serializers import (
    ChangeDecisionSerializer,
    ChangeRequestSerializer,
    ProjectChangeSerializer,
    RejectSerializer,
)
from tiaodu.projects.filters import ProjectFilter
from tiaodu.projects.models import ChangeStatus, Indicator, LetterItem, ProjectChange, ResponsibilityLetter
from tiaodu.projects.permissions import (
    change_can_request,
    letter_can_edit,
    project_can_create,
    project_can_edit,
)
from tiaodu.projects.selectors import (
    change_list,
    indicator_list,
    letter_item_list,
    letter_list,
    project_list,
)
from tiaodu.projects.serializers import (
    IndicatorSerializer,
    LetterItemSerializer,
    LetterSerializer,
    ProjectSerializer,
)

# --- permissions -------------------------------------------------------------------------------

LETTER_DENIED = "只有领导小组办公室或系统管理员可以管理目标责任书"

# Create: the office and administrators. Change: those project_can_edit allows.
ProjectPermission = allows(
    create=project_can_create,
    change=project_can_edit,
    create_message="只有领导小组办公室或系统管理员可以新建项目",
    change_message="您无权修改该项目",
)
# Writes: those who may edit the indicator's project (creation is checked by the service).
IndicatorPermission = allows(
    change=lambda *, user, obj: project_can_edit(user=user, obj=obj.project),
    change_message="您无权修改该项目的指标",
)
LetterPermission = allows(
    create=letter_can_edit,
    change=letter_can_edit,
    create_message=LETTER_DENIED,
    change_message=LETTER_DENIED,
)
LetterItemPermission = allows(
    create=letter_can_edit,
    change=lambda *, user, obj: letter_can_edit(user=user, obj=obj.letter),
    create_message=LETTER_DENIED,
    change_message=LETTER_DENIED,
)


BASELINE_NOTE = (
    "状态只能按允许的步骤变更。计划开工、计划完工、完成时限属于批准的计划基线：只有领导小组办公室和系统管理员"
    "可以直接修改（并记为已批准的计划变更）；其他单位改动这些字段返回403，须通过 POST "
    "/api/v1/projects/{code}/changes/ 提交计划变更申请（原值照样提交视为未改动）。"
)


def _validated(view, serializer_class, **context):
    reject_nul(view.request.data)
    serializer = serializer_class(
        data=view.request.data, context={**view.get_serializer_context(), **context}
    )
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- filters -----------------------------------------------------------------------------------


class IndicatorFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__code", label="项目编号")

    class Meta:
        model = Indicator
        fields = ["project"]


class LetterFilter(django_filters.FilterSet):
    class Meta:
        model = ResponsibilityLetter
        fields = ["unit", "year", "status"]


class LetterItemFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__code", label="项目编号")

    class Meta:
        model = LetterItem
        fields = ["letter", "project"]


# --- viewsets ----------------------------------------------------------------------------------

UNITS = ("territorial_units", "supporting_units")


@extend_schema_view(
    list=extend_schema(summary="项目列表", description="当前用户可见的项目；筛选条件与项目列表页相同。"),
    retrieve=extend_schema(summary="项目详情", description="按项目编号；不可见的项目返回404。"),
    create=extend_schema(summary="新建项目", description="领导小组办公室或系统管理员。"),
    update=extend_schema(summary="修改项目", description=BASELINE_NOTE),
    partial_update=extend_schema(summary="修改项目（部分字段）", description=BASELINE_NOTE),
)
class ProjectViewSet(ApiViewSet):
    """项目：按项目编号访问。可见者可读；牵头单位、属地单位、领导小组办公室和系统管理员可改。"""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    permission_classes = [permissions.IsAuthenticated, ProjectPermission]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        projects = (
            project_list(user=self.request.user)
            .with_can_edit(self.request.user)
            .select_related("category", "lead_unit", "supervising_leader", "responsible_person")
        )
        # One project (retrieve, update, its changes) reads its units when it needs them, as many queries
        # as a prefetch would make, and none for a write refused before it reaches the service.
        return projects.prefetch_related(*UNITS) if self.action == "list" else projects

    def create_object(self, data):
        return services.project_create(user=self.request.user, data=data, source="api")

    def update_object(self, instance, data):
        # The units as the service found them prefetched before (it snapshots them before and after).
        prefetch_related_objects([instance], *UNITS)
        # Responsibility fields (code, type, units) and the baseline dates are refused by the service for unit
        # users, as on the page.
        return services.project_update(user=self.request.user, project=instance, data=data, source="api")

    @extend_schema(
        methods=["GET"],
        summary="项目的计划变更",
        description="该项目的计划变更申请与办公室直接调整记录（待审批在前）。",
        responses=ProjectChangeSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="申请计划变更",
        description="调整计划开工、计划完工、完成时限或指标目标值（indicator 填指标ID或名称），须填写理由；"
        "只提交要改的值。可修改该项目的单位可以申请，由领导小组办公室审批。已按属地分解的指标不能申请改目标值。",
        request=ChangeRequestSerializer,
        responses={201: ProjectChangeSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="changes", parser_classes=PARSERS)
    def changes(self, request, code=None):
        project = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            rows = change_list(user=request.user).filter(project=project)
            return Response(ProjectChangeSerializer(rows, many=True, context=context).data)
        if not change_can_request(user=request.user, obj=project):
            raise PermissionDenied(changes.REQUEST_DENIED)
        data = _validated(self, ChangeRequestSerializer, project=project)
        proposal = changes.Proposal(
            reason=data.get("reason", ""),
            planned_start=data.get("planned_start"),
            planned_finish=data.get("planned_finish"),
            deadline=data.get("deadline"),
            targets=[(t["indicator"], t["target"]) for t in data.get("targets") or ()],
        )
        change = changes.change_request(user=request.user, project=project, proposal=proposal, source="api")
        return Response(ProjectChangeSerializer(change, context=context).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="目标指标列表", description="可见项目的指标；?project=项目编号 筛选。"),
)
class IndicatorViewSet(mixins.DestroyModelMixin, ApiViewSet):
    """目标指标：可见项目的指标可读；可修改该项目者可新建、修改、删除。"""

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    permission_classes = [permissions.IsAuthenticated, IndicatorPermission]
    http_method_names = [*ApiViewSet.http_method_names, "delete"]

    def get_queryset(self):
        return indicator_list(user=self.request.user).select_related("project")

    def create_object(self, data):
        project = data.pop("project")
        return services.indicator_create(user=self.request.user, project=project, data=data, source="api")

    def update_object(self, instance, data):
        data.pop("project", None)
        return services.indicator_update(user=self.request.user, indicator=instance, data=data, source="api")

    def perform_destroy(self, instance):
        services.indicator_delete(user=self.request.user, indicator=instance, source="api")


@extend_schema_view(
    create=extend_schema(description="JSON，或multipart/form-data（含扫描件字段scan）。"),
    update=extend_schema(description="JSON，或multipart/form-data（含扫描件字段scan）。"),
    partial_update=extend_schema(description="JSON，或multipart/form-data（含扫描件字段scan）。"),
)
class LetterViewSet(ApiViewSet):
    """目标责任书（含目标事项，只读嵌套）：领导、督查、办公室、管理员可读全部，其他单位读本单位的；
    领导小组办公室和系统管理员可新建、修改。目标事项在 /api/v1/letter-items/ 维护。"""

    serializer_class = LetterSerializer
    filterset_class = LetterFilter
    permission_classes = [permissions.IsAuthenticated, LetterPermission]

    def get_queryset(self):
        items = LetterItem.objects.select_related("project", "indicator")
        return letter_list(user=self.request.user).prefetch_related(Prefetch("items", queryset=items))

    def create_object(self, data):
        scan = data.pop("scan", None)
        return services.letter_create(user=self.request.user, data=data, scan=scan, source="api")

    def update_object(self, instance, data):
        scan = data.pop("scan", None)
        return services.letter_update(
            user=self.request.user, letter=instance, data=data, scan=scan, source="api"
        )


class LetterItemViewSet(mixins.DestroyModelMixin, ApiViewSet):
    """目标事项：随所属责任书可读；领导小组办公室和系统管理员可新建、修改、删除。"""

    serializer_class = LetterItemSerializer
    filterset_class = LetterItemFilter
    permission_classes = [permissions.IsAuthenticated, LetterItemPermission]
    http_method_names = [*ApiViewSet.http_method_names, "delete"]

    def get_queryset(self):
        return letter_item_list(user=self.request.user).select_related("letter", "project", "indicator")

    def create_object(self, data):
        letter = data.pop("letter")
        return services.letter_item_create(user=self.request.user, letter=letter, data=data, source="api")

    def update_object(self, instance, data):
        data.pop("letter", None)
        return services.letter_item_update(user=self.request.user, item=instance, data=data, source="api")

    def perform_destroy(self, instance):
        services.letter_item_delete(user=self.request.user, item=instance, source="api")


# --- baseline changes (计划变更) ------------------------------------------------------------------


class ChangeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ChangeStatus.choices, label="状态")
    project = django_filters.CharFilter(field_name="project__code", label="项目编号")

    class Meta:
        model = ProjectChange
        fields = ["status", "project"]


@extend_schema_view(
    list=extend_schema(
        summary="计划变更列表",
        description="当前用户可见项目的计划变更（领导小组办公室可见全部），待审批在前；?status=pending 筛选。",
    ),
    retrieve=extend_schema(summary="计划变更详情", description="不可见的返回404。"),
)
class ProjectChangeViewSet(
    LookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """计划变更：可见项目的变更可读；领导小组办公室和系统管理员审批（批准后新值立即生效，滞后按新计划计算）。"""

    serializer_class = ProjectChangeSerializer
    filterset_class = ChangeFilter
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = PARSERS

    def get_queryset(self):
        return change_list(user=self.request.user)

    def _answer(self, change):
        change = self.get_queryset().get(pk=change.pk)
        return Response(ProjectChangeSerializer(change, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="批准计划变更",
        description="领导小组办公室或系统管理员；新值写入项目（原值保留在本记录中）。",
        request=ChangeDecisionSerializer,
        responses=ProjectChangeSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        change = self.get_object()
        data = _validated(self, ChangeDecisionSerializer)
        change = changes.change_approve(
            user=request.user, change=change, note=data.get("note", ""), source="api"
        )
        return self._answer(change)

    @extend_schema(
        summary="驳回计划变更",
        description="领导小组办公室或系统管理员；须填写驳回理由 note。",
        request=RejectSerializer,
        responses=ProjectChangeSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        change = self.get_object()
        data = _validated(self, RejectSerializer)
        change = changes.change_reject(
            user=request.user, change=change, note=data.get("note", ""), source="api"
        )
        return self._answer(change)
