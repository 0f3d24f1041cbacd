"""REST API v1: weekly reports (/api/v1/reports/).

list (?project=code&status=) and retrieve: the reports the user may read (Report.objects.restrict(user,
"view"), as on the pages; one the user may not see is a 404); create (a draft), PATCH (a draft), photos
(multipart, field `photo`), submit, verify ({"note"}), return ({"reason"}). Every write goes through
tiaodu.progress.services with source="api": the same checks and rights as the pages (NotAllowed → 403,
ValidationError → 400 in Chinese naming the field or the indicator).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from tiaodu.core.api import PARSERS, LookupMixin, reject_nul
from tiaodu.progress import selectors, services
from tiaodu.progress.models import Report, ReportStatus
from tiaodu.progress.permissions import report_can_submit
from tiaodu.progress.serializers import (
    NoteSerializer,
    PhotoUploadSerializer,
    ReasonSerializer,
    ReportPatchSerializer,
    ReportSerializer,
    ReportWriteSerializer,
)

CREATE_DENIED = "您的单位不填报周报"


class ReportFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__code", label="项目编号")
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label="状态")

    class Meta:
        model = Report
        fields = ["project", "status"]


def _figures(project, items) -> dict:
    """{indicator id: (quantity as typed, reason)} from the request's items; 400 naming the row."""
    indicators = list(project.indicators.all())
    by_id = {i.pk: i for i in indicators}
    by_name = {i.name: i for i in indicators}
    figures, errors = {}, []
    for n, item in enumerate(items, start=1):
        ref = item["indicator"]
        found = by_id.get(ref) if isinstance(ref, int) else by_name.get(ref.strip())
        if found is None and isinstance(ref, str) and ref.strip().isdigit():
            found = by_id.get(int(ref.strip()))
        if found is None:
            errors.append(f"第{n}项：项目「{project.name}」没有指标「{str(ref)[:50]}」")
        elif found.pk in figures:
            errors.append(f"第{n}项：指标「{found.name}」重复填写")
        else:
            figures[found.pk] = (item["cumulative"], item.get("decrease_reason", ""))
    if errors:
        raise ValidationError({"items": errors})
    return figures


def _service_errors(exc: DjangoValidationError, *, photo: bool = False):
    """The service's errors with the form's keys (quantity_12, reason_12, photos) as the API's fields."""
    if not hasattr(exc, "error_dict"):
        return ValidationError({"detail": exc.messages})
    detail: dict[str, list[str]] = {}
    for key, errors in exc.error_dict.items():
        messages = [m for e in errors for m in e.messages]
        if key.startswith(("quantity_", "reason_")):
            key = "items"
        elif key == "photos":
            key = "photo" if photo else "photos"
        elif key == "__all__":
            key = "non_field_errors"
        detail.setdefault(key, []).extend(messages)
    return ValidationError(detail)


def _input(data, report: Report | None = None) -> services.ReportInput:
    project = report.project if report is not None else data["project"]
    if report is not None and "items" not in data:
        figures = {f.indicator_id: (f.quantity, f.decrease_reason) for f in report.figures.all()}
    else:
        figures = _figures(project, data.get("items") or [])

    def keep(key, current):
        return data[key] if key in data else current

    return services.ReportInput(
        as_of=keep("as_of", report.as_of if report else None),
        figures=figures,
        investment_done=keep("investment_done", report.investment_done if report else None),
        image_progress=keep("image_progress", report.image_progress if report else "") or "",
        problems=keep("problems", report.problems if report else "") or "",
    )


