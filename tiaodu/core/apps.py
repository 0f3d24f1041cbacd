from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tiaodu.core"
    verbose_name = "基础"

    def ready(self):
        from tiaodu.core.validation import harden_model_fields

        harden_model_fields()
