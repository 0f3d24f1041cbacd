"""API representation of weekly reports (/api/v1/reports/).

Response (report): id, project {code, name}, as_of, unit {id, name} (the reporting unit), status +
status_display, revision, counted, late, items [{indicator {id, name, unit_of_measure}, cumulative,
decrease_reason, decreased, above_target}], investment_done, image_progress, problems, photos [{id, url,
taken_at, latitude, longitude, …}], flags [{code, message}], who and when: created_by, submitted_by,
submitted_at, verified_by, verified_at, verify_note, returned_by, returned_at, return_reason (people as
{id, name} or null), verifier (who verifies it, in words), source.

Requests: project by code, unit by id, indicators by id or name, quantities as numbers or text (checked
by tiaodu.progress.checks, the same checks as the web form and the 周报 import, messages naming the
indicator).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tiaodu.orgs.serializers import UnitRefField, _type_name
from tiaodu.progress.models import Report, ReportFigure, ReportPhoto
from tiaodu.progress.permissions import report_verifier
from tiaodu.projects.serializers import IndicatorRefField, ProjectRefField

PERSON = {
    "type": "object",
    "nullable": True,
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
    "required": ["id", "name"],
}


def _person(user) -> dict | None:
    return {"id": user.pk, "name": user.display_name} if user is not None else None


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "指标ID或指标名称"})
class IdOrNameField(serializers.Field):
    """An indicator named by id (integer) or name (text); resolved against the report's project later."""

    default_error_messages = {"incorrect_type": "指标须填写指标ID（整数）或指标名称，收到的是{data_type}"}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=_type_name(data))
        return data

    def to_representation(self, value):
        return value


@extend_schema_field(
    {"oneOf": [{"type": "number"}, {"type": "string"}], "description": "累计完成量（数字，≥0）"}
)
class QuantityField(serializers.Field):
    """A cumulative quantity as typed (number or text); its value is checked by progress.checks."""

    default_error_messages = {"incorrect_type": "累计完成量须为数字，收到的是{data_type}"}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("incorrect_type", data_type=_type_name(data))
        return data

    def to_representation(self, value):
        return value


class ReportItemInSerializer(serializers.Serializer):
    indicator = IdOrNameField(label="指标")
    cumulative = QuantityField(label="累计完成量")
    decrease_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, label="减少原因（低于上次审核数时必填）"
    )


class ReportWriteSerializer(serializers.Serializer):
    """新建或修改周报草稿。"""

    project = ProjectRefField(label="项目", help_text="项目编号")
    as_of = serializers.DateField(label="截至日期", help_text="YYYY-MM-DD")
    unit = UnitRefField(
        required=False,
        label="填报单位",
        help_text="单位ID；默认为本人所在单位（领导小组办公室默认代牵头单位填报）",
    )
    items = ReportItemInSerializer(many=True, label="指标累计完成量")
    investment_done = QuantityField(required=False, allow_null=True, label="累计完成投资(万元)")
    image_progress = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, label="形象进度"
    )
    problems = serializers.CharField(required=False, allow_blank=True, max_length=5000, label="存在问题")


class ReportPatchSerializer(ReportWriteSerializer):
    """修改周报草稿（只改所给字段；项目与填报单位不可改）。"""

    project = None
    unit = None
    as_of = serializers.DateField(required=False, label="截至日期", help_text="YYYY-MM-DD")
    items = ReportItemInSerializer(many=True, required=False, label="指标累计完成量（给出时替换全部指标数）")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, label="审核意见（有数据异常时必填）"
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000, label="退回原因")


class PhotoUploadSerializer(serializers.Serializer):
    photo = serializers.FileField(label="现场照片（JPEG或PNG）")


class ReportItemSerializer(serializers.ModelSerializer):
    indicator = IndicatorRefField(read_only=True, label="指标")
    cumulative = serializers.DecimalField(
        source="quantity", max_digits=18, decimal_places=3, read_only=True, label="累计完成量"
    )

    class Meta:
        model = ReportFigure
        fields = ["indicator", "cumulative", "decrease_reason", "decreased", "above_target"]


class ReportPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ReportPhoto
        fields = [
            "id",
            "url",
            "original_name",
            "content_type",
            "size",
            "width",
            "height",
            "taken_at",
            "latitude",
            "longitude",
            "uploaded_at",
        ]

    def get_url(self, obj) -> str:
        return reverse("report_photo", args=[obj.pk])


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ReportSerializer(serializers.ModelSerializer):
    project = ProjectRefField(read_only=True, label="项目")
    unit = UnitRefField(source="reporting_unit", read_only=True, label="填报单位")
    status = serializers.CharField(read_only=True, label="状态：draft/submitted/verified/returned")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    items = ReportItemSerializer(source="figures", many=True, read_only=True, label="指标累计完成量")
    photos = ReportPhotoSerializer(many=True, read_only=True, label="现场照片")
    flags = serializers.SerializerMethodField(label="数据异常")
    created_by = serializers.SerializerMethodField(label="填报人")
    submitted_by = serializers.SerializerMethodField(label="提交人")
    verified_by = serializers.SerializerMethodField(label="审核人")
    returned_by = serializers.SerializerMethodField(label="退回人")
    verifier = serializers.SerializerMethodField(label="审核者")

    class Meta:
        model = Report
        fields = [
            "id",
            "project",
            "as_of",
            "unit",
            "status",
            "status_display",
            "revision",
            "counted",
            "late",
            "source",
            "items",
            "investment_done",
            "image_progress",
            "problems",
            "photos",
            "flags",
            "created_by",
            "created_at",
            "submitted_by",
            "submitted_at",
            "verifier",
            "verified_by",
            "verified_at",
            "verify_note",
            "returned_by",
            "returned_at",
            "return_reason",
        ]
        read_only_fields = fields

    @extend_schema_field(FlagSerializer(many=True))
    def get_flags(self, obj) -> list:
        return [
            {"code": str(f.get("code", "")), "message": str(f.get("message", ""))}
            for f in (obj.flags or [])
            if isinstance(f, dict)
        ]

    @extend_schema_field(PERSON)
    def get_created_by(self, obj):
        return _person(obj.created_by)

    @extend_schema_field(PERSON)
    def get_submitted_by(self, obj):
        return _person(obj.submitted_by)

    @extend_schema_field(PERSON)
    def get_verified_by(self, obj):
        return _person(obj.verified_by)

    @extend_schema_field(PERSON)
    def get_returned_by(self, obj):
        return _person(obj.returned_by)

    def get_verifier(self, obj) -> str:
        return report_verifier(obj)
