"""The dashboard pages of the investment app (included by tiaodu/investment/urls.py, namespace investment)."""

from django.urls import path

from tiaodu.investment import dashboard_views

urlpatterns: list = [
    path("dashboard/investment/", dashboard_views.dashboard, name="dashboard"),
]
