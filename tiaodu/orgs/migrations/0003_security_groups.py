"""三员分立: the groups 系统管理员, 安全审计员 and 安全保密管理员 with the Django permissions of their duties
(see tiaodu/orgs/security/roles.py). Permissions are created first: on a new database they would
otherwise appear only after all migrations (post_migrate)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "系统管理员": [
        ("orgs", "add_user"), ("orgs", "change_user"), ("orgs", "view_user"),
        ("orgs", "add_unit"), ("orgs", "change_unit"), ("orgs", "view_unit"),
        ("orgs", "add_person"), ("orgs", "change_person"), ("orgs", "view_person"),
        ("auth", "view_group"),
        ("axes", "view_accessattempt"), ("axes", "view_accesslog"), ("axes", "view_accessfailurelog"),
    ],
    "安全保密管理员": [
        ("orgs", "view_user"), ("orgs", "change_user"),
        ("auth", "add_group"), ("auth", "change_group"), ("auth", "view_group"), ("auth", "view_permission"),
        ("axes", "view_accessattempt"), ("axes", "delete_accessattempt"),
    ],
    "安全审计员": [
        ("orgs", "view_securityevent"), ("orgs", "view_user"), ("auth", "view_group"),
        ("axes", "view_accessattempt"), ("axes", "view_accesslog"), ("axes", "view_accessfailurelog"),
    ],
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codes:
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_security_controls"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "__latest__"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
