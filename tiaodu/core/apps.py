from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tiaodu.core"
    verbose_name = "基础"

    def ready(self):
        # Every admin module is imported by now (django.contrib.admin comes first in INSTALLED_APPS).
        from django.contrib import admin

        from tiaodu.core.admin_mixins import guard_initial_data

        guard_initial_data(admin.site)
