from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tiaodu.demo"
    verbose_name = "演示数据"
