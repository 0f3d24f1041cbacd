"""The funds API: funding plan (GET/PUT with `warning`), annual plans, arrivals, funding sources;
visibility (404), rights (403), junk (400, never 500), and the change log."""

from __future__ import annotations

import datetime

import pytest

from tests.investment.funds_helpers import arrive, plan
from tiaodu.core.models import ChangeRecord
from tiaodu.investment.models import AnnualPlan, FundArrival, FundingPlan

pytestmark = pytest.mark.django_db
BASE = "/api/v1/projects/ZD-001"


def test_it_reads_the_funding_plan_with_rates_and_warning(api, district):
    plan(district.project, 区级财政资金="40000", 银行贷款="2000")
    arrive(district.project, datetime.date(2026, 1, 5), "区级财政资金", "10000")
    r = api("street").get(f"{BASE}/funding-plan/")
    assert r.status_code == 200
    body = r.json()
    assert body["rows"] == [
        {"source": "区级财政资金", "amount": "40000.00", "arrived": "10000.00", "rate": "25.0"},
        {"source": "银行贷款", "amount": "2000.00", "arrived": "0.00", "rate": "0.0"},
    ]
    # 10,000 / 42,000 = 23.809…% → 23.8
    assert (body["planned"], body["arrived"], body["rate"]) == ("42000.00", "10000.00", "23.8")
    assert body["warning"] == "资金计划合计42,000.00万元，与总投资52,000.00万元相差10,000.00万元"


def test_it_replaces_the_plan_for_the_office_and_answers_the_warning(api, district):
    plan(district.project, 社会资本="5")
    rows = [{"source": "区级财政资金", "amount": "50000"}, {"source": "银行贷款", "amount": "2000"}]
    r = api("office").put(f"{BASE}/funding-plan/", {"rows": rows}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["warning"] is None  # 52,000 = the total investment
    assert FundingPlan.objects.filter(project=district.project).count() == 2
    assert ChangeRecord.objects.filter(source="api", parent_id=district.project.pk).count() == 3


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"rows": [{"source": "银行贷款", "amount": "-1"}]}, "rows"),
        ({"rows": [{"source": "不存在的来源", "amount": "1"}]}, "rows"),
        ({"rows": [{"source": {"x": 1}, "amount": "1"}]}, "rows"),
        (
            {"rows": [{"source": "银行贷款", "amount": "1"}, {"source": "银行贷款", "amount": "2"}]},
            "rows.1.source",
        ),
        ({"rows": "很多"}, "rows"),
        ({}, "rows"),
    ],
)
def test_it_refuses_junk_in_the_plan_with_a_400(api, district, body, key):
    r = api("admin").put(f"{BASE}/funding-plan/", body, format="json")
    assert r.status_code == 400
    assert key in r.json()


@pytest.mark.parametrize(("key", "status"), [("hq", 403), ("street", 403), ("outsider", 404), (None, 401)])
def test_it_keeps_the_plan_to_the_office(api, district, key, status):
    r = api(key).put(f"{BASE}/funding-plan/", {"rows": []}, format="json")
    assert r.status_code == status


def test_it_creates_reads_updates_and_deletes_annual_plans(api, district):
    c = api("office")
    r = c.post(f"{BASE}/annual-plans/", {"year": 2026, "amount": "18000", "new_start": True}, format="json")
    assert r.status_code == 201, r.content
    assert r.json() == {
        "year": 2026,
        "amount": "18000.00",
        "new_start": True,
        "completion": False,
        "prior_cumulative": None,
    }
    r = c.post(f"{BASE}/annual-plans/", {"year": 2026, "amount": "1"}, format="json")
    assert r.status_code == 400 and "2026年度计划已存在" in r.json()["year"][0]
    r = c.put(f"{BASE}/annual-plans/2026/", {"amount": "19000", "prior_cumulative": "100"}, format="json")
    assert r.status_code == 200 and r.json()["amount"] == "19000.00"
    assert api("street").get(f"{BASE}/annual-plans/2026/").json()["prior_cumulative"] == "100.00"
    assert api("hq").delete(f"{BASE}/annual-plans/2026/").status_code == 403
    assert c.delete(f"{BASE}/annual-plans/2026/").status_code == 204
    assert not AnnualPlan.objects.exists()
    assert c.get(f"{BASE}/annual-plans/2026/").status_code == 404
    assert c.get(f"{BASE}/annual-plans/99999999999999999999/").status_code == 404
    assert c.post(f"{BASE}/annual-plans/", {"year": 1999, "amount": "1"}, format="json").status_code == 400


def test_it_lets_the_lead_unit_add_and_delete_arrivals(api, district):
    c = api("hq")
    body = {"date": "2026-04-01", "source": "区级财政资金", "amount": "300.5", "doc_no": "济财〔2026〕1号"}
    r = c.post(f"{BASE}/fund-arrivals/", body, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert api("street").get(f"{BASE}/fund-arrivals/").json()[0]["amount"] == "300.50"
    assert api("street").post(f"{BASE}/fund-arrivals/", body, format="json").status_code == 403
    assert c.post(f"{BASE}/fund-arrivals/", {**body, "amount": "0"}, format="json").status_code == 400
    assert c.post(f"{BASE}/fund-arrivals/", {**body, "date": "1999-01-01"}, format="json").status_code == 400
    assert api("street").delete(f"{BASE}/fund-arrivals/{pk}/").status_code == 403
    assert c.delete(f"{BASE}/fund-arrivals/null,null/").status_code == 404
    assert c.delete(f"{BASE}/fund-arrivals/{pk}/").status_code == 204
    assert not FundArrival.objects.exists()
    assert ChangeRecord.objects.filter(source="api", action="delete", parent_id=district.project.pk).exists()


def test_it_hides_a_project_the_user_may_not_see(api, district):
    for path in ("funding-plan/", "annual-plans/", "fund-arrivals/"):
        assert api("outsider").get(f"{BASE}/{path}").status_code == 404
    assert api("hq").get("/api/v1/projects/ZD-404/funding-plan/").status_code == 404


def test_it_lists_the_funding_sources(api, district):
    r = api("street").get("/api/v1/funding-sources/")
    assert r.status_code == 200
    assert [s["name"] for s in r.json()][:2] == ["中央预算内投资", "省级财政资金"]
    assert api(None).get("/api/v1/funding-sources/").status_code == 401
