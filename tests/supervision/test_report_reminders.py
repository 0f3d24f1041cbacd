"""Reporting reminders and word of reviews, received by a real group robot on 127.0.0.1:

* before the weekly deadline (default Wednesday 17:00 for Thursday 17:00) every unit whose report is due
  gets one message listing its projects — inbox, e-mail, its robot — once per cycle;
* the office's 催报 on the dashboard's missing-report list sends the same reminder now and records it;
* the reporter hears that a report was returned (with the reason; the unit's robot too) or verified.

The week: Monday 30 November to Thursday 3 December 2026 (the deadline)."""

import datetime
import io
import json
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from tests.progress.conftest import figures_of, submitted
from tests.supervision.test_notifications import Robot

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = datetime.date(2026, 11, 30)
WEDNESDAY = datetime.date(2026, 12, 2)
pytestmark = pytest.mark.usefixtures("no_project_warnings")


@pytest.fixture
def robot():
    r = Robot()
    yield r
    r.close()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the services hand over after the commit (sending through the job queue)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def week(sup):
    """Wednesday 2 December 2026, 17:00 in Beijing; ZD-001 is reported by its HQ and (added) its street
    office, ZD-002 by its HQ and (added) 泺口街道; only the HQ of ZD-001 reported on Monday."""
    from tiaodu.progress.settings_services import reporting_units_set

    with time_machine.travel(datetime.datetime(2026, 12, 2, 17, 0, tzinfo=TZ), tick=False):
        reporting_units_set(user=sup.users["office"], project=sup.project, units=[sup.units["street"]])
        reporting_units_set(user=sup.users["office"], project=sup.other, units=[sup.units["street2"]])
        submitted(sup.users["hq"], sup.project, MONDAY, figures_of(sup.project, 拆迁面积=800))
        mail.outbox.clear()
        yield sup


def remind(when: str) -> dict:
    out = io.StringIO()
    call_command("report_reminders", "--now", when, stdout=out)
    return json.loads(out.getvalue())


def inbox(user, kind):
    from tiaodu.supervision.models import Notification

    return list(Notification.objects.filter(recipient=user, kind=kind))


@pytest.mark.django_db
def test_it_reminds_every_unit_with_a_report_due_once_per_cycle(week, robot):
    from tiaodu.supervision.models import ReportReminder, WebhookEndpoint

    d = week
    WebhookEndpoint.objects.create(
        name="北园街道工作群", unit=d.units["street"], kind="wecom", url=robot.url("/street")
    )
    WebhookEndpoint.objects.create(name="区调度群", kind="dingtalk", url=robot.url("/all"))

    early = remind("2026-12-02T16:59")
    assert (early["units"], early["note"]) == (0, "未到提醒时间")
    assert robot.requests == []

    result = remind("2026-12-02T17:00")
    # 北园街道 on ZD-001; 小清河综合治理指挥部 and 泺口街道 on ZD-002; the HQ of ZD-001 has reported.
    assert (result["as_of"], result["units"], result["projects"]) == ("2026-12-03", 3, 2)
    [note] = inbox(d.users["street"], "report_reminder")
    assert note.title == "周报提醒：北园街道有1个项目的周报尚未报送"
    assert (
        "12月3日（周四）17:00" in note.body
        and "北园大街道路拓宽及两侧整治（ZD-001）：尚未报送过周报" in note.body
    )
    assert note.url == "/reports/"
    assert note.created_at == datetime.datetime(2026, 12, 2, 17, 0, tzinfo=TZ)
    [outsider_note] = inbox(d.users["outsider"], "report_reminder")  # 泺口街道, on ZD-002
    assert "小清河综合治理（ZD-002）" in outsider_note.body
    assert inbox(d.users["hq"], "report_reminder") == []
    assert {m.to[0] for m in mail.outbox} == {"street@tiaodu.example", "outsider@tiaodu.example"}
    # The street's robot hears of its own reminder; the district's robot of all three in one message.
    by_path = {r["path"]: r["json"]["text"]["content"] for r in robot.requests}
    assert len(robot.requests) == 2
    assert by_path["/street"].startswith("【调度平台】周报提醒：北园街道有1个项目的周报尚未报送")
    assert "ZD-002" not in by_path["/street"]
    assert by_path["/all"].startswith("【调度平台】周报报送提醒：共3条")
    assert ReportReminder.objects.filter(kind="remind", as_of=datetime.date(2026, 12, 3)).count() == 3

    # Idempotent: running again before the deadline sends nothing new.
    again = remind("2026-12-02T17:05")
    assert (again["units"], again["note"]) == (0, "没有需要提醒的单位")
    assert len(robot.requests) == 2 and len(inbox(d.users["street"], "report_reminder")) == 1
    # After the deadline the next reminder is next Wednesday's.
    assert remind("2026-12-03T17:00")["note"] == "未到提醒时间"


@pytest.mark.django_db
def test_a_unit_that_reported_before_the_reminder_is_not_reminded(week):
    d = week
    submitted(d.users["street"], d.project, WEDNESDAY, figures_of(d.project, 拆迁面积=900))
    result = remind("2026-12-02T17:00")
    assert result["units"] == 2
    assert inbox(d.users["street"], "report_reminder") == []


@pytest.mark.django_db
def test_the_reminder_follows_the_settings(week):
    from tiaodu.progress.settings_services import cycle_update

    d = week
    cycle_update(user=d.users["office"], data={"remind_weekday": 1, "remind_time": datetime.time(9, 0)})
    assert remind("2026-12-01T08:59")["note"] == "未到提醒时间"
    assert remind("2026-12-01T09:00")["units"] == 3
    cycle_update(user=d.users["office"], data={"remind_enabled": False})
    assert remind("2026-12-09T09:00")["note"] == "未启用截止前提醒"


