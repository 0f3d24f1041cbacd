"""Investment and funds (投资与资金): funding sources and plans, annual plans, monthly completed
investment, funds arriving, and the district's settings for them. Amounts are in 万元.

A monthly figure (月度投资统计) follows the weekly report's workflow: a draft is submitted, then verified
or returned; it is never overwritten once submitted — a change creates a new revision (same `thread`,
next `revision`, `previous` pointing back). Exactly one revision of a (project, year, month) counts
(`counted`): the last submitted or verified one that was not returned. The figures (tiaodu/investment/
figures.py) read only counted rows.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tiaodu.investment.querysets import MonthlyInvestmentQuerySet
from tiaodu.orgs.models import Unit
from tiaodu.progress.models import ReportStatus
from tiaodu.projects.models import MONEY, Project

NON_NEGATIVE = [MinValueValidator(Decimal(0))]
YEAR_RANGE = [MinValueValidator(2000), MaxValueValidator(2100)]


class InvestmentSettings(models.Model):
    """The monthly statistics' deadline and the money flags' thresholds: one row for the district (pk = 1)."""

    deadline_day = models.PositiveSmallIntegerField(
        "每月报送截止日",
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="牵头单位于每月此日（含）前报送当月完成投资",
    )
    remind_days_before = models.PositiveSmallIntegerField(
        "提前提醒天数",
        default=3,
        validators=[MaxValueValidator(27)],
        help_text="截止日前此天数仍未报送当月完成投资的牵头单位收到提醒；0 为不提醒",
    )
    mismatch_pct = models.DecimalField(
        "周报与月报累计投资偏差阈值（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text="周报累计完成投资与月报开工至今累计相差超过此百分比为「投资数据不一致」",
    )
    gap_points = models.DecimalField(
        "资金缺口阈值（百分点）",
        max_digits=5,
        decimal_places=2,
        default=Decimal(20),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text="资金到位率低于时间进度超过此百分点为「资金缺口」",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    TRACKED_FIELDS = ["deadline_day", "remind_days_before", "mismatch_pct", "gap_points"]

    class Meta:
        verbose_name = "投资统计设置"
        verbose_name_plural = "投资统计设置"

    def __str__(self):
        return f"每月{self.deadline_day}日前报送当月完成投资"


class FundingSource(models.Model):
    """A funding source (资金来源): a list the office manages, seeded by migration 0002."""

    name = models.CharField("资金来源", max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True, help_text="停用的来源不再可选，已有记录保留")

    TRACKED_FIELDS = ["name", "sort_order", "active"]

    class Meta:
        verbose_name = "资金来源"
        verbose_name_plural = "资金来源"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class FundingPlan(models.Model):
    """One row of a project's funding plan (资金计划): a source and its planned amount."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="funding_plans"
    )
    source = models.ForeignKey(
        FundingSource, verbose_name="资金来源", on_delete=models.PROTECT, related_name="plans"
    )
    amount = models.DecimalField("计划金额(万元)", **MONEY, validators=NON_NEGATIVE)

    TRACKED_FIELDS = ["source", "amount"]

    class Meta:
        verbose_name = "资金计划"
        verbose_name_plural = "资金计划"
        ordering = ["project", "source__sort_order", "source_id"]
        constraints = [models.UniqueConstraint(fields=["project", "source"], name="funding_plan_unique")]

    def __str__(self):
        return f"{self.project.code}·{self.source.name}"


