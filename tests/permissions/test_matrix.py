"""One test per cell of the role × action matrix (matrix.py): a real request, then what the user got.

Test ids read `<app>/<page|api>/<action>/<role>`, e.g. `projects/api/change ZD-001's lead unit (a
responsibility field)/hq`; `pytest tests/permissions -k "supervision and street"` runs a slice.
"""

from __future__ import annotations

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import UploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections

from tests.permissions.matrix import APPS, MATRIX, ROLES
from tests.permissions.world import World

NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))  # a Friday

CELLS = [
    pytest.param(row, role, id=f"{row.app}/{'api' if row.api else 'page'}/{row.action}/{role}")
    for row in MATRIX
    for role in ROLES
]


@pytest.fixture
def world(district, settings):
    """The district and the objects of the matrix, at a fixed moment; notifications stay in-process."""
    from huey.contrib.djhuey import HUEY

    settings.NOTIFY_WEBHOOK_URLS = []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    immediate, HUEY.immediate = HUEY.immediate, True
    try:
        with time_machine.travel(NOW, tick=False):
            yield World(district)
    finally:
        HUEY.immediate = immediate


def _send(client, row, w):
    url = row.url(w)
    data = row.data(w) if row.data is not None else None
    if row.method == "GET":
        return client.get(url)
    if not row.api or any(isinstance(v, UploadedFile) for v in (data or {}).values()):
        assert row.method == "POST", row.action
        return client.post(url, data or {})  # a form (multipart)
    method = getattr(client, row.method.lower())
    return method(url, data=json.dumps(data or {}), content_type="application/json")


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def _close(response) -> None:
    """Close a (file) response as the test client does: without request_finished closing the test's
    database connection (on PostgreSQL that would end the test's transaction)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize(("row", "role"), CELLS)
def test_it_answers_each_role_as_the_matrix_says(client, world, row, role):
    status, flag = row.expected()[role]
    for name in row.needs:
        getattr(world, name)
    if role != "anon":
        client.force_login(world.user(role))
    response = _send(client, row, world)
    body = _body(response)
    _close(response)
    where = f"{row.method} {row.url(world)} as {role}"
    assert response.status_code == status, f"{where}: {response.status_code}, expected {status}\n{body[:400]}"
    if role == "anon" and status == 302:
        assert "login" in response["Location"], where
    if flag is None:
        return
    if row.done is not None:
        assert row.done(world) is flag, f"{where}: {'not done' if flag else 'done'}, expected the opposite"
    else:
        text = row.shows(world) if callable(row.shows) else row.shows
        assert (text in body) is flag, f"{where}: 「{text}」 {'missing' if flag else 'shown'}"


def test_it_covers_every_app_on_its_pages_and_through_the_api():
    covered = {(row.app, row.api) for row in MATRIX}
    assert covered == {(app, api) for app in APPS for api in (False, True)}
    writes = {(row.app, row.api) for row in MATRIX if row.method != "GET"}
    read_only_apis = {("scheduling", True)}  # the schedule is read
    assert writes == {(app, api) for app in APPS for api in (False, True)} - read_only_apis


def test_it_names_each_action_once():
    names = [(row.app, row.action) for row in MATRIX]
    assert len(names) == len(set(names))
