from tiaodu.command.permissions import command_can_manage, screen_can_view
from tiaodu.orgs.permissions import security_audit_can_view
from tiaodu.progress.permissions import report_can_submit
from tiaodu.projects.permissions import change_can_decide, ledger_can_import
from tiaodu.projects.selectors import changes_pending_count


def navigation(request):
    """The side navigation; each app's entries appear only to those who may use them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        ("home", "bi-house", "首页", "/"),
        ("dashboard", "bi-speedometer2", "调度总览", "/dashboard/"),
        ("projects", "bi-kanban", "项目台账", "/projects/"),
        ("map", "bi-geo-alt", "项目地图", "/map/"),
    ]
    if screen_can_view(user=user):
        items.append(("screen", "bi-display", "调度大屏", "/screen/"))
    if report_can_submit(user=user):
        items += [
            ("reports", "bi-pencil-square", "周报填报", "/reports/"),
            ("verify", "bi-clipboard-check", "周报审核", "/reports/verify/"),
        ]
        # Monthly figures: entered by lead units, verified by the office; the list is theirs and every unit's.
        items.append(("monthly", "bi-cash-coin", "月度投资", "/investment/monthly/"))
    changes_pending = 0
    if change_can_decide(user=user):
        items.append(("changes", "bi-calendar2-check", "计划变更审批", "/project-changes/"))
        changes_pending = changes_pending_count(user=user)
    items += [
        ("units", "bi-diagram-3", "单位与人员", "/units/"),
        ("letters", "bi-file-earmark-check", "目标责任书", "/letters/"),
        ("supervision", "bi-flag", "督办台账", "/supervision/"),
        ("problems", "bi-exclamation-triangle", "难题破解", "/problems/"),
        ("meetings", "bi-people", "调度会", "/meetings/"),
        ("accountability", "bi-shield-exclamation", "问责记录", "/accountability/"),
        ("inbox", "bi-bell", "消息", "/inbox/"),
        ("briefings", "bi-journal-richtext", "调度通报", "/briefings/"),
        ("documents", "bi-folder2-open", "文档中心", "/documents/"),
        ("calendar", "bi-calendar3", "工作日历", "/calendar/"),
    ]
    if ledger_can_import(user=user):
        items.append(("ledger", "bi-file-earmark-spreadsheet", "台账导入导出", "/ledger/"))
    if command_can_manage(user=user):
        items.append(("command", "bi-sliders", "指挥调度设置", "/command/settings/"))
    items.append(("api", "bi-braces", "接口文档", "/api/docs/"))
    if security_audit_can_view(user=user):
        items.append(("security", "bi-shield-lock", "安全审计", "/security/audit/"))
    if user.is_staff:
        items.append(("admin", "bi-gear", "系统管理", "/admin/"))
    path = request.path
    active = None
    for key, _icon, _label, url in items:
        if url != "/" and path.startswith(url):
            active = key
    if active is None and path == "/":
        active = "home"
    return {"nav_items": items, "nav_active": active, "nav_changes_pending": changes_pending}
