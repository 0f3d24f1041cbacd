from django.apps import AppConfig

from tiaodu.progress.signals import report_reviewed


class SupervisionConfig(AppConfig):
    name = "tiaodu.supervision"
    verbose_name = "督查督办"

    def ready(self):
        # The reporter hears of a return or a verification (tiaodu.progress.signals, the layer rule).
        from tiaodu.supervision.services.reporting import on_report_reviewed

        report_reviewed.connect(on_report_reviewed, dispatch_uid="supervision.report_reviewed")
