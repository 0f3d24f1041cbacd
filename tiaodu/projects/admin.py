from django.contrib import admin

from tiaodu.core.admin_mixins import AuditedAdmin
from tiaodu.core.permissions import AdminRights
from tiaodu.projects.models import Category, Indicator, LetterItem, Project, ResponsibilityLetter
from tiaodu.projects.permissions import letter_can_edit, project_can_create, project_can_edit


def _indicator_can_edit(*, user, obj=None) -> bool:
    return project_can_edit(user=user, obj=obj.project if obj is not None else None)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "active"]
    list_editable = ["sort_order", "active"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Project)
class ProjectAdmin(AdminRights, AuditedAdmin):
    can_add = project_can_create
    can_change = project_can_edit
    list_display = ["code", "name", "type", "category", "lead_unit", "status", "deadline"]
    list_filter = ["type", "category", "status"]
    search_fields = ["code", "name"]
    autocomplete_fields = [
        "lead_unit",
        "territorial_units",
        "supporting_units",
        "supervising_leader",
        "responsible_person",
    ]


@admin.register(Indicator)
class IndicatorAdmin(AdminRights, AuditedAdmin):
    can_add = project_can_edit
    can_change = _indicator_can_edit
    list_display = ["project", "name", "unit_of_measure", "target"]
    search_fields = ["project__code", "project__name", "name"]
    autocomplete_fields = ["project"]

    def _parent(self, obj):
        return obj.project


class LetterItemInline(admin.TabularInline):
    model = LetterItem
    extra = 0
    autocomplete_fields = ["project", "indicator"]


@admin.register(ResponsibilityLetter)
class LetterAdmin(AdminRights, AuditedAdmin):
    can_add = letter_can_edit
    can_change = letter_can_edit
    list_display = ["__str__", "unit", "year", "status", "signing_date"]
    list_filter = ["year", "status"]
    search_fields = ["unit__name", "title"]
    autocomplete_fields = ["unit"]
