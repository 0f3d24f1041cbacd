"""python manage.py export_ledger PATH [--user USERNAME]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tiaodu.core.actors import command_user
from tiaodu.orgs.security import security_event_log
from tiaodu.scheduling.ledger_sheet import full_ledger_export


class Command(BaseCommand):
    help = "导出项目台账（.xlsx）：单位、项目、目标指标三个工作表（可修改后重新导入）及只读的进度计划工作表。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="输出文件（.xlsx）")
        parser.add_argument("--user", help="只导出该用户可见的项目（用户名）；默认导出全部")

    def handle(self, *args, path, user, **options):
        actor = command_user(user)
        target = Path(path)
        if not target.parent.is_dir():
            raise CommandError(f"目录不存在：{target.parent}")
        counts = full_ledger_export(user=actor, path_or_file=target)
        security_event_log(kind="export", user=actor, target=f"项目台账 {target}", detail="命令行导出")
        self.stdout.write(
            f"已导出 {target}：单位 {counts['units']} 个，项目 {counts['projects']} 个，"
            f"目标指标 {counts['indicators']} 个"
        )
