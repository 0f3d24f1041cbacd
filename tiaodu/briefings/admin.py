from django.contrib import admin

from tiaodu.briefings.models import Briefing, Document, ShareAccess, ShareLink
from tiaodu.core.admin_mixins import ReadOnlyInline


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "as_of", "issuer", "state", "automatic", "created_by", "created_at", "seconds"]
    list_filter = ["year", "state", "automatic"]
    readonly_fields = ["year", "number", "as_of", "summary", "created_at", "seconds"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "title",
        "kind",
        "format",
        "size",
        "page_count",
        "author",
        "created_at",
        "deleted_at",
    ]
    list_filter = ["kind", "format"]
    search_fields = ["title", "original_name"]
    readonly_fields = ["file", "size", "sha256", "page_count", "text", "outline", "created_at"]
    raw_id_fields = ["project", "unit", "letter", "briefing", "preview_pdf", "author"]


class ShareAccessInline(ReadOnlyInline):
    model = ShareAccess
    readonly_fields = ["at", "ip", "user_agent", "outcome"]


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ["document", "created_by", "created_at", "expires_at", "revoked_at"]
    readonly_fields = ["token", "created_at"]
    raw_id_fields = ["document", "created_by", "revoked_by"]
    inlines = [ShareAccessInline]
