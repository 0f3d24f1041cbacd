"""Dispatch meetings (调度会) and their decisions."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tiaodu.orgs.models import Person
from tiaodu.supervision.querysets import MeetingQuerySet


class Meeting(models.Model):
    title = models.CharField("会议名称", max_length=200)
    date = models.DateField("会议日期")
    location = models.CharField("地点", max_length=200, blank=True)
    chair = models.ForeignKey(
        Person, verbose_name="主持人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attendees = models.ManyToManyField(Person, verbose_name="参会人员", blank=True, related_name="+")
    attendees_note = models.CharField("其他参会人员", max_length=500, blank=True)
    minutes = models.TextField("会议纪要", blank=True)
    agenda = models.JSONField("议程", default=dict, blank=True)
    agenda_compiled_at = models.DateTimeField("议程生成时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    TRACKED_FIELDS = ["title", "date", "location", "chair", "attendees", "attendees_note", "minutes"]

    class Meta:
        verbose_name = "调度会"
        verbose_name_plural = "调度会"
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.title


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="调度会", on_delete=models.CASCADE, related_name="decisions"
    )
    content = models.TextField("决定事项")
    sort_order = models.PositiveIntegerField("序号", default=0)
    problem = models.ForeignKey(
        "Problem",
        verbose_name="关于难题",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    item = models.OneToOneField(
        "SupervisionItem",
        verbose_name="督办事项",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    TRACKED_FIELDS = ["content", "problem", "item"]

    class Meta:
        verbose_name = "会议决定"
        verbose_name_plural = "会议决定"
        ordering = ["meeting", "sort_order", "id"]

    def __str__(self):
        return self.content[:60]


# --- supervision items ----------------------------------------------------------------------------
