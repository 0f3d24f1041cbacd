"""API representation of the monthly investment figures (/api/v1/monthly-investments/).

Response: id, project {code, name}, month ("YYYY-MM"), year, month_number, amount (万元, text with two
decimals), unit {id, name} (the reporting unit: the lead unit), status + status_display, revision,
previous (id of the revision it replaces, or null), counted, superseded, late, flags [{code, message}],
note, source, who and when (created_by, submitted_by, verified_by, returned_by as {id, name} or null),
verify_note, return_reason.

Requests: project by code, month as YYYY-MM, amount as a number or text (checked by the services, the
same checks as the pages and the import).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tiaodu.investment.models import MonthlyInvestment
from tiaodu.orgs.serializers import UnitRefField, _type_name
from tiaodu.progress.serializers import PERSON, FlagSerializer, _person
from tiaodu.projects.serializers import ProjectRefField


@extend_schema_field(
    {"oneOf": [{"type": "number"}, {"type": "string"}], "description": "当月完成投资（万元，≥0）"}
)
class MonthlyAmountField(serializers.Field):
    """An amount as typed (number or text); its value is checked by the services."""

    default_error_messages = {"incorrect_type": "当月完成投资须为数字，收到的是{data_type}"}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("incorrect_type", data_type=_type_name(data))
        return data

    def to_representation(self, value):
        return value


class MonthlyWriteSerializer(serializers.Serializer):
    """新建月度投资草稿。"""

    project = ProjectRefField(label="项目", help_text="项目编号")
    month = serializers.CharField(max_length=20, label="年月", help_text="YYYY-MM，不能是未来月份")
    amount = MonthlyAmountField(label="当月完成投资(万元)")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, label="说明")


class MonthlyPatchSerializer(serializers.Serializer):
    """修改月度投资草稿（只改所给字段）。"""

    month = serializers.CharField(required=False, max_length=20, label="年月", help_text="YYYY-MM")
    amount = MonthlyAmountField(required=False, label="当月完成投资(万元)")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, label="说明")


class MonthlyReviseSerializer(serializers.Serializer):
    """生成新版本（草稿），可同时给出新的数额与说明。"""

    amount = MonthlyAmountField(required=False, label="当月完成投资(万元)")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, label="说明")


class MonthlyNoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, label="审核意见（有数据异常时必填）"
    )


class MonthlyReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000, label="退回原因")


class MonthlyInvestmentSerializer(serializers.ModelSerializer):
    project = ProjectRefField(read_only=True, label="项目")
    month = serializers.SerializerMethodField(label="年月（YYYY-MM）")
    month_number = serializers.IntegerField(source="month", read_only=True, label="月份")
    unit = UnitRefField(source="reporting_unit", read_only=True, label="填报单位（牵头单位）")
    status = serializers.CharField(read_only=True, label="状态：draft/submitted/verified/returned")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    flags = serializers.SerializerMethodField(label="数据异常")
    created_by = serializers.SerializerMethodField(label="填报人")
    submitted_by = serializers.SerializerMethodField(label="提交人")
    verified_by = serializers.SerializerMethodField(label="审核人")
    returned_by = serializers.SerializerMethodField(label="退回人")

    class Meta:
        model = MonthlyInvestment
        fields = [
            "id",
            "project",
            "month",
            "year",
            "month_number",
            "amount",
            "unit",
            "status",
            "status_display",
            "revision",
            "previous",
            "counted",
            "superseded",
            "late",
            "flags",
            "note",
            "source",
            "created_by",
            "created_at",
            "submitted_by",
            "submitted_at",
            "verified_by",
            "verified_at",
            "verify_note",
            "returned_by",
            "returned_at",
            "return_reason",
        ]
        read_only_fields = fields

    def get_month(self, obj) -> str:
        return f"{obj.year:04d}-{obj.month:02d}"

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
