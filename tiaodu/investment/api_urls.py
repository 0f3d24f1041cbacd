"""The investment API under /api/v1/: each part's patterns live in its own module."""

from tiaodu.investment import api_urls_dashboard, api_urls_funds, api_urls_monthly, api_urls_settings

urlpatterns = [
    *api_urls_dashboard.urlpatterns,
    *api_urls_monthly.urlpatterns,
    *api_urls_funds.urlpatterns,
    *api_urls_settings.urlpatterns,
]
