"""python manage.py import_investment PATH [--user USERNAME]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tiaodu.core.actors import command_user
from tiaodu.investment.importer_monthly import monthly_import
from tiaodu.orgs.security import security_event_log


class Command(BaseCommand):
    help = (
        "导入月度投资（.xlsx，工作表「月度投资」：项目编号 | 年月 | 当月完成投资(万元)），按已提交记录并计入统计"
        "（已有的同月数据生成新版本）。全部正确才写入，任何一处错误都不写入并列出全部错误。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="月度投资文件（.xlsx）")
        parser.add_argument(
            "--user", help="填报用户（用户名，须为项目牵头单位用户或领导小组办公室用户）；默认为“系统”"
        )

    def handle(self, *args, path, user, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件不存在：{path}")
        actor = command_user(user)
        result = monthly_import(user=actor, path_or_file=file, source="import")
        security_event_log(kind="import", user=actor, target=f"月度投资文件 {file}", detail=result.summary())
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
