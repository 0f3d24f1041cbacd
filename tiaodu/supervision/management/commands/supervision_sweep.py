"""python manage.py supervision_sweep [--now YYYY-MM-DDTHH:MM] [--no-deliver]"""

import json

from django.core.management.base import BaseCommand

from tiaodu.supervision.management.moment import HELP as NOW_HELP
from tiaodu.supervision.management.moment import now_option
from tiaodu.supervision.services import sweep


class Command(BaseCommand):
    help = "督查督办定时处理：提醒、黄牌、红牌、难题超时上升、项目预警、通知发送与重试；输出JSON摘要"

    def add_arguments(self, parser):
        parser.add_argument("--now", help=NOW_HELP)
        parser.add_argument(
            "--no-deliver", action="store_true", help="只写站内通知和待发送记录，不发送邮件和群消息"
        )

    def handle(self, *args, **options):
        now = now_option(options.get("now"), example="2026-06-01T07:00")
        summary = sweep(now=now, deliver=not options["no_deliver"])
        self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False))
