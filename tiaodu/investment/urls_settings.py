"""The settings pages of the investment app (included by tiaodu/investment/urls.py, namespace investment)."""

from django.urls import path

from tiaodu.investment import views_settings

urlpatterns: list = [
    path("investment/settings/", views_settings.settings_edit, name="settings"),
]
