"""The monthly pages of the investment app (included by tiaodu/investment/urls.py, namespace investment)."""

from django.urls import path

from tiaodu.investment import views_monthly as v

urlpatterns: list = [
    path("investment/monthly/", v.monthly_list, name="monthly_list"),
    path("investment/monthly/new/", v.monthly_batch, name="monthly_batch"),
    path("investment/monthly/verify/", v.monthly_queue, name="monthly_queue"),
    path("investment/monthly/<int:pk>/", v.monthly_detail, name="monthly_detail"),
    path("investment/monthly/<int:pk>/edit/", v.monthly_edit, name="monthly_edit"),
    path("investment/monthly/<int:pk>/submit/", v.monthly_submit, name="monthly_submit"),
    path("investment/monthly/<int:pk>/verify/", v.monthly_verify, name="monthly_verify"),
    path("investment/monthly/<int:pk>/return/", v.monthly_return, name="monthly_return"),
    path("investment/monthly/<int:pk>/revise/", v.monthly_revise, name="monthly_revise"),
    path("investment/monthly/<int:pk>/discard/", v.monthly_discard, name="monthly_discard"),
]
