"""A project severe (严重滞后) in two consecutive weekly cycles draws a project warning, once per cycle.

In the district fixture ZD-001 starts on 1 March 2026 with one indicator and no reports: the progress app
finds it lagging on Thursday 19 March and severe from Thursday 26 March (cycle deadline Thursday 17:00)."""

import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

TZ = ZoneInfo("Asia/Shanghai")


def run(when: str) -> dict:
    out = io.StringIO()
    call_command("supervision_sweep", "--now", when, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_it_warns_after_the_second_severe_cycle_only(sup):
    from tiaodu.supervision.models import Notification, ProjectWarning

    project = sup.project
    assert run("2026-03-27T07:00")["project_warnings"] == []  # severe once (26 March), lagging before
    assert run("2026-04-02T16:59")["project_warnings"] == []  # the 2 April cycle is not closed yet
    summary = run("2026-04-02T17:00")
    assert summary["project_warnings"] == [project.pk]
    assert run("2026-04-02T17:00")["project_warnings"] == []  # idempotent
    assert run("2026-04-03T07:00")["project_warnings"] == []  # same cycle: once
    warning = ProjectWarning.objects.get(project=project)
    assert (warning.as_of, warning.previous_as_of) == (datetime.date(2026, 4, 2), datetime.date(2026, 3, 26))
    assert warning.lag_days and warning.lag_days > 15
    # The lead unit, the territorial unit, the supervising leader and the supervision office hear of it.
    for key in ("hq", "street", "leader", "supervisor"):
        assert Notification.objects.filter(recipient=sup.users[key], kind="project_warning").exists(), key
    assert not Notification.objects.filter(recipient=sup.users["outsider"]).exists()
    # Still severe a week later: the next cycle draws its own warning.
    assert run("2026-04-10T07:00")["project_warnings"] == [project.pk]


@pytest.mark.django_db
def test_the_meeting_agenda_lists_lagging_projects_missing_reports_problems_and_overdue_items(sup):
    from tests.supervision.conftest import make_item
    from tiaodu.supervision import services
    from tiaodu.supervision.models import Problem

    # Due 1 April: 2, 3, 7, 8, 9 April are 5 working days (4–6 April 清明): yellow on 9 April, not red.
    overdue = make_item(sup, deadline=datetime.date(2026, 4, 1), on=datetime.date(2026, 3, 20))
    make_item(sup, deadline=datetime.date(2026, 6, 1), on=datetime.date(2026, 3, 20), title="未到期的事项")
    low = services.problem_raise(
        user=sup.users["hq"], project=sup.project, type="funding", description="资金缺口"
    )
    high = services.problem_raise(
        user=sup.users["hq"], project=sup.project, type="land", description="用地指标不足"
    )
    Problem.objects.filter(pk=high.pk).update(level=3)
    meeting = services.meeting_create(
        user=sup.users["supervisor"],
        data={
            "date": datetime.date(2026, 4, 9),
            "chair": sup.people["leader"],
        },
    )
    agenda = meeting.agenda
    assert meeting.title == "2026年4月9日重点工程调度会"
    assert [(p["code"], p["level"]) for p in agenda["lagging"]] == [("ZD-001", "severe")]
    assert {p["code"] for p in agenda["missing"]} == {"ZD-001", "ZD-002"}
    assert [p["id"] for p in agenda["problems"]] == [high.pk]
    assert low.pk not in [p["id"] for p in agenda["problems"]]
    assert [i["id"] for i in agenda["overdue"]] == [overdue.pk]
    assert agenda["overdue"][0]["warning"] == "yellow"
