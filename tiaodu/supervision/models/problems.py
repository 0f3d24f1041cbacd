"""Problems and their escalation ladder (Level, ProblemType), the district's supervision settings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from tiaodu.orgs.models import Unit
from tiaodu.projects.models import Project
from tiaodu.supervision.querysets import ProblemQuerySet


class Level(models.IntegerChoices):
    """The escalation ladder (困难不上交，但也不隐瞒)."""

    UNIT = 1, "责任单位"
    HQ = 2, "牵头指挥部"
    LEADER = 3, "分管区领导"
    PRINCIPAL = 4, "区主要领导"
    CITY = 5, "市级"


TOP_LEVEL = Level.CITY


class ProblemType(models.TextChoices):
    FUNDING = "funding", "资金"
    LAND = "land", "用地"
    DEMOLITION = "demolition", "拆迁"
    APPROVAL = "approval", "审批"
    PLANNING = "planning", "规划"
    OTHER = "other", "其他"


_LIMIT = {"default": 5, "validators": [MinValueValidator(1), MaxValueValidator(250)]}


class SupervisionConfig(models.Model):
    """The time limits (one row, pk=1), editable by the office, administrators and the supervision office."""

    limit_unit = models.PositiveSmallIntegerField("责任单位办理时限（工作日）", **_LIMIT)
    limit_hq = models.PositiveSmallIntegerField("牵头指挥部办理时限（工作日）", **_LIMIT)
    limit_leader = models.PositiveSmallIntegerField("分管区领导协调时限（工作日）", **_LIMIT)
    limit_principal = models.PositiveSmallIntegerField("区主要领导协调时限（工作日）", **_LIMIT)
    red_after_days = models.PositiveSmallIntegerField(
        "红牌：超过期限的工作日数",
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(250)],
        help_text="截止日期之后经过的工作日超过此数即亮红牌",
    )
    reminder_days = models.PositiveSmallIntegerField(
        "提醒：截止日期前的工作日数",
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
        help_text="自截止日期前第几个工作日起提醒",
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
        "limit_unit",
        "limit_hq",
        "limit_leader",
        "limit_principal",
        "red_after_days",
        "reminder_days",
    ]

    class Meta:
        verbose_name = "督办时限设置"
        verbose_name_plural = "督办时限设置"

    def __str__(self):
        return "督办时限设置"

    @classmethod
    def current(cls) -> "SupervisionConfig":
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def limits(self) -> dict[int, int]:
        """Working-day limit per ladder level (the top level, 市级, has none)."""
        return {
            Level.UNIT: self.limit_unit,
            Level.HQ: self.limit_hq,
            Level.LEADER: self.limit_leader,
            Level.PRINCIPAL: self.limit_principal,
        }


# --- problems -------------------------------------------------------------------------------------


class Problem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待解决"
        RESOLVED = "resolved", "已解决"

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="problems"
    )
    type = models.CharField("难题类型", max_length=20, choices=ProblemType.choices)
    title = models.CharField("难题摘要", max_length=200)
    description = models.TextField("难题描述")
    owner_unit = models.ForeignKey(
        Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="problems"
    )
    level = models.PositiveSmallIntegerField("当前层级", choices=Level.choices, default=Level.UNIT)
    level_entered_on = models.DateField("进入当前层级日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField("解决情况", blank=True)
    resolved_on = models.DateField("解决日期", null=True, blank=True)
    source_report_id = models.BigIntegerField("来源周报", null=True, blank=True, unique=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提出人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("提出时间", default=timezone.now)

    objects = ProblemQuerySet.as_manager()

    TRACKED_FIELDS = [
        "project",
        "type",
        "title",
        "description",
        "owner_unit",
        "level",
        "level_entered_on",
        "status",
        "resolution",
        "resolved_on",
    ]

    class Meta:
        verbose_name = "难题"
        verbose_name_plural = "难题"
        ordering = ["-level", "level_entered_on", "id"]
        indexes = [models.Index(fields=["status", "level", "level_entered_on"])]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def next_level(self) -> int | None:
        return self.level + 1 if self.level < TOP_LEVEL else None

    @property
    def next_level_label(self) -> str:
        return Level(self.next_level).label if self.next_level else ""


class ProblemEvent(models.Model):
    """One step of a problem's timeline."""

    class Kind(models.TextChoices):
        RAISED = "raised", "提出"
        ITEM_ASSIGNED = "item_assigned", "立为督办事项"
        FEEDBACK = "feedback", "办理情况"
        ESCALATED = "escalated", "提请上级协调"
        AUTO_ESCALATED = "auto_escalated", "超时自动上升"
        RESOLVED = "resolved", "已解决"

    problem = models.ForeignKey(Problem, verbose_name="难题", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    from_level = models.PositiveSmallIntegerField("原层级", choices=Level.choices, null=True, blank=True)
    to_level = models.PositiveSmallIntegerField("新层级", choices=Level.choices, null=True, blank=True)
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
        verbose_name = "难题办理记录"
        verbose_name_plural = "难题办理记录"
        ordering = ["on", "at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on}"


# --- meetings -------------------------------------------------------------------------------------
