"""Errors under /api/ are JSON, whatever answers them: DRF, Django's handlers, or the CSRF check."""

import json

import pytest
from django.urls import path
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tiaodu.urls import urlpatterns as site_urls


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("api/v1/boom/", _boom), path("boom/", _boom), *site_urls]
handler404 = "tiaodu.core.error_views.page_not_found"
handler500 = "tiaodu.core.error_views.server_error"


@pytest.fixture
def api(district):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=district.users['hq']).key}")
    return client


def _detail(response) -> str:
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)["detail"]


def test_it_answers_an_unknown_api_address_with_json(api, client, district):
    assert _detail(api.get("/api/v1/no-such-thing/")) == "接口地址不存在"
    assert api.get("/api/v1/no-such-thing/").status_code == 404
    assert _detail(api.post("/api/v2/", {"a": 1}, format="json")) == "接口地址不存在"
    client.force_login(district.users["hq"])
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and "页面不存在" in page.content.decode()


def test_it_answers_an_unknown_object_with_json(api):
    response = api.get("/api/v1/projects/NO-SUCH/")
    assert response.status_code == 404 and _detail(response)


def test_it_answers_a_server_error_under_api_with_json_and_no_trace(district, settings):
    settings.ROOT_URLCONF = __name__
    client = APIClient(raise_request_exception=False)
    client.force_login(district.users["hq"])
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert _detail(response) == "系统出现错误，已记录，请稍后再试"
    assert "RuntimeError" not in response.content.decode()
    page = client.get("/boom/")
    assert page.status_code == 500 and "系统错误" in page.content.decode()


def test_it_answers_a_csrf_failure_under_api_with_json(rf):
    from tiaodu.core.error_views import csrf_failure

    assert "CSRF" in _detail(csrf_failure(rf.post("/api/v1/projects/"), reason="CSRF token missing"))
    page = csrf_failure(rf.post("/projects/new/"), reason="CSRF token missing")
    assert page.status_code == 403 and "页面已过期" in page.content.decode()


def test_it_answers_a_bad_request_under_api_with_json(rf):
    from django.core.exceptions import SuspiciousOperation

    from tiaodu.core.error_views import bad_request

    response = bad_request(rf.get("/api/v1/projects/"), SuspiciousOperation("internal detail"))
    assert response.status_code == 400 and _detail(response) == "请求有误，无法处理"


def test_it_documents_the_error_answers_of_every_operation(api):
    schema = api.get("/api/schema/?format=json").json()
    count = 0
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                count += 1
                assert {"400", "401", "403", "404"} <= set(operation["responses"]), method
    assert count > 60
    download = schema["paths"]["/api/v1/documents/{id}/download/"]["get"]["responses"]["200"]["content"]
    assert {"application/pdf", "image/png"} <= set(download)


def test_it_refuses_a_yes_no_filter_that_is_neither(api):
    assert api.get("/api/v1/notifications/", {"unread": "true"}).status_code == 200
    assert api.get("/api/v1/notifications/", {"unread": "0"}).status_code == 200
    assert api.get("/api/v1/notifications/", {"unread": ""}).status_code == 200  # no filter
    refused = api.get("/api/v1/notifications/", {"unread": "-660"})
    assert refused.status_code == 400 and refused.json() == {"unread": ["须为 true 或 false"]}
