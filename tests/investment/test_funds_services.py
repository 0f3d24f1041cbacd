"""The funds services: who may, what they check, the change log, the warning and 到位率 per source and in total."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.investment.funds_helpers import arrive, plan, src
from tiaodu.core.audit import history_for
from tiaodu.core.errors import NotAllowed
from tiaodu.investment import services_funds as services
from tiaodu.investment.models import AnnualPlan, FundArrival, FundingPlan, FundingSource
from tiaodu.investment.selectors_funds import funding_plan_warning, project_funds

pytestmark = pytest.mark.django_db


def test_it_seeds_the_eight_funding_sources_in_order():
    assert list(FundingSource.objects.values_list("name", flat=True)) == [
        "中央预算内投资",
        "省级财政资金",
        "市级财政资金",
        "区级财政资金",
        "地方政府专项债券",
        "银行贷款",
        "社会资本",
        "其他",
    ]


def test_it_lets_only_the_office_and_administrators_manage_sources(district):
    with pytest.raises(NotAllowed):
        services.funding_source_create(user=district.users["hq"], name="上级补助")
    made = services.funding_source_create(user=district.users["office"], name="上级补助")
    assert list(FundingSource.objects.all())[-1] == made  # after the last one
    services.funding_source_update(
        user=district.users["admin"], funding_source=made, data={"name": "上级补助资金"}
    )
    assert FundingSource.objects.filter(name="上级补助资金").exists()
    with pytest.raises(ValidationError) as exc:
        services.funding_source_create(user=district.users["office"], name="银行贷款")
    assert "资金来源「银行贷款」已存在" in str(exc.value)


def test_it_never_deletes_a_source_in_use_but_deactivates_it(district):
    plan(district.project, 银行贷款="100")
    with pytest.raises(ValidationError) as exc:
        services.funding_source_delete(user=district.users["office"], funding_source=src("银行贷款"))
    assert "已被资金计划或资金到位使用，不能删除，只能停用" in str(exc.value)
    services.funding_source_update(
        user=district.users["office"], funding_source=src("银行贷款"), data={"active": False}
    )
    assert not src("银行贷款").active
    services.funding_source_delete(user=district.users["office"], funding_source=src("其他"))
    assert not FundingSource.objects.filter(name="其他").exists()


def test_it_replaces_the_funding_plan_and_logs_each_row_under_the_project(district):
    p, office = district.project, district.users["office"]
    plan(p, 银行贷款="5000", 社会资本="1000")
    rows, warning = services.funding_plan_set(
        user=office, project=p, rows=[(src("区级财政资金"), "30000"), (src("银行贷款"), Decimal("22000"))]
    )
    assert {(r.source.name, r.amount) for r in FundingPlan.objects.filter(project=p)} == {
        ("区级财政资金", Decimal("30000.00")),
        ("银行贷款", Decimal("22000.00")),
    }
    assert warning is None  # 30,000 + 22,000 = 52,000 = the total investment
    records = list(history_for(p))
    kinds = sorted((r.action, r.object_repr) for r in records)
    assert ("create", "ZD-001·区级财政资金") in kinds
    assert ("delete", "ZD-001·社会资本") in kinds
    assert ("update", "ZD-001·银行贷款") in kinds


def test_it_refuses_a_duplicate_source_and_a_negative_amount(district):
    p, office = district.project, district.users["office"]
    with pytest.raises(ValidationError) as exc:
        services.funding_plan_set(
            user=office,
            project=p,
            rows=[(src("银行贷款"), "1"), (src("银行贷款"), "2"), (src("社会资本"), "-5")],
        )
    errors = exc.value.message_dict
    assert errors["rows.1.source"] == ["资金来源「银行贷款」重复，每个来源只能填一行"]
    assert "rows.2.amount" in errors
    assert not FundingPlan.objects.exists()


@pytest.mark.parametrize("key", ["hq", "street", "dept", "leader", "supervisor"])
def test_it_keeps_the_plans_to_the_office_because_they_are_the_baseline(district, key):
    user = district.users[key]
    with pytest.raises(NotAllowed):
        services.funding_plan_set(user=user, project=district.project, rows=[])
    with pytest.raises(NotAllowed):
        services.annual_plan_save(user=user, project=district.project, year=2026, data={"amount": Decimal(1)})


def test_it_warns_when_the_plan_does_not_add_up_to_the_total_investment(district):
    p = district.project
    p.total_investment = Decimal("15000")
    p.save()
    _rows, warning = services.funding_plan_set(
        user=district.users["office"],
        project=p,
        rows=[(src("区级财政资金"), "8000"), (src("银行贷款"), "4000")],
    )
    assert warning == "资金计划合计12,000.00万元，与总投资15,000.00万元相差3,000.00万元"
    assert FundingPlan.objects.filter(project=p).count() == 2  # a warning, not an error
    assert funding_plan_warning(None, Decimal("12000")) is None
    assert funding_plan_warning(Decimal("100"), Decimal("100.00")) is None
    assert (
        funding_plan_warning(Decimal("100"), Decimal("130"))
        == "资金计划合计130.00万元，与总投资100.00万元相差30.00万元"
    )


def test_it_creates_updates_and_deletes_an_annual_plan(district):
    p, office = district.project, district.users["office"]
    services.annual_plan_save(
        user=office, project=p, year=2026, data={"amount": Decimal("9000"), "new_start": True}
    )
    services.annual_plan_save(
        user=office,
        project=p,
        year=2026,
        data={"amount": Decimal("9500"), "prior_cumulative": Decimal("300")},
    )
    a = AnnualPlan.objects.get(project=p, year=2026)
    assert (a.amount, a.new_start, a.prior_cumulative) == (Decimal("9500.00"), True, Decimal("300.00"))
    with pytest.raises(ValidationError):
        services.annual_plan_save(user=office, project=p, year=1999, data={"amount": Decimal(1)})
    services.annual_plan_delete(user=office, plan=a)
    assert not AnnualPlan.objects.exists()
    actions = [r.action for r in history_for(p) if r.object_repr.startswith("ZD-001 2026")]
    assert sorted(actions) == ["create", "delete", "update"]


def test_it_lets_the_lead_unit_record_arrivals_but_not_the_street(district):
    p = district.project
    data = {
        "date": datetime.date(2026, 5, 8),
        "source": src("区级财政资金"),
        "amount": Decimal("800"),
        "doc_no": "济财建〔2026〕12号",
    }
    a = services.arrival_add(user=district.users["hq"], project=p, data=data)
    assert a.doc_no == "济财建〔2026〕12号"
    for key in ("street", "dept", "leader", "outsider"):
        with pytest.raises(NotAllowed):
            services.arrival_add(user=district.users[key], project=p, data=data)
    with pytest.raises(ValidationError) as exc:
        services.arrival_add(user=district.users["office"], project=p, data={**data, "amount": Decimal("0")})
    assert "到位金额须大于0" in str(exc.value)
    services.arrival_delete(user=district.users["hq"], arrival=a)
    assert not FundArrival.objects.exists()
    deleted = [r for r in history_for(p) if r.action == "delete"]
    assert deleted and deleted[0].changes["文号"] == ["济财建〔2026〕12号", ""]


def test_it_computes_the_rate_per_source_and_in_total_by_hand(district):
    p = district.project
    plan(p, 区级财政资金="6000", 银行贷款="3000")
    arrive(p, datetime.date(2026, 3, 1), "区级财政资金", "1000")
    arrive(p, datetime.date(2026, 6, 30), "区级财政资金", "1234.56")
    arrive(p, datetime.date(2026, 7, 1), "区级财政资金", "999")  # after the date: not counted
    arrive(p, datetime.date(2026, 4, 1), "银行贷款", "1000")
    arrive(p, datetime.date(2026, 4, 2), "社会资本", "50")  # not in the plan
    f = project_funds(user=district.users["office"], project=p, as_of=datetime.date(2026, 6, 30))
    by = {r.source: r for r in f.rows}
    # 2,234.56 / 6,000 = 37.2426…% → 37.2%; 1,000 / 3,000 = 33.333…% → 33.3%
    assert by["区级财政资金"].arrived == Decimal("2234.56")
    assert by["区级财政资金"].rate_text == "37.2%"
    assert by["银行贷款"].rate_text == "33.3%"
    assert by["社会资本"].planned is None and by["社会资本"].rate_text == "—"
    # total: (2,234.56 + 1,000 + 50) / 9,000 = 36.4951…% → 36.5%
    assert f.planned == Decimal("9000") and f.arrived == Decimal("3284.56")
    assert f.rate_text == "36.5%"
    assert f.warning == "资金计划合计9,000.00万元，与总投资52,000.00万元相差43,000.00万元"


def test_it_rounds_the_rate_half_up_only_when_shown(district):
    p = district.project
    plan(p, 区级财政资金="2000")
    arrive(p, datetime.date(2026, 1, 5), "区级财政资金", "1")  # 0.05% exactly → 0.1%
    f = project_funds(user=district.users["office"], project=p, as_of=datetime.date(2026, 1, 31))
    assert f.rate == Decimal("0.05")
    assert f.rate_text == "0.1%"
