"""Notifications: the inbox, webhook endpoints, deliveries and their attempts."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tiaodu.orgs.models import Unit
from tiaodu.supervision.querysets import NotificationQuerySet


class Notification(models.Model):
    """The in-app inbox: written in the same transaction as the event, never lost."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="收件人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=30)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    unread = models.BooleanField("未读", default=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "unread", "created_at"])]

    def __str__(self):
        return self.title


class WebhookEndpoint(models.Model):
    """A group robot (钉钉 / 企业微信). Without a unit it receives every notification."""

    class Kind(models.TextChoices):
        DINGTALK = "dingtalk", "钉钉群机器人"
        WECOM = "wecom", "企业微信群机器人"

    name = models.CharField("名称", max_length=100)
    unit = models.ForeignKey(
        Unit,
        verbose_name="单位",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhooks",
        help_text="留空表示全局：接收全部通知",
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    url = models.URLField("Webhook 地址", max_length=500)
    secret = models.CharField(
        "加签密钥", max_length=200, blank=True, help_text="钉钉机器人“加签”安全设置的密钥（SEC开头）"
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"
        ordering = ["unit__name", "name"]

    def __str__(self):
        return f"{self.name}（{self.unit.name if self.unit_id else '全局'}）"


class Delivery(models.Model):
    """An e-mail or webhook message on its way; retried with backoff until sent or given up."""

    class Channel(models.TextChoices):
        EMAIL = "email", "邮件"
        WEBHOOK = "webhook", "群机器人"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    target = models.CharField("发送对象", max_length=500)
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name="群机器人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    subject = models.CharField("标题", max_length=200, blank=True)
    content = models.TextField("内容")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", default=timezone.now)
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知发送"
        verbose_name_plural = "通知发送"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.channel == self.Channel.WEBHOOK:
            return self.endpoint.name if self.endpoint_id else self.target.split("?")[0]
        return self.target


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(
        Delivery, verbose_name="通知发送", on_delete=models.CASCADE, related_name="log"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    ok = models.BooleanField("成功")
    detail = models.CharField("结果", max_length=500, blank=True)

    class Meta:
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{'成功' if self.ok else '失败'} {self.detail}"
