"""Supervision items (督办事项), their events and photos, and project warnings."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tiaodu.orgs.models import Person, Unit
from tiaodu.projects.models import Project
from tiaodu.supervision import rules
from tiaodu.supervision.models.meetings import Meeting
from tiaodu.supervision.models.problems import Problem
from tiaodu.supervision.querysets import ProjectWarningQuerySet, SupervisionItemQuerySet


class Source(models.TextChoices):
    MEETING = "meeting", "调度会决定"
    INSTRUCTION = "instruction", "领导批示"
    INSPECTION = "inspection", "巡查发现"
    OTHER = "other", "其他"


class WarningLevel(models.TextChoices):
    NONE = rules.NONE, "无"
    REMINDER = rules.REMINDER, "提醒"
    YELLOW = rules.YELLOW, "黄牌"
    RED = rules.RED, "红牌"


class SupervisionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "办理中"
        CLOSE_REQUESTED = "close_requested", "待确认办结"
        CLOSED = "closed", "已办结"

    title = models.CharField("事项名称", max_length=200)
    content = models.TextField("督办内容")
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.OTHER)
    meeting = models.ForeignKey(
        Meeting, verbose_name="调度会", on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    project = models.ForeignKey(
        Project,
        verbose_name="项目",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_items",
    )
    problem = models.ForeignKey(
        Problem,
        verbose_name="关联难题",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        help_text="由难题（或关于难题的调度会决定）立项的事项；督查室确认办结时难题随之解决",
    )
    assignee_units = models.ManyToManyField(Unit, verbose_name="承办单位", related_name="supervision_items")
    responsible_person = models.ForeignKey(
        Person, verbose_name="责任人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    supervising_leader = models.ForeignKey(
        Person,
        verbose_name="分管领导",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="亮红牌时一并通知；未填写时取所属项目的分管领导",
    )
    deadline = models.DateField("办结时限")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN)
    warning = models.CharField("预警", max_length=10, choices=WarningLevel.choices, default=WarningLevel.NONE)
    warning_on = models.DateField("预警日期", null=True, blank=True)
    location = models.CharField("地点", max_length=200, blank=True)
    longitude = models.DecimalField(
        "经度",
        max_digits=10,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    latitude = models.DecimalField(
        "纬度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="交办人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("交办时间", default=timezone.now)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SupervisionItemQuerySet.as_manager()

    TRACKED_FIELDS = [
        "title",
        "content",
        "source",
        "meeting",
        "project",
        "problem",
        "assignee_units",
        "responsible_person",
        "supervising_leader",
        "deadline",
        "status",
        "location",
        "longitude",
        "latitude",
    ]

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["status", "warning"])]

    def __str__(self):
        return self.title

    @property
    def number(self) -> str:
        return f"督{self.created_at.year}-{self.pk:05d}" if self.pk else ""

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def clean(self):
        errors = {}
        if (self.longitude is None) != (self.latitude is None):
            errors["latitude"] = "经度和纬度须同时填写"
        if self.source == Source.INSPECTION and not self.location.strip():
            errors["location"] = "巡查发现的事项须填写地点"
        if errors:
            raise ValidationError(errors)


class ItemEvent(models.Model):
    """One step of an item's timeline; warnings are kept here too (one per level and deadline)."""

    class Kind(models.TextChoices):
        CREATED = "created", "交办"
        FEEDBACK = "feedback", "办理进展"
        CLOSE_REQUESTED = "close_requested", "申请办结"
        CLOSED = "closed", "确认办结"
        SENT_BACK = "sent_back", "退回"
        WARNING = "warning", "预警"
        UPDATED = "updated", "修改"
        PROBLEM_RESOLVED = "problem_resolved", "关联难题已解决"

    item = models.ForeignKey(
        SupervisionItem, verbose_name="督办事项", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    level = models.CharField("预警等级", max_length=10, choices=WarningLevel.choices, blank=True)
    deadline = models.DateField("当时的办结时限", null=True, blank=True)
    text = models.TextField("内容", blank=True)
    on = models.DateField("日期")
    at = models.DateTimeField("记录时间", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "督办记录"
        verbose_name_plural = "督办记录"
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "level", "deadline"], condition=Q(kind="warning"), name="item_warning_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on}"

    @property
    def when(self):
        """The moment to show: the time it was recorded, or only its day when it was dated otherwise."""
        return self.at if timezone.localdate(self.at) == self.on else self.on


def photo_path(instance, filename):
    return f"supervision/{uuid.uuid4().hex}"


class ItemPhoto(models.Model):
    class Kind(models.TextChoices):
        ISSUE = "issue", "现场照片"
        RECTIFIED = "rectified", "整改后照片"
        FEEDBACK = "feedback", "进展照片"

    item = models.ForeignKey(
        SupervisionItem, verbose_name="督办事项", on_delete=models.CASCADE, related_name="photos"
    )
    event = models.ForeignKey(
        ItemEvent, verbose_name="记录", on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    file = models.FileField("照片", upload_to=photo_path)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "督办照片"
        verbose_name_plural = "督办照片"
        ordering = ["at", "id"]

    def __str__(self):
        return self.original_name


class ProjectWarning(models.Model):
    """A project severe (严重滞后) in two consecutive weekly cycles; one per project and cycle."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="supervision_warnings"
    )
    as_of = models.DateField("周期截至日期")
    previous_as_of = models.DateField("上一周期截至日期")
    lag_days = models.IntegerField("滞后工作日", null=True, blank=True)
    created_at = models.DateTimeField("预警时间", default=timezone.now)

    objects = ProjectWarningQuerySet.as_manager()

    class Meta:
        verbose_name = "项目预警"
        verbose_name_plural = "项目预警"
        ordering = ["-as_of", "project__code"]
        constraints = [models.UniqueConstraint(fields=["project", "as_of"], name="project_warning_once")]

    def __str__(self):
        return f"项目预警 {self.as_of}"


class ProjectWarningCheck(models.Model):
    """A weekly cycle whose project levels the sweep has compared with the cycle before (once per cycle)."""

    as_of = models.DateField("周期截至日期", unique=True)
    checked_at = models.DateTimeField("检查时间", default=timezone.now)
    severe = models.PositiveIntegerField("连续两周期严重滞后项目数", default=0)

    class Meta:
        verbose_name = "项目预警检查"
        verbose_name_plural = "项目预警检查"
        ordering = ["-as_of"]

    def __str__(self):
        return f"项目预警检查 {self.as_of}"


# --- accountability -------------------------------------------------------------------------------
