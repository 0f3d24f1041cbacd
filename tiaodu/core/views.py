from django.contrib.contenttypes.models import ContentType
from django.shortcuts import render

from tiaodu.core.audit import history_for
from tiaodu.core.params import BadParameter

HISTORY_LIMIT = 200


def history_context(obj) -> dict:
    """The 变更记录 of an object (and its children), newest first, for core/_history.html."""
    records = history_for(obj).select_related("user__person")
    rows = list(records[: HISTORY_LIMIT + 1])
    return {
        "history": rows[:HISTORY_LIMIT],
        "history_truncated": len(rows) > HISTORY_LIMIT,
        "history_ct_id": ContentType.objects.get_for_model(obj, for_concrete_model=True).pk,
    }


def error_page(request, status, title, message):
    return render(
        request, "core/error.html", {"title": title, "message": message, "status": status}, status=status
    )


def bad_request(request, exception=None):
    if isinstance(exception, BadParameter):
        return error_page(request, 400, "请求有误", f"{exception.message}。请返回检查后重试。")
    return error_page(request, 400, "请求有误", "提交的内容无法处理，请返回检查后重试。")


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "您无权访问此页面。"
    return error_page(request, 403, "无权访问", message)


def page_not_found(request, exception=None):
    return error_page(request, 404, "页面不存在", "您要找的页面不存在，或您无权查看。")


def server_error(request):
    return render(
        request,
        "core/error.html",
        {"title": "系统错误", "message": "系统出现错误，已记录，请稍后再试。", "status": 500},
        status=500,
    )


def csrf_failure(request, reason=""):
    return error_page(request, 403, "页面已过期", "表单已过期或来源无法验证，请刷新页面后重新提交。")
