"""REST API v1: monthly investment figures (/api/v1/monthly-investments/).

list (?month=YYYY-MM, ?project=CODE, ?status=) and retrieve: the figures the user may read (as on the
pages; one the user may not see is a 404); create (a draft), PATCH (a draft), submit, verify ({"note"}),
return ({"reason"}), revise ({"amount", "note"}: a new revision as a DRAFT, submitted by a further
`submit`, like the weekly reports). Every write goes through tiaodu.investment.services_monthly with
source="api": the same checks and rights as the pages (NotAllowed → 403, ValidationError → 400 in
Chinese naming the field).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from tiaodu.core.api import PARSERS, LookupMixin, reject_nul
from tiaodu.core.params import choice_param, text_param
from tiaodu.investment import selectors_monthly, services_monthly
from tiaodu.investment.models import MonthlyInvestment
from tiaodu.investment.permissions import monthly_can_submit
from tiaodu.investment.serializers_monthly import (
    MonthlyInvestmentSerializer,
    MonthlyNoteSerializer,
    MonthlyPatchSerializer,
    MonthlyReasonSerializer,
    MonthlyReviseSerializer,
    MonthlyWriteSerializer,
)
from tiaodu.progress.models import ReportStatus

CREATE_DENIED = "只有项目牵头单位或领导小组办公室可以填报月度投资"
FILTERS = [
    OpenApiParameter("month", OpenApiTypes.STR, description="年月 YYYY-MM"),
    OpenApiParameter("project", OpenApiTypes.STR, description="项目编号"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=ReportStatus.values, description="状态"),
]


def _errors(exc: DjangoValidationError):
    if not hasattr(exc, "error_dict"):
        return ValidationError({"detail": exc.messages})
    return ValidationError(
        {
            ("non_field_errors" if k == "__all__" else k): [m for e in v for m in e.messages]
            for k, v in exc.error_dict.items()
        }
    )


@extend_schema_view(
    list=extend_schema(
        summary="月度投资列表",
        description="当前用户可读的月度投资（可见项目的已提交数据，草稿仅本单位）；"
        "?month=YYYY-MM、?project=项目编号、?status=draft/submitted/verified/returned 筛选。",
        parameters=FILTERS,
    ),
    retrieve=extend_schema(summary="月度投资详情"),
)
class MonthlyInvestmentViewSet(
    LookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """月度投资统计：牵头单位（或领导小组办公室代填）新建草稿、修改、提交；领导小组办公室审核、退回（不能审核自己提交的）。"""

    serializer_class = MonthlyInvestmentSerializer
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = PARSERS
    http_method_names = ["get", "post", "patch", "head", "options"]
    not_found = "该月度投资不存在或您无权查看"

    def get_queryset(self):
        return (
            selectors_monthly.monthly_list(user=self.request.user)
            .select_related(*selectors_monthly.RELATED, "verified_by__person", "returned_by__person")
            .order_by("-year", "-month", "project__code", "-revision")
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        raw = text_param(params, "month", label="年月", max_length=20)
        if raw:
            try:
                year, month = services_monthly.parse_period(raw)
            except DjangoValidationError as exc:
                raise ValidationError({"month": exc.message_dict["month"]})
            queryset = queryset.filter(year=year, month=month)
        code = text_param(params, "project", label="项目编号", max_length=50)
        if code:
            queryset = queryset.filter(project__code=code)
        state = choice_param(params, "status", ReportStatus.values, label="状态")
        if state:
            queryset = queryset.filter(status=state)
        return queryset

    def _validated(self, serializer_class):
        reject_nul(self.request.data)
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _respond(self, figure: MonthlyInvestment, code=status.HTTP_200_OK):
        fresh = self.get_queryset().filter(pk=figure.pk).first() or figure
        return Response(
            MonthlyInvestmentSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    def _run(self, func, **kwargs):
        try:
            return func(user=self.request.user, source="api", **kwargs)
        except DjangoValidationError as exc:
            raise _errors(exc)

    @extend_schema(
        summary="新建月度投资草稿",
        description="项目须为本单位牵头的项目（领导小组办公室可代任一项目的牵头单位填报）；提交另行调用 submit。",
        request=MonthlyWriteSerializer,
        responses={201: MonthlyInvestmentSerializer},
    )
    def create(self, request):
        if not monthly_can_submit(user=request.user):
            raise PermissionDenied(CREATE_DENIED)
        data = self._validated(MonthlyWriteSerializer)
        year, month = self._period(data["month"])
        figure = self._run(
            services_monthly.monthly_save_draft,
            project=data["project"],
            year=year,
            month=month,
            amount=data["amount"],
            note=data.get("note", ""),
        )
        return self._respond(figure, status.HTTP_201_CREATED)

    def _period(self, text):
        try:
            return services_monthly.parse_period(text)
        except DjangoValidationError as exc:
            raise _errors(exc)

    @extend_schema(
        summary="修改月度投资草稿",
        description="只改所给字段。已提交的月度投资不能修改（须调用 revise 生成新版本）。",
        request=MonthlyPatchSerializer,
        responses={200: MonthlyInvestmentSerializer},
    )
    def partial_update(self, request, pk=None):
        figure = self.get_object()
        data = self._validated(MonthlyPatchSerializer)
        year, month = self._period(data["month"]) if "month" in data else (figure.year, figure.month)
        figure = self._run(
            services_monthly.monthly_save_draft,
            project=figure.project,
            year=year,
            month=month,
            amount=data.get("amount", figure.amount),
            note=data.get("note", figure.note),
            figure=figure,
        )
        return self._respond(figure)

    @extend_schema(summary="提交月度投资", request=None, responses={200: MonthlyInvestmentSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._respond(self._run(services_monthly.monthly_submit, figure=self.get_object()))

    @extend_schema(
        summary="审核通过",
        description="领导小组办公室或系统管理员审核，不能审核自己提交的；有数据异常（flags）时须填写审核意见 note。",
        request=MonthlyNoteSerializer,
        responses={200: MonthlyInvestmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        figure = self.get_object()
        note = self._validated(MonthlyNoteSerializer).get("note", "")
        return self._respond(self._run(services_monthly.monthly_verify, figure=figure, note=note))

    @extend_schema(
        summary="退回月度投资",
        description="须写退回原因 reason；退回后不再计入统计，被替代的上一版本重新计入。",
        request=MonthlyReasonSerializer,
        responses={200: MonthlyInvestmentSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        figure = self.get_object()
        reason = self._validated(MonthlyReasonSerializer)["reason"]
        return self._respond(self._run(services_monthly.monthly_return, figure=figure, reason=reason))

    @extend_schema(
        summary="修改已提交的月度投资（生成新版本）",
        description="生成新版本（草稿，上一版本在新版本提交前继续计入统计），可同时给出 amount、note；"
        "再调用 submit 提交。已有未提交的新版本时返回该草稿（给出的数额写入其中）。",
        request=MonthlyReviseSerializer,
        responses={201: MonthlyInvestmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        figure = self.get_object()
        data = self._validated(MonthlyReviseSerializer)
        new = self._run(
            services_monthly.monthly_revise, figure=figure, amount=data.get("amount"), note=data.get("note")
        )
        return self._respond(new, status.HTTP_201_CREATED)
