"""The change log: snapshots of tracked fields and the records of what changed.

Every service that writes a unit, person, project, indicator or letter calls `record_change` (or
`change_record_objects` for bulk work) with snapshots taken before and after the write.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from tiaodu.core.models import ChangeRecord
from tiaodu.core.text_rules import strip_control


def display_value(value) -> str:
    """The text a user reads for a field value in the change log."""
    kind = type(value)  # exact types first (the common values); anything else takes the general path
    if kind is str:
        return value
    if value is None:
        return ""
    if kind is Decimal:
        return format(value.normalize(), "f")
    if kind is int:
        return str(value)
    if kind is datetime.date:
        return value.isoformat()
    return _display_general(value)


def _display_general(value) -> str:
    if value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, list | tuple | set):
        return "、".join(sorted(str(v) for v in value))
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, str]:
    """Map each tracked field's verbose name to its display value.

    Choice fields show their label, foreign keys the related object's str, many-to-many fields
    the related objects' names joined by 、 (the object must be saved).
    """
    result: dict[str, str] = {}
    meta = obj._meta
    for name in fields:
        field = meta.get_field(name)
        label = str(field.verbose_name)
        if field.many_to_many:
            value = [str(o) for o in getattr(obj, name).all()] if obj.pk else []
        elif field.is_relation:
            value = getattr(obj, name)
        elif field.choices:
            value = getattr(obj, f"get_{name}_display")()
        else:
            value = getattr(obj, name)
        result[label] = display_value(value)
    return result


def diff(before: dict[str, str] | None, after: dict[str, str] | None) -> dict[str, list[str]]:
    if not before:  # a new object (the loop below gives the same: every key of `after` not empty)
        return {key: ["", new] for key, new in (after or {}).items() if "" != new}
    after = after or {}
    out: dict[str, list[str]] = {}
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key, ""), after.get(key, "")
        if old != new:
            out[key] = [old, new]
    return out


RECORD_FIELDS = (
    "content_type_id",
    "object_id",
    "object_repr",
    "parent_type_id",
    "parent_id",
    "action",
    "changes",
    "user_id",
    "user_name",
    "source",
)


def record_values(
    *,
    object_id: int,
    object_repr: str,
    before: dict[str, str] | None,
    after: dict[str, str] | None,
    user=None,
    source: str = "web",
    content_type_id: int,
    parent_type_id: int | None = None,
    parent_id: int | None = None,
    changes: dict[str, list[str]] | None = None,
) -> tuple | None:
    """The values of a change record in the order of ``RECORD_FIELDS`` (for bulk inserts without model
    instances), or None when nothing changed. ``build_record`` makes its records from these. `changes`,
    when given, is ``diff(before, after)`` already computed."""
    if changes is None:
        changes = diff(before, after)
    if before is not None and after is not None and not changes:
        return None
    if before is None:
        action = ChangeRecord.Action.CREATE
    elif after is None:
        action = ChangeRecord.Action.DELETE
    else:
        action = ChangeRecord.Action.UPDATE
    return record_row(
        content_type_id,
        object_id,
        object_repr,
        parent_type_id,
        parent_id,
        action,
        changes,
        record_author(user),
        source,
    )


def record_author(user) -> tuple[int | None, str]:
    """(user_id, user_name) of a change record made by `user` (the system, or nobody: None and "系统")."""
    signed_in = user is not None and getattr(user, "pk", None)
    return (user.pk if signed_in else None, user.get_username() if signed_in else "系统")


def record_row(
    content_type_id: int,
    object_id: int,
    object_repr: str,
    parent_type_id: int | None,
    parent_id: int | None,
    action: str,
    changes: dict[str, list[str]],
    author: tuple[int | None, str],
    source: str,
) -> tuple:
    """A change record's values in the order of ``RECORD_FIELDS`` (`author`: ``record_author(user)``).
    ``record_values`` ends here; a bulk writer that knows the action and the changes already (the ledger's
    planned objects) calls it directly, positionally."""
    return (
        content_type_id,
        object_id,
        strip_control(object_repr)[:300],  # an old row's control character stays out
        parent_type_id,
        parent_id,
        action,
        changes,
        author[0],
        author[1],
        source,
    )


def build_record(
    *,
    obj: models.Model,
    before: dict[str, str] | None,
    after: dict[str, str] | None,
    user=None,
    source: str = "web",
    parent: models.Model | None = None,
    content_type: ContentType | None = None,
    parent_type: ContentType | None = None,
) -> ChangeRecord | None:
    """An unsaved ChangeRecord for the change, or None when nothing changed."""
    if parent is not None and parent_type is None:
        parent_type = ContentType.objects.get_for_model(parent, for_concrete_model=True)
    content_type = content_type or ContentType.objects.get_for_model(obj, for_concrete_model=True)
    values = record_values(
        object_id=obj.pk,
        object_repr=str(obj),
        before=before,
        after=after,
        user=user,
        source=source,
        content_type_id=content_type.pk,
        parent_type_id=parent_type.pk if parent_type is not None else None,
        parent_id=parent.pk if parent is not None else None,
    )
    if values is None:
        return None
    fields = dict(zip(RECORD_FIELDS, values, strict=True))
    del fields["content_type_id"], fields["parent_type_id"], fields["user_id"]
    return ChangeRecord(
        content_type=content_type,
        parent_type=parent_type,
        user=user if values[7] is not None else None,
        **fields,
    )


def record_change(**kwargs) -> ChangeRecord | None:
    record = build_record(**kwargs)
    if record is not None:
        record.save()
    return record


def history_for(obj: models.Model, *, include_children: bool = True):
    """The change records of an object and, optionally, of its children, newest first."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    query = models.Q(content_type=ct, object_id=obj.pk)
    if include_children:
        query |= models.Q(parent_type=ct, parent_id=obj.pk)
    return ChangeRecord.objects.filter(query).select_related("content_type").order_by("-at", "-id")
