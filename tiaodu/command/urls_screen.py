"""URLs of the command center: the big screen (大屏) and its kiosk links."""

from django.urls import path

from tiaodu.command import views_screen as views

urlpatterns = [
    path("screen/", views.screen, name="screen"),
    path("screen/data/", views.screen_data_json, name="screen_data"),
    path("screen/photos/<int:pk>/", views.screen_photo, name="screen_photo"),
    path("screen/links/", views.links, name="screen_links"),
    path("screen/links/new/", views.link_create, name="screen_link_create"),
    path("screen/links/<int:pk>/revoke/", views.link_revoke, name="screen_link_revoke"),
    path("screen/k/<str:token>/", views.kiosk_screen, name="screen_kiosk"),
    path("screen/k/<str:token>/data/", views.kiosk_data, name="screen_kiosk_data"),
    path("screen/k/<str:token>/photos/<int:pk>/", views.kiosk_photo, name="screen_kiosk_photo"),
]
