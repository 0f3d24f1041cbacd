"""Words for users: no developer text on the pages people use (template comments, Django, package names,
raw GeoJSON, TODO), and people's names — not login names — in change logs."""

import datetime
import re

import pytest
import time_machine

from tests.progress.conftest import NOW, figures_of, submitted
from tiaodu.projects.services import project_update

pytestmark = pytest.mark.django_db

DEVELOPER_WORDS = ["Django", "django", "chinesecalendar", "GeoJSON", "geojson", "{#", "#}", "TODO", "FIXME"]
LINE = {"type": "LineString", "coordinates": [[117.0, 36.68], [117.01, 36.69], [117.02, 36.7]]}
LINE_MOVED = {"type": "LineString", "coordinates": [[117.0, 36.68], [117.01, 36.69], [117.03, 36.71]]}

PAGES = [
    "/",
    "/dashboard/",
    "/dashboard/projects/",
    "/projects/",
    "/projects/ZD-001/",
    "/projects/ZD-001/reports/",
    "/projects/ZD-001/reports/new/",
    "/projects/ZD-001/schedule/",
    "/reports/",
    "/reports/verify/",
    "/reports/import/",
    "/letters/",
    "/units/",
    "/ledger/",
    "/calendar/",
    "/calendar/2026/",
    "/supervision/",
    "/problems/",
    "/meetings/",
    "/accountability/",
    "/inbox/",
    "/briefings/",
    "/documents/",
    "/account/",
    "/security/audit/",
    "/my-work/baselines/",
    "/login/",
]


def visible_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def developer_words(html: str) -> list[str]:
    text = visible_text(html)
    return [w for w in DEVELOPER_WORDS if w in text]


@pytest.fixture
def busy(district):
    """A project with a line drawn and moved (by the office), and a report (by the HQ)."""
    with time_machine.travel(NOW, tick=False):
        p = district.project
        project_update(user=district.users["office"], project=p, data={"geometry": LINE})
        p.refresh_from_db()
        project_update(user=district.users["office"], project=p, data={"geometry": LINE_MOVED})
        submitted(district.users["hq"], p, datetime.date(2026, 11, 26), figures_of(p, 拆迁面积=100))
        yield district


@pytest.mark.parametrize(
    "role", ["leader", "admin", "office", "hq", "street", "dept", "supervisor", "outsider"]
)
def test_no_page_shows_developer_text(busy, client, role):
    client.force_login(busy.users[role])
    pages = PAGES + [f"/units/{unit.pk}/" for unit in busy.units.values()]
    seen = 0
    for url in pages:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        seen += 1
        assert developer_words(response.content.decode()) == [], url
    assert seen >= 15


def test_the_admin_speaks_chinese_and_not_of_django(busy, client):
    login = client.get("/admin/login/")
    assert login.status_code == 200
    assert developer_words(login.content.decode()) == []
    assert "调度平台管理" in visible_text(login.content.decode())
    client.force_login(busy.users["admin"])
    index = client.get("/admin/")
    assert index.status_code == 200 and "调度平台管理" in visible_text(index.content.decode())
    assert "Django" not in visible_text(index.content.decode())


def test_the_change_log_names_people_and_sums_up_the_geometry(busy, client):
    client.force_login(busy.users["leader"])
    html = client.get("/projects/ZD-001/").content.decode()
    history = html[html.index('id="history"') :]
    who = re.findall(r'<td class="td-nowrap td-history-who">(.*?)</td>', history, re.S)
    assert who and all("刘主任" in cell or "赵指挥" in cell for cell in who)
    assert all(">office<" not in cell and "（office）" not in cell for cell in who)
    assert 'title="登录名：office"' in history  # the login name only as a tooltip
    text = visible_text(history)
    assert "空间范围： （空） → 线，3个点" in text
    assert "空间范围： 线，3个点 → 已修改（线，3个点）" in text
    assert "coordinates" not in text and "LineString" not in text
    # The project's own page sums the line up too.
    assert "空间范围 已标绘（线，3个点）" in visible_text(html)


def test_the_calendar_names_the_state_arrangement_not_a_package(district, client):
    client.force_login(district.users["office"])
    text = visible_text(client.get("/calendar/").content.decode())
    assert "国家法定节假日安排" in text and "chinesecalendar" not in text
    year = visible_text(client.get("/calendar/2025/").content.decode())
    assert "国务院办公厅节假日安排通知（预置）" in year


def test_the_unit_page_shows_no_template_comment(district, client):
    client.force_login(district.users["leader"])
    text = visible_text(client.get(f"/units/{district.units['street'].pk}/").content.decode())
    assert "accountability_records" not in text and "Context:" not in text
