"""Read-only admin views of reports (every change goes through the services and the web pages)."""

from django.contrib import admin

from tiaodu.progress.models import Report, ReportFigure, ReportPhoto


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FigureInline(admin.TabularInline):
    model = ReportFigure
    extra = 0
    fields = ["indicator", "quantity", "decreased", "above_target", "decrease_reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = [
        "project",
        "as_of",
        "reporting_unit",
        "revision",
        "status",
        "counted",
        "late",
        "submitted_at",
    ]
    list_filter = ["status", "counted", "late", "source"]
    search_fields = ["project__code", "project__name"]
    date_hierarchy = "as_of"
    list_select_related = ["project", "reporting_unit"]
    inlines = [FigureInline]


@admin.register(ReportPhoto)
class ReportPhotoAdmin(ReadOnlyAdmin):
    list_display = ["report", "original_name", "taken_at", "latitude", "longitude", "uploaded_at"]
    list_select_related = ["report__project"]
