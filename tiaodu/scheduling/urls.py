from django.urls import path

from tiaodu.scheduling import import_views, ledger_views, views

urlpatterns = [
    path("ledger/export/", ledger_views.ledger_export_view, name="ledger-export"),
    path("projects/<str:code>/schedule/", views.schedule_detail, name="schedule_detail"),
    path("projects/<str:code>/schedule/mode/", views.schedule_mode, name="schedule_mode"),
    path("projects/<str:code>/schedule/tasks/new/", views.task_edit, name="schedule_task_create"),
    path("projects/<str:code>/schedule/tasks/<int:pk>/edit/", views.task_edit, name="schedule_task_edit"),
    path(
        "projects/<str:code>/schedule/tasks/<int:pk>/delete/", views.task_delete, name="schedule_task_delete"
    ),
    path("projects/<str:code>/schedule/import/", import_views.schedule_import, name="schedule_import"),
    path(
        "projects/<str:code>/schedule/imports/<int:pk>/",
        import_views.schedule_import_report,
        name="schedule_import_report",
    ),
    path("projects/<str:code>/schedule/template.xlsx", views.schedule_template, name="schedule_template"),
    path("projects/<str:code>/schedule/plan/", views.period_plan_view, name="schedule_plan"),
    path(
        "projects/<str:code>/schedule/plan/overrides/<int:pk>/clear/",
        views.period_override_clear,
        name="schedule_override_clear",
    ),
    path("projects/<str:code>/schedule/baseline/", views.baseline_view, name="schedule_baseline"),
    path(
        "projects/<str:code>/schedule/baseline/approve/",
        views.baseline_approve,
        name="schedule_baseline_approve",
    ),
    path("calendar/", views.calendar_list, name="calendar_list"),
    path("calendar/enter/", views.calendar_enter, name="calendar_enter"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar_year"),
]
