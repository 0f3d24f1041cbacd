from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "tiaodu.scheduling"
    verbose_name = "工期计划"
