"""Jobs for the huey consumer (`manage.py run_huey`, started by `make run`): the daily sweep and the
sending of new notifications right after the event that caused them."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tiaodu.supervision import delivery
from tiaodu.supervision.services import reports_remind, sweep
from tiaodu.supervision.services.monthly_reminders import investment_remind


@db_periodic_task(crontab(hour="7", minute="0"))
def daily_supervision_sweep():
    """Every day at 07:00 local time: warnings, escalations, project warnings, retries."""
    return sweep().as_json()


@db_periodic_task(crontab(minute="*/10"))
def retry_notifications():
    """Every ten minutes: e-mails and robot messages whose retry time has come."""
    return delivery.send_due()


@db_task()
def deliver_notifications(ids):
    return delivery.send_due(ids=ids)


@db_periodic_task(crontab(minute="*/5"))
def report_reminders():
    """Every five minutes: from the reminder moment until the deadline, the units whose weekly report is
    still due are reminded (once per cycle and unit; see services/reporting.py)."""
    return reports_remind().as_json()


@db_periodic_task(crontab(minute="5", hour="8-18"))
def investment_reminders():
    """Every hour from 08:05 to 18:05: from the reminder day until the monthly deadline, the lead units whose
    projects still miss this month's completed investment are reminded (once per month and unit; see
    services/monthly_reminders.py)."""
    return investment_remind().as_json()
