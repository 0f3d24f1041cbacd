"""The 投资与资金 panel on the project page, the funds edit pages (errors beside the fields), the list of
sources, and the one-click problem from a funding gap."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from tests.investment.funds_helpers import arrive, plan, src
from tiaodu.investment.models import AnnualPlan, FundArrival, FundingPlan
from tiaodu.supervision.models import Problem, ProblemType

pytestmark = pytest.mark.django_db
NOV = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def client_as(client, district):
    def make(key):
        client.force_login(district.users[key])
        return client

    return make


def _text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def funded(district):
    p = district.project  # total investment 52,000
    plan(p, 区级财政资金="30000", 银行贷款="12000")
    arrive(p, datetime.date(2026, 3, 10), "区级财政资金", "6000", "济财建〔2026〕8号")
    arrive(p, datetime.date(2026, 6, 1), "银行贷款", "1500")
    AnnualPlan.objects.create(
        project=p, year=2026, amount=Decimal("20000"), new_start=True, prior_cumulative=Decimal("800")
    )
    return p


def test_it_shows_the_funds_panel_with_rates_warning_and_gap(client_as, funded):
    with time_machine.travel(NOV, tick=False):
        r = client_as("leader").get("/projects/ZD-001/")
    text = _text(r)
    assert "投资与资金" in text
    # 区级: 6,000 / 30,000 = 20.0%; 银行贷款: 1,500 / 12,000 = 12.5%; total 7,500 / 42,000 = 17.857…% → 17.9%
    assert "区级财政资金 30,000.00 6,000.00 20.0%" in text
    assert "银行贷款 12,000.00 1,500.00 12.5%" in text
    assert "合计 42,000.00 7,500.00 17.9%" in text
    assert "资金计划合计42,000.00万元，与总投资52,000.00万元相差10,000.00万元" in text
    assert "2026 20,000.00 是 否 800.00" in text
    assert "济财建〔2026〕8号" in text
    # November: 时间进度 91.7%, 91.7 − 17.9 > 20 → 资金缺口
    assert 'id="td-funding-gap"' in r.content.decode()
    assert "资金到位率 17.9%，低于时间进度 91.7%" in text
    assert "编辑资金信息" not in text  # a leader reads only


def test_it_offers_the_edit_link_to_the_lead_unit_and_the_office_only(client_as, funded):
    assert "编辑资金信息" in _text(client_as("hq").get("/projects/ZD-001/"))
    assert "编辑资金信息" in _text(client_as("office").get("/projects/ZD-001/"))
    assert "编辑资金信息" not in _text(client_as("street").get("/projects/ZD-001/"))


def test_it_shows_no_warning_without_a_total_investment(client_as, district):
    p = district.other
    p.total_investment = None
    p.save()
    plan(p, 区级财政资金="100")
    assert "相差" not in _text(client_as("office").get("/projects/ZD-002/"))


def test_it_saves_the_funding_plan_from_the_formset_and_warns(client_as, district):
    c = client_as("office")
    data = {
        "plan-TOTAL_FORMS": "3",
        "plan-INITIAL_FORMS": "0",
        "plan-0-source": src("区级财政资金").pk,
        "plan-0-amount": "40000",
        "plan-1-source": src("银行贷款").pk,
        "plan-1-amount": "2000",
        "plan-2-source": "",
        "plan-2-amount": "",
    }
    r = c.post("/projects/ZD-001/funds/plan/", data, follow=True)
    assert r.status_code == 200
    text = _text(r)
    assert "资金计划已保存" in text
    assert "资金计划合计42,000.00万元，与总投资52,000.00万元相差10,000.00万元" in text
    assert FundingPlan.objects.filter(project=district.project).count() == 2


def test_it_puts_the_formset_errors_beside_each_field(client_as, district):
    c = client_as("office")
    data = {
        "plan-TOTAL_FORMS": "3",
        "plan-INITIAL_FORMS": "0",
        "plan-0-source": src("银行贷款").pk,
        "plan-0-amount": "-1",
        "plan-1-source": src("银行贷款").pk,
        "plan-1-amount": "5",
        "plan-2-source": "",
        "plan-2-amount": "7",
    }
    r = c.post("/projects/ZD-001/funds/plan/", data)
    assert r.status_code == 400
    html = r.content.decode()
    assert "请修改标红的内容后再保存" in html
    assert re.search(r'name="plan-0-amount"[^>]*is-invalid|is-invalid[^>]*name="plan-0-amount"', html)
    assert "计划金额不能为负数" in html
    assert "资金来源「银行贷款」重复（第1行已填写）" in html
    assert "请选择资金来源" in html
    assert not FundingPlan.objects.exists()


def test_it_saves_an_annual_plan_and_shows_a_bad_year_beside_the_field(client_as, district):
    c = client_as("admin")
    r = c.post(
        "/projects/ZD-001/funds/annual/",
        {"annual-year": "2026", "annual-amount": "18000", "annual-new_start": "on"},
        follow=True,
    )
    assert "2026年度计划已保存" in _text(r)
    assert AnnualPlan.objects.get(project=district.project).new_start is True
    r = c.post("/projects/ZD-001/funds/annual/", {"annual-year": "1990", "annual-amount": "abc"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "年度须在2000至2100之间" in html
    assert "输入一个数字" in html


def test_it_lets_the_lead_unit_add_and_delete_an_arrival(client_as, district):
    c = client_as("hq")
    r = c.get("/projects/ZD-001/funds/")
    assert r.status_code == 200
    assert "保存资金计划" not in _text(r)  # the plan is the office's
    assert "登记资金到位" in _text(r)
    r = c.post(
        "/projects/ZD-001/funds/arrivals/",
        {
            "arrival-date": "2026-05-06",
            "arrival-source": src("区级财政资金").pk,
            "arrival-amount": "0",
            "arrival-doc_no": "",
        },
    )
    assert r.status_code == 400 and "到位金额须大于0" in r.content.decode()
    r = c.post(
        "/projects/ZD-001/funds/arrivals/",
        {
            "arrival-date": "2026-05-06",
            "arrival-source": src("区级财政资金").pk,
            "arrival-amount": "300",
            "arrival-doc_no": "A-1",
        },
        follow=True,
    )
    assert "已登记资金到位" in _text(r)
    a = FundArrival.objects.get()
    r = c.post(f"/projects/ZD-001/funds/arrivals/{a.pk}/delete/", follow=True)
    assert "已删除资金到位记录" in _text(r)
    assert not FundArrival.objects.exists()


def test_it_refuses_the_funds_page_to_a_street_and_hides_it_from_an_outsider(client_as, district):
    assert client_as("street").get("/projects/ZD-001/funds/").status_code == 403
    assert client_as("outsider").get("/projects/ZD-001/funds/").status_code == 404
    r = client_as("hq").post("/projects/ZD-001/funds/annual/", {"annual-year": "2026", "annual-amount": "1"})
    assert r.status_code == 403


def test_it_manages_the_sources_page_for_the_office(client_as, district):
    c = client_as("office")
    r = c.get("/investment/sources/")
    assert r.status_code == 200 and 'value="地方政府专项债券"' in r.content.decode()
    r = c.post("/investment/sources/", {"new-name": "上级补助", "new-sort_order": ""}, follow=True)
    assert "已添加资金来源「上级补助」" in _text(r)
    r = c.post("/investment/sources/", {"new-name": "银行贷款", "new-sort_order": "3"})
    assert r.status_code == 400 and "资金来源「银行贷款」已存在" in r.content.decode()
    s = src("其他")
    r = c.post(
        f"/investment/sources/{s.pk}/",
        {f"s{s.pk}-name": "其他资金", f"s{s.pk}-sort_order": "90"},
        follow=True,
    )
    assert "资金来源「其他资金」已保存" in _text(r)
    assert src("其他资金").active is False  # the box was not ticked: deactivated
    assert client_as("hq").get("/investment/sources/").status_code == 403


def test_it_turns_a_funding_gap_into_a_funding_problem_form(client_as, funded):
    with time_machine.travel(NOV, tick=False):
        r = client_as("street").post("/problems/from-funding-gap/ZD-001/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "按资金缺口登记" in html
    assert f'value="{ProblemType.FUNDING}" selected' in html
    assert (
        "资金缺口：截至2026年11月末，资金到位率17.9%（已到位7,500.00万元，资金计划42,000.00万元），低于时间进度91.7%，相差73.8个百分点"
        in html
    )
    assert 'action="/problems/new/"' in html
    assert not Problem.objects.exists()  # nothing until the user confirms


def test_it_refuses_a_problem_when_the_project_has_no_gap(client_as, district):
    plan(district.project, 区级财政资金="100")
    arrive(district.project, datetime.date(2026, 2, 1), "区级财政资金", "100")
    with time_machine.travel(NOV, tick=False):
        r = client_as("office").post("/problems/from-funding-gap/ZD-001/", follow=True)
    assert "该项目当前没有资金缺口" in _text(r)
    with time_machine.travel(NOV, tick=False):
        assert client_as("outsider").post("/problems/from-funding-gap/ZD-001/").status_code == 404
