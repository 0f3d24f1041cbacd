"""python manage.py report_reminders [--now YYYY-MM-DDTHH:MM]"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tiaodu.supervision import delivery
from tiaodu.supervision.services import reports_remind


class Command(BaseCommand):
    help = "周报截止前提醒：到提醒时间仍未报送的填报单位各收到一条提醒（每周期每单位一次）；输出JSON摘要"

    def add_arguments(self, parser):
        parser.add_argument("--now", help="按此时刻处理（本地时间，YYYY-MM-DDTHH:MM），默认为当前时间")

    def handle(self, *args, **options):
        now = None
        if options.get("now"):
            try:
                naive = datetime.datetime.strptime(options["now"].strip(), "%Y-%m-%dT%H:%M")
            except ValueError:
                raise CommandError(
                    f"--now 格式应为 YYYY-MM-DDTHH:MM，例如 2026-12-02T17:00，收到「{options['now']}」"
                )
            now = timezone.make_aware(naive)
        result = reports_remind(now=now)
        sent, failed = delivery.send_due(now=now)
        self.stdout.write(
            json.dumps({**result.as_json(), "sent": sent, "failed": failed}, ensure_ascii=False)
        )
