"""Password expiry (PASSWORD_MAX_AGE_DAYS) and no reuse of the last PASSWORD_HISTORY passwords."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.orgs.conftest import PASSWORD, events, sign_in

NEW = ["Qinghe#River2027", "Beiyuan#Road2028", "Luokou#Street2029", "Huashan#Lake2030", "Daming#Hu2031"]


def change(client, old, new):
    return client.post(
        "/account/password/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


@pytest.fixture
def later():
    """91 days after the cast's passwords were set."""
    with time_machine.travel(timezone.now() + datetime.timedelta(days=91), tick=False) as traveller:
        yield traveller


def test_it_sends_a_user_with_an_expired_password_to_the_change_page(client, district, later):
    sign_in(client, "hq")
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/account/password/"
    page = response.content.decode()
    assert "您的密码已超过 90 天未修改，请先修改密码后再使用系统" in page and "修改密码" in page
    for path in ["/projects/", "/reports/", "/documents/", "/admin/", "/account/"]:
        assert client.get(path)["Location"] == "/account/password/", path
    api = client.get("/api/v1/projects/")
    assert api.status_code == 403 and "请先修改密码" in api.json()["detail"]
    assert change(client, PASSWORD, NEW[0]).status_code == 302
    assert client.get("/projects/").status_code == 200
    assert client.get("/api/v1/projects/").status_code == 200


def test_it_refuses_an_api_token_of_an_expired_password_with_a_chinese_403(client, district):
    token = Token.objects.create(user=district.users["street"])
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get("/api/v1/projects/", **auth).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=91), tick=False):
        response = client.get("/api/v1/projects/", **auth)
        assert response.status_code == 403
        assert response.json()["detail"] == "您的密码已超过 90 天未修改，请先修改密码后再使用系统"


def test_it_lets_a_password_younger_than_the_limit_through_and_zero_turns_expiry_off(
    client, district, settings
):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=89), tick=False):
        sign_in(client, "hq")
        assert client.get("/projects/").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=400), tick=False):
        settings.PASSWORD_MAX_AGE_DAYS = 0
        sign_in(client, "hq")
        assert client.get("/projects/").status_code == 200
        settings.PASSWORD_MAX_AGE_DAYS = 90
        assert client.get("/projects/")["Location"] == "/account/password/"


def test_it_keeps_signing_out_possible_with_an_expired_password(client, district, later):
    sign_in(client, "hq")
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert events("logout", username="hq")


def test_it_refuses_to_reuse_one_of_the_last_five_passwords_with_a_chinese_message(client, district):
    sign_in(client, "hq")
    current = PASSWORD
    for new in NEW[:4]:  # the current password and four new ones: five in the history
        assert change(client, current, new).status_code == 302
        current = new
    for old in [PASSWORD, NEW[0], NEW[3]]:
        response = change(client, current, old)
        assert response.status_code == 200
        assert "新密码不能与最近 5 次使用过的密码相同，请换一个密码" in response.content.decode()
    assert change(client, current, NEW[4]).status_code == 302
    # Five changes later the first password has left the history and may be used again.
    assert change(client, NEW[4], PASSWORD).status_code == 302
    district.users["hq"].refresh_from_db()
    assert district.users["hq"].check_password(PASSWORD)


def test_it_stamps_the_change_time_whatever_path_sets_the_password(district):
    user = district.users["street"]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30), tick=False):
        user.set_password(NEW[0])
        user.save()
        user.refresh_from_db()
        assert user.password_changed_at == timezone.now()
    assert user.password_history.count() == 2
    event = events("password_change", target="用户 street")[-1]
    assert (event.username, event.detail) == ("系统", "由他人或命令设置密码")


def test_it_takes_the_history_length_from_the_setting(client, district, settings):
    settings.PASSWORD_HISTORY = 1
    sign_in(client, "hq")
    assert change(client, PASSWORD, NEW[0]).status_code == 302
    assert change(client, NEW[0], PASSWORD).status_code == 302  # only the current one is refused
    response = change(client, PASSWORD, PASSWORD)
    assert "新密码不能与最近 1 次使用过的密码相同" in response.content.decode()


def test_it_sends_an_htmx_request_of_an_expired_password_to_the_change_page_as_a_whole(
    client, district, later
):
    sign_in(client, "hq")
    response = client.get("/projects/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == "/account/password/"


def test_a_password_an_administrator_sets_must_be_changed_at_the_next_sign_in(client, district, root):
    street = district.users["street"]
    sign_in(client, "root")
    form = client.post(
        f"/admin/orgs/user/{street.pk}/password/",
        {"password1": NEW[1], "password2": NEW[1], "usable_password": "true"},
    )
    assert form.status_code == 302, form.content.decode()[:2000]
    street.refresh_from_db()
    assert street.password_must_change
    client.logout()

    sign_in(client, "street", NEW[1])
    response = client.get("/projects/", follow=True)
    assert response.redirect_chain[-1][0] == "/account/password/"
    assert "您的密码由管理员设置，请先修改为只有您知道的密码后再使用系统" in response.content.decode()
    api = client.get("/api/v1/projects/")
    assert api.status_code == 403 and "请先修改为只有您知道的密码" in api.json()["detail"]
    assert change(client, NEW[1], NEW[2]).status_code == 302
    street.refresh_from_db()
    assert not street.password_must_change
    assert client.get("/projects/").status_code == 200
    # The administrator's own change of its own password asks nothing more of it.
    root.refresh_from_db()
    assert not root.password_must_change
