"""The map's API (included under /api/v1/ by tiaodu/urls.py)."""

from django.urls import path

from tiaodu.command.api_map import MapView, ProjectGeometryView

urlpatterns = [
    path("map/", MapView.as_view(), name="api-map"),
    path("projects/<str:code>/geometry/", ProjectGeometryView.as_view(), name="api-project-geometry"),
]
