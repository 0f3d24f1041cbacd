"""三员分立: the three groups, and SEPARATION_OF_DUTIES."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token

from tests.orgs.conftest import PASSWORD, events, sign_in


def test_it_creates_the_three_groups_with_their_duties(db):
    groups = {g.name: {p.codename for p in g.permissions.all()} for g in Group.objects.all()}
    assert {"系统管理员", "安全审计员", "安全保密管理员"} <= set(groups)
    assert "view_securityevent" in groups["安全审计员"]
    assert not any(code.startswith(("add_", "change_", "delete_")) for code in groups["安全审计员"])
    assert "view_securityevent" not in groups["系统管理员"] | groups["安全保密管理员"]
    assert {"change_group", "change_user"} <= groups["安全保密管理员"]
    assert {"add_user", "change_user"} <= groups["系统管理员"] and "change_group" not in groups["系统管理员"]


def test_it_lets_administrators_read_the_log_only_while_duties_are_not_separated(client, district, settings):
    sign_in(client, "admin")
    assert client.get("/security/audit/").status_code == 200
    assert 'href="/security/audit/"' in client.get("/").content.decode()
    settings.SEPARATION_OF_DUTIES = True
    assert client.get("/security/audit/").status_code == 403
    assert client.get("/security/audit/export.xlsx").status_code == 403
    assert 'href="/security/audit/"' not in client.get("/").content.decode()


def test_it_hides_the_log_from_superusers_in_the_admin_when_duties_are_separated(
    client, district, root, settings
):
    sign_in(client, "root")
    settings.SEPARATION_OF_DUTIES = True
    assert client.get("/admin/orgs/securityevent/").status_code == 403
    assert "安全审计日志" not in client.get("/admin/").content.decode()


def test_it_keeps_an_auditor_from_changing_anything_when_duties_are_separated(
    client, district, auditor, settings
):
    settings.SEPARATION_OF_DUTIES = True
    token = Token.objects.create(user=auditor)
    sign_in(client, "dept")
    assert client.get("/security/audit/").status_code == 200
    assert client.get("/projects/ZD-001/").status_code == 200
    refused = client.post("/account/token/")
    assert refused.status_code == 403 and "安全审计员只能查看" in refused.content.decode()
    assert client.post("/documents/upload/", {}).status_code == 403
    api = client.post(
        "/api/v1/units/", {"name": "新单位", "type": "street"}, HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert api.status_code == 403 and "三员分立" in api.json()["detail"]
    assert client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
    new = "Qinghe#River2027"
    response = client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302  # their own password, still
    assert client.post("/logout/").status_code == 302


def test_it_lets_an_auditor_change_things_of_their_role_when_duties_are_not_separated(
    client, district, auditor
):
    sign_in(client, "dept")
    assert client.post("/account/token/").status_code == 302


@pytest.fixture
def officer(district):
    from tiaodu.orgs.models import User

    user = User.objects.create_user(username="officer", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="安全保密管理员"))
    return user


def _change_form(client, user):
    return client.get(f"/admin/orgs/user/{user.pk}/change/").content.decode()


def test_it_lets_only_security_officers_change_permissions_when_duties_are_separated(
    client, district, root, officer, settings
):
    settings.SEPARATION_OF_DUTIES = True
    hq = district.users["hq"]
    sign_in(client, "root")
    page = _change_form(client, hq)
    assert 'name="is_superuser"' not in page and 'name="role"' not in page and 'name="groups"' not in page
    assert 'name="email"' in page  # the account itself is still the administrator's
    client.post("/logout/")
    sign_in(client, "officer")
    page = _change_form(client, hq)
    assert 'name="role"' in page and 'name="groups"' in page
    settings.SEPARATION_OF_DUTIES = False
    client.post("/logout/")
    sign_in(client, "root")
    assert 'name="role"' in _change_form(client, hq)
    assert events("login", username="officer")


def test_it_sets_up_duty_groups_from_the_command_line_and_logs_it(district):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("security_group", "dept", "安全审计员", stdout=out)
    assert "已将 dept 加入「安全审计员」" in out.getvalue()
    call_command("security_group", stdout=out)
    assert "安全审计员：dept" in out.getvalue()
    event = events("permission_change", target="用户 dept")[-1]
    assert (event.username, event.detail) == ("系统", "用户组加入：安全审计员")
    call_command("security_group", "dept", "安全审计员", "--remove", stdout=out)
    assert events("permission_change", target="用户 dept")[-1].detail == "用户组移出：安全审计员"
