from django.urls import path

from tiaodu.projects import ledger_views

# The download, ledger/export/ (name ledger-export), is in tiaodu/scheduling/urls.py: it adds the
# scheduling sheet 进度计划.
urlpatterns = [
    path("ledger/", ledger_views.ledger_home, name="ledger"),
    path("ledger/imports/<int:pk>/", ledger_views.ledger_import_detail, name="ledger-import"),
    path(
        "ledger/imports/<int:pk>/confirm/", ledger_views.ledger_import_confirm, name="ledger-import-confirm"
    ),
]
