"""python manage.py progress_status [--as-of YYYY-MM-DD] [--json] [--user USERNAME]"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tiaodu.core.actors import command_user
from tiaodu.core.params import BadParameter, date_param
from tiaodu.progress.analysis import LEVEL_LABELS
from tiaodu.progress.overview import progress_status, summary_sentence


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
        data = progress_status(user=actor, as_of=day, include_indicators=as_json, fresh=fresh)
        if as_json:
            self.stdout.write(_dumps(data))
            return
        self.stdout.write(f"截至{day.year}年{day.month}月{day.day}日")
        for key, summary in data["summary"].items():
            self.stdout.write(summary_sentence(key, summary))
        lagging = [p for p in data["projects"] if p["level"] != "normal"]
        lagging.sort(key=lambda p: (p["level"] != "severe", -p["lag_days"], p["code"]))
        self.stdout.write(f"滞后项目 {len(lagging)} 个：")
        for p in lagging:
            self.stdout.write(
                f"  [{LEVEL_LABELS[p['level']]}] {p['code']} {p['name']}  滞后{p['lag_days']}个工作日  "
                f"计划{_pct(p['planned_pct'])} 实际{_pct(p['actual_pct'])}  责任单位：{'、'.join(p['units'])}"
            )
        missing = data["missing_reports"]
        self.stdout.write(f"近7日未报送周报的项目 {len(missing)} 个" + ("：" if missing else ""))
        for p in missing:
            self.stdout.write(f"  {p['code']} {p['name']}  最近报送：{p['last_report'] or '从未报送'}")
        self.stdout.write("单位排名（按按期率、平均滞后天数）：")
        for i, u in enumerate(data["units"], start=1):
            self.stdout.write(
                f"  {i}. {u['unit']}  项目{u['projects']}个，正常{u['on_time']}个，"
                f"按期率{u['on_time_share'] * 100:.1f}%，平均滞后{u['avg_lag']}个工作日"
            )


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
