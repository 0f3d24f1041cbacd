from django.urls import path

from tiaodu.orgs import views
from tiaodu.orgs.security import views as security_views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/token/", views.account_token, name="account_token"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("security/audit/", security_views.audit_log, name="security_audit"),
    path("security/audit/export.xlsx", security_views.audit_log_export, name="security_audit_export"),
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
]
