"""API plumbing shared by every app: the base viewset, the parsers, errors in Chinese, never a stack trace.

Every app's api.py builds on these: `ApiViewSet` (list, retrieve, create, update through a service), the
Chinese-speaking parsers, `reject_nul` for submitted data, and `exception_handler` (settings.REST_FRAMEWORK)
that turns Django's ValidationError, PermissionDenied and a bad query parameter into DRF's 400/403 answers.
"""

import codecs
import json

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, QueryDict
from rest_framework import exceptions, mixins, viewsets
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.utils.json import strict_constant
from rest_framework.views import exception_handler as drf_exception_handler

from tiaodu.core.params import BadParameter, has_nul, path_id


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if k == "__all__" else k): [str(m) for e in v for m in e.messages]
                for k, v in exc.error_dict.items()
            }
        else:
            detail = {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, BadParameter):
        exc = exceptions.ValidationError({exc.name: [exc.message]})
    elif isinstance(exc, BadRequest):
        exc = exceptions.ValidationError({"detail": [str(exc) or "请求有误"]})
    elif isinstance(exc, PermissionDenied) and not isinstance(exc, exceptions.PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "您无权执行此操作")
    return drf_exception_handler(exc, context)


# --- parsers --------------------------------------------------------------------------------------


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


PARSERS = [ChineseJSONParser, FormParser, ChineseMultiPartParser]


def reject_nul(data) -> None:
    """NUL characters in any submitted text: a 400 naming the field (PostgreSQL cannot even query them)."""
    items = data.lists() if isinstance(data, QueryDict) else data.items() if isinstance(data, dict) else []
    try:
        errors = {
            str(key).replace("\x00", ""): ["不能包含空字符（\\u0000）"]
            for key, value in items
            if has_nul(value)
        }
    except RecursionError:
        raise ParseError("请求体的JSON嵌套过深")
    if errors:
        raise ValidationError(errors)


# --- viewsets -------------------------------------------------------------------------------------


class LookupMixin:
    """`get_object` that answers 404 for any lookup value that cannot name a row: an id that is not a
    positive 64-bit integer (`0`, `²`, `null,null`, twenty digits), or text with a NUL in it."""

    not_found = ""

    def _not_found(self):
        return NotFound(
            self.not_found or f"该{self.get_queryset().model._meta.verbose_name}不存在或您无权查看"
        )

    def get_object(self):
        lookup = self.lookup_url_kwarg or self.lookup_field
        raw = self.kwargs.get(lookup, "")
        if self.lookup_field in ("pk", "id"):
            try:
                path_id(raw)
            except Http404:
                raise self._not_found()
        elif has_nul(raw):
            raise self._not_found()
        try:
            return super().get_object()
        except Http404:
            # Never say whether it exists: an object the user may not see is simply not found.
            raise self._not_found()


class ApiViewSet(
    LookupMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, retrieve, create, update (PUT/PATCH); writes call a service with source="api".

    Subclasses implement `create_object(data)` and `update_object(instance, data)`.
    """

    parser_classes = PARSERS
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("data") is not None:
            reject_nul(kwargs["data"])
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
