"""Signal receivers that feed the security audit log: sign-in, failed sign-in, lockout (django-axes),
sign-out, and permission changes of accounts (role, staff/superuser/active flags, person and unit,
groups, permissions) by whatever path they are made — the admin, the shell, a migration.

The audit log is the one place where signals are the right tool: it must see every path, including
the admin's and Django's own, which call no service of ours. Connected in OrgsConfig.ready().
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from tiaodu.core.audit import display_value
from tiaodu.orgs.models import Person, Role, SecurityEventKind, Unit, User
from tiaodu.orgs.security.events import current_request, security_event_log
from tiaodu.orgs.security.passwords import remember_previous_password
from tiaodu.orgs.security.sessions import session_start

TRACKED = {
    "role": "角色",
    "is_active": "有效",
    "is_staff": "可登录管理后台",
    "is_superuser": "超级用户",
    "person_id": "人员",
}
TRACKED_NAMES = {"role", "is_active", "is_staff", "is_superuser", "person", "person_id"}


def on_logged_in(sender, request, user, **kwargs):
    session_start(request=request, user=user)
    security_event_log(kind=SecurityEventKind.LOGIN, user=user, request=request, target=f"用户 {user}")


def on_logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    if getattr(request, "_security_session_replaced", False):
        security_event_log(
            kind=SecurityEventKind.SESSION_ENDED,
            user=user,
            request=request,
            target=f"用户 {user}",
            detail="该账号在其他地方登录，本会话被终止（单一会话）",
        )
        return
    security_event_log(kind=SecurityEventKind.LOGOUT, user=user, request=request, target=f"用户 {user}")


def on_login_failed(sender, credentials, request=None, **kwargs):
    name = str((credentials or {}).get("username", ""))
    account = User.objects.filter(username=name).first() if name else None
    security_event_log(
        kind=SecurityEventKind.LOGIN_FAILED,
        user=account,
        username=name,
        request=request,
        target=f"用户 {name}",
        detail="用户名或密码错误" if account is not None else "用户名不存在",
    )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    name = str(username or "")
    security_event_log(
        kind=SecurityEventKind.LOCKOUT,
        user=User.objects.filter(username=name).first() if name else None,
        username=name,
        request=request,
        target=f"用户 {name}",
        detail="连续登录失败次数过多，该用户名在此地址被锁定",
    )


def _person_text(person_id) -> str:
    person = Person.objects.select_related("unit").filter(pk=person_id).first() if person_id else None
    return f"{person.name}（{person.unit.name}）" if person else "无"


def _value_text(field: str, value) -> str:
    if field == "role":
        return str(Role(value).label) if value in Role.values else str(value)
    if field == "person_id":
        return _person_text(value)
    return display_value(value)


def _log_permission_change(subject, detail: str) -> None:
    request = current_request()
    security_event_log(
        kind=SecurityEventKind.PERMISSION_CHANGE,
        request=request,
        target=f"用户 {subject.get_username()}",
        detail=detail,
    )


def on_user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance._state.adding or not instance.pk:
        return
    if update_fields is not None and not TRACKED_NAMES & set(update_fields):
        return
    instance._security_before = User.objects.filter(pk=instance.pk).values(*TRACKED).first()


def on_user_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    instance._security_created = created  # read by the password history right after this save
    if created:
        detail = "新建账号：" + "；".join(
            f"{label}：{_value_text(field, getattr(instance, field))}" for field, label in TRACKED.items()
        )
        _log_permission_change(instance, detail)
        return
    before = getattr(instance, "_security_before", None)
    instance._security_before = None
    if not before:
        return
    changes = [
        f"{label}：{_value_text(field, before[field])} → {_value_text(field, getattr(instance, field))}"
        for field, label in TRACKED.items()
        if before[field] != getattr(instance, field)
    ]
    if changes:
        _log_permission_change(instance, "；".join(changes))


def on_user_deleted(sender, instance, **kwargs):
    _log_permission_change(instance, "删除账号")


def on_person_pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or not instance.pk:
        return
    instance._security_unit_before = (
        Person.objects.filter(pk=instance.pk).values_list("unit_id", flat=True).first()
    )


def on_person_post_save(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_security_unit_before", None)
    instance._security_unit_before = None
    if raw or created or before is None or before == instance.unit_id:
        return
    old = Unit.objects.filter(pk=before).values_list("name", flat=True).first() or "无"
    for account in User.objects.filter(person=instance):
        _log_permission_change(account, f"所属单位：{old} → {instance.unit.name}（人员 {instance.name}）")


def _relation_changed(label: str, attribute: str):
    """A receiver for changes of User.groups or User.user_permissions, from either side."""

    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action not in {"post_add", "post_remove", "pre_clear"}:
            return
        verb = "加入" if action == "post_add" else "移出"
        if reverse:  # group.user_set.add(user): the instance is the group or permission
            accounts = User.objects.filter(pk__in=pk_set or ())
            if action == "pre_clear":
                accounts = instance.user_set.all()
            for account in accounts:
                _log_permission_change(account, f"{label}{verb}：{instance}")
            return
        if action == "pre_clear":
            names = [str(o) for o in getattr(instance, attribute).all()]
        else:
            names = [str(o) for o in model.objects.filter(pk__in=pk_set or ())]
        if names:
            _log_permission_change(instance, f"{label}{verb}：{'、'.join(sorted(names))}")

    return receiver


on_groups_changed = _relation_changed("用户组", "groups")
on_permissions_changed = _relation_changed("权限", "user_permissions")


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="security_login")
    user_logged_out.connect(on_logged_out, dispatch_uid="security_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="security_login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="security_locked_out")
    pre_save.connect(on_user_pre_save, sender=User, dispatch_uid="security_user_pre_save")
    pre_save.connect(remember_previous_password, sender=User, dispatch_uid="security_previous_password")
    post_save.connect(on_user_post_save, sender=User, dispatch_uid="security_user_post_save")
    post_delete.connect(on_user_deleted, sender=User, dispatch_uid="security_user_deleted")
    pre_save.connect(on_person_pre_save, sender=Person, dispatch_uid="security_person_pre_save")
    post_save.connect(on_person_post_save, sender=Person, dispatch_uid="security_person_post_save")
    m2m_changed.connect(on_groups_changed, sender=User.groups.through, dispatch_uid="security_groups")
    m2m_changed.connect(
        on_permissions_changed, sender=User.user_permissions.through, dispatch_uid="security_perms"
    )
