"""Accountability records (问责)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from tiaodu.orgs.models import Person, Unit
from tiaodu.supervision.models.items import SupervisionItem
from tiaodu.supervision.models.problems import Problem
from tiaodu.supervision.querysets import AccountabilityQuerySet


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

    objects = AccountabilityQuerySet.as_manager()

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
