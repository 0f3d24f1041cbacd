"""`python manage.py backup [--output PATH]`: the database and the uploaded files in one archive."""

from django.core.management.base import BaseCommand, CommandError

from tiaodu.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库和上传的文件（一个 .tar.gz 文件，默认在 var/backups/ 下）"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="备份文件的路径或目录（默认 var/backups/tiaodu-时间.tar.gz）")

    def handle(self, *args, **options):
        try:
            result = backup_create(output=options["output"])
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{result.path}（{result.engine} 数据库，文件 {result.files} 个，"
                f"共 {result.bytes / 1024 / 1024:.1f} MB）"
            )
        )
