"""python manage.py investment_status [--month YYYY-MM] [--json] [--user USERNAME]"""

import json

from django.core.management.base import BaseCommand, CommandError

from tiaodu.core.actors import command_user
from tiaodu.core.params import BadParameter
from tiaodu.investment import figures
from tiaodu.investment.month_params import month_param
from tiaodu.investment.selectors import default_month, investment_status


class Command(BaseCommand):
    help = (
        "按月输出投资完成情况（年度计划投资、当月、年初至今累计、占年度计划、与时间进度比、新开工、资金到位率）；"
        "--json 输出机器可读的JSON（与 GET /api/v1/investment 相同）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="报告月份 YYYY-MM（默认本月）")
        parser.add_argument("--json", dest="as_json", action="store_true", help="输出JSON")
        parser.add_argument("--user", help="按该用户可见的项目统计（默认全部项目）")

    def handle(self, *args, month, as_json, user, **options):
        try:
            year, m = month_param({"month": month}, "month", label="报告月份", default=default_month())
        except BadParameter as exc:
            raise CommandError(exc.message)
        status = investment_status(user=command_user(user), year=year, month=m)
        if as_json:
            self.stdout.write(json.dumps(figures.status_json(status), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(report_lines(status)))


def report_lines(status: figures.InvestmentStatus) -> list[str]:
    """The figures as text: the sentences, the units ranked by ytd_pct, the funding gaps."""
    lines = [
        f"{status.year}年{status.month}月 投资完成情况（时间进度{figures.pct_text(status.time_progress_pct)}）"
    ]
    lines += [figures.summary_sentence(status, key) for key in status.summary if key != "all"]
    lines.insert(1, figures.summary_sentence(status))
    lines.append("牵头单位（按占年度计划高者在前）：")
    for i, u in enumerate(status.units, start=1):
        lines.append(
            f"  {i}. {u.unit}  年度计划{figures.money_text(u.annual_plan)}万元，"
            f"年初至今累计{figures.money_text(u.ytd)}万元，占年度计划{figures.pct_text(u.ytd_pct)}，"
            f"与时间进度比{figures.pct_text(u.ahead_of_time_pp, sign=True)}个百分点"
        )
    gaps = status.funding_gaps
    lines.append(f"资金缺口项目 {len(gaps)} 个" + ("：" if gaps else ""))
    for p in gaps:
        lines.append(
            f"  {p.code} {p.name}  到位率{figures.pct_text(p.funds_rate)}，"
            f"低于时间进度{figures.pct_text(status.time_progress_pct - p.funds_rate)[:-1]}个百分点"
        )
    return lines
