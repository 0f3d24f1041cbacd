"""The investment settings page (投资统计设置, /investment/settings/): the office and administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from tiaodu.core.forms import apply_service_errors
from tiaodu.core.views import history_context
from tiaodu.investment.forms_settings import InvestmentSettingsForm
from tiaodu.investment.selectors import investment_settings
from tiaodu.investment.services_settings import SETTINGS_DENIED, investment_settings_update
from tiaodu.progress.permissions import cycle_can_edit


@login_required
def settings_edit(request):
    if not cycle_can_edit(user=request.user):
        raise PermissionDenied(SETTINGS_DENIED)
    current = investment_settings()
    form = InvestmentSettingsForm(request.POST or None, instance=investment_settings())
    if request.method == "POST" and form.is_valid():
        try:
            investment_settings_update(user=request.user, data=dict(form.cleaned_data))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "投资统计设置已保存")
            return redirect("investment:settings")
    context = {"form": form, "current": current}
    if current.pk and current.updated_at:
        context.update(history_context(current))
    return render(request, "investment/settings_form.html", context)
