"""python manage.py import_ledger PATH [--dry-run] [--user USERNAME]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tiaodu.core.actors import command_user
from tiaodu.orgs.security import security_event_log
from tiaodu.projects.ledger import ledger_import
from tiaodu.projects.permissions import ledger_can_import


class Command(BaseCommand):
    help = "导入项目台账（.xlsx）：全部正确才写入，任何一处错误都不写入并列出全部错误。"
    # The system checks import every URL module and view (≈0.5 s of a 20,000-project import); they run
    # with migrate, runserver and check, and nothing here depends on them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="台账文件（.xlsx）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并列出将要发生的变更，不写入")
        parser.add_argument(
            "--user", help="记入变更记录的操作用户（用户名，须为管理员或领导小组办公室用户）；默认为“系统”"
        )

    def handle(self, *args, path, dry_run, user, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件不存在：{path}")
        actor = command_user(user)
        if not ledger_can_import(user=actor):
            raise CommandError(f"用户「{user}」无权导入台账（须为系统管理员或领导小组办公室用户）")
        result = ledger_import(user=actor, path_or_file=file, dry_run=dry_run)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            self.stderr.flush()
            raise CommandError(result.summary_lines()[0])
        security_event_log(
            kind="import", user=actor, target=f"台账 {file}", detail="仅检查" if dry_run else ""
        )
        for line in result.summary_lines():
            self.stdout.write(line)
        if dry_run:
            lines = result.change_lines()
            if lines:
                self.stdout.write("变更明细（每类最多显示前50项）：")
                for line in lines:
                    self.stdout.write("  " + line)
            if result.new_people:
                self.stdout.write(
                    "将新建的人员：" + "、".join(f"{p['name']}（{p['unit']}）" for p in result.new_people)
                )
        sys.stdout.flush()
