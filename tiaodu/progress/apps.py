from django.apps import AppConfig

from tiaodu.projects import panels
from tiaodu.projects.signals import shares_changed


def progress_panel(request, project):
    from tiaodu.progress.project_panel import progress_panel as panel

    return panel(request, project)


def share_reporters_added(sender=None, **kwargs) -> None:
    from tiaodu.progress.settings_services import share_reporters_added as receiver

    receiver(sender, **kwargs)


class ProgressConfig(AppConfig):
    name = "tiaodu.progress"
    verbose_name = "进度调度"

    def ready(self):
        # The project page's progress panel (projects sits below progress and may not import it);
        # its module (the progress selectors, the engine) is imported when a page first shows it, not by
        # every command at start (issue 16).
        panels.register(progress_panel)
        # Units holding an indicator's territorial share report on the project (projects.signals).
        shares_changed.connect(share_reporters_added, dispatch_uid="progress.share_reporters_added")