@pytest.mark.django_db
def test_the_office_urges_the_units_of_the_missing_report_list(week, robot, client, commit):
    from tiaodu.supervision.models import ReportReminder, WebhookEndpoint

    d = week
    WebhookEndpoint.objects.create(
        name="泺口街道工作群", unit=d.units["street2"], kind="wecom", url=robot.url("/lk")
    )
    client.force_login(d.users["street"])
    assert 'id="urge"' not in client.get("/dashboard/").content.decode()
    refused = client.post("/reports/urge/", {"as_of": "2026-12-02"})
    assert refused.status_code == 403
    assert "只有领导、督查室、领导小组办公室和系统管理员可以催报" in refused.content.decode()

    client.force_login(d.users["office"])
    dashboard = client.get("/dashboard/").content.decode()
    assert 'id="urge"' in dashboard
    with commit():  # sending happens after the commit, through the job queue
        page = client.post("/reports/urge/", {"as_of": "2026-12-02"}, follow=True).content.decode()
    # The list holds ZD-002 (nobody reported); ZD-001 has its HQ's report, so its street is not urged here.
    assert "已向2个单位发送催报提醒（涉及1个项目）" in page
    [note] = inbox(d.users["outsider"], "report_urge")
    assert note.title == "催报：泺口街道有1个项目的周报尚未报送"
    assert note.body.startswith("领导小组办公室 刘主任催报：本周周报报送截止时间：12月3日（周四）17:00")
    assert inbox(d.users["street"], "report_urge") == []
    assert [r["path"] for r in robot.requests] == ["/lk"]
    assert "催报" in robot.requests[0]["json"]["text"]["content"]
    rows = ReportReminder.objects.filter(kind="urge").order_by("unit__sort_order")
    assert [(r.unit.name, r.project.code, r.sent_by.username) for r in rows] == [
        ("小清河综合治理指挥部", "ZD-002", "office"),
        ("泺口街道", "ZD-002", "office"),
    ]
    # Urging again is allowed (recorded again); the weekly reminder still goes (it is another message).
    client.post("/reports/urge/", {"as_of": "2026-12-02"})
    assert ReportReminder.objects.filter(kind="urge").count() == 4
    assert remind("2026-12-02T17:00")["units"] == 3


@pytest.mark.django_db
def test_the_reporter_hears_of_a_return_with_its_reason_and_of_a_verification(week, robot, client, commit):
    from tiaodu.supervision.models import WebhookEndpoint

    d = week
    WebhookEndpoint.objects.create(
        name="北园街道工作群", unit=d.units["street"], kind="wecom", url=robot.url("/street")
    )
    WebhookEndpoint.objects.create(
        name="指挥部工作群", unit=d.units["hq"], kind="wecom", url=robot.url("/hq")
    )
    report = submitted(d.users["street"], d.project, WEDNESDAY, figures_of(d.project, 拆迁面积=900))
    mail.outbox.clear()

    client.force_login(d.users["hq"])
    with commit():
        client.post(f"/reports/{report.pk}/return/", {"reason": "拆迁面积与现场核查不符，请核实后重报"})
    [note] = inbox(d.users["street"], "report_returned")
    assert note.title == "周报被退回：北园大街道路拓宽及两侧整治（截至12月2日）"
    assert "退回原因：拆迁面积与现场核查不符，请核实后重报" in note.body
    assert "退回人：北园大街改造指挥部 赵指挥" in note.body
    assert note.url == f"/reports/{report.pk}/"
    assert [m.to for m in mail.outbox] == [["street@tiaodu.example"]]
    assert [r["path"] for r in robot.requests] == ["/street"]  # the reporting unit's robot, not the HQ's
    content = robot.requests[0]["json"]["text"]["content"]
    assert content.startswith("【调度平台】周报被退回：北园大街道路拓宽及两侧整治")
    assert "拆迁面积与现场核查不符，请核实后重报" in content
    assert inbox(d.users["hq"], "report_returned") == []  # who returned it is not told

    # The street office sends a new revision; the HQ verifies it: the reporter hears, no robot.
    client.force_login(d.users["street"])
    revised = client.post(f"/reports/{report.pk}/revise/")
    assert revised.status_code == 302
    from tiaodu.progress.models import Report

    new = Report.objects.get(thread=report.thread, revision=2)
    from tiaodu.progress.services import report_submit

    report_submit(user=d.users["street"], report=new)
    client.force_login(d.users["hq"])
    with commit():
        client.post(f"/reports/{new.pk}/verify/")
    [ok] = inbox(d.users["street"], "report_verified")
    assert ok.title == "周报已审核通过：北园大街道路拓宽及两侧整治（截至12月2日）"
    assert ok.body == "审核人：北园大街改造指挥部 赵指挥"
    assert len(robot.requests) == 1


@pytest.mark.django_db
def test_the_job_queue_runs_the_reminders_every_five_minutes(week):
    from tiaodu.supervision import tasks

    d = week
    validate = tasks.report_reminders.task_class().validate_datetime
    assert validate(datetime.datetime(2026, 12, 2, 17, 0)) and validate(datetime.datetime(2026, 12, 2, 17, 5))
    assert not validate(datetime.datetime(2026, 12, 2, 17, 3))
    # At Wednesday 17:00 (the frozen clock) the job reminds the three units, once.
    assert tasks.report_reminders.call_local()["units"] == 3
    assert tasks.report_reminders.call_local()["units"] == 0
    assert len(inbox(d.users["street"], "report_reminder")) == 1
