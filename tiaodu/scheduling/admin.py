"""Read-only views of scheduling data: edits go through the pages (services keep the change log)."""

from django.contrib import admin

from tiaodu.core.admin_mixins import ReadOnlyAdmin, ReadOnlyInline
from tiaodu.scheduling.models import Baseline, CalendarDay, CalendarYear, Dependency, PeriodPlanOverride, Task


class CalendarDayInline(ReadOnlyInline):
    model = CalendarDay
    fields = ["date", "kind", "name"]


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "source", "notice", "entered_at", "entered_by"]
    inlines = [CalendarDayInline]


class DependencyInline(ReadOnlyInline):
    model = Dependency
    fk_name = "successor"
    fields = ["predecessor", "type", "lag"]


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
