"""python manage.py screen_link NAME [--base-url URL] | --revoke NAME: make or stop a kiosk link of the
big screen (大屏免登录链接)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tiaodu.command import kiosk
from tiaodu.command.models import KioskLink
from tiaodu.core.actors import SYSTEM


class Command(BaseCommand):
    help = "生成大屏免登录链接（打印完整链接，只显示这一次）；--revoke 停用指定名称的链接"

    def add_arguments(self, parser):
        parser.add_argument("name", help="链接名称，例如：三楼会议室大屏")
        parser.add_argument("--revoke", action="store_true", help="停用该名称的链接")
        parser.add_argument(
            "--base-url",
            default="",
            help=f"链接的网站地址（默认取 SITE_URL 设置，未设置时为 {kiosk.DEFAULT_BASE_URL}）",
        )

    def handle(self, *args, name, revoke, base_url, **options):
        if revoke:
            links = KioskLink.objects.filter(name=" ".join(name.split()))
            link = links.filter(revoked_at__isnull=True).first() or links.first()
            if link is None:
                raise CommandError(f"没有名为「{name}」的大屏链接")
            if not link.active:
                raise CommandError(f"大屏链接「{link.name}」此前已停用")
            kiosk.kiosk_revoke(user=SYSTEM, link=link, source="command")
            self.stdout.write(f"已停用大屏链接「{link.name}」")
            return
        try:
            link, token = kiosk.kiosk_create(user=SYSTEM, name=name, source="command")
        except ValidationError as exc:
            raise CommandError("；".join(m for ms in exc.message_dict.values() for m in ms)) from None
        self.stdout.write(kiosk.kiosk_url(token, base_url or None))
