"""The sweep with frozen time on the district's statutory calendar (2026: 1–5 May Labour Day holidays,
Saturday 9 May a make-up working day), through the command users run."""

import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from tests.supervision.conftest import make_item

pytestmark = pytest.mark.usefixtures("no_project_warnings")  # tested in test_project_warnings.py
TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date


def run(when: str | None = None) -> dict:
    out = io.StringIO()
    args = ["--now", when] if when else []
    call_command("supervision_sweep", *args, stdout=out)
    return json.loads(out.getvalue())


def at(day: datetime.date, hour=7):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ), tick=False
    )


def empty(summary):
    return {k: v for k, v in summary.items() if k != "now"} == {
        "reminders": [],
        "yellow": [],
        "red": [],
        "escalated": [],
        "project_warnings": [],
        "notifications_sent": 0,
        "notifications_failed": 0,
    }


@pytest.fixture
def item(sup):
    """Due Thursday 30 April 2026, assigned to 北园街道, supervising leader 王区长 (the leader account)."""
    return make_item(sup, deadline=D(2026, 4, 30), on=D(2026, 4, 20), supervising_leader=sup.people["leader"])


@pytest.mark.django_db
def test_it_prints_the_json_summary_for_the_given_moment(item):
    summary = run("2026-04-27T07:00")
    assert summary["now"] == "2026-04-27T07:00"
    assert set(summary) == {
        "now",
        "reminders",
        "yellow",
        "red",
        "escalated",
        "project_warnings",
        "notifications_sent",
        "notifications_failed",
    }


@pytest.mark.django_db
def test_it_refuses_a_malformed_moment_in_chinese():
    with pytest.raises(CommandError, match="YYYY-MM-DDTHH:MM"):
        run("2026-13-01 7点")


@pytest.mark.django_db
def test_it_issues_each_warning_on_its_boundary_day_and_only_once(item, sup):
    steps = [
        (D(2026, 4, 27), []),
        (D(2026, 4, 28), ["reminders"]),
        (D(2026, 4, 30), []),
        (D(2026, 5, 1), ["yellow"]),
        (D(2026, 5, 5), []),
        (D(2026, 5, 9), []),
        (D(2026, 5, 11), []),
        (D(2026, 5, 12), ["red"]),
        (D(2026, 5, 20), []),
    ]
    for day, expected in steps:
        with at(day):
            summary = run()
            for key in ("reminders", "yellow", "red"):
                assert summary[key] == ([item.pk] if key in expected else []), (day, summary)
            # The second run for the same moment changes and sends nothing.
            assert empty(run()), day
    item.refresh_from_db()
    assert item.warning == "red"
    levels = list(item.events.filter(kind="warning").order_by("on").values_list("level", "on"))
    assert levels == [("reminder", D(2026, 4, 28)), ("yellow", D(2026, 5, 1)), ("red", D(2026, 5, 12))]


@pytest.mark.django_db
def test_it_tells_the_assignee_and_on_red_the_supervising_leader(item, sup):
    from tiaodu.supervision.models import Notification

    with at(D(2026, 5, 1)):
        run()
    assert Notification.objects.filter(recipient=sup.users["street"], title__startswith="黄牌").exists()
    assert not Notification.objects.filter(recipient=sup.users["leader"], title__startswith="黄牌").exists()
    mail.outbox.clear()
    with at(D(2026, 5, 12)):
        summary = run()
    assert summary["red"] == [item.pk]
    assert Notification.objects.filter(recipient=sup.users["leader"], title__startswith="红牌").exists()
    assert Notification.objects.filter(recipient=sup.users["street"], title__startswith="红牌").exists()
    recipients = {m.to[0] for m in mail.outbox}
    assert {"leader@tiaodu.example", "street@tiaodu.example"} <= recipients
    assert any("红牌" in m.subject for m in mail.outbox)
    assert summary["notifications_sent"] >= 4  # inbox copies and e-mails


@pytest.mark.django_db
def test_it_goes_straight_to_red_when_the_sweep_first_sees_an_old_item(item):
    with at(D(2026, 5, 20)):
        summary = run()
    assert summary["red"] == [item.pk] and summary["yellow"] == [] and summary["reminders"] == []
    assert list(item.events.filter(kind="warning").values_list("level", flat=True)) == ["red"]


@pytest.mark.django_db
def test_it_uses_the_configured_red_threshold(item, sup):
    from tiaodu.supervision import services

    services.config_update(user=sup.users["supervisor"], data={"red_after_days": 2})
    with at(D(2026, 5, 7)):
        assert run()["yellow"] == [item.pk]
    with at(D(2026, 5, 8)):
        assert run()["red"] == [item.pk]


