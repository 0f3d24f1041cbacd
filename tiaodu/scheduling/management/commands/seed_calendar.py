"""python manage.py seed_calendar: add the chinesecalendar years (2004–2026) missing from the table."""

from django.core.management.base import BaseCommand

from tiaodu.scheduling.models import CalendarDay, CalendarYear
from tiaodu.scheduling.seed import seed_calendar


class Command(BaseCommand):
    help = "补录预置的国家法定节假日安排（已录入的年度不变）。迁移时已自动执行。"

    def handle(self, *args, **options):
        created = seed_calendar(CalendarYear, CalendarDay)
        if created:
            self.stdout.write(f"已录入 {created[0]}–{created[-1]} 年共 {len(created)} 个年度的节假日安排")
        else:
            self.stdout.write("数据包中的年度均已录入")
