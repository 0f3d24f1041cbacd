"""API representation of projects, indicators, responsibility letters and their items.

Shapes (responses):
- project: code, name, type + type_display, category (name), lead_unit {id, name},
  territorial_units / supporting_units [{id, name}], supervising_leader / responsible_person
  {id, name} or null, dates as YYYY-MM-DD, decimals as strings, status + status_display, can_edit.
- indicator: id, project {code, name}, name, unit_of_measure, target, sort_order.
- letter: id, unit {id, name}, year, title, display_title, signing_date, signatories, status +
  status_display, scan_url (the web download route) / scan_name / scan_type, items [letter item].
- letter item: id, letter (id), project {code, name}, indicator {id, name, unit_of_measure} or null,
  target, deadline, note.

Requests accept units by id or exact name, people by id, the category by name, projects by code,
indicators by id. A scan is uploaded as multipart/form-data field "scan".
"""

from django.urls import get_script_prefix
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tiaodu.orgs.serializers import PersonRefField, RefField, UnitRefField, _type_name
from tiaodu.projects.models import Category, Indicator, LetterItem, Project, ResponsibilityLetter
from tiaodu.projects.permissions import project_can_edit
from tiaodu.projects.selectors import indicator_list, letter_list, project_list


def _user(field_or_serializer):
    request = field_or_serializer.context.get("request")
    return request.user if request is not None else None


class ProjectRefField(serializers.RelatedField):
    """A project read as {"code", "name"}, written as its code, among the projects the user sees."""

    default_error_messages = {
        "does_not_exist": "项目「{value}」不存在或您无权查看",
        "incorrect_type": "项目须填写项目编号（字符串），收到的是{data_type}",
    }

    def get_queryset(self):
        user = _user(self)
        return project_list(user=user) if user is not None else Project.objects.none()

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("incorrect_type", data_type=_type_name(data))
        if "\x00" in data:  # PostgreSQL rejects NUL in a query
            self.fail("does_not_exist", value=data[:100])
        project = self.get_queryset().filter(code=data.strip()).first()
        if project is None:
            self.fail("does_not_exist", value=data[:100])
        return project

    def to_representation(self, value):
        return {"code": value.code, "name": value.name}

    def get_choices(self, cutoff=None):
        queryset = self.get_queryset()
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {p.code: str(p) for p in queryset}


class ProjectRefSchema(OpenApiSerializerFieldExtension):
    target_class = ProjectRefField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            return {
                "type": "object",
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                "required": ["code", "name"],
            }
        return {"type": "string", "description": "项目编号"}


class IndicatorRefField(RefField):
    """An indicator read as {"id", "name", "unit_of_measure"}, written by id."""

    noun = "指标"
    by_name = False

    def get_queryset(self):
        user = _user(self)
        return indicator_list(user=user) if user is not None else Indicator.objects.none()

    def to_representation(self, value):
        return {"id": value.pk, "name": value.name, "unit_of_measure": value.unit_of_measure}


class IndicatorRefSchema(OpenApiSerializerFieldExtension):
    target_class = IndicatorRefField
    priority = 1  # over the RefField extension

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            return {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "unit_of_measure": {"type": "string"},
                },
                "required": ["id", "name", "unit_of_measure"],
            }
        return {"type": "integer", "description": "指标ID"}


# --- projects ----------------------------------------------------------------------------------


