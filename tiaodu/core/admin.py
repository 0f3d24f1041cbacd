from django.contrib import admin

from tiaodu.core.admin_mixins import ReadOnlyAdmin
from tiaodu.core.models import ChangeRecord


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "user_name", "action", "object_repr", "source"]
    list_filter = ["action", "source", "content_type"]
    search_fields = ["object_repr", "user_name"]
