"""Briefings (调度通报) and the document center (文档中心).

A Briefing is one numbered issue (第N期 of its year). Its three files (.docx, .pdf, .xlsx) are
Documents like every uploaded file, so they are found, previewed, downloaded and shared the same way.
Files are stored under random names (`documents/<hex>.<ext>`) and served only by the views of this
app, never from MEDIA_URL.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from tiaodu.briefings.querysets import DocumentQuerySet, ShareLinkQuerySet
from tiaodu.core.querysets import RestrictedManager


class DocFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"
    XLSX = "xlsx", "Excel"
    JPEG = "jpeg", "JPEG图片"
    PNG = "png", "PNG图片"


FORMAT_MIME = {
    DocFormat.PDF: "application/pdf",
    DocFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DocFormat.JPEG: "image/jpeg",
    DocFormat.PNG: "image/png",
}
FORMAT_EXT = {
    DocFormat.PDF: "pdf",
    DocFormat.DOCX: "docx",
    DocFormat.XLSX: "xlsx",
    DocFormat.JPEG: "jpg",
    DocFormat.PNG: "png",
}


class DocKind(models.TextChoices):
    BRIEFING = "briefing", "调度通报"
    UPLOAD = "upload", "上传文件"
    LETTER = "letter", "责任书扫描件"
    MINUTES = "minutes", "会议纪要"


def document_path(instance, filename):
    ext = FORMAT_EXT.get(instance.format, "bin")
    return f"documents/{uuid.uuid4().hex}.{ext}"


class Briefing(models.Model):
    """One issue of the weekly dispatch briefing: 第{number}期 of {year}."""

    class State(models.TextChoices):
        GENERATING = "generating", "生成中"
        READY = "ready", "已生成"

    year = models.PositiveIntegerField("年度")
    number = models.PositiveIntegerField("期号")
    as_of = models.DateField("截至日期", db_index=True)
    issuer = models.CharField("印发机关", max_length=100)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.GENERATING)
    summary = models.JSONField("总体情况", default=dict, blank=True)
    automatic = models.BooleanField("自动生成", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    seconds = models.FloatField("用时(秒)", null=True, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = "调度通报"
        verbose_name_plural = "调度通报"
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="briefing_unique_year_number")]

    def __str__(self):
        return f"{self.year}年第{self.number}期调度通报"

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.number}期"

    def document(self, fmt: str):
        for doc in self.documents.all():
            if doc.format == fmt:
                return doc
        return None


class Minutes(models.Model):
    """The minutes (会议纪要) of a dispatch meeting: 调度会纪要〔year〕N号, numbered per year. Made again, they keep
    their number and become a new revision: new files, the earlier ones kept in the document center."""

    meeting = models.OneToOneField(
        "supervision.Meeting", verbose_name="调度会", on_delete=models.PROTECT, related_name="minutes_record"
    )
    year = models.PositiveIntegerField("年度")
    number = models.PositiveIntegerField("文号")
    revision = models.PositiveIntegerField("版次", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("首次生成时间", default=timezone.now)
    updated_at = models.DateTimeField("最近生成时间", default=timezone.now)

    class Meta:
        verbose_name = "会议纪要"
        verbose_name_plural = "会议纪要"
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="minutes_unique_year_number")]

    def __str__(self):
        return f"调度会纪要〔{self.year}〕{self.number}号"


class Document(models.Model):
    title = models.CharField("标题", max_length=200, db_index=True)
    kind = models.CharField(
        "来源", max_length=10, choices=DocKind.choices, default=DocKind.UPLOAD, db_index=True
    )
    format = models.CharField("格式", max_length=5, choices=DocFormat.choices, db_index=True)
    file = models.FileField("文件", upload_to=document_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    size = models.PositiveBigIntegerField("大小(字节)", default=0)
    page_count = models.PositiveIntegerField("页数", null=True, blank=True)
    page_count_estimated = models.BooleanField("页数为估算", default=False)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    text = models.TextField("全文", blank=True, help_text="上传时提取，用于全文检索")
    outline = models.JSONField("提要", default=list, blank=True, help_text="Word文件的段落与标题，用于预览")
    description = models.CharField("说明", max_length=500, blank=True)
    # Images: stored without EXIF; the time and place the camera recorded are kept here.
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=10, decimal_places=6, null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now, db_index=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="关联项目",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name="关联单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    meeting = models.ForeignKey(
        "supervision.Meeting",
        verbose_name="关联调度会",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    letter = models.OneToOneField(
        "projects.ResponsibilityLetter",
        verbose_name="责任书",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document",
    )
    briefing = models.ForeignKey(
        Briefing,
        verbose_name="调度通报",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    preview_pdf = models.ForeignKey(
        "self", verbose_name="预览用PDF", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "文档"
        verbose_name_plural = "文档"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def mime(self) -> str:
        return FORMAT_MIME[self.format]

    @property
    def download_name(self) -> str:
        ext = FORMAT_EXT[self.format]
        base = self.title
        if base.lower().endswith("." + ext):
            return base
        return f"{base}.{ext}"

    @property
    def is_image(self) -> bool:
        return self.format in (DocFormat.JPEG, DocFormat.PNG)


class Favorite(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_favorites"
    )
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="favorites")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "收藏"
        verbose_name_plural = "收藏"
        constraints = [
            models.UniqueConstraint(fields=["user", "document"], name="favorite_unique_user_document")
        ]

    def __str__(self):
        return f"{self.user} 收藏 {self.document}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ShareLink(models.Model):
    document = models.ForeignKey(
        Document, verbose_name="文档", on_delete=models.CASCADE, related_name="shares"
    )
    token = models.CharField("令牌", max_length=64, unique=True, default=new_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分享人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("分享时间", default=timezone.now)
    expires_at = models.DateTimeField("有效期至")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "分享链接"
        verbose_name_plural = "分享链接"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.document} 的分享链接"

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return "valid"

    @property
    def state_label(self) -> str:
        return {"revoked": "已撤销", "expired": "已过期", "valid": "有效"}[self.state()]


class ShareAccess(models.Model):
    """Every opening of a share link, allowed or refused."""

    class Outcome(models.TextChoices):
        VIEW = "view", "查看"
        DOWNLOAD = "download", "下载"
        EXPIRED = "expired", "已过期，拒绝"
        REVOKED = "revoked", "已撤销，拒绝"

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="accesses")
    at = models.DateTimeField("时间", default=timezone.now)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=500, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)

    class Meta:
        verbose_name = "分享访问记录"
        verbose_name_plural = "分享访问记录"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_outcome_display()}"
