from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "tiaodu.portal"
    verbose_name = "门户"
