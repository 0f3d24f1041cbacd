"""`python manage.py load_demo [--if-empty] [--today YYYY-MM-DD]`: load the demo district."""

from django.core.management.base import BaseCommand, CommandError

from tiaodu.core.params import BadParameter, date_param
from tiaodu.demo.loader import load_demo
from tiaodu.projects.models import Project

CREATED_LABELS = [
    ("units", "单位", "个"),
    ("people", "人员", "名"),
    ("accounts", "演示账户", "个"),
    ("projects", "项目", "个"),
    ("indicators", "目标指标", "项"),
    ("letters", "目标责任书", "份"),
    ("letter_items", "责任书目标事项", "项"),
    ("schedules", "倒排工期计划", "个"),
    ("reports", "周报", "份"),
    ("problems", "难题", "个"),
    ("meetings", "调度会", "次"),
    ("items", "督办事项", "项"),
    ("accountability", "问责记录", "条"),
    ("baseline_changes", "待审批计划变更", "项"),
    ("funding_plans", "资金计划", "条"),
    ("annual_plans", "年度计划", "个"),
    ("monthly_figures", "月度投资统计", "条"),
    ("fund_arrivals", "资金到位记录", "条"),
    ("briefings", "调度通报", "期"),
    ("uploads", "文档", "份"),
]


class Command(BaseCommand):
    help = "加载演示数据（天桥区重点工程与综合整治演示辖区、演示账户）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库中已有项目时不加载（供 make run 使用）"
        )
        parser.add_argument("--today", help="以该日期（YYYY-MM-DD）为“今天”计算演示数据的日期，默认为当天")

    def handle(self, *args, **options):
        if options["if_empty"] and Project.objects.exists():
            self.stdout.write("数据库中已有项目，演示数据不再加载。")
            return
        try:
            today = date_param(options, "today", label="--today")
        except BadParameter as exc:
            raise CommandError(exc.message)

        try:
            result = load_demo(today=today)
        except RuntimeError as exc:
            raise CommandError(str(exc))

        parts = [
            f"{label}{result.created[key]}{measure}"
            for key, label, measure in CREATED_LABELS
            if result.created[key]
        ]
        if parts:
            self.stdout.write(
                self.style.SUCCESS(f"演示数据已加载（基准日期 {result.today}）：" + "、".join(parts) + "。")
            )
        else:
            self.stdout.write("演示数据已存在，未新增任何记录。")
        if result.investment:
            self.stdout.write(f"投资完成情况：{result.investment}")
        self.stdout.write(self._account_table(result.accounts))

    @staticmethod
    def _account_table(accounts: list[dict]) -> str:
        headers = ["用户名", "密码", "角色", "单位", "姓名", "可见范围"]
        rows = [[a["username"], a["password"], a["role"], a["unit"], a["name"], a["sees"]] for a in accounts]
        widths = [max(_width(r[i]) for r in [headers, *rows]) for i in range(len(headers) - 1)]
        lines = ["", "演示账户："]
        for row in [headers, *rows]:
            cells = [_pad(cell, widths[i]) for i, cell in enumerate(row[:-1])]
            lines.append("  " + "  ".join(cells) + "  " + row[-1])
        return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
