"""Reminders to report: the weekly reminder before the deadline and the office's 催报, one row per
project and unit reminded — who was reminded of what, when, and by whom."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tiaodu.orgs.models import Unit
from tiaodu.projects.models import Project


class ReportReminder(models.Model):
    class Kind(models.TextChoices):
        REMIND = "remind", "截止前提醒"
        URGE = "urge", "催报"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    as_of = models.DateField(
        "周报截至日期", help_text="截止前提醒：本周期的截止日；催报：催报时未报送清单的截至日期"
    )
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="report_reminders"
    )
    unit = models.ForeignKey(Unit, verbose_name="填报单位", on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="催报人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="空：系统按设置自动提醒",
    )
    sent_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "报送提醒"
        verbose_name_plural = "报送提醒"
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["as_of", "project", "unit"],
                condition=models.Q(kind="remind"),
                name="report_remind_once",
            )
        ]
        indexes = [models.Index(fields=["as_of", "kind"], name="report_reminder_cycle")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.unit_id}·{self.project_id} {self.as_of}"


class InvestmentReminder(models.Model):
    """A lead unit reminded, before the monthly deadline, of a project's missing 当月完成投资 (月度投资提醒):
    once per month, project and unit (tiaodu/supervision/services/monthly_reminders.py)."""

    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="investment_reminders"
    )
    unit = models.ForeignKey(Unit, verbose_name="牵头单位", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "月度投资提醒"
        verbose_name_plural = "月度投资提醒"
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "project", "unit"], name="investment_remind_once"
            )
        ]

    def __str__(self):
        return f"月度投资提醒 {self.unit_id}·{self.project_id} {self.year}-{self.month:02d}"
