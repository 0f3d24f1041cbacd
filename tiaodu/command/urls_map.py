"""URLs of the command center: map (and the command settings: campaign, district boundary)."""

from django.urls import path

from tiaodu.command import views_map, views_settings

urlpatterns = [
    path("map/", views_map.map_page, name="map"),
    path("map/data.json", views_map.map_data, name="map_data"),
    path("command/settings/", views_settings.settings_edit, name="command_settings"),
]
