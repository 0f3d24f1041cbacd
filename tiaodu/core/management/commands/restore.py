"""`python manage.py restore ARCHIVE [--noinput]`: put back the database and files of a backup."""

from django.core.management.base import BaseCommand, CommandError

from tiaodu.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "从备份恢复数据库和上传的文件（替换当前全部数据）"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="manage.py backup 生成的 .tar.gz 文件")
        parser.add_argument("--noinput", action="store_true", help="不询问确认（用于脚本）")

    def handle(self, *args, **options):
        if not options["noinput"]:
            answer = input("恢复将替换当前数据库的全部数据和上传的文件。确认恢复请输入 yes：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，未做任何修改。")
        try:
            manifest = backup_restore(archive=options["archive"])
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复完成：{options['archive']}（备份时间 {manifest['created']}，文件 {len(manifest['media'])} 个）。"
                "请重启网站和后台任务进程。"
            )
        )
