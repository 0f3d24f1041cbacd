"""催报: the office urges the units whose weekly report is due (a button on the dashboard's list of
missing reports). The reminders themselves are in tiaodu/supervision/services/reporting.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tiaodu.core.params import BadParameter, date_param
from tiaodu.supervision import services


@login_required
@require_POST
def reports_urge(request):
    today = timezone.localdate()
    try:
        as_of = date_param(request.POST, "as_of", label="截至日期", default=today)
    except BadParameter as exc:
        messages.error(request, exc.message)
        return redirect("progress_dashboard")
    result = services.reports_urge(user=request.user, as_of=as_of)  # NotAllowed: 403 with its message
    if result.units:
        messages.success(
            request,
            f"已向{result.units}个单位发送催报提醒（涉及{result.projects}个项目），"
            "各单位收到站内通知，并按设置收到邮件和群机器人消息",
        )
    else:
        messages.info(request, "没有需要催报的单位：未报送清单中的项目均已有本单位周报")
    url = reverse("progress_dashboard")
    return redirect(url if as_of == today else f"{url}?as_of={as_of.isoformat()}")
