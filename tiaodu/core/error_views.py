"""The error handlers (handler400/403/404/500, the CSRF failure view): JSON under /api/, pages elsewhere.

DRF answers the errors of its own views in JSON (tiaodu.core.api.exception_handler); these handlers
answer what reaches Django instead: an unknown API address (404), an error that escaped a view (500), a
request Django refused before any view (400), so an API client never gets an HTML page.
"""

from __future__ import annotations

from django.http import JsonResponse

from tiaodu.core import views


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def _json(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception=None):
    if is_api(request):
        message = getattr(exception, "message", None)
        return _json(400, message if isinstance(message, str) and message else "请求有误，无法处理")
    return views.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api(request):
        return _json(403, str(exception) if exception and str(exception) else "您无权执行此操作")
    return views.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api(request):
        return _json(404, "接口地址不存在")
    return views.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return _json(500, "系统出现错误，已记录，请稍后再试")
    return views.server_error(request)


def csrf_failure(request, reason=""):
    if is_api(request):
        return _json(403, "CSRF验证失败：请使用令牌认证，或在请求头中带上CSRF令牌")
    return views.csrf_failure(request, reason)
