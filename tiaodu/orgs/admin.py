from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tiaodu.core.admin_mixins import AuditedAdmin
from tiaodu.orgs.models import Person, Unit, User


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "type", "parent", "sort_order"]
    list_filter = ["type"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
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
