from django.apps import AppConfig

from tiaodu.progress.signals import report_reviewed


def on_report_reviewed(sender, **kwargs) -> None:
    from tiaodu.supervision.services.reporting import on_report_reviewed as receiver

    receiver(sender, **kwargs)


class SupervisionConfig(AppConfig):
    name = "tiaodu.supervision"
    verbose_name = "督查督办"

    def ready(self):
        # The reporter hears of a return or a verification (tiaodu.progress.signals, the layer rule); the
        # receiver's module is imported when a report is first reviewed, not by every command (issue 16).
        report_reviewed.connect(on_report_reviewed, dispatch_uid="supervision.report_reviewed")
