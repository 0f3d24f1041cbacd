"""Read-only admin views of reports (every change goes through the services and the web pages)."""

from django.contrib import admin

from tiaodu.core.admin_mixins import ReadOnlyAdmin, ReadOnlyInline
from tiaodu.progress.models import Report, ReportFigure, ReportPhoto


class FigureInline(ReadOnlyInline):
    model = ReportFigure
    fields = ["indicator", "quantity", "decreased", "above_target", "decrease_reason"]
    readonly_fields = fields


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
