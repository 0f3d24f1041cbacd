"""URLs of the command center: map."""

from django.urls import path

from tiaodu.command import views_map

urlpatterns = [
    path("map/data.json", views_map.map_data, name="map_data"),
]
