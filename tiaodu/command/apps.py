from django.apps import AppConfig

from tiaodu.projects import panels


def render_file(request, project, **kwargs):
    from tiaodu.command.views_file import render_file as page

    return page(request, project, **kwargs)


class CommandConfig(AppConfig):
    name = "tiaodu.command"
    verbose_name = "指挥调度"

    def ready(self):
        # /projects/<code>/ is the project file; its module is imported when a page first shows it, not
        # by every command at start (issue 16).
        panels.register_page(render_file)
