import datetime
from decimal import Decimal

import pytest

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def letter(district):
    """A signed 2026 letter of the lead HQ with one item on ZD-001."""
    from tiaodu.projects.models import LetterItem, LetterStatus, ResponsibilityLetter

    letter = ResponsibilityLetter.objects.create(
        unit=district.units["hq"],
        year=2026,
        status=LetterStatus.SIGNED,
        signing_date=datetime.date(2026, 2, 15),
        signatories="王区长、赵指挥",
    )
    LetterItem.objects.create(
        letter=letter,
        project=district.project,
        indicator=district.project.indicators.get(),
        target=Decimal("60000"),
        deadline=datetime.date(2026, 12, 31),
        note="年内完成一半",
    )
    return letter


def login(client, district, who):
    client.force_login(district.users[who])
    return client
