"""The monthly API endpoints (included by tiaodu/investment/api_urls.py under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from tiaodu.investment.api_monthly import MonthlyInvestmentViewSet

router = SimpleRouter(trailing_slash=True)
router.register("monthly-investments", MonthlyInvestmentViewSet, basename="api-monthly-investment")

urlpatterns: list = [*router.urls]
