"""The funds pages of the investment app (included by tiaodu/investment/urls.py, namespace investment)."""

from django.urls import path

from tiaodu.investment import views_funds

urlpatterns: list = [
    path("projects/<str:code>/funds/", views_funds.funds_edit, name="funds_edit"),
    path("projects/<str:code>/funds/plan/", views_funds.funding_plan_save, name="funding_plan_save"),
    path("projects/<str:code>/funds/annual/", views_funds.annual_plan_save, name="annual_plan_save"),
    path(
        "projects/<str:code>/funds/annual/<int:year>/delete/",
        views_funds.annual_plan_delete,
        name="annual_plan_delete",
    ),
    path("projects/<str:code>/funds/arrivals/", views_funds.arrival_add, name="arrival_add"),
    path(
        "projects/<str:code>/funds/arrivals/<int:pk>/delete/",
        views_funds.arrival_delete,
        name="arrival_delete",
    ),
    path("investment/sources/", views_funds.sources, name="funding_sources"),
    path("investment/sources/<int:pk>/", views_funds.source_edit, name="funding_source_edit"),
    path("investment/sources/<int:pk>/delete/", views_funds.source_delete, name="funding_source_delete"),
]
