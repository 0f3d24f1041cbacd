"""The command settings page (/command/settings/): the campaign (name, date) the big screen shows and the
district boundary the offline map draws. The office and administrators only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from tiaodu.command.forms import CommandSettingsForm
from tiaodu.command.geojson import bounds
from tiaodu.command.models import CommandSettings
from tiaodu.command.permissions import MANAGE_DENIED, command_can_manage
from tiaodu.command.services import command_settings_update
from tiaodu.core.forms import apply_service_errors
from tiaodu.core.views import history_context


@login_required
def settings_edit(request):
    if not command_can_manage(user=request.user):
        raise PermissionDenied(MANAGE_DENIED)
    current = CommandSettings.load()
    form = CommandSettingsForm(request.POST or None, request.FILES or None, instance=CommandSettings.load())
    if request.method == "POST" and form.is_valid():
        try:
            command_settings_update(user=request.user, data=form.changes())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "指挥调度设置已保存")
            return redirect("command_settings")
    context = {
        "form": form,
        "current": current,
        "extent": bounds(current.boundary) if current.boundary else None,
    }
    if current.updated_at:
        context.update(history_context(current))
    return render(request, "command/settings.html", context)
