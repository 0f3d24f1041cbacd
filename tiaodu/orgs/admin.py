from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tiaodu.core.admin_mixins import AuditedAdmin
from tiaodu.core.permissions import AdminRights
from tiaodu.orgs.models import Person, Unit, User
from tiaodu.orgs.permissions import person_can_edit, unit_can_edit


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
    list_filter = ["role", "is_active", "is_staff"]
    autocomplete_fields = ["person"]
    fieldsets = BaseUserAdmin.fieldsets + (("调度平台", {"fields": ("role", "person")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("调度平台", {"fields": ("role", "person")}),)
