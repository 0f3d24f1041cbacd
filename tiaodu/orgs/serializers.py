"""API representation of units and people, and the reference fields other serializers share.

References to units and people read as small objects ({"id": 3, "name": "北园街道"}) so a client
never needs a second request to show a name. Units are written as an id (integer) or an exact name
(string); people are written as an id.
"""

import re

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from tiaodu.orgs.models import Person, Unit

_ID_TEXT = re.compile(r"[0-9]{1,18}")


def _type_name(data) -> str:
    return {
        bool: "布尔值",
        int: "整数",
        float: "小数",
        str: "字符串",
        list: "列表",
        dict: "对象",
        type(None): "空值",
    }.get(type(data), type(data).__name__)


class RefField(serializers.RelatedField):
    """A related object read as {"id", "name"} and written by id or, when `by_name`, by exact name."""

    noun = "对象"
    by_name = True

    default_error_messages = {
        "does_not_exist": "{noun}「{value}」不存在",
        "incorrect_type": "{noun}须填写{expected}，收到的是{data_type}",
    }

    def _expected(self) -> str:
        return "ID（整数）或名称" if self.by_name else "ID（整数）"

    def lookup(self, data):
        """The object for an id or name, or None."""
        qs = self.get_queryset()
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", noun=self.noun, expected=self._expected(), data_type=_type_name(data))
        if isinstance(data, int):
            return qs.filter(pk=data).first() if 0 < data < 2**63 else None
        text = data.strip()
        if not self.by_name and not _ID_TEXT.fullmatch(text):
            self.fail(
                "incorrect_type", noun=self.noun, expected=self._expected(), data_type=f"「{text[:50]}」"
            )
        if "\x00" in text:  # PostgreSQL rejects NUL in a query
            return None
        obj = qs.filter(name=text).first() if self.by_name and text else None
        if obj is None and _ID_TEXT.fullmatch(text):
            obj = qs.filter(pk=int(text)).first()
        return obj

    def to_internal_value(self, data):
        obj = self.lookup(data)
        if obj is None:
            self.fail("does_not_exist", noun=self.noun, value=str(data)[:100])
        return obj

    def to_representation(self, value):
        return {"id": value.pk, "name": value.name}

    def get_choices(self, cutoff=None):
        # The browsable API's forms: keyed by id (a dict cannot be a key).
        queryset = self.get_queryset()
        if queryset is None:
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {item.pk: str(item) for item in queryset}


class UnitRefField(RefField):
    noun = "单位"

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Unit.objects.all())
        super().__init__(**kwargs)


class PersonRefField(RefField):
    noun = "人员"
    by_name = False  # names of people are not unique

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Person.objects.select_related("unit"))
        super().__init__(**kwargs)


class RefFieldSchema(OpenApiSerializerFieldExtension):
    """OpenAPI: an object {id, name} in responses, an id (or name) in requests."""

    target_class = RefField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        if direction == "response":
            return {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                "required": ["id", "name"],
            }
        if field.by_name:
            return {
                "oneOf": [{"type": "integer"}, {"type": "string"}],
                "description": f"{field.noun}ID（整数）或{field.noun}名称（字符串）",
            }
        return {"type": "integer", "description": f"{field.noun}ID"}


class UnitSerializer(serializers.ModelSerializer):
    type_display = serializers.CharField(source="get_type_display", read_only=True, label="单位类型名称")
    parent = UnitRefField(allow_null=True, required=False, label="上级单位")

    class Meta:
        model = Unit
        fields = ["id", "name", "type", "type_display", "parent", "sort_order"]


class PersonSerializer(serializers.ModelSerializer):
    unit = UnitRefField(label="单位")

    class Meta:
        model = Person
        fields = ["id", "name", "post", "phone", "unit"]
        validators = []  # name unique within the unit: checked by the service (message in Chinese)
