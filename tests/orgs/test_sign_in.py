"""Login lockout, session expiry, password rules, API tokens, and no 500 for anything a user can type."""

import datetime

import pytest
import time_machine
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.projects.test_pages import edit_data, field_block
from tests.support import login

PASSWORD = "Tiaodu@2026!"


def test_it_logs_in_through_the_form_and_out_again(client, district):
    response = client.post("/login/", {"username": "hq", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert "项目总览" in page and "赵指挥" in page
    response = client.post("/logout/", follow=True)
    assert "重点工程调度督办平台" in response.content.decode()
    assert client.get("/projects/").status_code == 302


def test_it_shows_a_chinese_error_for_a_wrong_password(client, district):
    response = client.post("/login/", {"username": "hq", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()


def test_it_locks_the_account_after_five_failed_logins(client, district):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = client.post("/login/", {"username": "hq", "password": "wrong"})
        assert "登录失败次数过多" not in response.content.decode()
    response = client.post("/login/", {"username": "hq", "password": "wrong"})
    assert "登录失败次数过多" in response.content.decode()
    assert response.status_code == 429
    # Even the right password does not get in while locked.
    response = client.post("/login/", {"username": "hq", "password": PASSWORD})
    assert "登录失败次数过多" in response.content.decode()
    assert client.get("/projects/").status_code == 302
    # Other users are not affected.
    response = client.post("/login/", {"username": "street", "password": PASSWORD})
    assert response.status_code == 302


def test_it_ends_the_session_after_the_idle_timeout(client, district):
    assert settings.SESSION_COOKIE_AGE == 120 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    start = datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        assert client.post("/login/", {"username": "hq", "password": PASSWORD}).status_code == 302
        traveller.shift(datetime.timedelta(minutes=100))
        assert client.get("/projects/").status_code == 200  # activity renews the session
        traveller.shift(datetime.timedelta(minutes=100))
        assert client.get("/projects/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=121))
        response = client.get("/projects/")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_a_session_is_renewed_at_most_once_a_minute_and_ends_within_a_minute_of_the_timeout(client, district):
    """Each request used to write the session; now a request renews it when the last renewal is a minute
    old or more, so the idle timeout ends between 119 and 120 minutes after the last request."""
    from django.contrib.sessions.models import Session

    def expires():
        return Session.objects.get(pk=client.session.session_key).expire_date

    start = datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        assert client.post("/login/", {"username": "hq", "password": PASSWORD}).status_code == 302
        assert expires() == start + datetime.timedelta(minutes=120)
        traveller.shift(datetime.timedelta(seconds=59))
        assert client.get("/projects/").status_code == 200
        assert expires() == start + datetime.timedelta(minutes=120)  # not written again within the minute
        traveller.shift(datetime.timedelta(seconds=1))
        assert client.get("/projects/").status_code == 200
        renewed = start + datetime.timedelta(minutes=1)
        assert expires() == renewed + datetime.timedelta(minutes=120)
        traveller.shift(datetime.timedelta(seconds=50))
        assert client.get("/projects/").status_code == 200  # the last request: 50 s after the renewal
        traveller.shift(datetime.timedelta(minutes=119, seconds=9))
        assert client.get("/projects/").status_code == 200  # 119 min 59 s after the renewal
        traveller.shift(datetime.timedelta(minutes=120, seconds=1))
        response = client.get("/projects/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_signed_out_visitor_gets_no_session_from_the_renewal(client, district):
    from django.contrib.sessions.models import Session

    assert client.get("/login/").status_code == 200
    assert client.get("/projects/").status_code == 302
    assert Session.objects.count() == 0


def test_it_creates_and_regenerates_an_api_token_from_the_account_page(client, district):
    from rest_framework.authentication import TokenAuthentication
    from rest_framework.authtoken.models import Token

    login(client, district, "hq")
    page = client.get("/account/").content.decode()
    assert "赵指挥" in page and "北园大街改造指挥部" in page and "单位用户" in page
    assert "您还没有接口令牌" in page
    assert client.get("/account/token/").status_code == 405
    response = client.post("/account/token/", follow=True)
    first = Token.objects.get(user=district.users["hq"]).key
    page = response.content.decode()
    assert "已生成接口令牌" in page and first in page
    response = client.post("/account/token/", follow=True)
    second = Token.objects.get(user=district.users["hq"]).key
    assert second != first
    assert second in response.content.decode() and first not in response.content.decode()
    assert "旧令牌已失效" in response.content.decode()
    user, _ = TokenAuthentication().authenticate_credentials(second)
    assert user == district.users["hq"]


def test_it_applies_the_password_rules_when_changing_the_password(client, district):
    login(client, district, "hq")
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    errors = field_block(response.content.decode(), "new_password2")
    assert "密码长度太短。密码必须包含至少 10 个字符。" in errors and "密码只包含数字" in errors
    response = client.post(
        "/account/password/",
        {"old_password": "wrong", "new_password1": "Qinghe#River2027", "new_password2": "Qinghe#River2027"},
    )
    assert "旧密码不正确" in field_block(response.content.decode(), "old_password")
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "Qinghe#River2027", "new_password2": "Qinghe#River2027"},
        follow=True,
    )
    assert "密码已修改" in response.content.decode()
    district.users["hq"].refresh_from_db()
    assert district.users["hq"].check_password("Qinghe#River2027")


def test_it_renders_403_and_404_inside_the_layout(client, district):
    login(client, district, "dept")
    forbidden = client.get("/projects/ZD-001/edit/")
    assert forbidden.status_code == 403
    page = forbidden.content.decode()
    assert "无权访问" in page and "您可以查看该项目，但无权修改" in page and "项目台账" in page
    missing = client.get("/projects/ZD-999/")
    assert missing.status_code == 404
    assert "页面不存在" in missing.content.decode() and "td-sidebar" in missing.content.decode()


TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@pytest.mark.django_db
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.dictionaries(
        st.sampled_from(
            [
                "name",
                "category",
                "description",
                "supervising_leader",
                "responsible_person",
                "planned_start",
                "planned_finish",
                "deadline",
                "total_investment",
                "longitude",
                "latitude",
                "geometry",
            ]
        ),
        TEXT,
        min_size=1,
        max_size=6,
    )
)
def test_it_never_answers_500_to_any_project_form_input(client, district, values):
    # The office may change every field (a unit user's change of the baseline dates is a 403 that names
    # 计划变更申请: tests/projects/test_changes.py), so the junk reaches every field's validation.
    login(client, district, "office")
    response = client.post("/projects/ZD-001/edit/", edit_data(district.project, **values))
    assert response.status_code in (200, 302)


@pytest.mark.django_db
@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "type", "category", "lead_unit", "territorial_unit", "status", "page", "year"]),
        TEXT,
        max_size=4,
    )
)
def test_it_never_answers_500_to_any_list_filter(client, district, params):
    login(client, district, "leader")
    assert client.get("/projects/", params).status_code == 200
    assert client.get("/letters/", params).status_code == 200


