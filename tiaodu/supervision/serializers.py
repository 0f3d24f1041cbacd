"""API representation of supervision items, problems, meetings, accountability records and the inbox.

Units are written as an id or exact name, people as an id, projects as their code. An item's
`warning` is its warning today (none, reminder, yellow, red); a closed item keeps the one it had.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tiaodu.orgs.serializers import PersonRefField, UnitRefField
from tiaodu.projects.serializers import ProjectRefField
from tiaodu.supervision import rules, selectors
from tiaodu.supervision.models import (
    AccountabilityRecord,
    Decision,
    ItemEvent,
    ItemPhoto,
    Meeting,
    Notification,
    Problem,
    ProblemEvent,
    ProblemType,
    SupervisionItem,
)


def _user(field):
    request = field.context.get("request")
    return request.user if request is not None else None


class MeetingRefField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": "调度会「{pk_value}」不存在或您无权查看",
        "incorrect_type": "调度会须填写ID（整数）",
    }

    def get_queryset(self):
        user = _user(self)
        return selectors.meeting_list(user=user) if user is not None else Meeting.objects.none()


@extend_schema_field(OpenApiTypes.INT)
class ProblemRefField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": "难题「{pk_value}」不存在或您无权查看",
        "incorrect_type": "难题须填写ID（整数）",
    }

    def get_queryset(self):
        user = _user(self)
        return selectors.problem_list(user=user) if user is not None else Problem.objects.none()


class PhotoSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = ItemPhoto
        fields = ["id", "kind", "kind_display", "original_name", "content_type", "size", "url", "at"]

    def get_url(self, obj) -> str:
        return reverse("supervision:item_photo", args=[obj.pk])


class ItemEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    level = serializers.CharField(read_only=True, label="预警等级（预警记录）")
    user = serializers.SerializerMethodField()
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = ItemEvent
        fields = ["id", "kind", "kind_display", "level", "deadline", "text", "on", "at", "user", "photos"]

    def get_user(self, obj) -> str:
        return obj.user.display_name if obj.user_id else "系统"


class ItemSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True, label="编号")
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    warning = serializers.SerializerMethodField(label="预警")
    warning_display = serializers.SerializerMethodField(label="预警名称")
    meeting = MeetingRefField(allow_null=True, required=False, label="调度会")
    project = ProjectRefField(allow_null=True, required=False, label="所属项目")
    problem = ProblemRefField(
        allow_null=True,
        required=False,
        label="关联难题",
        help_text="由该难题立项的事项（难题ID；未关联时为 null）。交办时填写，须为待解决的难题；"
        "未填所属项目时取难题的项目。督查室确认办结、且该难题的关联事项均已办结时，难题随之解决。"
        "交办后不可修改。",
    )
    assignee_units = UnitRefField(many=True, required=False, label="承办单位")
    assignee_unit = UnitRefField(
        write_only=True,
        required=False,
        label="承办单位（单个）",
        help_text="单位ID或名称；与 assignee_units 二选一",
    )
    responsible_person = PersonRefField(allow_null=True, required=False, label="责任人")
    supervising_leader = PersonRefField(allow_null=True, required=False, label="分管领导")
    photos = serializers.ListField(
        child=serializers.FileField(),
        write_only=True,
        required=False,
        label="现场照片",
        help_text="multipart/form-data；巡查发现的事项必须上传",
    )
    photo_list = PhotoSerializer(source="photos", many=True, read_only=True, label="照片")
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True, label="调整理由")

    class Meta:
        model = SupervisionItem
        fields = [
            "id",
            "number",
            "title",
            "content",
            "source",
            "source_display",
            "meeting",
            "project",
            "problem",
            "assignee_units",
            "assignee_unit",
            "responsible_person",
            "supervising_leader",
            "deadline",
            "status",
            "status_display",
            "warning",
            "warning_display",
            "location",
            "longitude",
            "latitude",
            "created_at",
            "closed_at",
            "photos",
            "photo_list",
            "reason",
        ]
        read_only_fields = ["id", "status", "created_at", "closed_at"]

    def _warning(self, obj) -> str:
        value = getattr(obj, "warning_now", None)
        return value if value is not None else obj.warning

    def get_warning(self, obj) -> str:
        return self._warning(obj)

    def get_warning_display(self, obj) -> str:
        return rules.LABELS[self._warning(obj)]


class ItemDetailSerializer(ItemSerializer):
    # Plain fields in this response-only variant: each choice set appears in one schema component.
    source = serializers.CharField(read_only=True, label="来源")
    status = serializers.CharField(read_only=True, label="状态")
    timeline = ItemEventSerializer(source="events", many=True, read_only=True, label="办理过程")

    class Meta(ItemSerializer.Meta):
        fields = [*ItemSerializer.Meta.fields, "timeline"]


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(label="内容", allow_blank=True, required=False)


class ItemFeedbackSerializer(serializers.Serializer):
    text = serializers.CharField(label="办理进展或办理结果", allow_blank=True, required=False)
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        label="照片",
        help_text="multipart/form-data；巡查发现的事项申请办结须上传整改后照片",
    )


class SendBackSerializer(serializers.Serializer):
    reason = serializers.CharField(label="退回理由", allow_blank=True, required=False)


# --- problems -------------------------------------------------------------------------------------


class ProblemEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    from_level = serializers.IntegerField(read_only=True, allow_null=True, label="原层级（1–5）")
    to_level = serializers.IntegerField(read_only=True, allow_null=True, label="新层级（1–5）")
    user = serializers.SerializerMethodField()

    class Meta:
        model = ProblemEvent
        fields = ["id", "kind", "kind_display", "from_level", "to_level", "text", "on", "at", "user"]

    def get_user(self, obj) -> str:
        return obj.user.display_name if obj.user_id else "系统"


class ProblemSerializer(serializers.ModelSerializer):
    project = ProjectRefField(label="项目")
    owner_unit = UnitRefField(
        required=False, label="责任单位", help_text="单位ID或名称；默认为登记人所在单位"
    )
    type_display = serializers.CharField(source="get_type_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, label="难题摘要")

    class Meta:
        model = Problem
        fields = [
            "id",
            "project",
            "type",
            "type_display",
            "title",
            "description",
            "owner_unit",
            "level",
            "level_display",
            "level_entered_on",
            "status",
            "status_display",
            "resolution",
            "resolved_on",
            "source_report_id",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "level",
            "level_entered_on",
            "status",
            "resolution",
            "resolved_on",
            "source_report_id",
            "created_at",
        ]


class ProblemDetailSerializer(ProblemSerializer):
    type = serializers.CharField(read_only=True, label="难题类型")
    level = serializers.IntegerField(read_only=True, label="当前层级")
    status = serializers.CharField(read_only=True, label="状态")
    timeline = ProblemEventSerializer(source="events", many=True, read_only=True, label="办理过程")
    items = serializers.SerializerMethodField(
        label="关联督办事项", help_text="由该难题立项、当前用户可见的督办事项ID"
    )

    class Meta(ProblemSerializer.Meta):
        fields = [*ProblemSerializer.Meta.fields, "items", "timeline"]

    def get_items(self, obj) -> list[int]:
        user = _user(self)
        if user is None:
            return []
        return list(
            selectors.item_list(user=user).filter(problem=obj).order_by("id").values_list("pk", flat=True)
        )


class FromReportSerializer(serializers.Serializer):
    report = serializers.IntegerField(label="周报ID", min_value=1)
    type = serializers.CharField(
        required=False,
        label="难题类型",
        help_text="funding、land、demolition、approval、planning 或 other（默认）",
    )

    def validate_type(self, value):
        if value not in ProblemType.values:
            raise serializers.ValidationError(
                "难题类型须为 funding、land、demolition、approval、planning 或 other"
            )
        return value


# --- meetings -------------------------------------------------------------------------------------


class DecisionSerializer(serializers.ModelSerializer):
    item = serializers.SerializerMethodField()
    problem = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, label="关于难题（难题ID）")

    class Meta:
        model = Decision
        fields = ["id", "content", "sort_order", "problem", "item"]

    def get_item(self, obj) -> dict | None:
        if not obj.item_id:
            return None
        return {"id": obj.item_id, "title": obj.item.title, "deadline": obj.item.deadline.isoformat()}


class MeetingSerializer(serializers.ModelSerializer):
    chair = PersonRefField(allow_null=True, required=False, label="主持人")
    attendees = PersonRefField(many=True, required=False, label="参会人员")
    decisions = DecisionSerializer(many=True, read_only=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, label="会议名称")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "date",
            "location",
            "chair",
            "attendees",
            "attendees_note",
            "minutes",
            "agenda",
            "agenda_compiled_at",
            "decisions",
        ]
        read_only_fields = ["id", "agenda", "agenda_compiled_at"]


class DecisionItemSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, label="事项名称")
    assignee_units = UnitRefField(many=True, required=False, label="承办单位")
    assignee_unit = UnitRefField(required=False, label="承办单位（单个）")
    responsible_person = PersonRefField(allow_null=True, required=False, label="责任人")
    project = ProjectRefField(allow_null=True, required=False, label="所属项目")
    deadline = serializers.DateField(label="办结时限")


class DecisionCreateSerializer(serializers.Serializer):
    content = serializers.CharField(label="决定事项")
    problem = ProblemRefField(
        allow_null=True,
        required=False,
        label="关于难题",
        help_text="难题ID；同时转为督办事项时，事项关联该难题，督查室确认办结后难题随之解决",
    )
    item = DecisionItemSerializer(required=False, label="同时转为督办事项")


# --- accountability -------------------------------------------------------------------------------


class VisibleField(serializers.PrimaryKeyRelatedField):
    """Rows written by id among those `selector(user=)` lets the user see (`queryset`, the empty one, without
    a user). Asked when a value is given, not each time the serializer is made (a list, a read)."""

    def __init__(self, *, selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        user = _user(self)
        return self.selector(user=user) if user is not None else self.queryset


class AccountabilitySerializer(serializers.ModelSerializer):
    measure_display = serializers.CharField(source="measure_label", read_only=True)
    unit = UnitRefField(allow_null=True, required=False, label="问责单位")
    person = PersonRefField(allow_null=True, required=False, label="问责人员")
    items = VisibleField(
        selector=selectors.item_visible_list,
        many=True,
        required=False,
        queryset=SupervisionItem.objects.none(),
        label="相关督办事项",
    )
    problems = VisibleField(
        selector=selectors.problem_list,
        many=True,
        required=False,
        queryset=Problem.objects.none(),
        label="相关难题",
    )

    class Meta:
        model = AccountabilityRecord
        fields = [
            "id",
            "measure",
            "measure_display",
            "measure_other",
            "unit",
            "person",
            "reason",
            "items",
            "problems",
            "decision_date",
            "decided_by",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "unread", "read_at", "created_at"]
        read_only_fields = fields
