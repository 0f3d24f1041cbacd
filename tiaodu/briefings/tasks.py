"""The weekly briefing, run by the huey consumer that `make run` starts beside the web server.

Schedule: settings.BRIEFING_CRON, a crontab line "minute hour day month day-of-week" (0 = Sunday);
default "30 8 * * 5", Fridays at 08:30 local time: after the Thursday 17:00 reporting deadline and the
07:00 supervision sweep. The run is skipped on a statutory holiday and when a briefing for the day exists.
"""

import logging

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tiaodu.briefings.models import Briefing
from tiaodu.core.actors import SYSTEM
from tiaodu.scheduling.selectors import work_calendar

log = logging.getLogger(__name__)
DEFAULT_CRON = "30 8 * * 5"


def schedule():
    text = getattr(settings, "BRIEFING_CRON", "") or DEFAULT_CRON
    parts = text.split()
    if len(parts) != 5:
        log.error("BRIEFING_CRON须为5段（分 时 日 月 周），已改用默认值 %s", DEFAULT_CRON)
        parts = DEFAULT_CRON.split()
    minute, hour, day, month, day_of_week = parts
    return crontab(minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week)


def is_working_day(day) -> bool:
    try:
        return work_calendar().is_working(day)
    except Exception:  # no calendar for that year: Monday to Friday
        return day.weekday() < 5


def run_weekly(today=None):
    """Generate today's briefing unless it is a holiday or one exists already. Returns the briefing or None."""
    from tiaodu.briefings.services import briefing_generate

    today = today or timezone.localdate()
    if not is_working_day(today):
        log.info("调度通报：%s为法定节假日，本次不生成", today)
        return None
    if Briefing.objects.filter(as_of=today, state=Briefing.State.READY).exists():
        return None
    return briefing_generate(as_of=today, user=SYSTEM, automatic=True).briefing


@db_periodic_task(schedule())
def weekly_briefing():
    briefing = run_weekly()
    return str(briefing) if briefing else None


WEEKDAYS = {"0": "日", "1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六", "7": "日"}


def schedule_text() -> str:
    """The schedule in words for the briefing page: 每周五 08:30."""
    text = getattr(settings, "BRIEFING_CRON", "") or DEFAULT_CRON
    parts = text.split()
    if len(parts) == 5 and parts[0].isdigit() and parts[1].isdigit() and parts[2:4] == ["*", "*"]:
        days = parts[4].split(",")
        if all(d in WEEKDAYS for d in days):
            names = "、".join("周" + WEEKDAYS[d] for d in days)
            return f"每{names} {int(parts[1]):02d}:{int(parts[0]):02d}"
    return f"按计划“{text}”"
