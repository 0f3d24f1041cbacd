"""python manage.py supervision_sweep [--now YYYY-MM-DDTHH:MM] [--no-deliver]"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tiaodu.supervision.services import sweep


class Command(BaseCommand):
    help = "督查督办定时处理：提醒、黄牌、红牌、难题超时上升、项目预警、通知发送与重试；输出JSON摘要"

    def add_arguments(self, parser):
        parser.add_argument("--now", help="按此时刻处理（本地时间，YYYY-MM-DDTHH:MM），默认为当前时间")
        parser.add_argument(
            "--no-deliver", action="store_true", help="只写站内通知和待发送记录，不发送邮件和群消息"
        )

    def handle(self, *args, **options):
        now = None
        if options.get("now"):
            try:
                naive = datetime.datetime.strptime(options["now"].strip(), "%Y-%m-%dT%H:%M")
            except ValueError:
                raise CommandError(
                    f"--now 格式应为 YYYY-MM-DDTHH:MM，例如 2026-06-01T07:00，收到「{options['now']}」"
                )
            now = timezone.make_aware(naive)
        summary = sweep(now=now, deliver=not options["no_deliver"])
        self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False))
