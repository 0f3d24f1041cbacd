"""The investment pages: each part's patterns live in its own module."""

from tiaodu.investment import urls_dashboard, urls_funds, urls_monthly, urls_settings

app_name = "investment"

urlpatterns = [
    *urls_dashboard.urlpatterns,
    *urls_monthly.urlpatterns,
    *urls_funds.urlpatterns,
    *urls_settings.urlpatterns,
]
