"""The monthly figures' workflow: drafts, submission, revisions, the one counted revision, late, verify,
return, and the rights behind them."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.investment.conftest import at, monthly
from tiaodu.core.errors import NotAllowed
from tiaodu.core.models import ChangeRecord
from tiaodu.investment import services_monthly as svc
from tiaodu.investment.models import InvestmentSettings, MonthlyInvestment

pytestmark = pytest.mark.django_db


def counted(project, year, month):
    return list(MonthlyInvestment.objects.filter(project=project, year=year, month=month, counted=True))


def test_it_keeps_one_counted_revision_through_revise_submit_and_return(district, nov27):
    hq, office, p = district.users["hq"], district.users["office"], district.project
    v1 = monthly(hq, p, 2026, 10, "1200")
    assert (v1.status, v1.counted, v1.revision) == ("submitted", True, 1)
    v2 = svc.monthly_revise(user=hq, figure=v1, amount="1500.5", note="补报")
    assert (v2.status, v2.revision, v2.previous_id, v2.thread) == ("draft", 2, v1.pk, v1.thread)
    assert counted(p, 2026, 10) == [v1]  # the old one counts until the new one is submitted
    v2 = svc.monthly_submit(user=hq, figure=v2)
    v1.refresh_from_db()
    assert counted(p, 2026, 10) == [v2] and v1.superseded and v1.amount == Decimal("1200.00")
    svc.monthly_return(user=office, figure=v2, reason="与台账不符")
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert counted(p, 2026, 10) == [v1] and not v1.superseded and v2.status == "returned"
    v3 = svc.monthly_revise(user=hq, figure=v2, amount="1300")
    v3 = svc.monthly_submit(user=hq, figure=v3)
    assert counted(p, 2026, 10) == [v3]
    assert MonthlyInvestment.objects.filter(thread=v1.thread).count() == 3
    assert ChangeRecord.objects.filter(object_id=v3.pk, content_type__model="monthlyinvestment").exists()


def test_it_refuses_revising_an_old_revision_and_overwriting_a_submitted_figure(district, nov27):
    hq, p = district.users["hq"], district.project
    v1 = monthly(hq, p, 2026, 10, "100")
    svc.monthly_submit(user=hq, figure=svc.monthly_revise(user=hq, figure=v1))
    with pytest.raises(ValidationError, match="已有更新的第2版"):
        svc.monthly_revise(user=hq, figure=v1)
    with pytest.raises(ValidationError, match="不能直接修改"):
        svc.monthly_save_draft(user=hq, project=p, year=2026, month=10, amount="5", figure=v1)
    with pytest.raises(ValidationError, match="已存在"):
        svc.monthly_save_draft(user=hq, project=p, year=2026, month=10, amount="5")


def test_it_marks_late_after_the_deadline_day_of_the_figures_own_month(district):
    hq, p = district.users["hq"], district.project
    with time_machine.travel(at(2026, 10, 25, 23, 59), tick=False):
        assert monthly(hq, p, 2026, 10, "10").late is False
    with time_machine.travel(at(2026, 10, 26, 0, 1), tick=False):
        assert monthly(hq, p, 2026, 9, "10").late is True
    InvestmentSettings.objects.create(pk=1, deadline_day=28)
    with time_machine.travel(at(2026, 11, 27), tick=False):
        assert monthly(hq, p, 2026, 11, "10").late is False


def test_it_refuses_negative_amounts_future_months_and_bad_text(district, nov27):
    hq, p = district.users["hq"], district.project
    with pytest.raises(ValidationError) as e:
        svc.monthly_save_draft(user=hq, project=p, year=2026, month=10, amount="-1")
    assert e.value.message_dict == {"amount": ["当月完成投资不能为负数「-1」"]}
    with pytest.raises(ValidationError) as e:
        svc.monthly_save_draft(user=hq, project=p, year=2026, month=12, amount="1")
    assert e.value.message_dict == {"month": ["不能填报未来月份（2026年12月），当前为2026年11月"]}
    with pytest.raises(ValidationError) as e:
        svc.monthly_save_draft(user=hq, project=p, year=2026, month=10, amount="一百")
    assert e.value.message_dict == {"amount": ["当月完成投资不是有效的数字「一百」"]}
    with pytest.raises(ValidationError) as e:
        svc.parse_period("2026-13")
    assert "月份应为1–12" in e.value.message_dict["month"][0]


def test_it_lets_only_the_lead_unit_and_the_office_enter(district, nov27):
    p = district.project
    for key in ("street", "dept", "outsider", "leader", "supervisor"):
        with pytest.raises(NotAllowed):
            svc.monthly_save_draft(user=district.users[key], project=p, year=2026, month=10, amount="1")
    figure = monthly(district.users["office"], p, 2026, 10, "1", submit=False)
    assert figure.reporting_unit == district.units["hq"]  # on the lead unit's behalf


def test_it_verifies_by_the_office_only_and_never_ones_own_submission(district, nov27):
    hq, office, admin = district.users["hq"], district.users["office"], district.users["admin"]
    figure = monthly(hq, district.project, 2026, 10, "100")
    with pytest.raises(NotAllowed, match="只有领导小组办公室"):
        svc.monthly_verify(user=hq, figure=figure)
    own = monthly(office, district.other, 2026, 10, "100")
    with pytest.raises(NotAllowed, match="不能审核自己提交的月度投资"):
        svc.monthly_verify(user=office, figure=own)
    assert svc.monthly_verify(user=admin, figure=own).status == "verified"
    done = svc.monthly_verify(user=office, figure=figure, note="")
    assert (done.status, done.verified_by) == ("verified", office)
    with pytest.raises(ValidationError, match="不能审核"):
        svc.monthly_verify(user=admin, figure=figure)


def test_it_needs_a_reason_to_return(district, nov27):
    figure = monthly(district.users["hq"], district.project, 2026, 10, "100")
    with pytest.raises(ValidationError) as e:
        svc.monthly_return(user=district.users["office"], figure=figure, reason="  ")
    assert e.value.message_dict == {"reason": ["请填写退回原因"]}


def test_it_saves_a_batch_all_or_nothing_with_errors_by_row(district, nov27):
    from tiaodu.projects.models import Project

    office, p, other = district.users["office"], district.project, district.other
    with pytest.raises(ValidationError) as e:
        svc.monthly_batch_save(user=office, year=2026, month=10, rows=[(p, "10"), (other, "-3")], submit=True)
    assert e.value.message_dict == {f"amount_{other.pk}": ["当月完成投资不能为负数「-3」"]}
    assert not MonthlyInvestment.objects.exists()
    saved = svc.monthly_batch_save(
        user=office, year=2026, month=10, rows=[(p, "10"), (other, "")], submit=True
    )
    assert [(f.project.code, f.status) for f in saved] == [("ZD-001", "submitted")]
    assert Project.objects.count() == 2
