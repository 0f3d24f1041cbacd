"""python manage.py make_briefing --as-of YYYY-MM-DD [--out DIR] [--user USERNAME]"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tiaodu.briefings.services import briefing_generate
from tiaodu.core.actors import command_user
from tiaodu.core.params import BadParameter, date_param


class Command(BaseCommand):
    help = "生成调度通报（第N期）：Word、PDF和Excel三个文件，登记到文档中心，并打印三个文件的路径。"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="截至日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--out", help="另将三个文件写入该目录")
        parser.add_argument("--user", help="以该用户名义生成（须为领导小组办公室或管理员）；默认以系统名义")

    def handle(self, *args, as_of=None, out=None, user=None, **options):
        try:
            day = date_param({"as_of": as_of}, "as_of", label="截至日期", default=timezone.localdate())
        except BadParameter as exc:
            raise CommandError(exc.message)
        actor = command_user(user)
        try:
            result = briefing_generate(as_of=day, user=actor, out_dir=Path(out) if out else None)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("；".join(messages))
        self.stderr.write(
            f"已生成{result.briefing}（截至{day.year}年{day.month}月{day.day}日，"
            f"{result.briefing.summary.get('pages')}页，用时{result.briefing.seconds}秒）"
        )
        for path in result.paths:
            self.stdout.write(str(path))
