from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "tiaodu.projects"
    verbose_name = "项目与目标"
