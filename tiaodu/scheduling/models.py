"""Working-day calendar, tasks and links, baselines and period-plan overrides."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tiaodu.projects.models import QUANTITY, Indicator, Project
from tiaodu.scheduling.calendar import CONTINUOUS, FILE, MON_FRI, MON_SAT, STATUTORY, period_label

MAX_DURATION = 10000  # working days (about 40 years)
MAX_LAG = 10000


class CalendarMode(models.TextChoices):
    STATUTORY = STATUTORY, "法定工作日"
    FILE = FILE, "导入文件日历"
    MON_FRI = MON_FRI, "周一至周五"
    MON_SAT = MON_SAT, "周一至周六"
    CONTINUOUS = CONTINUOUS, "连续施工"


class CalendarYear(models.Model):
    """A year whose holiday arrangement (国务院办公厅关于节假日安排的通知) is entered."""

    class Source(models.TextChoices):
        PACKAGE = "package", "国家法定节假日安排（预置）"
        OFFICE = "office", "办公室录入"

    year = models.PositiveIntegerField(
        "年度", unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.OFFICE)
    notice = models.CharField("通知文号或标题", max_length=200, blank=True)
    entered_at = models.DateTimeField("录入时间", auto_now=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年节假日安排"


class CalendarDay(models.Model):
    """One date that differs from the plain Monday–Friday week: a holiday or a make-up working day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    arrangement = models.ForeignKey(
        CalendarYear, verbose_name="所属年度安排", on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("节日", max_length=50, blank=True)

    class Meta:
        verbose_name = "节假日与调休日"
        verbose_name_plural = "节假日与调休日"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date.isoformat()} {self.name}{self.get_kind_display()}"


