from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "tiaodu.supervision"
    verbose_name = "督查督办"
