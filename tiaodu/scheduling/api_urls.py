"""/api/v1/projects/{code}/schedule (a trailing slash is accepted too)."""

from django.urls import path

from tiaodu.scheduling.api import ProjectScheduleSlashView, ProjectScheduleView

urlpatterns = [
    path("projects/<str:code>/schedule", ProjectScheduleView.as_view(), name="api-project-schedule"),
    path("projects/<str:code>/schedule/", ProjectScheduleSlashView.as_view()),
]
