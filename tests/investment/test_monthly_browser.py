"""A lead unit enters its month's figure on a phone; the office verifies it on a desktop."""

import pytest

from tests.browser_shots import shot
from tests.progress.test_browser import log_in, restore_migration_data  # noqa: F401 — the module fixture

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1920, "height": 1080}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_enters_a_monthly_figure_on_a_phone_and_the_office_verifies_it(browser, live_server, district):
    from django.utils import timezone

    from tiaodu.investment.models import MonthlyInvestment

    today = timezone.localdate()
    month = f"{today.year:04d}-{today.month:02d}"
    context, page = log_in(browser, live_server, "hq", PHONE)
    page.goto(f"{live_server.url}/investment/monthly/new/?month={month}")
    field = page.locator(f"#id_amount_{district.project.pk}")
    field.fill("-12")
    page.click("button[value=submit]")
    error = page.locator(f"#id_amount_{district.project.pk}-error")
    assert error.inner_text() == "当月完成投资不能为负数「-12」"
    box, field_box = error.bounding_box(), field.bounding_box()
    assert 0 <= box["y"] - (field_box["y"] + field_box["height"]) < 20  # right below the field
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "monthly-batch-error-phone", full_page=True)
    page.locator(f"#id_amount_{district.project.pk}").fill("1250.5")
    page.click("button[value=submit]")
    page.wait_for_selector(".alert-success")
    assert "完成投资1条已提交" in page.inner_text(".alert-success")
    shot(page, "monthly-batch-phone", full_page=True)
    page.goto(f"{live_server.url}/investment/monthly/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "monthly-list-phone", full_page=True)
    context.close()

    figure = MonthlyInvestment.objects.get()
    context, page = log_in(browser, live_server, "office", DESKTOP)
    page.goto(f"{live_server.url}/investment/monthly/verify/")
    assert "1,250.5" in page.inner_text("#queue")
    shot(page, "monthly-queue-desktop", full_page=True)
    page.goto(f"{live_server.url}/investment/monthly/{figure.pk}/")
    page.click("#verify button.btn-success")
    page.wait_for_selector(".alert-success")
    assert "已审核" in page.inner_text("#status")
    shot(page, "monthly-detail-desktop", full_page=True)
    page.goto(f"{live_server.url}/investment/monthly/")
    shot(page, "monthly-list-desktop", full_page=True)
    page.goto(f"{live_server.url}/investment/monthly/new/?month={month}")
    shot(page, "monthly-batch-desktop", full_page=True)
    context.close()