FORMS = {
    "/letters/new/": ["unit", "year", "title", "status", "signing_date", "signatories"],
    "/units/new/": ["name", "type", "parent", "sort_order"],
    "/people/new/": ["name", "post", "phone", "unit"],
    "/projects/ZD-001/indicators/new/": ["name", "unit_of_measure", "target", "sort_order"],
    "/projects/ZD-001/status/": ["status"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(FORMS))
def test_it_never_answers_500_to_any_other_form_input(client, district, url):
    @hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(values=st.fixed_dictionaries({}, optional={name: TEXT for name in FORMS[url]}))
    def post(values):
        response = client.post(url, values)
        assert response.status_code in (200, 302, 400), (url, values)

    login(client, district, "office")
    post()


@pytest.mark.django_db
@hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.fixed_dictionaries(
        {}, optional={name: TEXT for name in ["project_code", "indicator", "target", "deadline", "note"]}
    )
)
def test_it_never_answers_500_to_any_letter_item_input(client, district, values):
    from tiaodu.projects.models import ResponsibilityLetter

    letter, _ = ResponsibilityLetter.objects.get_or_create(unit=district.units["hq"], year=2026)
    login(client, district, "office")
    response = client.post(f"/letters/{letter.pk}/items/new/", values)
    assert response.status_code in (200, 302)
