"""Backfill the status history from the change log: each recorded status (创建 and 修改) on the day it was
recorded; a project with none gets its current status from the day it was created."""

from django.db import migrations
from django.utils import timezone

LABELS = {
    "未开工": "not_started",
    "在建": "under_construction",
    "已竣工": "completed",
    "已验收": "accepted",
    "暂停": "suspended",
}


def backfill(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    ChangeRecord = apps.get_model("core", "ChangeRecord")
    ContentType = apps.get_model("contenttypes", "ContentType")
    StatusChange = apps.get_model("projects", "ProjectStatusChange")
    rows, seen = [], set()
    existing = set(Project.objects.values_list("pk", flat=True))
    ct = ContentType.objects.filter(app_label="projects", model="project").first()
    if ct is not None:
        records = ChangeRecord.objects.filter(content_type=ct).order_by("at", "id")
        for rec in records.iterator():
            pair = (rec.changes or {}).get("状态")
            if not isinstance(pair, list) or len(pair) != 2 or pair[1] not in LABELS:
                continue
            if rec.object_id not in existing:
                continue
            seen.add(rec.object_id)
            rows.append(
                StatusChange(
                    project_id=rec.object_id,
                    status=LABELS[pair[1]],
                    date=timezone.localtime(rec.at).date(),
                    user_id=rec.user_id,
                    source="backfill",
                )
            )
    for project in Project.objects.exclude(pk__in=seen).only("pk", "status", "created_at").iterator():
        rows.append(
            StatusChange(
                project_id=project.pk,
                status=project.status,
                date=timezone.localtime(project.created_at).date(),
                source="backfill",
            )
        )
    StatusChange.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_status_history"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
