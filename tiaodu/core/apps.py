from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tiaodu.core"
    verbose_name = "基础"
