"""python manage.py security_group [USERNAME GROUP [--remove]]

Lists the members of the three duty groups (三员分立), or adds (removes) a user to (from) one. Meant for
setting up the first 安全保密管理员 and 安全审计员 on the server: with SEPARATION_OF_DUTIES on, only a
security officer changes groups in the admin. Every change lands in the security audit log (as 系统).
"""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from tiaodu.orgs.models import User
from tiaodu.orgs.security.roles import GROUPS


class Command(BaseCommand):
    help = "列出或设置三员分立用户组（系统管理员、安全审计员、安全保密管理员）的成员。"

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="用户名")
        parser.add_argument("group", nargs="?", choices=GROUPS, help="用户组")
        parser.add_argument("--remove", action="store_true", help="从该组移出（默认加入）")

    def handle(self, *args, username, group, remove, **options):
        if not username:
            for name in GROUPS:
                members = Group.objects.get(name=name).user_set.order_by("username")
                self.stdout.write(f"{name}：{'、'.join(u.username for u in members) or '（无）'}")
            return
        if not group:
            raise CommandError(f"请指定用户组：{'、'.join(GROUPS)}")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        target = Group.objects.get(name=group)
        if remove:
            user.groups.remove(target)
            self.stdout.write(f"已将 {username} 移出「{group}」")
        else:
            user.groups.add(target)
            self.stdout.write(f"已将 {username} 加入「{group}」")
