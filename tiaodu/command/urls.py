from django.urls import include, path

urlpatterns = [
    path("", include("tiaodu.command.urls_file")),
    path("", include("tiaodu.command.urls_map")),
    path("", include("tiaodu.command.urls_screen")),
]