class AnnualPlan(models.Model):
    """A project's plan for one year (年度计划)."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="annual_plans"
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_RANGE)
    amount = models.DecimalField("年度计划投资(万元)", **MONEY, validators=NON_NEGATIVE)
    new_start = models.BooleanField("计划新开工", default=False)
    completion = models.BooleanField("计划竣工", default=False)
    prior_cumulative = models.DecimalField(
        "截至上年末累计完成投资(万元)", **MONEY, null=True, blank=True, validators=NON_NEGATIVE
    )

    TRACKED_FIELDS = ["year", "amount", "new_start", "completion", "prior_cumulative"]

    class Meta:
        verbose_name = "年度计划"
        verbose_name_plural = "年度计划"
        ordering = ["project", "-year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="annual_plan_unique")]
        indexes = [models.Index(fields=["year", "project"], name="annual_plan_year")]

    def __str__(self):
        return f"{self.project.code} {self.year}年度计划"


class MonthlyInvestment(models.Model):
    """A project's completed investment in one month (当月完成投资), entered by its lead unit."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="monthly_investments"
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_RANGE)
    month = models.PositiveSmallIntegerField("月份", validators=[MinValueValidator(1), MaxValueValidator(12)])
    amount = models.DecimalField("当月完成投资(万元)", **MONEY, validators=NON_NEGATIVE)
    reporting_unit = models.ForeignKey(
        Unit, verbose_name="填报单位", on_delete=models.PROTECT, related_name="monthly_investments"
    )
    status = models.CharField("状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    note = models.TextField("说明", blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    verify_note = models.TextField("审核意见", blank=True)
    # The flags computed on submit: [{"code", "message"}] (e.g. 投资数据不一致); never block submission.
    flags = models.JSONField("数据异常", default=list, blank=True)

    thread = models.UUIDField("月报标识", default=uuid.uuid4, editable=False, db_index=True)
    revision = models.PositiveIntegerField("版本", default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name="上一版本",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_revision",
    )
    superseded = models.BooleanField("已被新版本替代", default=False)
    counted = models.BooleanField("计入统计", default=False)
    late = models.BooleanField("逾期报送", default=False)
    source = models.CharField("来源", max_length=20, default="web")

    objects = MonthlyInvestmentQuerySet.as_manager()

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField("审核时间", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="退回人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)

    class Meta:
        verbose_name = "月度投资统计"
        verbose_name_plural = "月度投资统计"
        ordering = ["-year", "-month", "project__code", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "revision"], name="monthly_unique_revision"),
            # At most one counted revision per project and month.
            models.UniqueConstraint(
                fields=["project", "year", "month"],
                condition=models.Q(counted=True),
                name="monthly_one_counted",
            ),
        ]
        indexes = [
            models.Index(fields=["counted", "year", "month", "project"], name="monthly_counted"),
            models.Index(fields=["project", "year", "month"], name="monthly_project"),
            models.Index(fields=["status", "counted"], name="monthly_status"),
            # Covers investment_status' per-project sums (the amounts read from the index alone, in
            # the order of monthly_one_counted: project, year, month).
            models.Index(
                fields=["project", "year", "month", "counted", "amount"],
                condition=models.Q(counted=True),
                name="monthly_counted_amounts",
            ),
        ]

    TRACKED_FIELDS = ["amount", "note", "status", "counted", "superseded", "late"]

    SOURCE_LABELS = {
        "web": "网页填报",
        "import": "批量导入",
        "api": "接口",
        "demo": "演示数据",
        "command": "命令",
    }

    @property
    def source_label(self) -> str:
        return self.SOURCE_LABELS.get(self.source, self.source)

    @property
    def period_label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def editable(self) -> bool:
        return self.status == ReportStatus.DRAFT

    def __str__(self):
        rev = f"（第{self.revision}版）" if self.revision > 1 else ""
        return f"{self.project.code} {self.period_label}完成投资{rev}"


class FundArrival(models.Model):
    """Funds arriving for a project (资金到位): a date, a source, an amount and the document number."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="fund_arrivals"
    )
    date = models.DateField("到位日期")
    source = models.ForeignKey(
        FundingSource, verbose_name="资金来源", on_delete=models.PROTECT, related_name="arrivals"
    )
    amount = models.DecimalField(
        "金额(万元)", **MONEY, validators=[MinValueValidator(Decimal("0.01"), "到位金额须大于0")]
    )
    doc_no = models.CharField("文号", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    source_channel = models.CharField("来源", max_length=20, default="web")

    TRACKED_FIELDS = ["date", "source", "amount", "doc_no"]

    class Meta:
        verbose_name = "资金到位"
        verbose_name_plural = "资金到位"
        ordering = ["project", "date", "id"]
        indexes = [models.Index(fields=["project", "date"], name="arrival_project_date")]

    def __str__(self):
        return f"{self.project.code} {self.date.isoformat()} {self.source.name}{self.amount}万元"

    def clean(self):
        if self.date and self.date.year < 2000:
            raise ValidationError({"date": "到位日期不能早于2000年"})
