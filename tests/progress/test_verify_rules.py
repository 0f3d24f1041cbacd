"""Verification by someone else (issue 12, item 2): nobody verifies or returns a report they submitted; a
territorial unit's report is verified by the lead unit (or the office); the lead unit's own report only by
the office / administrators; what the office submitted by another office user or an administrator."""

import datetime

import pytest

from tests.progress.conftest import figures_of, submitted
from tests.support import login
from tiaodu.core.errors import NotAllowed
from tiaodu.progress import selectors, services
from tiaodu.progress.models import ReportStatus
from tiaodu.progress.permissions import report_can_verify

D = datetime.date


def _refusal(user, report, verb="verify"):
    with pytest.raises(NotAllowed) as exc:
        if verb == "verify":
            services.report_verify(user=user, report=report)
        else:
            services.report_return(user=user, report=report, reason="请核实")
    return str(exc.value)


def test_nobody_verifies_or_returns_a_report_they_submitted(frozen, reporters):
    d = reporters
    report = submitted(d.users["street"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=100))

    assert _refusal(d.users["street"], report) == (
        "不能审核自己提交的周报，须由牵头单位（北园大街改造指挥部）或领导小组办公室审核"
    )
    assert _refusal(d.users["street"], report, "return").startswith("不能退回自己提交的周报")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.verified_by is None


def test_the_lead_unit_verifies_a_territorial_units_report(frozen, reporters):
    d = reporters
    report = submitted(d.users["street"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=100))

    for who in ("dept", "outsider", "leader", "supervisor"):
        assert not report_can_verify(user=d.users[who], obj=report), who
    assert (
        _refusal(d.users["dept"], report)
        == "只有牵头单位（北园大街改造指挥部）或领导小组办公室可以审核该周报"
    )
    verified = services.report_verify(user=d.users["hq"], report=report, note="与现场一致")
    assert (verified.status, verified.verified_by, verified.verify_note) == (
        ReportStatus.VERIFIED,
        d.users["hq"],
        "与现场一致",
    )


def test_the_lead_units_own_report_needs_the_office(frozen, reporters):
    d = reporters
    report = submitted(d.users["hq"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=100))

    assert _refusal(d.users["hq"], report).startswith("不能审核自己提交的周报")
    # Another user of the lead unit may not verify it either.
    from tiaodu.orgs.models import Person, User

    deputy = User.objects.create_user(
        username="hq_deputy",
        password=None,
        person=Person.objects.create(name="钱副指挥", unit=d.units["hq"]),
        role="unit",
    )
    assert _refusal(deputy, report) == "该周报由牵头单位自己填报，须由领导小组办公室审核"
    assert _refusal(deputy, report, "return") == "该周报由牵头单位自己填报，须由领导小组办公室退回"
    assert services.report_verify(user=d.users["office"], report=report).verified_by == d.users["office"]


def test_what_the_office_submitted_another_office_user_or_an_administrator_verifies(frozen, district):
    d = district
    report = submitted(d.users["office"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=100))
    assert report.reporting_unit == d.units["hq"]

    assert _refusal(d.users["office"], report).startswith("不能审核自己提交的周报")
    assert not report_can_verify(user=d.users["hq"], obj=report)
    assert services.report_verify(user=d.users["admin"], report=report).status == ReportStatus.VERIFIED


def test_each_queue_holds_what_its_user_may_verify(frozen, reporters):
    d = reporters
    own = submitted(d.users["hq"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=100))
    street = submitted(d.users["street"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=90))

    def queue(who):
        return list(selectors.verify_queue(user=d.users[who]))

    assert queue("hq") == [street]
    assert queue("street") == []
    assert queue("office") == [own, street]
    assert queue("admin") == [own, street]
    for who in ("leader", "supervisor", "dept", "outsider"):
        assert queue(who) == [], who


def test_the_page_hides_the_buttons_from_who_may_not_verify(frozen, reporters, client):
    d = reporters
    own = submitted(d.users["hq"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=100))
    street = submitted(d.users["street"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=90))

    login(client, d, "hq")
    page = client.get(f"/reports/{own.pk}/").content.decode()
    assert "审核通过</button>" not in page and "审核者：领导小组办公室" in page
    page = client.get(f"/reports/{street.pk}/").content.decode()
    assert "审核通过</button>" in page and 'name="note"' in page
    queue = client.get("/reports/verify/").content.decode()
    assert f'href="/reports/{street.pk}/"' in queue and f'href="/reports/{own.pk}/"' not in queue

    login(client, d, "hq")
    response = client.post(f"/reports/{own.pk}/verify/", follow=True)
    assert response.status_code == 403
    assert "不能审核自己提交的周报" in response.content.decode()
    for who in ("leader", "supervisor"):
        login(client, d, who)
        page = client.get(f"/reports/{street.pk}/").content.decode()
        assert "审核通过</button>" not in page and "待审核" in page
