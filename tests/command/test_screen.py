"""The big screen's data (/screen/data/): the same numbers as the dashboards, the briefing's red and yellow
items and the carousel's photos; who may read it."""

import datetime
import zoneinfo

import pytest
import time_machine

from tests.demo_copy import demo_district
from tiaodu.briefings.selectors import warned_items
from tiaodu.command.models import CommandSettings
from tiaodu.investment import figures as money
from tiaodu.investment.selectors import default_month, investment_status
from tiaodu.orgs.models import User
from tiaodu.progress.models import ReportPhoto, ReportStatus
from tiaodu.progress.selectors import progress_status

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def demo():
    with time_machine.travel(NOW, tick=False):
        demo_district(today=TODAY)
        yield


def _data(client, username="leader") -> dict:
    client.force_login(User.objects.get(username=username))
    response = client.get("/screen/data/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    return response.json()


def test_the_overview_lagging_projects_and_units_are_the_dashboards(client, demo):
    data = _data(client)
    dashboard = client.get("/dashboard/").context  # the dashboard 调度总览, as the leader sees it
    leader = User.objects.get(username="leader")
    status = progress_status(user=leader, as_of=TODAY, include_indicators=False)
    assert data["as_of"] == "2026-11-27"
    assert data["total"] == dashboard["total"] == len(status.projects) > 30
    assert data["levels"] == dashboard["counts"]
    for row, card in zip(data["overview"], dashboard["types"], strict=True):
        s = status.summary[card["key"]]
        assert row["key"] == card["key"]
        assert (row["total"], row["under_construction"], row["completed"], row["not_started"]) == (
            s.total,
            s.under_construction,
            s.completed,
            s.not_started,
        )
        assert row["started_rate"] == round(card["started_rate"], 1)
        assert row["sentence"] == card["sentence"]
    behind = dashboard["behind"][:10]
    assert data["behind_total"] == dashboard["behind_total"] > 0
    assert [p["code"] for p in data["lagging"]] == [p.code for p in behind]
    assert [p["lag_text"] for p in data["lagging"]] == [p.lag_text for p in behind]
    assert all(p["lag_text"].startswith(f"滞后{p['lag_days']}个工作日：") for p in data["lagging"])
    ranking = dashboard["ranking"]
    assert data["units_total"] == len(ranking) > 8
    shown = {u["rank"]: u for u in data["units"]}
    assert sorted(shown) == [1, 2, 3, 4, 5, len(ranking) - 2, len(ranking) - 1, len(ranking)]
    for rank, u in shown.items():
        assert (u["unit"], u["projects"], u["on_time"]) == (
            ranking[rank - 1]["unit"],
            ranking[rank - 1]["projects"],
            ranking[rank - 1]["on_time"],
        )
        assert u["share_pct"] == round(ranking[rank - 1]["share_pct"], 1)


def test_investment_is_the_investment_dashboards_for_the_default_month(client, demo):
    data = _data(client, "office")
    page = client.get("/dashboard/investment/").context
    year, month = default_month()
    status = investment_status(user=User.objects.get(username="office"), year=year, month=month)
    inv = data["investment"]
    assert inv["month"] == f"{year:04d}-{month:02d}" == page["month_value"]
    assert inv["time_pct_text"] == page["time_progress"]
    assert inv["sentence"] == page["sentences"][0] == money.summary_sentence(status)
    a = status.summary["all"]
    assert inv["all"]["ytd_pct_text"] == page["district"]["ytd_pct"] == money.pct_text(a.ytd_pct)
    assert inv["all"]["ahead"] == page["district"]["ahead"]
    assert inv["all"]["ytd"] == money.amount_text(a.ytd)
    by_label = {row["label"]: row for row in page["types"]}
    for row in inv["types"]:
        assert row["ytd_pct_text"] == by_label[row["label"]]["ytd_pct"]
        assert row["behind"] == by_label[row["label"]]["behind"]


def test_the_ticker_is_the_briefings_red_and_yellow_items_red_first(client, demo):
    data = _data(client)
    items = warned_items(TODAY)
    assert items, "the demo has warned items"
    assert sorted(w["title"] for w in data["warnings"]) == sorted(i.title for i in items)
    labels = [w["label"] for w in data["warnings"]]
    assert labels == sorted(labels, key=lambda x: x != "红牌")
    assert set(labels) <= {"红牌", "黄牌"}


def test_the_campaign_and_its_countdown(client, demo):
    row = CommandSettings.load()  # the demo's campaign: 决战 and the year of its common deadline
    assert _data(client)["campaign"] == {
        "name": row.campaign_name,
        "date": row.campaign_date.isoformat(),
        "days_left": (row.campaign_date - TODAY).days,
    }
    row.campaign_name, row.campaign_date = "决战2028", datetime.date(2028, 12, 31)
    row.save()
    assert _data(client)["campaign"] == {"name": "决战2028", "date": "2028-12-31", "days_left": 765}
    row.campaign_date = None
    row.save()
    assert _data(client)["campaign"] == {"name": "决战2028", "date": None, "days_left": None}
    row.campaign_date = datetime.date(2026, 1, 1)  # past: nothing left
    row.save()
    assert _data(client)["campaign"]["days_left"] == 0


def test_the_map_and_the_carousel(client, demo):
    data = _data(client)
    codes = {f["properties"]["code"] for f in data["map"]["features"]["features"]}
    assert len(codes) == data["total"]
    verified = ReportPhoto.objects.filter(report__status=ReportStatus.VERIFIED)
    assert len(data["photos"]) == verified.count() >= 1
    url = data["photos"][0]["url"]
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response.content[:2] == b"\xff\xd8"
    # a photo of a report not verified is not on the screen, nor served by it
    other = ReportPhoto.objects.exclude(report__status=ReportStatus.VERIFIED).first()
    assert client.get(f"/screen/photos/{other.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("user", "status"),
    [("leader", 200), ("supervisor", 200), ("office", 200), ("admin", 200), ("hq", 403), ("street", 403)],
)
def test_who_may_open_the_screen(client, district, user, status):
    client.force_login(district.users[user])
    for url in ("/screen/", "/screen/data/"):
        assert client.get(url).status_code == status, url


def test_the_street_office_is_told_why(client, district):
    client.force_login(district.users["street"])
    response = client.get("/screen/")
    assert response.status_code == 403
    assert "大屏仅向区领导、督查室和领导小组办公室开放" in response.content.decode()


def test_signed_out_is_sent_to_sign_in(client, district):
    for url in ("/screen/", "/screen/data/", "/screen/links/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_the_screen_page_is_its_own_full_screen_page(client, district):
    client.force_login(district.users["leader"])
    html = client.get("/screen/").content.decode()
    assert 'data-url="/screen/data/"' in html and 'data-refresh="300"' in html
    assert "td-sidebar" not in html and "<script>" not in html and 'style="' not in html
    assert "command/tdmap.js" in html and "command/screen.js" in html
