from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "tiaodu.orgs"
    verbose_name = "单位与人员"

    def ready(self):
        from tiaodu.orgs.security import receivers

        receivers.connect()
