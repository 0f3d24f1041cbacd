from django.apps import AppConfig


class CommandConfig(AppConfig):
    name = "tiaodu.command"
    verbose_name = "指挥调度"
