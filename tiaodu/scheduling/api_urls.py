"""/api/v1/projects/{code}/schedule (also with a trailing slash)."""

from django.urls import re_path

from tiaodu.scheduling.api import ProjectScheduleView

urlpatterns = [
    re_path(
        r"^projects/(?P<code>[^/]+)/schedule/?$", ProjectScheduleView.as_view(), name="api-project-schedule"
    ),
]
