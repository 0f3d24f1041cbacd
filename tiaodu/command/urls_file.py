"""URLs of the command center: file."""

urlpatterns: list = []
