"""Accountability records (问责): 约谈, 通报批评, 诫勉谈话 or other measures."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tiaodu.core.actors import stored_user
from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.errors import NotAllowed
from tiaodu.supervision import selectors
from tiaodu.supervision.models import AccountabilityRecord
from tiaodu.supervision.notify import Outbox
from tiaodu.supervision.permissions import ACCOUNTABILITY_DENIED, accountability_can_manage

_M2M = ("items", "problems")


def _require(user):
    if not accountability_can_manage(user=user):
        raise NotAllowed(ACCOUNTABILITY_DENIED)


def _apply(record: AccountabilityRecord, data: dict[str, Any]) -> dict[str, Any]:
    m2m = {}
    for key, value in data.items():
        if key in _M2M:
            m2m[key] = value
        elif key in ("measure", "measure_other", "unit", "person", "reason", "decision_date", "decided_by"):
            setattr(record, key, "" if value is None and key in ("measure_other",) else value)
    if record.person_id and not record.unit_id:
        record.unit = record.person.unit
    for key in ("reason", "decided_by", "measure_other"):
        setattr(record, key, (getattr(record, key) or "").strip())
    return m2m


@transaction.atomic
def accountability_create(*, user, data: dict[str, Any], source: str = "web") -> AccountabilityRecord:
    _require(user)
    record = AccountabilityRecord(recorded_by=stored_user(user))
    m2m = _apply(record, dict(data))
    record.full_clean()
    record.save()
    for key, value in m2m.items():
        getattr(record, key).set(value or [])
    record_change(
        obj=record,
        before=None,
        after=snapshot(record, AccountabilityRecord.TRACKED_FIELDS),
        user=stored_user(user),
        source=source,
    )
    outbox = Outbox(actor=user)
    users = selectors.person_user_ids(record.person) if record.person_id else set()
    outbox.add(
        kind="accountability",
        title=f"问责：{record.measure_label}（{record.target_label}）",
        body=record.reason,
        url="/accountability/",
        users=users,
        units={record.unit_id},
    )
    outbox.flush()
    return record


@transaction.atomic
def accountability_update(
    *, user, record: AccountabilityRecord, data: dict[str, Any], source: str = "web"
) -> AccountabilityRecord:
    _require(user)
    before = snapshot(record, AccountabilityRecord.TRACKED_FIELDS)
    m2m = _apply(record, dict(data))
    record.full_clean()
    record.save()
    for key, value in m2m.items():
        getattr(record, key).set(value or [])
    record_change(
        obj=record,
        before=before,
        after=snapshot(record, AccountabilityRecord.TRACKED_FIELDS),
        user=stored_user(user),
        source=source,
    )
    return record
