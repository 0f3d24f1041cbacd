from django.apps import AppConfig

from tiaodu.projects import panels


class ProgressConfig(AppConfig):
    name = "tiaodu.progress"
    verbose_name = "进度调度"

    def ready(self):
        # The project page's progress panel (projects sits below progress and may not import it).
        from tiaodu.progress.project_panel import progress_panel

        panels.register(progress_panel)
