"""Problems and their escalation ladder, dispatch meetings and decisions, supervision items and their
warnings, accountability records, and notifications (inbox, e-mail, group-robot webhooks)."""

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

    TRACKED_FIELDS = ["content", "item"]

    class Meta:
        verbose_name = "会议决定"
        verbose_name_plural = "会议决定"
        ordering = ["meeting", "sort_order", "id"]

    def __str__(self):
        return self.content[:60]


# --- supervision items ----------------------------------------------------------------------------


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

    TRACKED_FIELDS = [
        "title",
        "content",
        "source",
        "meeting",
        "project",
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


class Measure(models.TextChoices):
    INTERVIEW = "interview", "约谈"
    CRITICISM = "criticism", "通报批评"
    ADMONITION = "admonition", "诫勉谈话"
    OTHER = "other", "其他"


class AccountabilityRecord(models.Model):
    measure = models.CharField("问责方式", max_length=20, choices=Measure.choices)
    measure_other = models.CharField("其他方式说明", max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name="问责单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accountability_records",
    )
    person = models.ForeignKey(
        Person,
        verbose_name="问责人员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accountability_records",
    )
    reason = models.TextField("问责事由")
    items = models.ManyToManyField(
        SupervisionItem, verbose_name="相关督办事项", blank=True, related_name="accountability"
    )
    problems = models.ManyToManyField(
        Problem, verbose_name="相关难题", blank=True, related_name="accountability"
    )
    decision_date = models.DateField("决定日期")
    decided_by = models.CharField("决定机关（人）", max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    TRACKED_FIELDS = [
        "measure",
        "measure_other",
        "unit",
        "person",
        "reason",
        "items",
        "problems",
        "decision_date",
        "decided_by",
    ]

    class Meta:
        verbose_name = "问责记录"
        verbose_name_plural = "问责记录"
        ordering = ["-decision_date", "-id"]

    def __str__(self):
        return f"{self.measure_label}：{self.target_label}"

    @property
    def measure_label(self) -> str:
        if self.measure == Measure.OTHER and self.measure_other:
            return self.measure_other
        return self.get_measure_display()

    @property
    def target_label(self) -> str:
        if self.person_id:
            return f"{self.person.name}（{self.person.unit.name}）"
        return self.unit.name if self.unit_id else ""

    def clean(self):
        errors = {}
        if not self.unit_id and not self.person_id:
            errors["unit"] = "请填写问责单位或问责人员"
        if self.person_id and self.unit_id and self.person.unit_id != self.unit_id:
            errors["person"] = f"{self.person.name}不属于{self.unit.name}"
        if self.measure == Measure.OTHER and not self.measure_other.strip():
            errors["measure_other"] = "问责方式为“其他”时须说明具体方式"
        if errors:
            raise ValidationError(errors)


# --- notifications --------------------------------------------------------------------------------


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
