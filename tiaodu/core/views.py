from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import render

from tiaodu.core.audit import history_for
from tiaodu.projects.selectors import project_counts

HISTORY_LIMIT = 200


@login_required
def home(request):
    user = request.user
    shortcuts = [("/dashboard/", "bi-speedometer2", "调度总览", "计划与实际、滞后项目、单位排名")]
    if user.manages_all or user.role == "unit":
        shortcuts += [
            ("/reports/", "bi-pencil-square", "周报填报", "本单位本周应报项目"),
            ("/reports/verify/", "bi-clipboard-check", "周报审核", "牵头单位待审核的周报"),
        ]
    shortcuts += [
        ("/supervision/", "bi-flag", "督办台账", "督办事项与红黄牌预警"),
        ("/problems/", "bi-exclamation-triangle", "难题破解", "按上报层级的难题看板"),
        ("/briefings/", "bi-journal-richtext", "调度通报", "每周调度通报（Word/PDF/Excel）"),
    ]
    return render(request, "core/home.html", {"counts": project_counts(user=user), "shortcuts": shortcuts})


def history_context(obj) -> dict:
    """The 变更记录 of an object (and its children), newest first, for core/_history.html."""
    records = history_for(obj).select_related("user__person")
    rows = list(records[: HISTORY_LIMIT + 1])
    return {
        "history": rows[:HISTORY_LIMIT],
        "history_truncated": len(rows) > HISTORY_LIMIT,
        "history_ct_id": ContentType.objects.get_for_model(obj, for_concrete_model=True).pk,
    }


def _error(request, status, title, message):
    return render(
        request, "core/error.html", {"title": title, "message": message, "status": status}, status=status
    )


def bad_request(request, exception=None):
    return _error(request, 400, "请求有误", "提交的内容无法处理，请返回检查后重试。")


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "您无权访问此页面。"
    return _error(request, 403, "无权访问", message)


def page_not_found(request, exception=None):
    return _error(request, 404, "页面不存在", "您要找的页面不存在，或您无权查看。")


def server_error(request):
    return render(
        request,
        "core/error.html",
        {"title": "系统错误", "message": "系统出现错误，已记录，请稍后再试。", "status": 500},
        status=500,
    )


def csrf_failure(request, reason=""):
    return _error(request, 403, "页面已过期", "表单已过期或来源无法验证，请刷新页面后重新提交。")
