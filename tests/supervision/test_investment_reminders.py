"""The reminder before the monthly investment deadline (月度投资提醒): from `remind_days_before` days before
the deadline day (default 3 days before the 25th: 22 to 25 November 2026) every lead unit whose projects
under construction with a 2026 annual plan still have no submitted November figure gets one message — once
per month and unit; nothing before the window, after the deadline, for a submitted figure, or with 0 days."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
pytestmark = [pytest.mark.usefixtures("no_project_warnings"), pytest.mark.django_db]


@pytest.fixture
def month(sup):
    """ZD-001 (北园大街改造指挥部) and ZD-002 (小清河综合治理指挥部) under construction with 2026 plans."""
    from tiaodu.investment.models import AnnualPlan
    from tiaodu.projects.models import Project

    Project.objects.filter(pk__in=[sup.project.pk, sup.other.pk]).update(status="under_construction")
    for p in (sup.project, sup.other):
        AnnualPlan.objects.create(project=p, year=2026, amount=Decimal(12000))
    return sup


def remind(day: int, hour: int = 9):
    from tiaodu.supervision.services.monthly_reminders import investment_remind

    with time_machine.travel(datetime.datetime(2026, 11, day, hour, 5, tzinfo=TZ), tick=False):
        return investment_remind().as_json()


def notes(user):
    from tiaodu.supervision.models import Notification

    return list(Notification.objects.filter(recipient=user, kind="investment_reminder"))


def figure(d, project, status, **kw):
    from tiaodu.investment.models import MonthlyInvestment

    return MonthlyInvestment.objects.create(
        project=project,
        year=2026,
        month=11,
        amount=Decimal(800),
        reporting_unit=project.lead_unit,
        status=status,
        counted=status in ("submitted", "verified"),
        **kw,
    )


def test_it_reminds_each_lead_unit_once_in_the_window(month):
    result = remind(22)

    assert (result["as_of"], result["units"], result["projects"]) == ("2026-11-25", 2, 2)
    [note] = notes(month.users["hq"])
    assert note.title == "月度投资提醒：北园大街改造指挥部有1个项目的11月完成投资尚未报送"
    assert "11月完成投资报送截止日期：11月25日" in note.body
    assert "北园大街道路拓宽及两侧整治（ZD-001）" in note.body
    # Not twice: later runs in the window (the deadline day too) send nothing new.
    assert remind(22, 15)["note"] == remind(25, 18)["note"] == "没有需要提醒的单位"
    assert len(notes(month.users["hq"])) == 1


def test_it_reminds_nobody_before_the_window_or_after_the_deadline(month):
    from tiaodu.supervision.models import InvestmentReminder

    assert remind(21, 18)["note"] == "未到提醒时间"
    assert remind(26)["note"] == "已过本月报送截止日"
    assert not InvestmentReminder.objects.exists() and notes(month.users["hq"]) == []


def test_it_does_not_remind_a_unit_that_submitted_its_figure(month):
    figure(month, month.project, "submitted", submitted_by=month.users["hq"])
    figure(month, month.other, "draft")  # a draft is not submitted: still due

    result = remind(23)

    assert (result["units"], result["projects"]) == (1, 1)
    assert notes(month.users["hq"]) == []
    from tiaodu.supervision.models import InvestmentReminder

    assert list(InvestmentReminder.objects.values_list("project__code", flat=True)) == ["ZD-002"]


def test_it_reminds_only_projects_under_way_with_an_annual_plan(month):
    from tiaodu.investment.models import AnnualPlan
    from tiaodu.projects.models import Project

    AnnualPlan.objects.filter(project=month.other).delete()
    Project.objects.filter(pk=month.project.pk).update(status="completed")

    assert remind(24)["note"] == "没有需要提醒的单位"


def test_it_sends_nothing_when_remind_days_before_is_0(month):
    from tiaodu.investment.services_settings import investment_settings_update

    investment_settings_update(user=month.users["office"], data={"remind_days_before": 0})

    assert remind(25)["note"] == "未启用月度投资提醒"
    assert notes(month.users["hq"]) == []


def test_it_follows_a_changed_deadline_day(month):
    from tiaodu.investment.services_settings import investment_settings_update

    investment_settings_update(user=month.users["office"], data={"deadline_day": 20, "remind_days_before": 2})

    assert remind(17)["note"] == "未到提醒时间"
    assert remind(18)["units"] == 2
    assert remind(21)["note"] == "已过本月报送截止日"


def test_it_runs_from_the_command_and_the_job_queue(month):
    import io
    import json

    from django.core.management import call_command

    from tiaodu.supervision.tasks import investment_reminders

    out = io.StringIO()
    call_command("investment_reminders", "--now", "2026-11-22T09:00", stdout=out)
    assert json.loads(out.getvalue())["units"] == 2
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 5, tzinfo=TZ), tick=False):
        assert investment_reminders.call_local()["note"] == "没有需要提醒的单位"
