from django.urls import path

from tiaodu.supervision.views import (
    accountability,
    funding_gap,
    inbox,
    items,
    meeting_live,
    meetings,
    problems,
    reporting,
    settings,
)

app_name = "supervision"

urlpatterns = [
    path("supervision/", items.register, name="register"),
    path("supervision/new/", items.item_create, name="item_create"),
    path("supervision/settings/", settings.settings_page, name="settings"),
    path("supervision/settings/webhooks/", settings.webhook_add, name="webhook_add"),
    path("supervision/settings/webhooks/<int:pk>/toggle/", settings.webhook_toggle, name="webhook_toggle"),
    path("supervision/settings/webhooks/<int:pk>/test/", settings.webhook_test, name="webhook_test"),
    path("supervision/photos/<int:pk>/", items.item_photo, name="item_photo"),
    path("supervision/<int:pk>/", items.item_detail, name="item_detail"),
    path("supervision/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("supervision/<int:pk>/feedback/", items.item_feedback, name="item_feedback"),
    path("supervision/<int:pk>/request-close/", items.item_request_close, name="item_request_close"),
    path("supervision/<int:pk>/confirm-close/", items.item_confirm_close, name="item_confirm_close"),
    path("supervision/<int:pk>/send-back/", items.item_send_back, name="item_send_back"),
    path("problems/", problems.board, name="problem_board"),
    path("problems/new/", problems.problem_create, name="problem_create"),
    path("problems/from-report/<int:report_id>/", problems.problem_from_report, name="problem_from_report"),
    path("problems/from-funding-gap/<str:code>/", funding_gap.problem_from_gap, name="problem_from_gap"),
    path("problems/<int:pk>/", problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/<str:action>/", problems.problem_action, name="problem_action"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/live/", meeting_live.meeting_live, name="meeting_live"),
    path(
        "meetings/<int:pk>/live/decisions/", meeting_live.meeting_live_decision, name="meeting_live_decision"
    ),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/minutes/", meetings.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/agenda/", meetings.meeting_agenda, name="meeting_agenda"),
    path("meetings/<int:pk>/decisions/", meetings.decision_add, name="decision_add"),
    path("meetings/decisions/<int:pk>/item/", meetings.decision_to_item, name="decision_to_item"),
    path("accountability/", accountability.register, name="accountability"),
    path("accountability/new/", accountability.create, name="accountability_create"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("reports/urge/", reporting.reports_urge, name="reports_urge"),
    path("inbox/read-all/", inbox.read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/open/", inbox.notification_open, name="notification_open"),
]
