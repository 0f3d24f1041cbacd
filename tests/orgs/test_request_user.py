"""A request's user comes with its person and unit: the pages and endpoints that ask for the user's unit
(the menu, the permissions, the rows it may see) get it with the user, in one query."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tiaodu.orgs.backends import UserBackend
from tiaodu.orgs.security.auth import TokenAuthentication

PASSWORD = "Tiaodu@2026!"


@pytest.mark.parametrize("username", ["street", "office", "leader", "admin"])
def test_a_sessions_user_is_read_with_its_person_and_unit_in_one_query(
    district, django_assert_num_queries, username
):
    expected = district.users[username]
    with django_assert_num_queries(1):
        user = UserBackend().get_user(expected.pk)
        assert user.username == username
        assert user.unit == expected.unit and user.person == expected.person
        assert user.unit is None or user.unit.name == expected.unit.name


def test_a_tokens_user_is_read_with_its_person_and_unit_in_one_query(district, django_assert_num_queries):
    token = Token.objects.create(user=district.users["hq"])
    with django_assert_num_queries(1):
        user, found = TokenAuthentication().authenticate_credentials(token.key)
        assert found == token and user.unit.name == district.users["hq"].unit.name


def test_signing_in_uses_the_backend_that_reads_the_unit_along(client, district):
    response = client.post("/login/", {"username": "street", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "tiaodu.orgs.backends.UserBackend"
    page = client.get("/inbox/")
    assert page.status_code == 200 and page.wsgi_request.user.username == "street"


def test_an_inactive_accounts_session_and_token_are_refused(client, district):
    user = district.users["street"]
    token = Token.objects.create(user=user)
    client.force_login(user)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    refused = api.get("/api/v1/projects/")
    assert refused.status_code in (401, 403)
    assert refused.json()["detail"] == "用户未激活或者已删除。"
