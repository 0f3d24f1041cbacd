"""python manage.py progress_status [--as-of YYYY-MM-DD] [--json] [--user USERNAME] [--fresh]"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tiaodu.core.actors import command_user
from tiaodu.core.params import BadParameter, date_param
from tiaodu.progress.figures import ProgressStatus, behind, status_json, summary_sentence
from tiaodu.progress.selectors import progress_status


class Command(BaseCommand):
    help = "按截至日期输出进度总览（计划与实际、滞后项目、未报送项目、单位排名）；--json 输出机器可读的JSON。"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="截至日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--json", dest="as_json", action="store_true", help="输出JSON")
        parser.add_argument("--user", help="按该用户可见的项目统计（默认全部项目）")
        parser.add_argument("--fresh", action="store_true", help="不使用已保存的快照，重新计算")

    def handle(self, *args, as_of, as_json, user, fresh, **options):
        try:
            day = date_param({"as_of": as_of}, "as_of", label="截至日期", default=timezone.localdate())
        except BadParameter as exc:
            raise CommandError(exc.message)
        actor = command_user(user)
        status = progress_status(user=actor, as_of=day, include_indicators=as_json, fresh=fresh)
        if as_json:
            self.stdout.write(json.dumps(status_json(status), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(report_lines(status)))


def report_lines(status: ProgressStatus) -> list[str]:
    """The overview as text: the sentence per type, the lagging projects, missing reports, the ranking."""
    day = status.as_of
    lines = [f"截至{day.year}年{day.month}月{day.day}日"]
    lines += [summary_sentence(key, summary) for key, summary in status.summary.items()]
    lagging = behind(status.projects)
    lines.append(f"滞后项目 {len(lagging)} 个：")
    for p in lagging:
        lines.append(
            f"  [{p.level_label}] {p.code} {p.name}  {p.lag_text}  "
            f"综合进度 计划{_pct(p.planned_pct)} 实际{_pct(p.actual_pct)}  责任单位：{'、'.join(p.units)}"
        )
    missing = status.missing_reports
    lines.append(f"近7日未报送周报的项目 {len(missing)} 个" + ("：" if missing else ""))
    for m in missing:
        lines.append(
            f"  {m.code} {m.name}  最近报送：{m.last_report.isoformat() if m.last_report else '从未报送'}"
        )
    lines.append("单位排名（按按期率、平均滞后天数）：")
    for i, u in enumerate(status.units, start=1):
        lines.append(
            f"  {i}. {u.unit}  项目{u.projects}个，正常{u.on_time}个，"
            f"按期率{u.on_time_share * 100:.1f}%，平均滞后{u.avg_lag}个工作日"
        )
    return lines


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1f}%"
