"""URLs of the command center: file (项目档案). Included before tiaodu.projects.urls, so this is the page
at /projects/<code>/."""

from django.urls import path

from tiaodu.command import views_file

urlpatterns = [
    path("projects/<str:code>/", views_file.project_file_view, name="project_detail"),
    path("projects/<str:code>/file.pdf", views_file.project_file_pdf, name="project_file_pdf"),
]
