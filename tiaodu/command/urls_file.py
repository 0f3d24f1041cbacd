"""URLs of the command center: file (项目档案). Included before tiaodu.projects.urls, so this is the page
at /projects/<code>/ — except /projects/new/, the create form of tiaodu.projects (no project code is
"new": the code converter below leaves that address to it)."""

from django.urls import path, register_converter

from tiaodu.command import views_file


class ProjectCode:
    """A project code in a path: any segment but the names of the project list's own pages."""

    regex = r"(?!new/)[^/]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ProjectCode, "project_code")

urlpatterns = [
    path("projects/<project_code:code>/", views_file.project_file_view, name="project_detail"),
    path("projects/<project_code:code>/file.pdf", views_file.project_file_pdf, name="project_file_pdf"),
]
