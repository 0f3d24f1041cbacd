from django.urls import path

from tiaodu.orgs import views

urlpatterns = [
    path("account/", views.account, name="account"),
]
