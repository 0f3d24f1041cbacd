from django.db import migrations

SOURCES = [
    "中央预算内投资",
    "省级财政资金",
    "市级财政资金",
    "区级财政资金",
    "地方政府专项债券",
    "银行贷款",
    "社会资本",
    "其他",
]


def seed(apps, schema_editor):
    FundingSource = apps.get_model("investment", "FundingSource")
    for order, name in enumerate(SOURCES, start=1):
        FundingSource.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("investment", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
