"""Jobs for the huey consumer (`make run` starts it): keep the stored overview current."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tiaodu.progress import overview, selectors


@db_periodic_task(crontab(minute="*"))
def refresh_progress_snapshots():
    """Every minute: store the overview of today and of the last two reporting cycles again when what it
    depends on changed (projects, indicators, schedules, the calendar, the settings); a few aggregate
    queries when nothing did. Below PROGRESS_SNAPSHOT_MIN_PROJECTS projects nothing is stored."""
    dates = selectors.snapshot_dates(timezone.localtime())
    return [day.isoformat() for day in overview.snapshots_refresh(dates=dates)]
