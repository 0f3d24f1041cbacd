from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "tiaodu.briefings"
    verbose_name = "调度通报与文档中心"
