"""python manage.py progress_snapshots [--as-of YYYY-MM-DD ...] — store the overview now."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tiaodu.core.params import BadParameter, date_param
from tiaodu.progress import overview, selectors


class Command(BaseCommand):
    help = (
        "保存进度总览快照（默认今天及最近两个报送周期；数据有变化时重新计算）。"
        "项目数少于 PROGRESS_SNAPSHOT_MIN_PROJECTS 时不保存。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", action="append", help="截至日期 YYYY-MM-DD（可重复）")

    def handle(self, *args, as_of, **options):
        today = timezone.localdate()
        try:
            dates = [
                date_param({"as_of": raw}, "as_of", label="截至日期", default=today) for raw in as_of or []
            ]
        except BadParameter as exc:
            raise CommandError(exc.message)
        dates = dates or selectors.snapshot_dates(timezone.localtime())
        stored = overview.snapshots_refresh(dates=dates)
        kept = ", ".join(d.isoformat() for d in sorted(set(dates)))
        self.stdout.write(f"快照日期：{kept}；重新计算：{', '.join(d.isoformat() for d in stored) or '无'}")
