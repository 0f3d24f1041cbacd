"""REST API v1: units and people, and the API plumbing the other apps' viewsets share.

Every signed-in user reads units and people; the office and administrators write them. Writes go
through tiaodu.orgs.services (source "api"), so each lands in the change log.
"""

import codecs
import json

from django.conf import settings
from django.http import Http404, QueryDict
from rest_framework import mixins, permissions, viewsets
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.utils.json import strict_constant

from tiaodu.core.permissions import allows
from tiaodu.orgs import services
from tiaodu.orgs.models import Person, Unit
from tiaodu.orgs.permissions import MANAGE_DENIED, person_can_edit, unit_can_edit
from tiaodu.orgs.serializers import PersonSerializer, UnitSerializer


class ChineseJSONParser(JSONParser):
    """JSON bodies; a malformed body gets a 400 that says where, in Chinese."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except (UnicodeDecodeError, LookupError):
            raise ParseError(f"请求体不是{encoding}编码的文本")
        if not text.strip():
            raise ParseError("请求体为空，须为JSON对象")
        try:
            data = json.loads(text, parse_constant=strict_constant if self.strict else None)
            # A lone surrogate ("\ud800") parses but can be neither stored nor echoed back.
            json.dumps(data, ensure_ascii=False).encode("utf-8")
            return data
        except UnicodeEncodeError:
            raise ParseError("请求体含有无效的Unicode字符（不成对的代理项）")
        except json.JSONDecodeError as exc:
            raise ParseError(f"请求体不是合法的JSON（第{exc.lineno}行第{exc.colno}列附近有误）")
        except ValueError:
            raise ParseError("请求体含有JSON不允许的值（NaN、Infinity）")
        except RecursionError:
            raise ParseError("请求体的JSON嵌套过深")


class ChineseMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError:
            raise ParseError("上传的表单数据（multipart/form-data）格式有误")


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _reject_nul(data) -> None:
    """NUL characters in any submitted text: a 400 naming the field (PostgreSQL cannot even query them)."""
    items = data.lists() if isinstance(data, QueryDict) else data.items() if isinstance(data, dict) else []
    try:
        errors = {
            str(key).replace("\x00", ""): ["不能包含空字符（\\u0000）"]
            for key, value in items
            if _has_nul(value)
        }
    except RecursionError:
        raise ParseError("请求体的JSON嵌套过深")
    if errors:
        raise ValidationError(errors)


class ApiViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, retrieve, create, update (PUT/PATCH); writes call a service with source="api".

    Subclasses implement `create_object(data)` and `update_object(instance, data)`.
    """

    parser_classes = [ChineseJSONParser, FormParser, ChineseMultiPartParser]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            # Never say whether it exists: an object the user may not see is simply not found.
            raise NotFound(f"该{self.get_queryset().model._meta.verbose_name}不存在或您无权查看")

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("data") is not None:
            _reject_nul(kwargs["data"])
        return super().get_serializer(*args, **kwargs)

    def create_object(self, data: dict):  # pragma: no cover - abstract
        raise NotImplementedError

    def update_object(self, instance, data: dict):  # pragma: no cover - abstract
        raise NotImplementedError

    def perform_create(self, serializer):
        serializer.instance = self.create_object(dict(serializer.validated_data))

    def perform_update(self, serializer):
        instance = self.update_object(serializer.instance, dict(serializer.validated_data))
        instance._prefetched_objects_cache = {}
        serializer.instance = instance


class UnitViewSet(ApiViewSet):
    """单位：所有登录用户可读；领导小组办公室和系统管理员可新建、修改。"""

    queryset = Unit.objects.select_related("parent")
    serializer_class = UnitSerializer
    permission_classes = [
        permissions.IsAuthenticated,
        allows(
            create=unit_can_edit,
            change=unit_can_edit,
            create_message=MANAGE_DENIED,
            change_message=MANAGE_DENIED,
        ),
    ]
    filterset_fields = ["type", "parent"]

    def create_object(self, data):
        return services.unit_create(user=self.request.user, data=data, source="api")

    def update_object(self, instance, data):
        return services.unit_update(user=self.request.user, unit=instance, data=data, source="api")


class PersonViewSet(ApiViewSet):
    """人员：所有登录用户可读；领导小组办公室和系统管理员可新建、修改。"""

    queryset = Person.objects.select_related("unit")
    serializer_class = PersonSerializer
    permission_classes = [
        permissions.IsAuthenticated,
        allows(
            create=person_can_edit,
            change=person_can_edit,
            create_message=MANAGE_DENIED,
            change_message=MANAGE_DENIED,
        ),
    ]
    filterset_fields = ["unit"]

    def create_object(self, data):
        return services.person_create(user=self.request.user, data=data, source="api")

    def update_object(self, instance, data):
        return services.person_update(user=self.request.user, person=instance, data=data, source="api")
