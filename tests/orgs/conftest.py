"""Helpers for the 等保 controls' tests: sign in through the login page, read the audit log."""

import pytest

PASSWORD = "Tiaodu@2026!"


def sign_in(client, username, password=PASSWORD, **extra):
    """Sign in through the login page (so the sign-in signals, axes and the middleware all run)."""
    response = client.post("/login/", {"username": username, "password": password}, **extra)
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def events(kind=None, **filters):
    from tiaodu.orgs.models import SecurityEvent

    rows = SecurityEvent.objects.order_by("at", "id")
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.filter(**filters))


@pytest.fixture
def auditor(district):
    """The supporting department's user, made a member of 安全审计员."""
    from django.contrib.auth.models import Group

    user = district.users["dept"]
    user.groups.add(Group.objects.get(name="安全审计员"))
    return user


@pytest.fixture
def root(district):
    from tiaodu.orgs.models import User

    return User.objects.create_superuser(username="root", password=PASSWORD, email="root@example.gov.cn")
