from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from tiaodu.core.querysets import RestrictedManager


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

    objects = RestrictedManager()

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

    objects = RestrictedManager()

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
    # Stamped whenever the password is set (tiaodu.orgs.security.passwords); new rows get "now".
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now, editable=False)
    # Set when someone else (an administrator) sets the password: the user changes it at the next sign-in.
    password_must_change = models.BooleanField("下次登录须修改密码", default=False, editable=False)
    # SINGLE_SESSION: the token of the one session that may be used (tiaodu.orgs.security.sessions).
    session_token = models.CharField("当前会话标识", max_length=64, blank=True, editable=False)

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


# --- 等保 security controls: the security audit log and the password history -------------------------


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKOUT = "lockout", "账号锁定"
    LOGOUT = "logout", "退出登录"
    SESSION_ENDED = "session_ended", "会话被终止"
    PASSWORD_CHANGE = "password_change", "修改密码"
    PERMISSION_CHANGE = "permission_change", "权限变更"
    EXPORT = "export", "导出"
    DOWNLOAD = "download", "下载"
    SHARE_OPEN = "share_open", "打开分享链接"
    IMPORT = "import", "导入"


class SecurityEventImmutable(Exception):
    """A security event was about to be changed or deleted outside the retention pruning."""


class SecurityEventQuerySet(models.QuerySet):
    """Rows are only ever added; `update()` and `delete()` refuse (pruning uses `prune_before`)."""

    def update(self, **kwargs):
        raise SecurityEventImmutable("安全审计日志不可修改")

    def delete(self):
        raise SecurityEventImmutable("安全审计日志不可删除（超过保存期限的记录由系统每日清理）")

    def prune_before(self, cutoff) -> int:
        """Delete the events older than `cutoff` (the retention job, and nothing else, calls this)."""
        return models.QuerySet.delete(self.filter(at__lt=cutoff))[0]


class SecurityEvent(models.Model):
    """One entry of the security audit log (安全审计日志): written once, never changed.

    `user` is who acted (None for an anonymous visitor or the system); `username` keeps the name even
    after the account is deleted (the key is not a database constraint, so deleting a user changes no
    row here). `target` is what the action was about (an account, a file, a share link).
    """

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    kind = models.CharField("类型", max_length=32, choices=SecurityEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    target = models.CharField("对象", max_length=300, blank=True)
    detail = models.TextField("详情", blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = "安全审计日志"
        verbose_name_plural = "安全审计日志"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["kind", "at"], name="securityevent_kind_at"),
            models.Index(fields=["username", "at"], name="securityevent_username_at"),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SecurityEventImmutable("安全审计日志不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SecurityEventImmutable("安全审计日志不可删除")


class PasswordHistory(models.Model):
    """The hash of a password a user has had, so that the last PASSWORD_HISTORY are not reused."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField("密码（哈希）", max_length=128)
    changed_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.user_id} {self.changed_at:%Y-%m-%d}"
