"""The monthly pages as a user sees them: the list, the batch form (填报) with errors beside the field,
a figure with its revisions, verification and the queue."""

from __future__ import annotations

import pytest

from tests.investment.conftest import monthly
from tiaodu.investment.models import MonthlyInvestment

pytestmark = pytest.mark.django_db


def test_it_lists_the_figures_with_filters(client, district, nov27):
    monthly(district.users["hq"], district.project, 2026, 10, "1234.5")
    monthly(district.users["hq"], district.project, 2026, 9, "10")
    client.force_login(district.users["leader"])
    body = client.get("/investment/monthly/?month=2026-10").content.decode()
    assert "2026年10月" in body and "1,234.5" in body and "2026年9月" not in body
    assert 'id="batch-link"' not in body  # a leader reads only
    assert "逾期" in body  # submitted on 27 November for October (due 25 October)
    assert "2026年9月" in client.get("/investment/monthly/?status=submitted&project=ZD-001").content.decode()
    assert client.get("/investment/monthly/?month=2026-99").status_code == 200  # a bad filter is ignored


def test_it_saves_the_batch_and_shows_an_error_beside_the_field(client, district, nov27):
    p = district.project
    client.force_login(district.users["hq"])
    page = client.get("/investment/monthly/new/?month=2026-11").content.decode()
    assert "北园大街道路拓宽及两侧整治" in page and "小清河综合治理" not in page
    r = client.post("/investment/monthly/new/?month=2026-11", {f"amount_{p.pk}": "-5", "action": "submit"})
    assert r.status_code == 400
    body = r.content.decode()
    assert (
        f'class="invalid-feedback d-block" id="id_amount_{p.pk}-error">当月完成投资不能为负数「-5」' in body
    )
    assert not MonthlyInvestment.objects.exists()
    r = client.post("/investment/monthly/new/?month=2026-11", {f"amount_{p.pk}": "800", "action": "submit"})
    assert r.status_code == 302
    figure = MonthlyInvestment.objects.get()
    assert (figure.status, str(figure.amount), figure.late) == ("submitted", "800.00", True)
    page = client.get(r["Location"]).content.decode()
    assert "2026年11月完成投资1条已提交" in page and "其中1条已过截止日" in page


def test_it_shows_a_figure_with_its_revisions_and_lets_the_office_verify(client, district, nov27):
    from tiaodu.investment.services_monthly import monthly_revise, monthly_submit

    hq = district.users["hq"]
    v1 = monthly(hq, district.project, 2026, 10, "100")
    v2 = monthly_submit(user=hq, figure=monthly_revise(user=hq, figure=v1, amount="150"))
    client.force_login(hq)
    body = client.get(f"/investment/monthly/{v2.pk}/").content.decode()
    assert "第2版" in body and "100 → </span>150" in body and 'id="verify"' not in body
    client.force_login(district.users["office"])
    body = client.get(f"/investment/monthly/{v2.pk}/").content.decode()
    assert 'id="verify"' in body
    r = client.post(f"/investment/monthly/{v2.pk}/verify/", {"note": ""})
    assert r.status_code == 302
    v2.refresh_from_db()
    assert v2.status == "verified"


def test_it_shows_the_queue_and_asks_for_a_note_beside_the_field(client, district, nov27):
    hq = district.users["hq"]
    figure = monthly(hq, district.project, 2026, 10, "100")
    MonthlyInvestment.objects.filter(pk=figure.pk).update(
        flags=[{"code": "investment_mismatch", "message": "相差"}]
    )
    client.force_login(district.users["office"])
    body = client.get("/investment/monthly/verify/").content.decode()
    assert f'href="/investment/monthly/{figure.pk}/"' in body
    r = client.post(f"/investment/monthly/{figure.pk}/verify/", {"note": "", "next": "queue"})
    assert r.status_code == 400
    assert "该月度投资有1项数据异常，请填写审核意见" in r.content.decode()
    client.force_login(hq)
    body = client.get("/investment/monthly/verify/").content.decode()
    assert 'id="queue-read-only"' in body


def test_it_offers_the_side_nav_entry_to_the_units_and_the_office(client, district):
    # Lead units enter, the office verifies, every unit may look up its projects' figures; the leaders
    # read the dashboard's 投资 tab instead.
    for key, shown in [("hq", True), ("office", True), ("street", True), ("leader", False)]:
        client.force_login(district.users[key])
        assert ('href="/investment/monthly/"' in client.get("/").content.decode()) is shown, key