class ProjectSerializer(serializers.ModelSerializer):
    type_display = serializers.CharField(source="get_type_display", read_only=True, label="项目类型名称")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    category = serializers.SlugRelatedField(
        slug_field="name",
        queryset=Category.objects.all(),
        label="项目类别",
        help_text="项目类别名称（如“道路”）",
        error_messages={"does_not_exist": "项目类别「{value}」不存在", "invalid": "项目类别须填写类别名称"},
    )
    lead_unit = UnitRefField(label="牵头单位")
    territorial_units = UnitRefField(many=True, label="属地单位")
    supporting_units = UnitRefField(many=True, required=False, label="配合单位")
    supervising_leader = PersonRefField(allow_null=True, required=False, label="分管领导")
    responsible_person = PersonRefField(allow_null=True, required=False, label="责任人")
    can_edit = serializers.SerializerMethodField(label="当前用户可修改")

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "type",
            "type_display",
            "category",
            "description",
            "lead_unit",
            "territorial_units",
            "supporting_units",
            "supervising_leader",
            "responsible_person",
            "planned_start",
            "planned_finish",
            "deadline",
            "total_investment",
            "status",
            "status_display",
            "longitude",
            "latitude",
            "geometry",
            "can_edit",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_category(self, value):
        current = self.instance.category_id if self.instance is not None else None
        if not value.active and value.pk != current:
            raise serializers.ValidationError(f"项目类别「{value.name}」已停用")
        return value

    def get_can_edit(self, obj) -> bool:
        # The list and detail views annotate it (ProjectQuerySet.with_can_edit); a freshly written project not.
        if hasattr(obj, "user_can_edit"):
            return obj.user_can_edit
        return project_can_edit(user=_user(self), obj=obj)


# --- indicators --------------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    project = ProjectRefField(label="项目", help_text="项目编号；新建后不能修改")

    class Meta:
        model = Indicator
        fields = ["id", "project", "name", "unit_of_measure", "target", "sort_order"]
        validators = []  # name unique within the project: checked by the service (message in Chinese)

    def validate_project(self, value):
        if self.instance is not None and value.pk != self.instance.project_id:
            raise serializers.ValidationError("指标所属项目不能修改")
        return value


# --- responsibility letters --------------------------------------------------------------------


class LetterItemSerializer(serializers.ModelSerializer):
    letter = serializers.PrimaryKeyRelatedField(
        queryset=ResponsibilityLetter.objects.none(),
        label="责任书",
        help_text="责任书ID；新建后不能修改",
        error_messages={
            "does_not_exist": "责任书「{pk_value}」不存在或您无权查看",
            "incorrect_type": "责任书须填写责任书ID（整数），收到的是{data_type}",
        },
    )
    project = ProjectRefField(label="项目")
    indicator = IndicatorRefField(allow_null=True, required=False, label="指标")

    class Meta:
        model = LetterItem
        fields = ["id", "letter", "project", "indicator", "target", "deadline", "note"]

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None and not fields["letter"].read_only:
            fields["letter"].queryset = letter_list(user=user)
        return fields

    def validate_letter(self, value):
        if self.instance is not None and value.pk != self.instance.letter_id:
            raise serializers.ValidationError("目标事项所属责任书不能修改")
        return value


class LetterSerializer(serializers.ModelSerializer):
    unit = UnitRefField(label="责任单位")
    display_title = serializers.CharField(source="__str__", read_only=True, label="显示标题")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    scan = serializers.FileField(
        write_only=True,
        required=False,
        label="扫描件",
        help_text="PDF、JPEG或PNG；以multipart/form-data上传；再次上传即替换（旧文件保留在变更记录中）",
    )
    scan_url = serializers.SerializerMethodField(label="扫描件下载地址")
    items = LetterItemSerializer(many=True, read_only=True, label="目标事项")

    class Meta:
        model = ResponsibilityLetter
        fields = [
            "id",
            "unit",
            "year",
            "title",
            "display_title",
            "signing_date",
            "signatories",
            "status",
            "status_display",
            "scan",
            "scan_url",
            "scan_name",
            "scan_type",
            "created_at",
            "items",
        ]
        read_only_fields = ["id", "scan_name", "scan_type", "created_at"]
        validators = []  # one letter per unit and year: checked by the service (message in Chinese)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_scan_url(self, obj):
        if not obj.scan:
            return None
        path = f"{get_script_prefix()}letters/{obj.pk}/scan/"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