class ProjectSchedule(models.Model):
    """A project's scheduling settings (kept here so projects.Project stays untouched)."""

    project = models.OneToOneField(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="schedule_settings"
    )
    mode = models.CharField(
        "日历模式",
        max_length=12,
        choices=CalendarMode.choices,
        default=CalendarMode.STATUTORY,
        help_text=(
            "法定工作日：周一至周五，扣除法定节假日，加上调休上班日；导入文件日历：MS Project / P6 文件中的"
            "工作周、节假日和例外日期；周一至周五、周一至周六：不扣节假日；连续施工：每天都是工作日"
        ),
    )
    # The imported file's calendars and status (tiaodu.scheduling.file_schedule writes and reads it):
    # {"source": "msp"|"p6", "name", "calendar": default key, "calendars": {key: …}, "data_date",
    #  "start", "summaries": [...]}; null when the tasks did not come from an MS Project / P6 file.
    file_data = models.JSONField("导入文件的日历与状态", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    TRACKED_FIELDS = ["mode"]

    class Meta:
        verbose_name = "工期计划"
        verbose_name_plural = "工期计划"

    def __str__(self):
        return f"{self.project.code}工期计划"


class Task(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="schedule_tasks"
    )
    code = models.CharField("任务编号", max_length=50)
    name = models.CharField("任务名称", max_length=200)
    duration = models.PositiveIntegerField(
        "工期(工作日)", validators=[MaxValueValidator(MAX_DURATION)], help_text="0 表示里程碑"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="关联指标",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schedule_tasks",
    )
    quantity = models.DecimalField(
        "工程量",
        **QUANTITY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="本任务完成的关联指标工程量，按工作日均匀计入进度计划",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    source_key = models.CharField(
        "文件中的唯一标识",
        max_length=100,
        blank=True,
        help_text="MS Project 的唯一标识号（UniqueID）、P6 的作业 GUID 或作业代码；重新导入时按它对应任务",
    )
    # The file's scheduling semantics (tiaodu.scheduling.file_import writes, file_schedule reads):
    # minutes, elapsed, calendar, constraint(s), actuals, percent, remaining, manual, LOE, parent, milestone.
    detail = models.JSONField("文件中的排程信息", null=True, blank=True)

    TRACKED_FIELDS = ["code", "name", "duration", "indicator", "quantity"]

    class Meta:
        verbose_name = "工期任务"
        verbose_name_plural = "工期任务"
        ordering = ["project", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="task_unique_code"),
            models.UniqueConstraint(
                fields=["project", "source_key"],
                condition=~models.Q(source_key=""),
                name="task_unique_source_key",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        errors = {}
        if self.code and (
            "," in self.code or "、" in self.code or "，" in self.code or self.code != self.code.strip()
        ):
            errors["code"] = "任务编号不能包含逗号、顿号或首尾空格"
        if self.indicator_id and self.project_id and self.indicator.project_id != self.project_id:
            errors["indicator"] = "指标不属于本项目"
        if self.indicator_id and self.quantity is None:
            errors["quantity"] = "选择关联指标时须填写工程量"
        if self.quantity is not None and not self.indicator_id:
            errors["indicator"] = "填写工程量时须选择关联指标"
        if errors:
            raise ValidationError(errors)


class LinkType(models.TextChoices):
    FS = "FS", "完成-开始(FS)"
    SS = "SS", "开始-开始(SS)"
    FF = "FF", "完成-完成(FF)"
    SF = "SF", "开始-完成(SF)"


class Dependency(models.Model):
    predecessor = models.ForeignKey(
        Task, verbose_name="紧前任务", on_delete=models.CASCADE, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Task, verbose_name="后续任务", on_delete=models.CASCADE, related_name="predecessor_links"
    )
    type = models.CharField("类型", max_length=2, choices=LinkType.choices, default=LinkType.FS)
    lag = models.IntegerField(
        "间隔(工作日)", default=0, validators=[MinValueValidator(-MAX_LAG), MaxValueValidator(MAX_LAG)]
    )
    # The exact lag of a link read from an MS Project / P6 file (`lag` is it rounded to days, for display).
    lag_minutes = models.IntegerField("间隔(分钟)", null=True, blank=True)
    lag_elapsed = models.BooleanField("间隔按日历时间", default=False)
    lag_percent = models.FloatField("间隔(紧前任务工期的百分比)", null=True, blank=True)

    class Meta:
        verbose_name = "任务依赖"
        verbose_name_plural = "任务依赖"
        ordering = ["successor", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "type"], name="dependency_unique_type"
            ),
        ]

    def __str__(self):
        return f"{self.predecessor.code}{self.type}{self.lag:+d} → {self.successor.code}"


class Baseline(models.Model):
    """An approved (审定) schedule: the computed schedule frozen as JSON."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="schedule_baselines"
    )
    number = models.PositiveIntegerField("版本")
    approved_at = models.DateTimeField("审定时间", auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审定人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    note = models.CharField("审定意见", max_length=200, blank=True)
    snapshot = models.JSONField("计划快照")

    TRACKED_FIELDS = ["number", "note"]

    class Meta:
        verbose_name = "基准计划"
        verbose_name_plural = "基准计划"
        ordering = ["project", "-number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="baseline_unique_number")]
        get_latest_by = "number"

    def __str__(self):
        return f"{self.project.code}基准计划第{self.number}版"


class ScheduleImport(models.Model):
    """One import of a schedule file, with the report shown after it (file_model.ImportReport as JSON)."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="schedule_imports"
    )
    file_name = models.CharField("文件名", max_length=255)
    file_format = models.CharField("文件格式", max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField("导入时间", auto_now_add=True)
    report = models.JSONField("导入报告")

    class Meta:
        verbose_name = "计划导入"
        verbose_name_plural = "计划导入"
        ordering = ["project", "-at", "-id"]

    def __str__(self):
        return f"{self.project.code}计划导入「{self.file_name}」"


class PeriodPlanOverride(models.Model):
    """The office's figure for an indicator's planned cumulative quantity at the end of a period."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="period_overrides"
    )
    period = models.CharField(
        "时段", max_length=12, help_text="2026-Q4（季）、2026-10（月）、2026-10-1（上旬）"
    )
    value = models.DecimalField("计划累计量", **QUANTITY, validators=[MinValueValidator(Decimal(0))])
    note = models.CharField("调整说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("调整时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="调整人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    TRACKED_FIELDS = ["value", "note"]

    class Meta:
        verbose_name = "进度计划调整"
        verbose_name_plural = "进度计划调整"
        ordering = ["indicator", "period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="period_override_unique")]

    def __str__(self):
        return f"{self.indicator.name}·{period_label(self.period)}"
