from django.urls import path

from tiaodu.projects import change_views, views

urlpatterns = [
    path("projects/", views.project_list_view, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    # /projects/<code>/ (project_detail) is the project file, tiaodu.command.urls_file
    path("projects/<str:code>/edit/", views.project_edit, name="project_edit"),
    path("projects/<str:code>/status/", views.project_status, name="project_status"),
    path("projects/<str:code>/changes/new/", change_views.change_request, name="change_request"),
    path("project-changes/", change_views.change_list_view, name="change_list"),
    path("project-changes/<int:pk>/approve/", change_views.change_approve, name="change_approve"),
    path("project-changes/<int:pk>/reject/", change_views.change_reject, name="change_reject"),
    path("projects/<str:code>/indicators/new/", views.indicator_edit, name="indicator_create"),
    path("projects/<str:code>/indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("projects/<str:code>/indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("projects/<str:code>/indicators/<int:pk>/shares/", views.indicator_shares, name="indicator_shares"),
    path("letters/", views.letter_list_view, name="letter_list"),
    path("letters/new/", views.letter_create, name="letter_create"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/edit/", views.letter_edit, name="letter_edit"),
    path("letters/<int:pk>/scan/", views.letter_scan, name="letter_scan"),
    path("letters/<int:pk>/items/new/", views.letter_item_edit, name="letter_item_create"),
    path("letters/<int:pk>/items/<int:item_pk>/edit/", views.letter_item_edit, name="letter_item_edit"),
    path("letters/<int:pk>/items/<int:item_pk>/delete/", views.letter_item_delete, name="letter_item_delete"),
]
