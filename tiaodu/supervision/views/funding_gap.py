"""资金缺口 → 难题 in one click: POST /problems/from-funding-gap/<code>/ opens the new-problem form filled with
type 资金, the project and a description citing its 到位率 and the 时间进度 (the figures of the month the button was shown for — the current month by default —
investment.selectors.investment_status). Refused when the project is not flagged 资金缺口."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tiaodu.investment import figures
from tiaodu.investment.month_params import month_param
from tiaodu.investment.selectors import investment_status
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import project_list
from tiaodu.supervision.forms import ProblemForm
from tiaodu.supervision.models import ProblemType
from tiaodu.supervision.permissions import problem_can_raise

NOT_FLAGGED = "该项目当前没有资金缺口（资金到位率未低于时间进度超过阈值），不能按资金缺口登记难题"


def gap_description(money: figures.ProjectMoney, *, year: int, month: int, time_pct) -> str:
    gap = figures.round_pct(time_pct) - figures.round_pct(money.funds_rate)
    return (
        f"资金缺口：截至{year}年{month}月末，资金到位率{figures.pct_text(money.funds_rate)}"
        f"（已到位{figures.money_text(money.funds_arrived)}万元，资金计划{figures.money_text(money.funds_planned)}万元），"
        f"低于时间进度{figures.pct_text(time_pct)}，相差{gap}个百分点，请协调资金到位。"
    )


@login_required
@require_POST
def problem_from_gap(request, code):
    user = request.user
    project = project_list(user=user).filter(code=code).first() if "\x00" not in code else None
    if project is None:
        raise Http404("项目不存在或您无权查看")
    if not problem_can_raise(user=user, obj=project):
        raise PermissionDenied("您无权为该项目登记难题")
    # The month the button was shown for (the dashboard's), else the current month (the project page's).
    today = timezone.localdate()
    year, month = month_param(
        request.POST, "month", label="月份", default=(today.year, today.month), strict=False
    )
    status = investment_status(
        user=user, year=year, month=month, projects=Project.objects.filter(pk=project.pk)
    )
    money = status.projects[0] if status.projects else None
    if money is None or not money.funding_gap:
        messages.error(request, NOT_FLAGGED)
        return redirect("project_detail", code=project.code)
    initial = {
        "project": project,
        "type": ProblemType.FUNDING,
        "title": f"{project.name}资金到位滞后",
        "description": gap_description(money, year=year, month=month, time_pct=status.time_progress_pct),
    }
    form = ProblemForm(user=user, initial=initial)
    return render(
        request,
        "supervision/problem_form.html",
        {"form": form, "action": reverse("supervision:problem_create"), "from_gap": True},
    )
