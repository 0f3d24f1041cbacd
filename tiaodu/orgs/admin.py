from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tiaodu.core.admin_mixins import AuditedAdmin
from tiaodu.core.permissions import AdminRights
from tiaodu.orgs.models import Person, SecurityEvent, Unit, User
from tiaodu.orgs.permissions import (
    account_permissions_can_change,
    person_can_edit,
    security_audit_can_view,
    unit_can_edit,
)
from tiaodu.orgs.security.roles import PERMISSION_FIELDS


@admin.register(Unit)
class UnitAdmin(AdminRights, AuditedAdmin):
    can_add = unit_can_edit
    can_change = unit_can_edit
    list_display = ["name", "type", "parent", "sort_order"]
    list_filter = ["type"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(AdminRights, AuditedAdmin):
    can_add = person_can_edit
    can_change = person_can_edit
    list_display = ["name", "post", "phone", "unit"]
    list_filter = ["unit__type"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]

    def _parent(self, obj):
        return obj.unit


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "person", "role", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "groups"]
    autocomplete_fields = ["person"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("调度平台", {"fields": ("role", "person")}),
        ("密码", {"fields": ("password_changed_at",)}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("调度平台", {"fields": ("role", "person")}),)
    readonly_fields = ["password_changed_at"]

    def get_readonly_fields(self, request, obj=None):
        """三员分立: under SEPARATION_OF_DUTIES only security officers change what an account may do."""
        fields = list(super().get_readonly_fields(request, obj))
        if not account_permissions_can_change(user=request.user):
            fields += [f for f in PERMISSION_FIELDS if f not in fields]
        return fields


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read only for those who may read the audit log; nobody adds, changes or deletes an event."""

    list_display = ["at", "kind", "username", "ip_address", "target", "detail"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "target", "detail", "ip_address"]
    date_hierarchy = "at"
    actions = None
    readonly_fields = [f.name for f in SecurityEvent._meta.fields]

    def has_module_permission(self, request):
        return security_audit_can_view(user=request.user)

    def has_view_permission(self, request, obj=None):
        return security_audit_can_view(user=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
