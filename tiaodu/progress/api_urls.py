"""/api/v1/progress (with or without the trailing slash); /api/v1/reports/ (weekly reports)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from tiaodu.progress.api import ProgressSlashView, ProgressView
from tiaodu.progress.api_reports import ReportViewSet

router = SimpleRouter(trailing_slash=True)
router.register("reports", ReportViewSet, basename="api-report")

urlpatterns = [
    path("progress", ProgressView.as_view(), name="api-progress"),
    path("progress/", ProgressSlashView.as_view(), name="api-progress-slash"),
    *router.urls,
]
