"""python manage.py import_reports PATH [--user USERNAME]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tiaodu.core.actors import command_user
from tiaodu.orgs.security import security_event_log
from tiaodu.progress.importer import reports_import


class Command(BaseCommand):
    help = (
        "导入周报（.xlsx，工作表「周报」：项目编号 | 截至日期 | 指标名称 | 累计完成量 | 累计完成投资(万元) | 形象进度 | "
        "存在问题），按已提交记录。全部正确才写入，任何一处错误都不写入并列出全部错误。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="周报文件（.xlsx）")
        parser.add_argument(
            "--user", help="填报用户（用户名，须为项目的填报单位用户或领导小组办公室用户）；默认为“系统”"
        )

    def handle(self, *args, path, user, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件不存在：{path}")
        actor = command_user(user)
        result = reports_import(user=actor, path_or_file=file, source="import")
        security_event_log(kind="import", user=actor, target=f"周报文件 {file}", detail=result.summary())
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.summary())
        for warning in result.warnings:
            self.stdout.write(f"提示：{warning}")
        self.stdout.write(result.summary())
