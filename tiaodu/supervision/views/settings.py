from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tiaodu.supervision import delivery, services
from tiaodu.supervision.forms import ConfigForm, WebhookForm
from tiaodu.supervision.models import Delivery, Level, SupervisionConfig, WebhookEndpoint
from tiaodu.supervision.permissions import CONFIG_DENIED, config_can_edit
from tiaodu.supervision.services import webhooks
from tiaodu.supervision.views._common import call_service


def _require(request):
    if not config_can_edit(user=request.user):
        raise PermissionDenied(CONFIG_DENIED)


def _context(request, **forms):
    ctx = {
        "config_form": ConfigForm(instance=SupervisionConfig.current()),
        "webhook_form": WebhookForm(prefix="hook"),
        "webhooks": WebhookEndpoint.objects.select_related("unit"),
        "global_webhooks": [
            url.split("?")[0] + ("（加签）" if secret else "") for url, secret in delivery.settings_webhooks()
        ],
        "deliveries": Delivery.objects.select_related("endpoint").order_by("-created_at", "-id")[:30],
        "levels": Level.choices,
    }
    ctx.update(forms)
    return ctx


@login_required
def settings_page(request):
    _require(request)
    if request.method == "POST":
        form = ConfigForm(request.POST, instance=SupervisionConfig.current())
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in SupervisionConfig.TRACKED_FIELDS}
            if call_service(form, services.config_update, user=request.user, data=data) is not None:
                messages.success(request, "督办时限已保存，自下一次定时处理起生效")
                return redirect("supervision:settings")
        return render(request, "supervision/settings.html", _context(request, config_form=form), status=400)
    return render(request, "supervision/settings.html", _context(request))


@login_required
@require_POST
def webhook_add(request):
    _require(request)
    form = WebhookForm(request.POST, prefix="hook")
    if form.is_valid():
        if (
            call_service(form, webhooks.webhook_create, user=request.user, data=dict(form.cleaned_data))
            is not None
        ):
            messages.success(request, "已添加群机器人")
            return redirect("supervision:settings")
    return render(request, "supervision/settings.html", _context(request, webhook_form=form), status=400)


@login_required
@require_POST
def webhook_toggle(request, pk):
    _require(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    webhooks.webhook_update(user=request.user, endpoint=endpoint, data={"active": not endpoint.active})
    messages.success(request, f"群机器人「{endpoint.name}」已{'启用' if endpoint.active else '停用'}")
    return redirect("supervision:settings")


@login_required
@require_POST
def webhook_test(request, pk):
    _require(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    ok, detail = webhooks.webhook_test(user=request.user, endpoint=endpoint)
    (messages.success if ok else messages.error)(
        request, f"测试消息{'已发送' if ok else '发送失败'}：{detail}"
    )
    return redirect("supervision:settings")
