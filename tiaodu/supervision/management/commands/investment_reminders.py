"""python manage.py investment_reminders [--now YYYY-MM-DDTHH:MM]"""

import json

from django.core.management.base import BaseCommand

from tiaodu.supervision import delivery
from tiaodu.supervision.management.moment import HELP as NOW_HELP
from tiaodu.supervision.management.moment import now_option
from tiaodu.supervision.services.monthly_reminders import investment_remind


class Command(BaseCommand):
    help = "月度投资截止前提醒：提醒期内仍未报送当月完成投资的牵头单位各收到一条提醒（每月每单位一次）；输出JSON摘要"

    def add_arguments(self, parser):
        parser.add_argument("--now", help=NOW_HELP)

    def handle(self, *args, **options):
        now = now_option(options.get("now"), example="2026-11-22T09:00")
        result = investment_remind(now=now)
        sent, failed = delivery.send_due(now=now)
        self.stdout.write(
            json.dumps({**result.as_json(), "sent": sent, "failed": failed}, ensure_ascii=False)
        )
