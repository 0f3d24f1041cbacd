"""The monthly pages of the investment app (included by tiaodu/investment/urls.py, namespace investment)."""

urlpatterns: list = []
