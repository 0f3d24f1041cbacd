from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from tiaodu.core.geometry import geometry_change, parse_geometry

# The change log's label of a project's geometry (recorded as 空间范围(GeoJSON)), shown without the format.
GEOMETRY_LABEL = "空间范围"


class ChangeRecord(models.Model):
    """One change to one business object: who, when, and each field's old -> new value.

    Written by services (never by signals). `parent_*` ties a child's change (an indicator, a
    letter item) to the page it is shown on (its project, its letter).
    """

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    object_repr = models.CharField("对象", max_length=300)
    parent_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    parent_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    changes = models.JSONField("变更内容", default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user_name = models.CharField("操作人", max_length=150, blank=True)
    source = models.CharField("来源", max_length=20, default="web")
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["parent_type", "parent_id"]),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def change_list(self):
        """[(field label, old, new), ...] for templates; a 空间范围 (GeoJSON) is summed up in words."""
        out = []
        for label, pair in self.changes.items():
            old, new = pair[0], pair[1]
            if label.startswith(GEOMETRY_LABEL) and (parse_geometry(old) or parse_geometry(new)):
                label = GEOMETRY_LABEL
                old, new = geometry_change(old, new)
            out.append((label, old, new))
        return out
