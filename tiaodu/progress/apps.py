from django.apps import AppConfig

from tiaodu.projects import panels
from tiaodu.projects.signals import shares_changed


class ProgressConfig(AppConfig):
    name = "tiaodu.progress"
    verbose_name = "进度调度"

    def ready(self):
        # The project page's progress panel (projects sits below progress and may not import it).
        from tiaodu.progress.project_panel import progress_panel

        panels.register(progress_panel)
        # Units holding an indicator's territorial share report on the project (projects.signals).
        from tiaodu.progress.settings_services import share_reporters_added

        shares_changed.connect(share_reporters_added, dispatch_uid="progress.share_reporters_added")
