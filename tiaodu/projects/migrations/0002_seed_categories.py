from django.db import migrations

CATEGORIES = ["道路", "河道", "棚户区改造", "拆违", "平改坡", "小区整治", "亮化", "绿化", "其他"]


def seed(apps, schema_editor):
    Category = apps.get_model("projects", "Category")
    for i, name in enumerate(CATEGORIES):
        Category.objects.get_or_create(name=name, defaults={"sort_order": (i + 1) * 10})


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
