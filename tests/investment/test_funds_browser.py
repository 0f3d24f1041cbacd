"""The 投资与资金 panel and the funds pages in a real browser (Chromium): the office saves a plan with a
duplicate source (errors beside the fields), the panel shows the warning and the 资金缺口 badge, the one-click
problem opens the pre-filled form; the lead unit's phone view. Screenshots funds-*.png in the folder TIAODU_SCREENSHOTS names, if any."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.browser_shots import shot
from tests.progress.test_browser import log_in, restore_migration_data  # noqa: F401 (module fixture)

WIDE = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_office_edits_the_funds_and_raises_the_funding_gap(live_server, browser, district):
    from django.utils import timezone

    from tests.investment.funds_helpers import arrive, plan
    from tiaodu.investment.models import AnnualPlan

    p = district.project
    today = timezone.localdate()
    plan(p, 区级财政资金="30000", 地方政府专项债券="10000", 银行贷款="2000")
    arrive(p, datetime.date(today.year, 1, 15), "区级财政资金", "3000", "济财建〔2026〕8号")
    arrive(p, datetime.date(today.year, 2, 1), "银行贷款", "500", "")
    AnnualPlan.objects.create(project=p, year=today.year, amount=Decimal("20000"), new_start=True)
    AnnualPlan.objects.create(
        project=p,
        year=today.year + 1,
        amount=Decimal("32000"),
        completion=True,
        prior_cumulative=Decimal("20000"),
    )

    _ctx, page = log_in(browser, live_server, "office", WIDE)
    page.goto(f"{live_server.url}/projects/ZD-001/#funds")
    panel = page.locator("#funds")
    assert "资金计划合计42,000.00万元，与总投资52,000.00万元相差10,000.00万元" in panel.inner_text()
    # 3,500 / 42,000 = 8.33…% → 8.3%
    assert "8.3%" in page.locator("#td-funds-total").inner_text()
    panel.scroll_into_view_if_needed()
    shot(page, "funds-panel", full_page=False)
    shot(panel, "funds-panel-card")

    page.locator("#td-funds-edit").click()
    page.wait_for_url(f"{live_server.url}/projects/ZD-001/funds/")
    page.select_option("#id_plan-3-source", label="银行贷款")
    page.fill("#id_plan-3-amount", "-5")
    page.get_by_role("button", name="保存资金计划").click()
    err = page.locator("#td-plan-form .invalid-feedback", has_text="重复")
    assert "资金来源「银行贷款」重复（第3行已填写）" in err.inner_text()
    assert "计划金额不能为负数" in page.locator("#td-plan-form").inner_text()
    shot(page, "funds-edit-errors", full_page=True)

    page.goto(f"{live_server.url}/projects/ZD-001/funds/")
    page.fill("#id_arrival-amount", "0")
    page.get_by_role("button", name="登记资金到位").click()
    assert "到位金额须大于0" in page.locator("#td-arrival-form").inner_text()
    assert page.locator("#td-arrival-form .invalid-feedback").count() >= 1
    shot(page, "funds-edit-arrival-error", full_page=True)

    page.goto(f"{live_server.url}/investment/sources/")
    shot(page, "funds-sources", full_page=True)

    if today.month >= 3:  # 时间进度 ≥ 25%: 8.3% is more than 20 points behind
        page.goto(f"{live_server.url}/projects/ZD-001/#funds")
        assert page.locator("#td-funding-gap").inner_text() == "资金缺口"
        page.locator("#td-gap-problem").click()
        page.wait_for_url(f"{live_server.url}/problems/from-funding-gap/ZD-001/")
        assert "资金到位率8.3%" in page.locator("#id_description").input_value()
        shot(page, "funds-gap-problem-form", full_page=True)

    _ctx2, phone = log_in(browser, live_server, "hq", PHONE)
    phone.goto(f"{live_server.url}/projects/ZD-001/funds/")
    assert "登记资金到位" in phone.inner_text("#td-arrival-card")
    shot(phone, "funds-edit-phone", full_page=True)
    phone.goto(f"{live_server.url}/projects/ZD-001/#funds")
    shot(phone.locator("#funds"), "funds-panel-phone")
