"""REST API v1: projects, indicators, responsibility letters and letter items.

Reads go through tiaodu.projects.selectors (a project the user may not see is a 404, never a 403);
writes go through tiaodu.projects.services with source="api", so every change is in the change log.
Projects are addressed by code (/api/v1/projects/ZD-001/). Letter items are read nested in their
letter and written at /api/v1/letter-items/.
"""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions

from tiaodu.core.api import ApiViewSet
from tiaodu.core.permissions import allows
from tiaodu.projects import services
from tiaodu.projects.filters import ProjectFilter
from tiaodu.projects.models import Indicator, LetterItem, ResponsibilityLetter
from tiaodu.projects.permissions import letter_can_edit, project_can_create, project_can_edit
from tiaodu.projects.selectors import indicator_list, letter_item_list, letter_list, project_list
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


@extend_schema_view(
    list=extend_schema(summary="项目列表", description="当前用户可见的项目；筛选条件与项目列表页相同。"),
    retrieve=extend_schema(summary="项目详情", description="按项目编号；不可见的项目返回404。"),
    create=extend_schema(summary="新建项目", description="领导小组办公室或系统管理员。"),
    update=extend_schema(summary="修改项目", description="状态只能按允许的步骤变更。"),
    partial_update=extend_schema(summary="修改项目（部分字段）", description="状态只能按允许的步骤变更。"),
)
class ProjectViewSet(ApiViewSet):
    """项目：按项目编号访问。可见者可读；牵头单位、属地单位、领导小组办公室和系统管理员可改。"""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    permission_classes = [permissions.IsAuthenticated, ProjectPermission]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return (
            project_list(user=self.request.user)
            .with_can_edit(self.request.user)
            .select_related("category", "lead_unit", "supervising_leader", "responsible_person")
            .prefetch_related("territorial_units", "supporting_units")
        )

    def create_object(self, data):
        return services.project_create(user=self.request.user, data=data, source="api")

    def update_object(self, instance, data):
        # Responsibility fields (code, type, units) are refused by the service for unit users, as on the page.
        return services.project_update(user=self.request.user, project=instance, data=data, source="api")


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
