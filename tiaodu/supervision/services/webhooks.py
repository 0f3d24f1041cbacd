"""Group robots (钉钉 / 企业微信) per unit or global."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from tiaodu.core.audit import record_change
from tiaodu.core.errors import NotAllowed
from tiaodu.core.outbound import OutboundRefused, check_url
from tiaodu.supervision import delivery
from tiaodu.supervision.models import WebhookEndpoint
from tiaodu.supervision.permissions import config_can_edit

FIELDS = ("name", "unit", "kind", "url", "secret", "active")


def _snap(endpoint: WebhookEndpoint) -> dict[str, str]:
    # The secret never enters the change log; only whether one is set.
    return {
        "名称": endpoint.name,
        "单位": endpoint.unit.name if endpoint.unit_id else "全局",
        "类型": endpoint.get_kind_display(),
        "Webhook 地址": endpoint.url.split("?")[0],
        "加签": "已设置" if endpoint.secret else "",
        "启用": "是" if endpoint.active else "否",
    }


def _check_address(endpoint: WebhookEndpoint) -> None:
    """An internal address (loopback, private, link-local) is refused when saved, unless allowed."""
    try:
        check_url(endpoint.url, allow=settings.NOTIFY_WEBHOOK_ALLOW, resolve=False)
    except OutboundRefused as exc:
        raise ValidationError({"url": str(exc)})


def _require(user):
    if not config_can_edit(user=user):
        raise NotAllowed("只有领导小组办公室、系统管理员和督查室可以管理群机器人")


@transaction.atomic
def webhook_create(*, user, data: dict[str, Any], source: str = "web") -> WebhookEndpoint:
    _require(user)
    endpoint = WebhookEndpoint(**{k: v for k, v in data.items() if k in FIELDS})
    endpoint.secret = (endpoint.secret or "").strip()
    endpoint.full_clean()
    _check_address(endpoint)
    endpoint.save()
    record_change(obj=endpoint, before=None, after=_snap(endpoint), user=user, source=source)
    return endpoint


@transaction.atomic
def webhook_update(
    *, user, endpoint: WebhookEndpoint, data: dict[str, Any], source: str = "web"
) -> WebhookEndpoint:
    _require(user)
    before = _snap(endpoint)
    for key, value in data.items():
        if key in FIELDS:
            setattr(endpoint, key, value)
    endpoint.full_clean()
    _check_address(endpoint)
    endpoint.save()
    record_change(obj=endpoint, before=before, after=_snap(endpoint), user=user, source=source)
    return endpoint


def webhook_test(*, user, endpoint: WebhookEndpoint) -> tuple[bool, str]:
    """Send a test message at once (not queued); (ok, detail)."""
    _require(user)
    try:
        detail = delivery.post_webhook(
            endpoint.url, "【调度平台】群机器人测试消息：配置成功", secret=endpoint.secret
        )
        return True, detail
    except delivery.DeliveryError as exc:
        return False, str(exc)
