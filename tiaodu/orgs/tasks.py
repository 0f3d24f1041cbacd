"""Jobs for the huey consumer: the daily pruning of the security audit log past its retention."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tiaodu.orgs.security.events import security_events_prune


@db_periodic_task(crontab(hour="3", minute="30"))
def prune_security_events():
    """Every day at 03:30 local time: delete audit-log events older than AUDIT_RETENTION_DAYS (≥ 180)."""
    return security_events_prune()
