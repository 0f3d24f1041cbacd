"""Sending e-mails and group-robot webhooks, with a log of every attempt and retries with backoff.

A webhook message is a POST of {"msgtype": "text", "text": {"content": "..."}} (the same body for
DingTalk and WeCom). A DingTalk robot with 加签 security gets `&timestamp=<ms>&sign=<sign>` appended,
sign = urlencode(base64(HMAC-SHA256(key=secret, msg=timestamp + "\\n" + secret))). Both robots answer
HTTP 200 with {"errcode": 0, ...}; any other errcode is a failure.

Global robots come from settings.NOTIFY_WEBHOOK_URLS: a list of URLs, a DingTalk URL optionally
followed by "|" and its signing secret. Per-unit (and further global) robots are WebhookEndpoint rows.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from tiaodu.core.outbound import OutboundRefused, open_checked
from tiaodu.supervision.models import Delivery, DeliveryAttempt

log = logging.getLogger("tiaodu.supervision.delivery")

# Minutes to wait after the 1st, 2nd, … failed attempt; after the last one the delivery is given up.
BACKOFF_MINUTES = [1, 5, 15, 60, 240, 720, 1440]
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
CLAIM_MINUTES = 10  # an attempt in progress holds the delivery this long
WEBHOOK_TIMEOUT = 10  # seconds


class DeliveryError(Exception):
    pass


def settings_webhooks() -> list[tuple[str, str]]:
    """[(url, secret)] from settings.NOTIFY_WEBHOOK_URLS ("url" or "url|secret")."""
    out = []
    for entry in getattr(settings, "NOTIFY_WEBHOOK_URLS", []) or []:
        entry = entry.strip()
        if not entry:
            continue
        url, _, secret = entry.partition("|")
        out.append((url.strip(), secret.strip()))
    return out


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    if timestamp_ms is None:
        timestamp_ms = int(round(time.time() * 1000))
    string_to_sign = f"{timestamp_ms}\n{secret}"
    digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp_ms}&sign={sign}"


def webhook_body(content: str) -> bytes:
    return json.dumps({"msgtype": "text", "text": {"content": content}}, ensure_ascii=False).encode("utf-8")


def post_webhook(url: str, content: str, *, secret: str = "", timeout: float = WEBHOOK_TIMEOUT) -> str:
    """POST one text message; the answer's summary, or DeliveryError."""
    if secret:
        url = dingtalk_signed_url(url, secret)
    request = urllib.request.Request(
        url,
        data=webhook_body(content),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "tiaodu-notify/1"},
    )
    try:
        with open_checked(request, timeout=timeout, allow=settings.NOTIFY_WEBHOOK_ALLOW) as response:
            status = response.status
            raw = response.read(64 * 1024)
    except OutboundRefused as exc:
        raise DeliveryError(str(exc))
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}")
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"连接失败：{reason}")
    try:
        answer = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        answer = {}
    if isinstance(answer, dict) and answer.get("errcode") not in (None, 0, "0"):
        raise DeliveryError(f"errcode={answer.get('errcode')} {answer.get('errmsg', '')}".strip())
    return f"HTTP {status}"


def _webhook_target(delivery: Delivery) -> tuple[str, str]:
    if delivery.endpoint_id:
        endpoint = delivery.endpoint
        if not endpoint.active:
            raise DeliveryError("群机器人已停用")
        return endpoint.url, endpoint.secret
    for url, secret in settings_webhooks():
        if url == delivery.target:
            return url, secret
    if delivery.target.startswith(("http://", "https://")):
        return delivery.target, ""
    raise DeliveryError("群机器人已删除")


def _send(delivery: Delivery) -> str:
    if delivery.channel == Delivery.Channel.EMAIL:
        try:
            send_mail(
                delivery.subject or "调度平台通知",
                delivery.content,
                settings.DEFAULT_FROM_EMAIL,
                [delivery.target],
                fail_silently=False,
            )
        except Exception as exc:  # any backend error: SMTP, socket, …
            raise DeliveryError(f"邮件发送失败：{exc}")
        return "已发送"
    url, secret = _webhook_target(delivery)
    return post_webhook(url, delivery.content, secret=secret)


def attempt(delivery: Delivery, *, now: datetime.datetime) -> bool | None:
    """Try one delivery once. True sent, False failed (will be retried or given up), None: taken by another."""
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.PENDING, attempts=delivery.attempts
    ).update(next_attempt_at=now + datetime.timedelta(minutes=CLAIM_MINUTES))
    if not claimed:
        return None
    try:
        detail = _send(delivery)
        ok = True
    except DeliveryError as exc:
        detail = str(exc)
        ok = False
    except Exception as exc:  # never let one bad delivery stop the others
        log.exception("delivery %s failed unexpectedly", delivery.pk)
        detail = f"{type(exc).__name__}: {exc}"
        ok = False
    delivery.attempts += 1
    DeliveryAttempt.objects.create(delivery=delivery, at=now, ok=ok, detail=detail[:500])
    if ok:
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = now
        delivery.last_error = ""
    else:
        delivery.last_error = detail[:2000]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = Delivery.Status.FAILED
            log.error(
                "delivery %s to %s given up after %s attempts: %s",
                delivery.pk,
                delivery.target_label,
                delivery.attempts,
                detail,
            )
        else:
            delivery.next_attempt_at = now + datetime.timedelta(
                minutes=BACKOFF_MINUTES[delivery.attempts - 1]
            )
            log.warning(
                "delivery %s to %s failed (attempt %s), retry at %s: %s",
                delivery.pk,
                delivery.target_label,
                delivery.attempts,
                delivery.next_attempt_at,
                detail,
            )
    Delivery.objects.filter(pk=delivery.pk).update(
        status=delivery.status,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at,
        last_error=delivery.last_error,
        sent_at=delivery.sent_at,
    )
    return ok


def send_due(*, now: datetime.datetime | None = None, ids=None, limit: int = 1000) -> tuple[int, int]:
    """Attempt the pending deliveries due by `now` (only `ids` when given). Returns (sent, failed)."""
    now = now or timezone.now()
    qs = Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now).select_related(
        "endpoint"
    )
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    sent = failed = 0
    for delivery in qs.order_by("next_attempt_at", "id")[:limit]:
        result = attempt(delivery, now=now)
        if result is True:
            sent += 1
        elif result is False:
            failed += 1
    return sent, failed


def enqueue(ids: list[int]) -> None:
    """Hand new deliveries to the job queue (after the commit); the daily sweep catches any left over."""
    if not ids:
        return
    try:
        from tiaodu.supervision.tasks import deliver_notifications

        deliver_notifications(list(ids))
    except Exception:  # the queue being down must never break the request; the sweep retries
        log.exception("could not enqueue %s deliveries; the sweep will send them", len(ids))
