"""The weekly automatic briefing (huey periodic task) and its schedule."""

import datetime

from tiaodu.briefings import tasks
from tiaodu.briefings.models import Briefing


def test_it_runs_on_fridays_at_half_past_eight_by_default(settings):
    settings.BRIEFING_CRON = ""
    check = tasks.schedule()
    assert check(datetime.datetime(2026, 11, 27, 8, 30))  # a Friday
    assert not check(datetime.datetime(2026, 11, 27, 8, 31))
    assert not check(datetime.datetime(2026, 11, 26, 8, 30))
    assert tasks.schedule_text() == "每周五 08:30"
    settings.BRIEFING_CRON = "0 9 * * 1"
    assert tasks.schedule()(datetime.datetime(2026, 11, 30, 9, 0))
    assert tasks.schedule_text() == "每周一 09:00"


def test_it_generates_the_weekly_briefing_once_and_not_on_holidays(district, frozen):
    briefing = tasks.run_weekly(datetime.date(2026, 11, 27))
    assert briefing is not None and briefing.automatic and briefing.number == 1
    assert briefing.created_by is None
    assert tasks.run_weekly(datetime.date(2026, 11, 27)) is None  # already there
    assert tasks.run_weekly(datetime.date(2026, 10, 2)) is None  # National Day holiday
    assert Briefing.objects.count() == 1


def test_it_is_registered_as_a_periodic_huey_task():
    from huey.contrib.djhuey import HUEY

    names = {t.__name__ for t in HUEY._registry._periodic_tasks}
    assert "weekly_briefing" in names
