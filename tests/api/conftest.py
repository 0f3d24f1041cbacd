"""Fixtures for the API tests: a client per role and two responsibility letters."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

ROLES = ["leader", "supervisor", "admin", "office", "hq", "street", "dept", "outsider"]


@pytest.fixture
def api(district):
    """api("hq") -> an APIClient signed in (session) as that user; api(None) -> anonymous."""

    def make(key):
        client = APIClient()
        if key is not None:
            client.force_login(district.users[key])
        return client

    return make


@pytest.fixture
def letters(district):
    """The 2026 letter of 北园大街改造指挥部 (hq, one item on ZD-001) and of 泺口街道 (street2)."""
    from tiaodu.projects.models import LetterItem, ResponsibilityLetter

    hq_letter = ResponsibilityLetter.objects.create(unit=district.units["hq"], year=2026, title="")
    indicator = district.project.indicators.get()
    LetterItem.objects.create(
        letter=hq_letter,
        project=district.project,
        indicator=indicator,
        target=Decimal("60000"),
        deadline=datetime.date(2026, 12, 31),
        note="年内完成一半",
    )
    street2_letter = ResponsibilityLetter.objects.create(unit=district.units["street2"], year=2026)
    return {"hq": hq_letter, "street2": street2_letter}
