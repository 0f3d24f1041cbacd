from django.urls import path

from tiaodu.progress import dashboard_views, review_views, views

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="progress_dashboard"),
    path("dashboard/projects/", dashboard_views.dashboard_projects, name="progress_projects"),
    path("dashboard/curve/<str:code>/", dashboard_views.curve_json, name="progress_curve"),
    path("projects/<str:code>/reports/", views.project_reports, name="project_reports"),
    path("projects/<str:code>/reports/new/", views.report_create, name="report_create"),
    path("projects/<str:code>/reporting-units/", views.reporting_units_edit, name="reporting_units_edit"),
    path("reports/", views.report_mine, name="report_mine"),
    path("reports/verify/", review_views.report_verify_queue, name="report_verify_queue"),
    path("reports/import/", views.report_import, name="report_import"),
    path("reports/import/template.xlsx", views.report_import_template, name="report_import_template"),
    path("reports/settings/", views.cycle_edit, name="progress_cycle"),
    path("reports/<int:pk>/", review_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/verify/", review_views.report_verify, name="report_verify"),
    path("reports/<int:pk>/return/", review_views.report_return, name="report_return"),
    path("reports/<int:pk>/revise/", views.report_revise, name="report_revise"),
    path("reports/<int:pk>/discard/", views.report_discard, name="report_discard"),
    path("reports/photos/<int:pk>/", views.report_photo, name="report_photo"),
    path("reports/photos/<int:pk>/delete/", views.report_photo_delete, name="report_photo_delete"),
]
