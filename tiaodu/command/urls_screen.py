"""URLs of the command center: screen."""

urlpatterns: list = []
