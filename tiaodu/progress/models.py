"""Weekly reporting: the cycle, who reports, reports and their revisions, figures, photos.

A report is never overwritten once submitted: a change creates a new revision (same `thread`, next
`revision`, `previous` pointing back). Exactly one revision of a thread counts at a time (`counted`):
the last submitted or verified one that was not returned; the denormalized `as_of`, `counted` and
`submitted_at` on each figure let the overview pick the figures with one indexed query.
"""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tiaodu.orgs.models import Unit
from tiaodu.progress.querysets import ReportQuerySet
from tiaodu.projects.models import MONEY, QUANTITY, Indicator, Project

WEEKDAYS = [(0, "周一"), (1, "周二"), (2, "周三"), (3, "周四"), (4, "周五"), (5, "周六"), (6, "周日")]


FLAG_FIELDS = [
    "jump_factor",
    "jump_min_pct",
    "stalled_reports",
    "photo_max_age_days",
    "photo_max_distance_m",
    "photo_hash_distance",
]


class ReportingCycle(models.Model):
    """The weekly reporting cycle and the lag thresholds: one row for the whole district (pk = 1)."""

    deadline_weekday = models.PositiveSmallIntegerField("报送截止日", choices=WEEKDAYS, default=3)
    deadline_time = models.TimeField("报送截止时间", default=datetime.time(17, 0))
    remind_enabled = models.BooleanField(
        "截止前提醒", default=True, help_text="到提醒时间仍未报送的填报单位收到站内通知（及邮件、群机器人）"
    )
    remind_weekday = models.PositiveSmallIntegerField("提醒日", choices=WEEKDAYS, default=2)
    remind_time = models.TimeField("提醒时间", default=datetime.time(17, 0))
    lagging_after = models.PositiveIntegerField(
        "滞后阈值（工作日）",
        default=5,
        validators=[MaxValueValidator(1000)],
        help_text="滞后天数超过此值为「滞后」",
    )
    severe_after = models.PositiveIntegerField(
        "严重滞后阈值（工作日）",
        default=15,
        validators=[MaxValueValidator(1000)],
        help_text="滞后天数超过此值为「严重滞后」",
    )
    # The anomaly flags (数据异常) raised on submit: tiaodu/progress/flagrules.py.
    jump_factor = models.DecimalField(
        "增量异常倍数",
        max_digits=5,
        decimal_places=2,
        default=Decimal(3),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(100))],
        help_text="较上次审核通过的增量超过同期计划增量的此倍数（且超过下项比例）为「增量异常」",
    )
    jump_min_pct = models.DecimalField(
        "增量异常最低占比（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text="增量还须超过目标值（属地分解目标）的此百分比",
    )
    stalled_reports = models.PositiveSmallIntegerField(
        "停滞判定周报份数",
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
        help_text="连续此份数周报（含本次）指标均未变化而计划增长的在建项目为「进度停滞」",
    )
    photo_max_age_days = models.PositiveSmallIntegerField(
        "照片时效（天）",
        default=14,
        validators=[MaxValueValidator(365)],
        help_text="照片拍摄时间早于截至日期此天数以上为「照片过旧」",
    )
    photo_max_distance_m = models.PositiveIntegerField(
        "照片距离（米）",
        default=1000,
        validators=[MinValueValidator(10), MaxValueValidator(100000)],
        help_text="照片拍摄地点距项目位置或空间范围超过此距离为「照片位置偏离」",
    )
    photo_hash_distance = models.PositiveSmallIntegerField(
        "照片相似度阈值",
        default=6,
        validators=[MaxValueValidator(6)],
        help_text="照片感知哈希相差不超过此位数（0–6）即视为与以往周报的照片相同",
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

    TRACKED_FIELDS = [
        "deadline_weekday",
        "deadline_time",
        "remind_enabled",
        "remind_weekday",
        "remind_time",
        "lagging_after",
        "severe_after",
        *FLAG_FIELDS,
    ]

    class Meta:
        verbose_name = "报送周期"
        verbose_name_plural = "报送周期"

    def __str__(self):
        return f"每周{self.get_deadline_weekday_display()[1:]}{self.deadline_time:%H:%M}前报送"

    def clean(self):
        if (
            self.severe_after is not None
            and self.lagging_after is not None
            and self.severe_after < self.lagging_after
        ):
            raise ValidationError({"severe_after": "严重滞后阈值不能小于滞后阈值"})
        if (
            self.remind_enabled
            and self.remind_weekday == self.deadline_weekday
            and self.remind_time is not None
            and self.deadline_time is not None
            and self.remind_time >= self.deadline_time
        ):
            raise ValidationError(
                {
                    "remind_time": f"提醒日与截止日同为{self.get_deadline_weekday_display()}时，提醒时间须早于截止时间"
                }
            )

    @property
    def deadline_label(self) -> str:
        return f"{self.get_deadline_weekday_display()} {self.deadline_time:%H:%M}"

    @property
    def remind_label(self) -> str:
        if not self.remind_enabled:
            return "不提醒"
        return f"{self.get_remind_weekday_display()} {self.remind_time:%H:%M}"

    def remind_before(self, deadline_day: datetime.date) -> datetime.date:
        """The reminder day of the cycle whose deadline is `deadline_day`: the last reminder weekday on or
        before it (the same day when both are the same weekday — clean() keeps the time earlier)."""
        return deadline_day - datetime.timedelta(days=(self.deadline_weekday - self.remind_weekday) % 7)

    def deadline_for(self, day: datetime.date) -> datetime.date:
        """The deadline day of the week a report as of `day` belongs to: the first deadline weekday on or after it."""
        return day + datetime.timedelta(days=(self.deadline_weekday - day.weekday()) % 7)


class ReportingUnit(models.Model):
    """A territorial unit that must report on a project besides its lead unit."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="reporting_units"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="填报单位", on_delete=models.PROTECT, related_name="reporting_for"
    )

    class Meta:
        verbose_name = "填报单位"
        verbose_name_plural = "填报单位"
        ordering = ["project", "unit__sort_order", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["project", "unit"], name="reporting_unit_unique")]

    def __str__(self):
        return f"{self.project.code}·{self.unit.name}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    VERIFIED = "verified", "已审核"
    RETURNED = "returned", "退回"


class Report(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="reports"
    )
    as_of = models.DateField("截至日期")
    reporting_unit = models.ForeignKey(
        Unit, verbose_name="填报单位", on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField("状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    investment_done = models.DecimalField(
        "累计完成投资(万元)", **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal(0))]
    )
    image_progress = models.TextField("形象进度", blank=True)
    problems = models.TextField("存在问题", blank=True)
    return_reason = models.TextField("退回原因", blank=True)

    thread = models.UUIDField("周报标识", default=uuid.uuid4, editable=False, db_index=True)
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
    counted = models.BooleanField("计入进度", default=False)
    late = models.BooleanField("逾期报送", default=False)
    source = models.CharField("来源", max_length=20, default="web")

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
    verify_note = models.TextField("审核意见", blank=True)
    # The anomaly flags computed on submit (数据异常): [{"code", "message"}]; never block submission.
    flags = models.JSONField("数据异常", default=list, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "周报"
        verbose_name_plural = "周报"
        ordering = ["-as_of", "-id"]
        constraints = [models.UniqueConstraint(fields=["thread", "revision"], name="report_unique_revision")]
        indexes = [
            models.Index(fields=["project", "counted", "as_of"], name="report_project_counted"),
            models.Index(fields=["counted", "as_of", "project"], name="report_counted_as_of"),
            models.Index(fields=["status", "counted"], name="report_status"),
            models.Index(fields=["reporting_unit", "as_of"], name="report_unit"),
            # the dashboard's count of flagged reports (selectors.flagged_reports) reads only these
            models.Index(
                fields=["status"],
                name="report_flagged",
                condition=models.Q(counted=True) & ~models.Q(flags=[]),
            ),
        ]

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

    def __str__(self):
        rev = f"（第{self.revision}版）" if self.revision > 1 else ""
        return f"{self.project.code} 截至{self.as_of.isoformat()}周报{rev}"

    @property
    def editable(self) -> bool:
        return self.status == ReportStatus.DRAFT


class ReportFigure(models.Model):
    report = models.ForeignKey(Report, verbose_name="周报", on_delete=models.CASCADE, related_name="figures")
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="report_figures"
    )
    quantity = models.DecimalField("累计完成量", **QUANTITY, validators=[MinValueValidator(Decimal(0))])
    decrease_reason = models.TextField("减少原因", blank=True)
    decreased = models.BooleanField("低于上次审核数", default=False)
    above_target = models.BooleanField("超过目标值", default=False)
    # Copies of the report's fields, kept in step by the services, for the overview's one query.
    as_of = models.DateField("截至日期")
    counted = models.BooleanField("计入进度", default=False)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "周报指标数"
        verbose_name_plural = "周报指标数"
        ordering = ["report", "indicator__sort_order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="figure_unique_indicator")
        ]
        indexes = [
            models.Index(
                fields=["indicator", "counted", "as_of", "submitted_at", "id"], name="figure_latest"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.name}：{self.quantity}"


def photo_path(instance, filename):
    # A random name; the extension follows the re-encoded format, never the upload's name.
    ext = "png" if instance.content_type == "image/png" else "jpg"
    return f"reports/{uuid.uuid4().hex}.{ext}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(Report, verbose_name="周报", on_delete=models.CASCADE, related_name="photos")
    image = models.FileField("照片", upload_to=photo_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    content_type = models.CharField("类型", max_length=30)
    size = models.PositiveIntegerField("大小(字节)", default=0)
    width = models.PositiveIntegerField("宽", default=0)
    height = models.PositiveIntegerField("高", default=0)
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=10, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    # The 64-bit perceptual hash (dHash, tiaodu/progress/photohash.py) as a signed integer, and its four
    # 16-bit bands, each indexed: two hashes within Hamming distance 7 differ in at most one bit in at least
    # one band, so the search for a reused photo (数据异常「照片重复」) looks up each band's value and its 16
    # one-bit neighbours and reads only the photos found, never all photos.
    phash = models.BigIntegerField("感知哈希", null=True, blank=True)
    band0 = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    band1 = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    band2 = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    band3 = models.PositiveIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"
        ordering = ["report", "id"]

    HASH_FIELDS = ["phash", "band0", "band1", "band2", "band3"]

    def __str__(self):
        return self.original_name or self.image.name


class ProgressSnapshot(models.Model):
    """The computed overview of all projects for one as-of date (tiaodu.progress.overview.snapshot).

    Written only by the writes that change a figure and by the refresh job, never by a read. `stamp`
    fingerprints what every project depends on (the calendar, the cycle settings, the code's version);
    `marks` say how far the reports, the projects and the change log had got when the rows were computed,
    so that the projects changed since are recomputed (and nothing else). Several web processes share it
    through the database.
    """

    as_of = models.DateField("截至日期", unique=True)
    stamp = models.CharField("数据指纹", max_length=200)
    marks = models.JSONField("数据进度", default=dict)
    stale = models.JSONField("指标待重算的项目", default=list)
    computed_at = models.DateTimeField("计算时间", auto_now=True)
    rows = models.JSONField("项目", default=list)
    details = models.JSONField("指标", default=dict)

    class Meta:
        verbose_name = "进度快照"
        verbose_name_plural = "进度快照"
        ordering = ["-computed_at"]

    def __str__(self):
        return f"进度快照 {self.as_of.isoformat()}"
