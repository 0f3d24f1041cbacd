"""URLs of the command center: map."""

urlpatterns: list = []
