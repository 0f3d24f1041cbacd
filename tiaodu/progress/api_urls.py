"""/api/v1/progress (with or without the trailing slash)."""

from django.urls import path

from tiaodu.progress.api import ProgressSlashView, ProgressView

urlpatterns = [
    path("progress", ProgressView.as_view(), name="api-progress"),
    path("progress/", ProgressSlashView.as_view(), name="api-progress-slash"),
]
