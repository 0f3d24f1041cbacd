"""Writes of units and people, each with a change record."""

from typing import Any

from django.db import transaction

from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.errors import NotAllowed
from tiaodu.orgs.models import Person, Unit
from tiaodu.orgs.permissions import MANAGE_DENIED, person_can_edit, unit_can_edit


@transaction.atomic
def unit_create(*, user, data: dict[str, Any], source: str = "web") -> Unit:
    if not unit_can_edit(user=user):
        raise NotAllowed(MANAGE_DENIED)
    unit = Unit(**data)
    unit.full_clean()
    unit.save()
    record_change(obj=unit, before=None, after=snapshot(unit, Unit.TRACKED_FIELDS), user=user, source=source)
    return unit


@transaction.atomic
def unit_update(*, user, unit: Unit, data: dict[str, Any], source: str = "web") -> Unit:
    if not unit_can_edit(user=user, obj=unit):
        raise NotAllowed(MANAGE_DENIED)
    before = snapshot(unit, Unit.TRACKED_FIELDS)
    for key, value in data.items():
        setattr(unit, key, value)
    unit.full_clean()
    unit.save()
    record_change(
        obj=unit, before=before, after=snapshot(unit, Unit.TRACKED_FIELDS), user=user, source=source
    )
    return unit


@transaction.atomic
def person_create(*, user, data: dict[str, Any], source: str = "web") -> Person:
    if not person_can_edit(user=user):
        raise NotAllowed(MANAGE_DENIED)
    person = Person(**data)
    person.full_clean()
    person.save()
    record_change(
        obj=person,
        before=None,
        after=snapshot(person, Person.TRACKED_FIELDS),
        user=user,
        source=source,
        parent=person.unit,
    )
    return person


@transaction.atomic
def person_update(*, user, person: Person, data: dict[str, Any], source: str = "web") -> Person:
    if not person_can_edit(user=user, obj=person):
        raise NotAllowed(MANAGE_DENIED)
    before = snapshot(person, Person.TRACKED_FIELDS)
    for key, value in data.items():
        setattr(person, key, value)
    person.full_clean()
    person.save()
    record_change(
        obj=person,
        before=before,
        after=snapshot(person, Person.TRACKED_FIELDS),
        user=user,
        source=source,
        parent=person.unit,
    )
    return person
