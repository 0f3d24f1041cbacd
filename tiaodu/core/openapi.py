"""The OpenAPI schema tells the whole truth: every operation documents the errors it can answer.

A drf-spectacular post-processing hook adds, to every operation under /api/v1/, the JSON error answers
that the exception handler (tiaodu.core.api) gives: 400 (a field → messages object) where the request
carries parameters or a body, 401 and 403 (not signed in, not allowed), 404 (no such object, or a page
past the last). Operations that document one of these themselves keep their own.

A query parameter that is a number or a yes/no (a filter such as `unit`, `year`, `unread`, or `page`) may
be sent empty, meaning "no filter" as in the pages' filter forms (`?unit=` is every unit): the schema says
so with `allowEmptyValue`. A word where a number belongs is still refused with 400.
"""

from __future__ import annotations

DETAIL = {
    "type": "object",
    "description": "错误说明",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION = {
    "type": "object",
    "description": "字段名 → 错误信息列表（non_field_errors: 不属于某一字段的错误）；或 detail: 错误说明",
    "additionalProperties": {},
}
ERRORS = {
    "400": ("请求有误（参数或内容不合规则）", "ValidationError"),
    "401": ("未登录或令牌无效", "ErrorDetail"),
    "403": ("无权执行此操作", "ErrorDetail"),
    "404": ("对象不存在或无权查看", "ErrorDetail"),
}


def document_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorDetail", DETAIL)
    components.setdefault("ValidationError", VALIDATION)
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _allow_empty_filters(operation)
            responses = operation["responses"]
            for status, (description, component) in ERRORS.items():
                if status in responses:
                    continue
                responses[status] = {
                    "description": description,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}
                    },
                }
    return result


EMPTY_MEANS_ALL = ("integer", "number", "boolean")


def _allow_empty_filters(operation: dict) -> None:
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema") or {}
        if parameter.get("in") == "query" and schema.get("type") in EMPTY_MEANS_ALL:
            parameter["allowEmptyValue"] = True
