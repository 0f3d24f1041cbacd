from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


class UnitType(models.TextChoices):
    GOVERNMENT = "government", "区委区政府"
    OFFICE = "office", "领导小组办公室"
    HEADQUARTERS = "hq", "指挥部"
    STREET = "street", "街道办事处"
    DEPARTMENT = "department", "区直部门"
    SUPERVISION = "supervision", "督查室"


class Unit(models.Model):
    name = models.CharField("单位名称", max_length=100, unique=True)
    type = models.CharField("单位类型", max_length=20, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    TRACKED_FIELDS = ["name", "type", "parent"]

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "type", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        # A unit cannot sit under itself or under one of its own descendants.
        seen = set()
        node = self.parent
        while node is not None:
            if node.pk == self.pk and self.pk is not None or node.pk in seen:
                raise ValidationError({"parent": "上级单位不能形成循环"})
            seen.add(node.pk)
            node = node.parent


class Person(models.Model):
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=100, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="people")

    TRACKED_FIELDS = ["name", "post", "phone", "unit"]

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["unit__sort_order", "unit__name", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="person_unique_name_in_unit")]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return f"{self.name}（{self.unit.name}{'，' + self.post if self.post else ''}）"


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    LEADER = "leader", "领导"
    SUPERVISOR = "supervisor", "督查"
    UNIT = "unit", "单位用户"


class User(AbstractUser):
    """A login. Its person gives its unit; its role gives what it may see and do."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.UNIT)
    person = models.OneToOneField(
        Person, verbose_name="人员", on_delete=models.SET_NULL, null=True, blank=True, related_name="user"
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    @property
    def unit(self) -> Unit | None:
        return self.person.unit if self.person_id else None

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else (self.get_full_name() or self.username)

    @property
    def is_office(self) -> bool:
        """Users of the leading group's office run the platform (register projects, import the ledger)."""
        unit = self.unit
        return self.role == Role.UNIT and unit is not None and unit.type == UnitType.OFFICE

    @property
    def sees_all(self) -> bool:
        return self.is_superuser or self.role in (Role.ADMIN, Role.LEADER, Role.SUPERVISOR) or self.is_office

    @property
    def manages_all(self) -> bool:
        """May create and edit every project, letter, unit and person, and import the ledger."""
        return self.is_superuser or self.role == Role.ADMIN or self.is_office
