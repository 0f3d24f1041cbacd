from django.urls import path

from tiaodu.portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("my-work/baselines/", views.my_work_baselines, name="my_work_baselines"),
]
