"""/api/v1/progress (with or without the trailing slash)."""

from django.urls import path

from tiaodu.progress.api import ProgressView

urlpatterns = [
    path("progress", ProgressView.as_view(), name="api-progress"),
    path("progress/", ProgressView.as_view(), name="api-progress-slash"),
]
