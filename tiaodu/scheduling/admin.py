"""Read-only views of scheduling data: edits go through the pages (services keep the change log)."""

from django.contrib import admin

from tiaodu.scheduling.models import Baseline, CalendarDay, CalendarYear, Dependency, PeriodPlanOverride, Task


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0
    fields = ["date", "kind", "name"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "source", "notice", "entered_at", "entered_by"]
    inlines = [CalendarDayInline]


class DependencyInline(admin.TabularInline):
    model = Dependency
    fk_name = "successor"
    extra = 0
    fields = ["predecessor", "type", "lag"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["project", "code", "name", "duration", "indicator", "quantity"]
    list_select_related = ["project", "indicator"]
    search_fields = ["project__code", "code", "name"]
    inlines = [DependencyInline]


@admin.register(Baseline)
class BaselineAdmin(ReadOnlyAdmin):
    list_display = ["project", "number", "approved_at", "approved_by", "note"]
    search_fields = ["project__code"]


@admin.register(PeriodPlanOverride)
class PeriodPlanOverrideAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "period", "value", "note", "updated_at", "updated_by"]
