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


@pytest.mark.django_db
def test_project_warnings_reach_each_person_as_one_digest_stamped_when_it_was_made(sup):
    import time_machine

    from tiaodu.projects.models import Indicator, Project
    from tiaodu.supervision.models import Notification

    third = Project.objects.create(
        code="ZD-003",
        name="少年路整治",
        type=sup.project.type,
        category=sup.project.category,
        lead_unit=sup.units["hq"],
        supervising_leader=sup.people["leader"],
        planned_start=datetime.date(2026, 3, 1),
        planned_finish=datetime.date(2027, 6, 30),
        deadline=datetime.date(2027, 8, 31),
    )
    Indicator.objects.create(project=third, name="道路长度", unit_of_measure="m", target=5200)
    # The sweep "for 07:00" runs at 06:30 (as the demo loader does in the small hours).
    made = datetime.datetime(2026, 4, 3, 6, 30, tzinfo=TZ)
    with time_machine.travel(made, tick=False):
        summary = run("2026-04-03T07:00")
    assert sorted(summary["project_warnings"]) == sorted([sup.project.pk, third.pk])
    for key in ("hq", "leader", "supervisor"):
        [note] = Notification.objects.filter(recipient=sup.users[key], kind="project_warning")
        assert note.title == "项目预警：2个项目连续两个调度周期严重滞后", key
        lines = note.body.splitlines()
        assert [line.split("：")[0] for line in lines] == [
            "· 北园大街道路拓宽及两侧整治（ZD-001）",
            "· 少年路整治（ZD-003）",
        ]
        assert "滞后" in lines[0] and "个工作日" in lines[0]
        assert note.url == "/dashboard/projects/?level=severe"
        assert note.created_at == made  # never later than the moment it was made
    # The street office is territorial on ZD-001 only: one warning, as it is.
    [street] = Notification.objects.filter(recipient=sup.users["street"], kind="project_warning")
    assert street.title == "项目预警：北园大街道路拓宽及两侧整治连续两个调度周期严重滞后"