@pytest.mark.django_db
def test_a_closed_item_draws_nothing_new_and_keeps_its_warning_history(item, sup):
    from tiaodu.supervision import services

    with at(D(2026, 5, 1)):
        assert run()["yellow"] == [item.pk]
    services.item_request_close(user=sup.users["street"], item=item, text="已清理完毕")
    services.item_confirm_close(user=sup.users["supervisor"], item=item)
    with at(D(2026, 5, 20)):
        assert empty(run())
    item.refresh_from_db()
    assert item.status == "closed" and item.warning == "yellow"
    assert list(item.events.filter(kind="warning").values_list("level", flat=True)) == ["yellow"]


@pytest.mark.django_db
def test_it_holds_warnings_while_closure_awaits_confirmation_and_catches_up_after_a_send_back(item, sup):
    from tiaodu.supervision import services

    services.item_request_close(user=sup.users["street"], item=item, text="已清理完毕")
    with at(D(2026, 5, 1)):
        assert empty(run())
    services.item_send_back(user=sup.users["supervisor"], item=item, reason="路面尚未恢复")
    with at(D(2026, 5, 12)):
        assert run()["red"] == [item.pk]


# --- problems ---------------------------------------------------------------------------------------


@pytest.fixture
def problem(sup):
    from tiaodu.supervision import services

    with at(D(2026, 4, 29), hour=10):
        return services.problem_raise(
            user=sup.users["hq"],
            project=sup.project,
            type="demolition",
            description="红线内3户拆迁户补偿标准未谈妥",
        )


@pytest.mark.django_db
def test_it_raises_a_problem_on_the_sixth_working_day_with_the_holiday_and_make_up_day(problem, sup):
    from tiaodu.supervision.models import Notification

    for day in (D(2026, 5, 6), D(2026, 5, 9), D(2026, 5, 10)):
        with at(day):
            assert run()["escalated"] == [], day
    with at(D(2026, 5, 11)):
        summary = run()
        assert summary["escalated"] == [problem.pk]
        assert empty(run())
    problem.refresh_from_db()
    assert (problem.level, problem.level_entered_on) == (2, D(2026, 5, 11))
    event = problem.events.get(kind="auto_escalated")
    assert (event.from_level, event.to_level, event.on) == (1, 2, D(2026, 5, 11))
    from tiaodu.core.audit import history_for

    record = history_for(problem).first()
    assert record.user_name == "系统" and record.changes == {
        "当前层级": ["责任单位", "牵头指挥部"],
        "进入当前层级日期": ["2026-04-29", "2026-05-11"],
    }
    assert Notification.objects.filter(recipient=sup.users["hq"], title__contains="牵头指挥部").exists()
    with at(D(2026, 5, 18)):
        assert run()["escalated"] == []
    with at(D(2026, 5, 19)):
        assert run()["escalated"] == [problem.pk]
    problem.refresh_from_db()
    assert problem.level == 3
    # 分管区领导: the project's supervising leader (王区长) and the supervision office hear of it.
    assert Notification.objects.filter(recipient=sup.users["leader"], title__contains="分管区领导").exists()
    assert Notification.objects.filter(
        recipient=sup.users["supervisor"], title__contains="分管区领导"
    ).exists()


@pytest.mark.django_db
def test_it_climbs_several_levels_in_one_run_and_stops_at_the_city(problem):
    with at(D(2026, 7, 1)):
        summary = run()
        assert summary["escalated"] == [problem.pk]
        assert empty(run())
    problem.refresh_from_db()
    assert problem.level == 5
    steps = list(problem.events.filter(kind="auto_escalated").order_by("on").values_list("to_level", "on"))
    assert steps == [(2, D(2026, 5, 11)), (3, D(2026, 5, 19)), (4, D(2026, 5, 27)), (5, D(2026, 6, 4))]


@pytest.mark.django_db
def test_it_uses_each_levels_configured_limit(problem, sup):
    from tiaodu.supervision import services

    services.config_update(user=sup.users["office"], data={"limit_unit": 1})
    with at(D(2026, 5, 5)):
        assert run()["escalated"] == []
    with at(D(2026, 5, 6)):
        assert run()["escalated"] == [problem.pk]


@pytest.mark.django_db
def test_a_resolved_problem_never_rises(problem, sup):
    from tiaodu.supervision import services

    services.problem_resolve(user=sup.users["hq"], problem=problem, text="区财政局追加补偿资金，已签约")
    with at(D(2026, 7, 1)):
        assert run()["escalated"] == []
