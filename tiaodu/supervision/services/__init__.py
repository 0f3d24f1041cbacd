"""Writes of the supervision loop. Keyword-only, atomic, validated, logged; views, the API, commands and
the job queue all call these."""

from tiaodu.supervision.services.accountability import accountability_create, accountability_update
from tiaodu.supervision.services.inbox import notifications_mark_read
from tiaodu.supervision.services.items import (
    item_confirm_close,
    item_create,
    item_feedback,
    item_request_close,
    item_send_back,
    item_update,
)
from tiaodu.supervision.services.meetings import (
    compile_agenda,
    decision_add,
    decision_to_item,
    meeting_compile_agenda,
    meeting_create,
    meeting_update,
)
from tiaodu.supervision.services.problems import (
    config_update,
    problem_escalate,
    problem_feedback,
    problem_raise,
    problem_raise_from_report,
    problem_resolve,
)
from tiaodu.supervision.services.reporting import reports_remind, reports_urge
from tiaodu.supervision.services.sweeper import SweepSummary, sweep

__all__ = [
    "SweepSummary",
    "accountability_create",
    "accountability_update",
    "compile_agenda",
    "config_update",
    "decision_add",
    "decision_to_item",
    "item_confirm_close",
    "item_create",
    "item_feedback",
    "item_request_close",
    "item_send_back",
    "item_update",
    "meeting_compile_agenda",
    "meeting_create",
    "meeting_update",
    "notifications_mark_read",
    "problem_escalate",
    "problem_feedback",
    "problem_raise",
    "problem_raise_from_report",
    "problem_resolve",
    "reports_remind",
    "reports_urge",
    "sweep",
]
