from django.contrib import admin

from tiaodu.core.admin_mixins import ReadOnlyAdmin
from tiaodu.core.models import ChangeRecord

# The admin's own pages (sign-in, index) in the platform's words, not Django's ("Django 管理").
admin.site.site_header = "调度平台管理"
admin.site.site_title = "调度平台管理"
admin.site.index_title = "数据管理"


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "user_name", "action", "object_repr", "source"]
    list_filter = ["action", "source", "content_type"]
    search_fields = ["object_repr", "user_name"]
