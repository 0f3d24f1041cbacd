"""python manage.py import_schedule PROJECT_CODE PATH [--project KEY] [--user USERNAME]"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tiaodu.core.actors import command_user
from tiaodu.core.errors import NotAllowed
from tiaodu.orgs.security import security_event_log
from tiaodu.projects.models import Project
from tiaodu.scheduling.importers import ScheduleFileError
from tiaodu.scheduling.mpxj_open import ProjectChoiceNeeded
from tiaodu.scheduling.selectors import visible_project
from tiaodu.scheduling.services import schedule_import


class Command(BaseCommand):
    help = (
        "导入项目的工期计划并替换原有任务：.xlsx（工作表「计划」）、MS Project（.mpp、.mpx、.xml）或 Primavera P6"
        "（.xer、.xml、.pmxml）。全部正确才写入，任何一处错误都不写入并列出全部错误；之后打印导入报告的要点。"
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="项目编号")
        parser.add_argument("path", help="计划文件（.xlsx、.mpp、.mpx、.xml、.xer 或 .pmxml）")
        parser.add_argument(
            "--project", dest="choice", help="文件含多个项目时要导入的项目（代码见未指定时的提示）"
        )
        parser.add_argument("--user", help="记入变更记录的操作用户（须有权编辑该项目）；默认为“系统”")

    def handle(self, *args, code, path, user, choice=None, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            actor = command_user(user)
            project = visible_project(user=actor, code=code)
            count, notices = schedule_import(
                user=actor, project=project, path=file, filename=file.name, source="command", choice=choice
            )
        except Project.DoesNotExist:
            raise CommandError(f"项目不存在或无权查看：{code}")
        except NotAllowed as exc:
            raise CommandError(str(exc))
        except ProjectChoiceNeeded as exc:
            for option in exc.choices:
                self.stderr.write(f"  --project {option.key}    {option.name}（{option.task_count}项任务）")
            raise CommandError(f"{exc.messages[0]}：请用 --project 指定，未写入任何数据")
        except ScheduleFileError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(f"导入失败：共{len(exc.errors)}处错误，未写入任何数据")
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages))
        security_event_log(kind="import", user=actor, target=f"{code} 工期计划 {file}")
        for notice in notices:
            self.stdout.write(notice)
        self.stdout.write(f"已导入 {count} 项任务，替换了项目 {project.code} 原有的工期计划")
