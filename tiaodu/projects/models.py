import re
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tiaodu.core import domain
from tiaodu.orgs.models import Person, Unit
from tiaodu.projects.querysets import (
    IndicatorQuerySet,
    LetterItemQuerySet,
    LetterQuerySet,
    ProjectChangeQuerySet,
    ProjectQuerySet,
)


def _text_choices(name: str, table: tuple[tuple[str, str], ...]) -> type[models.TextChoices]:
    """TextChoices built from a table of tiaodu.core.domain: member NAME = value upper-cased."""
    return models.TextChoices(
        name, [(value.upper(), (value, label)) for value, label in table], module=__name__, qualname=name
    )


# Types and statuses are defined once, in tiaodu.core.domain (values, labels, order).
ProjectType = _text_choices("ProjectType", domain.PROJECT_TYPES)
ProjectStatus = _text_choices("ProjectStatus", domain.PROJECT_STATUSES)
STATUS_TRANSITIONS = domain.STATUS_TRANSITIONS
status_reachable = domain.status_reachable


class Category(models.Model):
    """The managed list of project categories (道路, 河道, …)."""

    name = models.CharField("类别名称", max_length=50, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "项目类别"
        verbose_name_plural = "项目类别"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


MONEY = {"max_digits": 14, "decimal_places": 2}
QUANTITY = {"max_digits": 18, "decimal_places": 3}


PROJECT_CODE_RESERVED = {"new"}


# Every character the checks below refuse (re's \s is str.isspace(): tests/core/test_fast_paths.py
# checks every code point): a code without any of them and not reserved needs no further look.
_CODE_REFUSED = re.compile(r"[/?#\\%\s]")


def project_code_problem(code: str) -> str | None:
    """Why a project code cannot be used in addresses (/projects/<code>/), or None."""
    if _CODE_REFUSED.search(code) is None and code.lower() not in PROJECT_CODE_RESERVED:
        return None  # the common case, once per row of a 20,000-project ledger
    if any(ch in code for ch in "/?#\\%") or any(ch.isspace() for ch in code):
        return "项目编号不能包含空格或 / ? # \\ % 等字符"
    if code.lower() in PROJECT_CODE_RESERVED:
        return f"项目编号不能为「{code}」（系统保留）"
    return None


def validate_project_code(code: str) -> None:
    problem = project_code_problem(code)
    if problem:
        raise ValidationError(problem)


class Project(models.Model):
    code = models.CharField("项目编号", max_length=50, unique=True, validators=[validate_project_code])
    name = models.CharField("项目名称", max_length=200, db_index=True)
    type = models.CharField("项目类型", max_length=20, choices=ProjectType.choices, db_index=True)
    category = models.ForeignKey(
        Category, verbose_name="项目类别", on_delete=models.PROTECT, related_name="projects"
    )
    description = models.TextField("建设内容", blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="led_projects"
    )
    territorial_units = models.ManyToManyField(
        Unit, verbose_name="属地单位", related_name="territorial_projects", blank=True
    )
    supporting_units = models.ManyToManyField(
        Unit, verbose_name="配合单位", related_name="supported_projects", blank=True
    )
    supervising_leader = models.ForeignKey(
        Person, verbose_name="分管领导", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_person = models.ForeignKey(
        Person, verbose_name="责任人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    planned_start = models.DateField("计划开工", null=True, blank=True)
    planned_finish = models.DateField("计划完工", null=True, blank=True)
    deadline = models.DateField("完成时限", null=True, blank=True)
    total_investment = models.DecimalField(
        "总投资(万元)", **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal(0))]
    )
    status = models.CharField(
        "状态", max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.NOT_STARTED, db_index=True
    )
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
    geometry = models.JSONField("空间范围(GeoJSON)", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProjectQuerySet.as_manager()

    TRACKED_FIELDS = [
        "code",
        "name",
        "type",
        "category",
        "description",
        "lead_unit",
        "territorial_units",
        "supporting_units",
        "supervising_leader",
        "responsible_person",
        "planned_start",
        "planned_finish",
        "deadline",
        "total_investment",
        "status",
        "longitude",
        "latitude",
        "geometry",
    ]

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["code"]
        indexes = [models.Index(fields=["type", "status", "code"])]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        errors = {}
        if self.planned_start and self.planned_finish and self.planned_finish < self.planned_start:
            errors["planned_finish"] = "计划完工不能早于计划开工"
        if (self.longitude is None) != (self.latitude is None):
            errors["latitude"] = "经度和纬度须同时填写"
        if self.geometry not in (None, ""):
            problem = geojson_problem(self.geometry)
            if problem:
                errors["geometry"] = problem
        if errors:
            raise ValidationError(errors)


_GEOJSON_TYPES = {"Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon"}


def geojson_problem(value) -> str | None:
    """None when value is a GeoJSON geometry (or Feature) we accept, else the reason in Chinese."""
    if not isinstance(value, dict):
        return "空间范围须为GeoJSON对象"
    geometry = value.get("geometry") if value.get("type") == "Feature" else value
    if not isinstance(geometry, dict) or geometry.get("type") not in _GEOJSON_TYPES:
        return "空间范围须为GeoJSON的点、线或面"
    if not isinstance(geometry.get("coordinates"), list) or not geometry["coordinates"]:
        return "空间范围缺少坐标"
    return None


class Indicator(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField("指标名称", max_length=100)
    unit_of_measure = models.CharField("计量单位", max_length=20)
    target = models.DecimalField("目标值", **QUANTITY, validators=[MinValueValidator(Decimal("0.001"))])
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = IndicatorQuerySet.as_manager()

    TRACKED_FIELDS = ["name", "unit_of_measure", "target"]

    class Meta:
        verbose_name = "目标指标"
        verbose_name_plural = "目标指标"
        ordering = ["project", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="indicator_unique_name")]

    def __str__(self):
        return f"{self.name}（{self.unit_of_measure}）"


class IndicatorShare(models.Model):
    """A territorial unit's own share of an indicator (条块分工): its part of the target, which it reports.

    When an indicator has shares they sum to its target; the indicator's actual is the sum of each share's
    latest accepted figure. Part of the project's approved baseline (only the office changes them).
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="shares"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="属地单位", on_delete=models.PROTECT, related_name="indicator_shares"
    )
    target = models.DecimalField("分解目标", **QUANTITY, validators=[MinValueValidator(Decimal("0.001"))])

    TRACKED_FIELDS = ["unit", "target"]

    class Meta:
        verbose_name = "属地分解"
        verbose_name_plural = "属地分解"
        ordering = ["indicator", "unit__sort_order", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["indicator", "unit"], name="indicator_share_unique")]

    def __str__(self):
        return f"{self.indicator.name}·{self.unit.name}"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


# The project's approved baseline (计划基线): only the office and administrators change it directly.
BASELINE_FIELDS: dict[str, str] = {
    "planned_start": "计划开工",
    "planned_finish": "计划完工",
    "deadline": "完成时限",
}


class ProjectChange(models.Model):
    """A change of a project's approved baseline (计划变更): its dates and indicator targets.

    Requested by a unit with a reason and approved or rejected by the office; a direct change by the office
    or an administrator is recorded as an approved change too (`direct`). Only the values that change are
    proposed: `targets` is [{"indicator": id, "name", "unit", "target": "decimal"}]. `old_values` holds
    the values replaced, captured when the change was approved ({"planned_start": "YYYY-MM-DD" | None, …,
    "targets": {"<indicator id>": "decimal"}}).
    """

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="changes"
    )
    status = models.CharField(
        "状态", max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING, db_index=True
    )
    direct = models.BooleanField("办公室直接调整", default=False)
    reason = models.TextField("变更理由", max_length=2000)
    planned_start = models.DateField("计划开工", null=True, blank=True)
    planned_finish = models.DateField("计划完工", null=True, blank=True)
    deadline = models.DateField("完成时限", null=True, blank=True)
    targets = models.JSONField("指标目标值", default=list, blank=True)
    old_values = models.JSONField("原值", default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requesting_unit = models.ForeignKey(
        Unit, verbose_name="申请单位", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True, db_index=True)
    decision_note = models.TextField("审批意见", max_length=2000, blank=True)

    objects = ProjectChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "计划变更"
        verbose_name_plural = "计划变更"
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.project.code} 计划变更（{self.get_status_display()}）"

    def proposed_dates(self) -> dict:
        """{field: new date} of the dates this change sets."""
        return {key: getattr(self, key) for key in BASELINE_FIELDS if getattr(self, key) is not None}

    def proposed_targets(self) -> dict[int, Decimal]:
        return {int(t["indicator"]): Decimal(str(t["target"])) for t in self.targets or ()}


class ProjectStatusChange(models.Model):
    """The status history (状态历史): a project's status from `date` on. Written by the project services and
    the ledger import whenever a status is set (a new project's first status included), so that a figure
    can ask for the status at the end of a month (tiaodu/investment/figures.py `status_on`)."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField("状态", max_length=20, choices=ProjectStatus.choices)
    date = models.DateField("日期")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField("来源", max_length=20, default="web")

    class Meta:
        verbose_name = "状态历史"
        verbose_name_plural = "状态历史"
        ordering = ["project", "date", "id"]
        indexes = [models.Index(fields=["project", "date"], name="status_change_project_date")]

    def __str__(self):
        return f"{self.project.code} {self.date.isoformat()} {self.get_status_display()}"


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    SIGNED = "signed", "已签订"


def letter_scan_path(instance, filename):
    # Stored under a random name; the original name is kept on the record.
    return f"letters/{uuid.uuid4().hex}"


class ResponsibilityLetter(models.Model):
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="letters")
    year = models.PositiveIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField("标题", max_length=200, blank=True)
    signing_date = models.DateField("签订日期", null=True, blank=True)
    signatories = models.CharField("签订人", max_length=200, blank=True, help_text="多人以、分隔")
    status = models.CharField("状态", max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT)
    scan = models.FileField("扫描件", upload_to=letter_scan_path, blank=True)
    scan_name = models.CharField("扫描件文件名", max_length=200, blank=True)
    scan_type = models.CharField("扫描件类型", max_length=50, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = LetterQuerySet.as_manager()

    TRACKED_FIELDS = ["unit", "year", "title", "signing_date", "signatories", "status", "scan_name"]

    class Meta:
        verbose_name = "目标责任书"
        verbose_name_plural = "目标责任书"
        ordering = ["-year", "unit__sort_order", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="letter_unique_unit_year")]

    def __str__(self):
        return self.title or f"{self.year}年度{self.unit.name}目标责任书"

    def clean(self):
        if self.status == LetterStatus.SIGNED and not self.signing_date:
            raise ValidationError({"signing_date": "已签订的责任书须填写签订日期"})


class LetterItem(models.Model):
    letter = models.ForeignKey(
        ResponsibilityLetter, verbose_name="责任书", on_delete=models.CASCADE, related_name="items"
    )
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="letter_items"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="指标",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letter_items",
    )
    target = models.DecimalField("目标值", **QUANTITY, validators=[MinValueValidator(Decimal("0.001"))])
    deadline = models.DateField("完成时限")
    note = models.CharField("备注", max_length=200, blank=True)

    objects = LetterItemQuerySet.as_manager()

    TRACKED_FIELDS = ["project", "indicator", "target", "deadline", "note"]

    class Meta:
        verbose_name = "目标事项"
        verbose_name_plural = "目标事项"
        ordering = ["letter", "project__code", "id"]

    def __str__(self):
        ind = f"·{self.indicator.name}" if self.indicator_id else ""
        return f"{self.project.name}{ind}"

    def clean(self):
        if self.indicator_id and self.project_id and self.indicator.project_id != self.project_id:
            raise ValidationError({"indicator": "指标不属于所选项目"})


class LedgerImport(models.Model):
    """An uploaded ledger waiting for (or past) the user's confirmation."""

    class State(models.TextChoices):
        PENDING = "pending", "待确认"
        DONE = "done", "已导入"
        FAILED = "failed", "有错误"

    file = models.FileField(upload_to="imports/")
    original_name = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "台账导入"
        verbose_name_plural = "台账导入"
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name
