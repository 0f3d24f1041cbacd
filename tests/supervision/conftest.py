"""Fixtures for the supervision tests: fast hashing, media in a temporary directory, jobs run in-process,
no global robots unless a test sets them, e-mail addresses for every user, and small helpers."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def quiet_notifications(settings):
    settings.NOTIFY_WEBHOOK_URLS = []
    settings.NOTIFY_WEBHOOK_ALLOW = ["127.0.0.1"]  # the tests' robots listen on this machine
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def huey_immediate():
    from huey.contrib.djhuey import HUEY

    old = HUEY.immediate
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = old


@pytest.fixture
def no_project_warnings(monkeypatch):
    """Keep project warnings (ZD-001 is severe from late March 2026 on) out of a test's sweeps."""
    from tiaodu.supervision.services import sweeper

    monkeypatch.setattr(sweeper, "_sweep_projects", lambda summary, **kw: None)


@pytest.fixture
def sup(district):
    """The district with e-mail addresses on every account."""
    for key, user in district.users.items():
        user.email = f"{key}@tiaodu.example"
        user.save(update_fields=["email"])
    return district


def image_bytes(fmt="JPEG", size=(32, 24), color=(200, 40, 40)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format=fmt)
    return buf.getvalue()


def jpeg(name="现场.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG"), content_type="image/jpeg")


def png(name="整改后.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def make_item(district, *, deadline, on=None, user="supervisor", units=("street",), **extra):
    from tiaodu.supervision import services

    data = {
        "title": extra.pop("title", "清理北园大街沿线建筑垃圾"),
        "content": "三日内清理完毕并恢复路面",
        "source": extra.pop("source", "instruction"),
        "deadline": deadline,
        "assignee_units": [district.units[u] for u in units],
    }
    data.update(extra)
    return services.item_create(
        user=district.users[user], data=data, on=on or min(deadline, datetime.date(2026, 1, 1))
    )
