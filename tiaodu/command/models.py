"""The command center's settings (the campaign, the district boundary) and the big screen's kiosk links."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CommandSettings(models.Model):
    """One row (pk=1): what the big screen and the offline map show. Edited by the office."""

    campaign_name = models.CharField("攻坚行动名称", max_length=100, default="决战2027")
    campaign_date = models.DateField("攻坚目标日期", null=True, blank=True)
    boundary = models.JSONField("辖区边界(GeoJSON)", null=True, blank=True)
    boundary_name = models.CharField("边界文件名", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", null=True, blank=True)

    TRACKED_FIELDS = ["campaign_name", "campaign_date", "boundary_name"]

    class Meta:
        verbose_name = "指挥调度设置"
        verbose_name_plural = "指挥调度设置"

    def __str__(self):
        return "指挥调度设置"

    @classmethod
    def load(cls) -> "CommandSettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class KioskLink(models.Model):
    """A signed, read-only, revocable link that opens the big screen with no one signed in. Only a hash of
    its secret is stored; the link itself is shown once, when it is made."""

    name = models.CharField("名称", max_length=100)
    token_hash = models.CharField("密钥摘要", max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    last_used_ip = models.GenericIPAddressField("最近使用IP", null=True, blank=True)

    class Meta:
        verbose_name = "大屏免登录链接"
        verbose_name_plural = "大屏免登录链接"
        ordering = ["name"]
        # A name names one live link; a stopped link's name may be given to its replacement.
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(revoked_at__isnull=True), name="kiosk_live_name_unique"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None
