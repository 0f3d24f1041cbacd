"""The dispatch meeting's agenda names each lagging project's lag with its driving indicator, word for word
progress_status's `lag_text` — in the stored agenda (API) and on the meeting page, read in a real browser.

In the district fixture ZD-001 starts on 1 March 2026 with one indicator (拆迁面积) and no reports: severe on
9 April 2026."""

import datetime
from html import unescape

import pytest

from tests.browser_shots import shot
from tiaodu.progress.figures import driving_json
from tiaodu.progress.selectors import progress_status

PASSWORD = "Tiaodu@2026!"
ON = datetime.date(2026, 4, 9)


@pytest.fixture(scope="module", autouse=True)
def restore_migration_data(django_db_blocker):
    """Leave the test database as the migrations made it (categories, the holiday calendar…)."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


def _meeting(district):
    from tiaodu.supervision import services

    return services.meeting_create(
        user=district.users["supervisor"], data={"date": ON, "chair": district.people["leader"]}
    )


@pytest.mark.django_db
def test_the_agenda_states_each_lag_with_its_driving_indicator(district, client):
    meeting = _meeting(district)
    expected = progress_status(user=district.users["supervisor"], as_of=ON).project("ZD-001")
    assert expected.level == "severe" and expected.lag_text.startswith(
        f"滞后{expected.lag_days}个工作日：拆迁面积 计划"
    )
    (row,) = meeting.agenda["lagging"]
    assert row["code"] == "ZD-001" and row["lag_days"] == expected.lag_days
    assert row["lag_text"] == expected.lag_text
    assert row["driving_indicator"] == driving_json(expected.driving_indicator)
    assert row["driving_indicator"]["name"] == "拆迁面积"

    client.force_login(district.users["supervisor"])
    api = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert api["agenda"]["lagging"][0]["lag_text"] == expected.lag_text
    html = unescape(client.get(f"/meetings/{meeting.pk}/").content.decode())
    assert "<th>滞后情况</th>" in html and f"<td>{expected.lag_text}</td>" in html


@pytest.mark.django_db
def test_an_agenda_compiled_before_the_driving_indicator_still_shows_its_days(district, client):
    meeting = _meeting(district)
    old = dict(meeting.agenda)
    old["lagging"] = [
        {k: v for k, v in r.items() if k not in ("lag_text", "driving_indicator")} for r in old["lagging"]
    ]
    type(meeting).objects.filter(pk=meeting.pk).update(agenda=old)
    client.force_login(district.users["supervisor"])
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f"<td>滞后{old['lagging'][0]['lag_days']}个工作日</td>" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_meeting_page_shows_the_lag_with_its_driving_indicator(live_server, browser, district, tmp_path):
    meeting = _meeting(district)
    expected = progress_status(user=None, as_of=ON).project("ZD-001").lag_text
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)  # signed in
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    agenda = page.locator("#agenda")
    row = agenda.locator("tbody tr").first
    assert row.locator("td").nth(3).inner_text().strip() == expected
    assert agenda.locator("thead th").nth(3).inner_text().strip() == "滞后情况"
    shot(page, "meeting_agenda_1920", full_page=True)
    context.close()
