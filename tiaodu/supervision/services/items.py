"""Supervision items (督办事项): assign, feedback, request closure, confirm or send back, change."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tiaodu.core.actors import stored_user
from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.errors import NotAllowed
from tiaodu.orgs.models import Unit
from tiaodu.supervision import selectors
from tiaodu.supervision.models import ItemEvent, ItemPhoto, Source, SupervisionItem
from tiaodu.supervision.notify import Outbox
from tiaodu.supervision.permissions import (
    ITEM_CLOSE_DENIED,
    ITEM_CREATE_DENIED,
    ITEM_RESPOND_DENIED,
    item_can_close,
    item_can_create,
    item_can_respond,
)
from tiaodu.supervision.services._common import (
    item_url,
    moment,
    photos_check,
    require_text,
    save_photos,
    today,
)
from tiaodu.supervision.services.problem_link import link_problem, record_item_made, resolve_with_item

ITEM_FIELDS = (
    "title",
    "content",
    "source",
    "meeting",
    "project",
    "problem",
    "responsible_person",
    "supervising_leader",
    "deadline",
    "location",
    "longitude",
    "latitude",
)


def _units(value) -> list[Unit]:
    if value is None:
        return []
    if isinstance(value, Unit):
        return [value]
    return [u for u in value if u is not None]


def _check_people(item: SupervisionItem, units: list[Unit]) -> None:
    errors = {}
    if not units:
        errors["assignee_units"] = "请至少选择一个承办单位"
    elif item.responsible_person_id and item.responsible_person.unit_id not in {u.pk for u in units}:
        errors["responsible_person"] = f"责任人{item.responsible_person.name}不属于所选承办单位"
    if item.source == Source.MEETING and not item.meeting_id:
        errors["meeting"] = "来源为调度会决定的事项须选择调度会"
    if errors:
        raise ValidationError(errors)


def _fmt(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@transaction.atomic
def item_create(
    *, user, data: dict[str, Any], photos=(), on: datetime.date | None = None, source: str = "web"
) -> SupervisionItem:
    """Assign an item. `data`: title, content, source, assignee_units (or assignee_unit), deadline, and
    optionally meeting, project, problem (the problem it is made for), responsible_person,
    supervising_leader, location, longitude, latitude."""
    if not item_can_create(user=user):
        raise NotAllowed(ITEM_CREATE_DENIED)
    data = dict(data)
    units = _units(data.pop("assignee_units", None)) or _units(data.pop("assignee_unit", None))
    on = on or today()
    item = SupervisionItem(created_by=stored_user(user), created_at=moment(on))
    for key in ITEM_FIELDS:
        if key in data:
            setattr(item, key, data[key] if data[key] is not None or key not in ("location",) else "")
    item.title = (item.title or "").strip()
    item.content = (item.content or "").strip()
    link_problem(user=user, item=item)
    if item.supervising_leader_id is None and item.project_id and item.project.supervising_leader_id:
        item.supervising_leader_id = item.project.supervising_leader_id
    item.full_clean()
    _check_people(item, units)
    if item.deadline < on:
        raise ValidationError({"deadline": f"办结时限不能早于交办日期（{_fmt(on)}）"})
    checked = photos_check(photos)
    if item.source == Source.INSPECTION and not checked:
        raise ValidationError({"photos": "巡查发现的事项须附现场照片（JPEG或PNG）"})
    item.save()
    item.assignee_units.set(units)
    record_item_made(user=user, item=item, on=on)
    event = ItemEvent.objects.create(
        item=item,
        kind=ItemEvent.Kind.CREATED,
        text=item.content,
        on=on,
        at=item.created_at,
        user=stored_user(user),
        deadline=item.deadline,
    )
    save_photos(item=item, event=event, kind=ItemPhoto.Kind.ISSUE, checked=checked, user=user)
    record_change(
        obj=item,
        before=None,
        after=snapshot(item, SupervisionItem.TRACKED_FIELDS),
        user=stored_user(user),
        source=source,
    )
    outbox = Outbox(actor=user)
    outbox.add(
        kind="item_assigned",
        title=f"新督办事项：{item.title}",
        body=f"来源：{item.get_source_display()}；办结时限：{_fmt(item.deadline)}",
        url=item_url(item),
        units={u.pk for u in units},
        users=selectors.person_user_ids(item.responsible_person) if item.responsible_person_id else set(),
    )
    outbox.flush()
    return item


def _require_respond(user, item: SupervisionItem):
    if not item_can_respond(user=user, obj=item):
        raise NotAllowed(ITEM_RESPOND_DENIED)


@transaction.atomic
def item_feedback(*, user, item: SupervisionItem, text: str, photos=(), source: str = "web") -> ItemEvent:
    _require_respond(user, item)
    if item.is_closed:
        raise ValidationError("该事项已办结")
    text = require_text(text, "text", "请填写办理进展")
    checked = photos_check(photos)
    event = ItemEvent.objects.create(
        item=item, kind=ItemEvent.Kind.FEEDBACK, text=text, on=today(), user=stored_user(user)
    )
    save_photos(item=item, event=event, kind=ItemPhoto.Kind.FEEDBACK, checked=checked, user=user)
    if item.created_by_id:
        outbox = Outbox(actor=user)
        outbox.add(
            kind="item_feedback",
            title=f"督办事项有新进展：{item.title}",
            body=text,
            url=item_url(item),
            users={item.created_by_id},
        )
        outbox.flush()
    return event


@transaction.atomic
def item_request_close(
    *, user, item: SupervisionItem, text: str, photos=(), source: str = "web"
) -> ItemEvent:
    """办结申请. An item from 巡查发现 needs a photo of the rectified site."""
    _require_respond(user, item)
    if item.status != SupervisionItem.Status.OPEN:
        raise ValidationError("只有办理中的事项可以申请办结" if not item.is_closed else "该事项已办结")
    text = require_text(text, "text", "请说明办理结果")
    checked = photos_check(photos)
    if item.source == Source.INSPECTION and not checked:
        raise ValidationError({"photos": "巡查发现的事项申请办结须上传整改后的现场照片"})
    before = snapshot(item, SupervisionItem.TRACKED_FIELDS)
    item.status = SupervisionItem.Status.CLOSE_REQUESTED
    item.save(update_fields=["status"])
    event = ItemEvent.objects.create(
        item=item, kind=ItemEvent.Kind.CLOSE_REQUESTED, text=text, on=today(), user=stored_user(user)
    )
    save_photos(item=item, event=event, kind=ItemPhoto.Kind.RECTIFIED, checked=checked, user=user)
    record_change(
        obj=item,
        before=before,
        after=snapshot(item, SupervisionItem.TRACKED_FIELDS),
        user=stored_user(user),
        source=source,
    )
    outbox = Outbox(actor=user)
    outbox.add(
        kind="item_close_requested",
        title=f"申请办结待确认：{item.title}",
        body=text,
        url=item_url(item),
        users=set(selectors.supervisors().values_list("pk", flat=True)),
    )
    outbox.flush()
    return event


def _require_confirm(user, item: SupervisionItem):
    if not item_can_close(user=user, obj=item):
        raise NotAllowed(ITEM_CLOSE_DENIED)
    if item.status != SupervisionItem.Status.CLOSE_REQUESTED:
        raise ValidationError("该事项未申请办结" if not item.is_closed else "该事项已办结")


@transaction.atomic
def item_confirm_close(
    *, user, item: SupervisionItem, text: str = "", source: str = "web"
) -> SupervisionItem:
    _require_confirm(user, item)
    before = snapshot(item, SupervisionItem.TRACKED_FIELDS)
    item.status = SupervisionItem.Status.CLOSED
    item.closed_at = timezone.now()
    item.closed_by = stored_user(user)
    item.save(update_fields=["status", "closed_at", "closed_by"])
    ItemEvent.objects.create(
        item=item, kind=ItemEvent.Kind.CLOSED, text=(text or "").strip(), on=today(), user=stored_user(user)
    )
    resolve_with_item(user=user, item=item, confirm_text=(text or "").strip(), source=source)
    record_change(
        obj=item,
        before=before,
        after=snapshot(item, SupervisionItem.TRACKED_FIELDS),
        user=stored_user(user),
        source=source,
    )
    outbox = Outbox(actor=user)
    outbox.add(
        kind="item_closed",
        title=f"督办事项已确认办结：{item.title}",
        body=(text or "").strip(),
        url=item_url(item),
        units=set(item.assignee_units.values_list("pk", flat=True)),
    )
    outbox.flush()
    return item


@transaction.atomic
def item_send_back(*, user, item: SupervisionItem, reason: str, source: str = "web") -> SupervisionItem:
    _require_confirm(user, item)
    reason = require_text(reason, "reason", "请填写退回理由")
    before = snapshot(item, SupervisionItem.TRACKED_FIELDS)
    item.status = SupervisionItem.Status.OPEN
    item.save(update_fields=["status"])
    ItemEvent.objects.create(
        item=item, kind=ItemEvent.Kind.SENT_BACK, text=reason, on=today(), user=stored_user(user)
    )
    record_change(
        obj=item,
        before=before,
        after=snapshot(item, SupervisionItem.TRACKED_FIELDS),
        user=stored_user(user),
        source=source,
    )
    outbox = Outbox(actor=user)
    outbox.add(
        kind="item_sent_back",
        title=f"办结申请被退回：{item.title}",
        body=f"退回理由：{reason}",
        url=item_url(item),
        units=set(item.assignee_units.values_list("pk", flat=True)),
    )
    outbox.flush()
    return item


@transaction.atomic
def item_update(
    *, user, item: SupervisionItem, data: dict[str, Any], reason: str = "", source: str = "web"
) -> SupervisionItem:
    """Change an open item (title, content, deadline, people, assignee units): those who assign items."""
    if not item_can_create(user=user):
        raise NotAllowed("只有领导、督查室、领导小组办公室和系统管理员可以修改督办事项")
    if item.is_closed:
        raise ValidationError("已办结的事项不能修改")
    data = dict(data)
    before = snapshot(item, SupervisionItem.TRACKED_FIELDS)
    old_deadline = item.deadline
    units = None
    if "assignee_units" in data or "assignee_unit" in data:
        units = _units(data.pop("assignee_units", None)) or _units(data.pop("assignee_unit", None))
    for key in (
        "title",
        "content",
        "responsible_person",
        "supervising_leader",
        "deadline",
        "location",
        "longitude",
        "latitude",
        "project",
    ):
        if key in data:
            setattr(item, key, data[key] if data[key] is not None or key != "location" else "")
    item.full_clean()
    _check_people(item, units if units is not None else list(item.assignee_units.all()))
    if item.deadline != old_deadline and item.deadline < today():
        raise ValidationError({"deadline": "新的办结时限不能早于今天"})
    item.save()
    if units is not None:
        item.assignee_units.set(units)
    after = snapshot(item, SupervisionItem.TRACKED_FIELDS)
    record = record_change(obj=item, before=before, after=after, user=stored_user(user), source=source)
    if record is not None:
        lines = [
            f"{label}：{old or '（空）'} → {new or '（空）'}" for label, (old, new) in record.changes.items()
        ]
        if reason.strip():
            lines.append(f"理由：{reason.strip()}")
        ItemEvent.objects.create(
            item=item,
            kind=ItemEvent.Kind.UPDATED,
            text="\n".join(lines),
            on=today(),
            user=stored_user(user),
            deadline=item.deadline,
        )
        outbox = Outbox(actor=user)
        outbox.add(
            kind="item_updated",
            title=f"督办事项已调整：{item.title}",
            body="\n".join(lines),
            url=item_url(item),
            units=set(item.assignee_units.values_list("pk", flat=True)),
        )
        outbox.flush()
    return item
