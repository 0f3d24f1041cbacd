from django.apps import AppConfig

from tiaodu.projects import panels


class CommandConfig(AppConfig):
    name = "tiaodu.command"
    verbose_name = "指挥调度"

    def ready(self):
        from tiaodu.command.views_file import render_file

        panels.register_page(render_file)  # /projects/<code>/ is the project file
