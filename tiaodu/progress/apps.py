from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "tiaodu.progress"
    verbose_name = "进度调度"
