"""API representation of baseline changes (计划变更).

Request (POST /api/v1/projects/{code}/changes/): planned_start?, planned_finish?, deadline? (YYYY-MM-DD),
targets? [{"indicator": the indicator's id or name, "target"}], reason (required, ≤2000 characters).

Response: id, project {code, name}, status (pending | approved | rejected) + status_display, direct (the
office's own direct change), reason, the proposed planned_start / planned_finish / deadline (null: not
changed), targets [{indicator, name, unit, target}], lines [{field, label, old, new, unit}] (old → new: the
old values captured at approval; while pending the current ones), requested_by (a name), requesting_unit
{id, name}, requested_at, decided_by, decided_at, decision_note.
"""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tiaodu.orgs.serializers import RefField, UnitRefField
from tiaodu.projects.changes import REASON_MAX, change_lines
from tiaodu.projects.models import Indicator, ProjectChange
from tiaodu.projects.serializers import ProjectRefField

DATE_ERRORS = {"invalid": "{label}须为日期（YYYY-MM-DD）", "null": "{label}不能为空"}


def _date_field(label: str) -> serializers.DateField:
    return serializers.DateField(
        required=False,
        allow_null=True,
        label=label,
        help_text=f"新的{label}（YYYY-MM-DD）；不填即不变更",
        error_messages={k: v.format(label=label) for k, v in DATE_ERRORS.items()},
    )


class ChangeIndicatorField(RefField):
    """An indicator of the project in the address, by id or exact name."""

    noun = "指标"
    by_name = True

    def get_queryset(self):
        project = self.context.get("project")
        return project.indicators.all() if project is not None else Indicator.objects.none()

    def to_internal_value(self, data):
        indicator = self.lookup(data)
        if indicator is None:
            project = self.context.get("project")
            code = project.code if project is not None else ""
            raise serializers.ValidationError(f"项目 {code} 没有指标「{str(data)[:100]}」")
        return indicator


class ChangeTargetSerializer(serializers.Serializer):
    indicator = ChangeIndicatorField(label="指标", help_text="指标ID或指标名称")
    target = serializers.DecimalField(
        max_digits=18,
        decimal_places=3,
        label="新目标值",
        error_messages={
            "invalid": "新目标值须为数字",
            "max_digits": "新目标值最多18位数字",
            "max_decimal_places": "新目标值最多3位小数",
            "max_whole_digits": "新目标值整数部分最多15位",
            "required": "请填写新目标值",
            "null": "新目标值不能为空",
        },
    )


class ChangeRequestSerializer(serializers.Serializer):
    planned_start = _date_field("计划开工")
    planned_finish = _date_field("计划完工")
    deadline = _date_field("完成时限")
    targets = ChangeTargetSerializer(many=True, required=False, label="指标目标值")
    reason = serializers.CharField(
        max_length=REASON_MAX,
        allow_blank=True,
        trim_whitespace=True,
        label="变更理由",
        error_messages={
            "required": "请填写变更理由",
            "max_length": f"变更理由不能超过{REASON_MAX}字",
            "invalid": "变更理由须为文字",
            "null": "请填写变更理由",
        },
    )


class ChangeDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX,
        label="审批意见",
        error_messages={"max_length": f"审批意见不能超过{REASON_MAX}字", "invalid": "审批意见须为文字"},
    )


class RejectSerializer(ChangeDecisionSerializer):
    note = serializers.CharField(
        allow_blank=True,
        max_length=REASON_MAX,
        label="驳回理由",
        error_messages={
            "required": "驳回须填写审批意见（驳回理由）",
            "max_length": f"审批意见不能超过{REASON_MAX}字",
            "invalid": "审批意见须为文字",
            "null": "驳回须填写审批意见（驳回理由）",
        },
    )


class ChangeTargetOutSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(label="指标ID")
    name = serializers.CharField(label="指标名称")
    unit = serializers.CharField(label="计量单位")
    target = serializers.CharField(label="新目标值")


class ChangeLineSerializer(serializers.Serializer):
    field = serializers.CharField(label="调整内容（字段）")
    label = serializers.CharField(label="调整内容")
    old = serializers.CharField(allow_null=True, label="原值")
    new = serializers.CharField(allow_null=True, label="新值")
    unit = serializers.CharField(label="计量单位")


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value.isoformat()


class ProjectChangeSerializer(serializers.ModelSerializer):
    project = ProjectRefField(read_only=True, label="项目")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    targets = ChangeTargetOutSerializer(many=True, read_only=True, label="指标目标值")
    lines = serializers.SerializerMethodField(label="调整内容（原值 → 新值）")
    requested_by = serializers.SerializerMethodField(label="申请人")
    requesting_unit = UnitRefField(read_only=True, allow_null=True, label="申请单位")
    decided_by = serializers.SerializerMethodField(label="审批人")

    class Meta:
        model = ProjectChange
        fields = [
            "id",
            "project",
            "status",
            "status_display",
            "direct",
            "reason",
            "planned_start",
            "planned_finish",
            "deadline",
            "targets",
            "lines",
            "requested_by",
            "requesting_unit",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields

    @extend_schema_field(ChangeLineSerializer(many=True))
    def get_lines(self, obj) -> list:
        return [
            {
                "field": line.key,
                "label": line.label,
                "old": _text(line.old),
                "new": _text(line.new),
                "unit": line.unit,
            }
            for line in change_lines(obj)
        ]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_requested_by(self, obj):
        return obj.requested_by.display_name if obj.requested_by_id else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_decided_by(self, obj):
        return obj.decided_by.display_name if obj.decided_by_id else None
