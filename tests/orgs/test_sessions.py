"""One active session per account (SINGLE_SESSION)."""

from django.test import Client

from tests.orgs.conftest import events, sign_in


def test_it_signs_out_the_first_session_when_the_account_signs_in_again(district, settings):
    settings.SINGLE_SESSION = True
    first, second = Client(), Client()
    sign_in(first, "hq", REMOTE_ADDR="10.0.0.1")
    assert first.get("/projects/").status_code == 200
    sign_in(second, "hq", REMOTE_ADDR="10.0.0.2")
    assert second.get("/projects/").status_code == 200
    response = first.get("/projects/", follow=True)
    assert response.redirect_chain[0][0] == "/login/?next=%2Fprojects%2F"
    assert "您的账号已在其他地方登录，本次会话已结束，请重新登录" in response.content.decode()
    assert first.get("/projects/").status_code == 302
    assert second.get("/projects/").status_code == 200
    ended = events("session_ended", username="hq")
    assert len(ended) == 1 and ended[0].ip_address == "127.0.0.1"


def test_it_answers_a_replaced_session_on_the_api_with_a_chinese_403(district, settings):
    settings.SINGLE_SESSION = True
    first = sign_in(Client(), "hq")
    sign_in(Client(), "hq")
    response = first.get("/api/v1/projects/")
    assert response.status_code == 403
    assert response.json()["detail"] == "您的账号已在其他地方登录，本次会话已结束，请重新登录"


def test_it_survives_a_password_change_in_the_one_session(district, settings):
    settings.SINGLE_SESSION = True
    client = sign_in(Client(), "hq")
    new = "Qinghe#River2027"
    client.post(
        "/account/password/", {"old_password": "Tiaodu@2026!", "new_password1": new, "new_password2": new}
    )
    assert client.get("/projects/").status_code == 200


def test_it_keeps_both_sessions_when_single_session_is_off(district, settings):
    assert settings.SINGLE_SESSION is False
    first, second = sign_in(Client(), "hq"), sign_in(Client(), "hq")
    assert first.get("/projects/").status_code == 200
    assert second.get("/projects/").status_code == 200
    assert not events("session_ended")
