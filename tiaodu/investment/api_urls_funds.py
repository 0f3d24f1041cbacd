"""The funds API endpoints (included by tiaodu/investment/api_urls.py under /api/v1/)."""

from django.urls import path

from tiaodu.investment import api_funds

urlpatterns: list = [
    path("projects/<str:code>/funding-plan/", api_funds.FundingPlanView.as_view(), name="api-funding-plan"),
    path(
        "projects/<str:code>/annual-plans/", api_funds.AnnualPlanListView.as_view(), name="api-annual-plans"
    ),
    path(
        "projects/<str:code>/annual-plans/<int:year>/",
        api_funds.AnnualPlanDetailView.as_view(),
        name="api-annual-plan",
    ),
    path("projects/<str:code>/fund-arrivals/", api_funds.ArrivalListView.as_view(), name="api-fund-arrivals"),
    path(
        "projects/<str:code>/fund-arrivals/<str:pk>/",
        api_funds.ArrivalDetailView.as_view(),
        name="api-fund-arrival",
    ),
    path("funding-sources/", api_funds.FundingSourceListView.as_view(), name="api-funding-sources"),
]
