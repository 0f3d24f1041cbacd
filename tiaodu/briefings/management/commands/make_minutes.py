"""python manage.py make_minutes MEETING_ID [--out DIR] [--user USERNAME]"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from tiaodu.briefings.minutes import minutes_generate
from tiaodu.core.actors import command_user
from tiaodu.supervision.models import Meeting


class Command(BaseCommand):
    help = "生成调度会的会议纪要（调度会纪要〔年〕N号）：Word和PDF两个文件，登记到文档中心，通知责任单位，并打印文件路径。"

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", help="调度会编号（调度会页面地址 /meetings/编号/ 中的数字）")
        parser.add_argument("--out", help="另将两个文件写入该目录")
        parser.add_argument(
            "--user", help="以该用户名义生成（须为督查室、领导小组办公室或管理员）；默认以系统名义"
        )

    def handle(self, *args, meeting_id, out=None, user=None, **options):
        if not str(meeting_id).isdigit():
            raise CommandError(f"调度会编号须为正整数：{meeting_id}")
        meeting = Meeting.objects.filter(pk=int(meeting_id)).first()
        if meeting is None:
            raise CommandError(f"不存在编号为{meeting_id}的调度会")
        actor = command_user(user)
        try:
            result = minutes_generate(user=actor, meeting=meeting, out_dir=Path(out) if out else None)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("；".join(messages))
        version = f"（第{result.minutes.revision}版）" if result.minutes.revision > 1 else ""
        told = f"，已通知{len(result.units)}个责任单位" if result.units else ""
        self.stderr.write(
            f"已生成{meeting.title}的会议纪要{result.minutes}{version}，共{result.pdf.page_count}页{told}"
        )
        for path in result.paths:
            self.stdout.write(str(path))
