"""python manage.py schedule PROJECT_CODE [--json] [--user USERNAME]"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tiaodu.core.actors import command_user
from tiaodu.projects.models import Project
from tiaodu.scheduling import engine
from tiaodu.scheduling.calendar import MODE_LABELS
from tiaodu.scheduling.selectors import ScheduleUnavailable, project_schedule, visible_project


class Command(BaseCommand):
    help = "按倒排工期计算项目的早、迟开始与完成日期、总时差和关键路径。"

    def add_arguments(self, parser):
        parser.add_argument("code", help="项目编号")
        parser.add_argument(
            "--json", action="store_true", help="输出 JSON（与 GET /api/v1/projects/{code}/schedule 相同）"
        )
        parser.add_argument("--user", help="以该用户的可见范围计算；默认为系统（可见全部项目）")

    def handle(self, *args, code, json: bool, user, **options):
        try:
            actor = command_user(user)
            project = visible_project(user=actor, code=code)
            schedule = project_schedule(project)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages))
        except Project.DoesNotExist:
            raise CommandError(f"项目不存在或无权查看：{code}")
        except (ScheduleUnavailable, engine.ScheduleError) as exc:
            raise CommandError(str(exc))
        if json:
            self.stdout.write(_dumps(schedule.as_json()))
            return
        self.stdout.write(f"项目 {project.code} {project.name}")
        self.stdout.write(
            f"开工 {schedule.start}  完成时限 {schedule.deadline}  日历 {MODE_LABELS[schedule.mode]}"
        )
        state = "可按期完成" if schedule.feasible else "无法按期完成"
        self.stdout.write(f"最小总时差 {schedule.min_float} 个工作日（{state}）")
        self.stdout.write("关键路径 " + " → ".join(schedule.critical_path))
        for warning in schedule.warnings:
            self.stdout.write(self.style.WARNING(f"注意：{warning}"))
        self.stdout.write("编号\t工期\t最早开始\t最早完成\t最迟开始\t最迟完成\t总时差\t关键\t名称")
        for t in schedule.tasks:
            self.stdout.write(
                f"{t.code}\t{t.duration}\t{t.early_start}\t{t.early_finish}\t{t.late_start}\t{t.late_finish}\t"
                f"{t.total_float}\t{'是' if t.critical else ''}\t{t.name}"
            )


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
