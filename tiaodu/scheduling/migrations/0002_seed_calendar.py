from django.db import migrations


def seed(apps, schema_editor):
    from tiaodu.scheduling.seed import seed_calendar

    seed_calendar(apps.get_model("scheduling", "CalendarYear"), apps.get_model("scheduling", "CalendarDay"))


def unseed(apps, schema_editor):
    apps.get_model("scheduling", "CalendarYear").objects.filter(source="package").delete()


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
