from django.urls import path

from tiaodu.briefings import minutes_views, views

urlpatterns = [
    path("briefings/", views.briefing_list_view, name="briefing_list"),
    path("briefings/generate/", views.briefing_generate_view, name="briefing_generate"),
    path("briefings/<int:pk>/", views.briefing_detail, name="briefing_detail"),
    path("meetings/<int:pk>/minutes/generate/", minutes_views.minutes_generate_view, name="minutes_generate"),
    path("documents/", views.document_list_view, name="document_list"),
    path("documents/upload/", views.document_upload_view, name="document_upload"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("documents/<int:pk>/favorite/", views.document_favorite, name="document_favorite"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("documents/<int:pk>/share/", views.share_create, name="document_share"),
    path("documents/shares/<int:pk>/revoke/", views.share_revoke, name="share_revoke"),
    path("s/<str:token>/", views.share_view, name="share_view"),
    path("s/<str:token>/file/", views.share_file, name="share_file"),
]
