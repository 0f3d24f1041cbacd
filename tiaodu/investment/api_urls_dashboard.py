"""The dashboard API endpoints (included by tiaodu/investment/api_urls.py under /api/v1/):
/api/v1/investment?month=YYYY-MM, with or without the trailing slash."""

from django.urls import path

from tiaodu.investment.api_dashboard import InvestmentSlashView, InvestmentView

urlpatterns: list = [
    path("investment", InvestmentView.as_view(), name="api-investment"),
    path("investment/", InvestmentSlashView.as_view(), name="api-investment-slash"),
]
