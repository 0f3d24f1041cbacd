from django.urls import path

from tiaodu.projects import ledger_views

urlpatterns = [
    path("ledger/", ledger_views.ledger_home, name="ledger"),
    path("ledger/export/", ledger_views.ledger_export_view, name="ledger-export"),
    path("ledger/imports/<int:pk>/", ledger_views.ledger_import_detail, name="ledger-import"),
    path(
        "ledger/imports/<int:pk>/confirm/", ledger_views.ledger_import_confirm, name="ledger-import-confirm"
    ),
]
