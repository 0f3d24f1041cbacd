"""The monthly API endpoints (included by tiaodu/investment/api_urls.py under /api/v1/)."""

urlpatterns: list = []
