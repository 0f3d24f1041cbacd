"""/api/v1/monthly-investments/: the same workflow and rights as the pages, errors in Chinese, no 500."""

from __future__ import annotations

import pytest
import schemathesis
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis import GenerationMode

from tests.core.test_api_schemathesis import _run
from tiaodu.investment.models import MonthlyInvestment

pytestmark = pytest.mark.django_db
URL = "/api/v1/monthly-investments/"


@pytest.fixture
def api(district):
    def make(key):
        client = APIClient()
        client.force_authenticate(district.users[key])
        return client

    return make


def test_it_creates_submits_revises_and_verifies_through_the_api(api, nov27):
    hq, office = api("hq"), api("office")
    r = hq.post(
        URL, {"project": "ZD-001", "month": "2026-10", "amount": "1200.5", "note": "十月"}, format="json"
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["month"], body["amount"], body["status"], body["unit"]["name"]) == (
        "2026-10",
        "1200.50",
        "draft",
        "北园大街改造指挥部",
    )
    pk = body["id"]
    assert hq.patch(f"{URL}{pk}/", {"amount": 1300}, format="json").json()["amount"] == "1300.00"
    body = hq.post(f"{URL}{pk}/submit/").json()
    assert (body["status"], body["counted"], body["late"]) == ("submitted", True, True)
    r = hq.post(f"{URL}{pk}/revise/", {"amount": "1350"}, format="json")
    assert r.status_code == 201
    new = r.json()
    assert (new["revision"], new["previous"], new["status"], new["amount"]) == (2, pk, "draft", "1350.00")
    assert hq.post(f"{URL}{pk}/verify/", {}, format="json").status_code == 403
    body = office.post(f"{URL}{pk}/verify/", {"note": "已核"}, format="json").json()
    assert body["status"] == "verified"
    hq.post(f"{URL}{new['id']}/submit/")
    r = office.post(f"{URL}{new['id']}/return/", {"reason": ""}, format="json")
    assert r.status_code == 400 and r.json() == {"reason": ["请填写退回原因"]}
    listed = office.get(URL, {"month": "2026-10", "project": "ZD-001", "status": "submitted"}).json()
    assert [f["id"] for f in listed["results"]] == [new["id"]]


def test_it_answers_bad_input_in_chinese(api, nov27):
    hq = api("hq")
    r = hq.post(URL, {"project": "ZD-001", "month": "2026/10", "amount": "1"}, format="json")
    assert r.status_code == 400 and r.json()["month"][0].startswith("年月应为YYYY-MM格式")
    r = hq.post(URL, {"project": "ZD-001", "month": "2027-01", "amount": "1"}, format="json")
    assert r.json() == {"month": ["不能填报未来月份（2027年1月），当前为2026年11月"]}
    r = hq.post(URL, {"project": "ZD-001", "month": "2026-10", "amount": -2}, format="json")
    assert r.json() == {"amount": ["当月完成投资不能为负数「-2」"]}
    r = hq.post(URL, {"project": "ZD-002", "month": "2026-10", "amount": 1}, format="json")
    assert r.status_code == 400 and "不存在或您无权查看" in r.json()["project"][0]
    assert (
        api("street")
        .post(URL, {"project": "ZD-001", "month": "2026-10", "amount": 1}, format="json")
        .status_code
        == 403
    )
    assert hq.get(URL, {"month": "2026-13"}).json() == {"month": ["月份应为1–12，收到「2026-13」"]}
    assert MonthlyInvestment.objects.count() == 0


@pytest.mark.parametrize("who", ["hq", "admin"])
def test_it_never_answers_the_monthly_endpoints_with_a_server_error(district, who):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from tests.core.test_api_schemathesis import application  # the WSGI app, as the suite's own test

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        token = Token.objects.create(user=district.users[who])
        headers = {"Authorization": f"Token {token.key}"}
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, headers=headers)
        schema = schema.include(path_regex="monthly-investments")
        assert len(list(schema.get_all_operations())) == 8
        failures = _run(schema, headers, GenerationMode.POSITIVE) + _run(
            schema, headers, GenerationMode.NEGATIVE
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert failures == []


def test_my_serializers_are_in_the_schema_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/v1/monthly-investments/{id}/revise/" in schema["paths"]
    mine = [w for w in GENERATOR_STATS._warn_cache if "onthly" in str(w)]
    assert mine == []


def test_it_keeps_the_amount_when_a_patch_changes_only_the_note(api, nov27):
    hq = api("hq")
    pk = hq.post(URL, {"project": "ZD-001", "month": "2026-10", "amount": "800"}, format="json").json()["id"]
    r = hq.patch(f"{URL}{pk}/", {"note": "补充说明"}, format="json")
    assert r.status_code == 200 and (r.json()["amount"], r.json()["note"]) == ("800.00", "补充说明")