@extend_schema_view(
    list=extend_schema(
        summary="周报列表",
        description="当前用户可读的周报（与周报页面相同：可见项目的已提交周报，草稿仅本单位）；"
        "?project=项目编号、?status=draft/submitted/verified/returned 筛选。",
    ),
    retrieve=extend_schema(
        summary="周报详情", description="含状态、指标数、照片、数据异常、提交与审核人及时间。"
    ),
)
class ReportViewSet(LookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """周报：填报单位新建草稿、修改、上传照片、提交；牵头单位或领导小组办公室审核、退回（不能审核自己提交的周报）。"""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = PARSERS
    http_method_names = ["get", "post", "patch", "head", "options"]
    not_found = "该周报不存在或您无权查看"

    def get_queryset(self):
        return (
            selectors.report_list(user=self.request.user)
            .select_related(
                "project__lead_unit",
                "reporting_unit",
                "created_by__person",
                "submitted_by__person",
                "verified_by__person",
                "returned_by__person",
            )
            .prefetch_related("figures__indicator", "photos")
            .order_by("-as_of", "-id")
        )

    def _validated(self, serializer_class, **kwargs):
        reject_nul(self.request.data)
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _respond(self, report: Report, code=status.HTTP_200_OK):
        fresh = self.get_queryset().filter(pk=report.pk).first()
        if fresh is None:  # written, but (a draft of another unit) not readable by this user
            fresh = Report.objects.select_related("project__lead_unit", "reporting_unit").get(pk=report.pk)
        body = ReportSerializer(fresh, context=self.get_serializer_context()).data
        warnings = getattr(report, "warnings", None)
        if warnings:
            body = {**body, "warnings": warnings}
        return Response(body, status=code)

    def _run(self, func, *, photo: bool = False, **kwargs):
        try:
            return func(user=self.request.user, **kwargs)
        except DjangoValidationError as exc:
            raise _service_errors(exc, photo=photo)

    @extend_schema(
        summary="新建周报草稿",
        description="填报单位（本人所在单位，领导小组办公室默认代牵头单位）。"
        "items 中 indicator 为指标ID或名称，cumulative 为累计完成量；提交另行调用 submit。",
        request=ReportWriteSerializer,
        responses={201: ReportSerializer},
    )
    def create(self, request):
        if not report_can_submit(user=request.user):
            raise PermissionDenied(CREATE_DENIED)
        data = self._validated(ReportWriteSerializer)
        report = self._run(
            services.report_save_draft,
            source="api",
            project=data["project"],
            data=_input(data),
            unit=data.get("unit"),
        )
        return self._respond(report, status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改周报草稿",
        description="只改所给字段；给出 items 时替换全部指标数。已提交的周报不能修改（须生成新版本）。",
        request=ReportPatchSerializer,
        responses={200: ReportSerializer},
    )
    def partial_update(self, request, pk=None):
        report = self.get_object()
        data = self._validated(ReportPatchSerializer)
        if report.status != ReportStatus.DRAFT:
            raise ValidationError({"detail": ["已提交的周报不能直接修改，请生成新版本后修改"]})
        report = self._run(
            services.report_save_draft,
            source="api",
            project=report.project,
            data=_input(data, report),
            report=report,
        )
        return self._respond(report)

    @extend_schema(
        summary="上传现场照片（草稿）",
        description="multipart/form-data，字段 photo（JPEG或PNG）；保留EXIF拍摄时间与位置。",
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: ReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def photos(self, request, pk=None):
        report = self.get_object()
        data = self._validated(PhotoUploadSerializer)
        report = self._run(services.report_add_photos, photo=True, report=report, photos=[data["photo"]])
        return self._respond(report, status.HTTP_201_CREATED)

    @extend_schema(summary="提交周报", request=None, responses={200: ReportSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self._run(services.report_submit, source="api", report=self.get_object())
        return self._respond(report)

    @extend_schema(
        summary="审核通过",
        description="牵头单位审核属地单位的周报；牵头单位自己的周报由领导小组办公室审核；"
        "不能审核自己提交的周报。有数据异常（flags）时须填写审核意见 note。",
        request=NoteSerializer,
        responses={200: ReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        report = self.get_object()
        note = self._validated(NoteSerializer).get("note", "")
        return self._respond(self._run(services.report_verify, source="api", report=report, note=note))

    @extend_schema(
        summary="退回周报",
        description="审核者退回，须写退回原因 reason；退回后该周报不再计入进度。",
        request=ReasonSerializer,
        responses={200: ReportSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        report = self.get_object()
        reason = self._validated(ReasonSerializer)["reason"]
        return self._respond(self._run(services.report_return, source="api", report=report, reason=reason))
