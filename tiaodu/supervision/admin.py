"""Admin: reading for the business records (they are written through the pages and the API, which keep
their timelines), editing for the robots and the time limits."""

from django.contrib import admin

from tiaodu.core.admin_mixins import AuditedAdmin, ReadOnlyAdmin, ReadOnlyInline
from tiaodu.supervision.models import (
    AccountabilityRecord,
    Delivery,
    DeliveryAttempt,
    ItemEvent,
    Meeting,
    Notification,
    Problem,
    ProblemEvent,
    ProjectWarning,
    ReportReminder,
    SupervisionConfig,
    SupervisionItem,
    WebhookEndpoint,
)


class ProblemEventInline(ReadOnlyInline):
    model = ProblemEvent


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ["title", "project", "type", "owner_unit", "level", "level_entered_on", "status"]
    list_filter = ["status", "level", "type"]
    search_fields = ["title", "description", "project__code", "project__name"]
    inlines = [ProblemEventInline]


class ItemEventInline(ReadOnlyInline):
    model = ItemEvent


@admin.register(SupervisionItem)
class SupervisionItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "source", "deadline", "status", "warning"]
    list_filter = ["status", "warning", "source"]
    search_fields = ["title", "content"]
    inlines = [ItemEventInline]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "date", "chair"]


@admin.register(AccountabilityRecord)
class AccountabilityAdmin(ReadOnlyAdmin):
    list_display = ["decision_date", "measure", "unit", "person", "decided_by"]
    list_filter = ["measure"]


@admin.register(ProjectWarning)
class ProjectWarningAdmin(ReadOnlyAdmin):
    list_display = ["project", "as_of", "lag_days", "created_at"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "title", "unread", "created_at"]
    list_filter = ["unread", "kind"]


class DeliveryAttemptInline(ReadOnlyInline):
    model = DeliveryAttempt


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["channel", "target_label", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "channel"]
    inlines = [DeliveryAttemptInline]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(AuditedAdmin):
    list_display = ["name", "unit", "kind", "active"]
    list_filter = ["kind", "active"]


@admin.register(SupervisionConfig)
class SupervisionConfigAdmin(AuditedAdmin):
    list_display = [
        "__str__",
        "limit_unit",
        "limit_hq",
        "limit_leader",
        "limit_principal",
        "red_after_days",
        "reminder_days",
    ]

    def has_add_permission(self, request):
        return not SupervisionConfig.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportReminder)
class ReportReminderAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "kind", "as_of", "unit", "project", "sent_by"]
    list_filter = ["kind", "as_of"]
    search_fields = ["project__code", "project__name", "unit__name"]
