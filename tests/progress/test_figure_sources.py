"""Issue 11 items 1 and 3 on the pages: wherever a lag is shown it is shown with its driving indicator
(lag_text), the bar beside it shows that indicator (the average stays, labelled 综合进度), and every
figure links to the report it comes from — the dashboard, its project list and the project page."""

import datetime
import re
from html import unescape

import pytest

from tests.progress.conftest import figures_of, submitted
from tests.progress.test_overview import make_project
from tiaodu.progress.selectors import progress_status
from tiaodu.projects.models import Indicator

pytestmark = pytest.mark.django_db
D = datetime.date
AS_OF = "2026-11-13"


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))).strip()


def lag_texts(html: str) -> dict[str, str]:
    """Per project code, the lag in words as a user reads it in a row of a project table."""
    out = {}
    for code, row in re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', html, re.S):
        found = re.search(r"<div class=\"td-lag-text\" data-lag-text>(.*?)</div>", row, re.S)
        if found:
            out[code] = _text(found.group(1))
    return out


def source_links(html: str) -> dict[str, str]:
    """Per project code, where the driving indicator's actual figure links ("" when it is not a link)."""
    out = {}
    for code, row in re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', html, re.S):
        found = re.search(r'class="td-source" href="([^"]+)"', row)
        out[code] = found.group(1) if found else ""
    return out


@pytest.fixture
def lagging(frozen, district):
    """DRV (as of Fri 13 Nov): 拆迁面积 planned 100, actual 40 (lag 6); 道路长度 planned 1000, actual 200
    (lag 8, the driving indicator), both from one report; DONE, finished, lagged the same way."""
    p = make_project(district, "DRV", D(2026, 11, 2), D(2026, 11, 13), target=100)
    Indicator.objects.create(project=p, name="道路长度", unit_of_measure="m", target=1000, sort_order=2)
    report = submitted(district.users["hq"], p, D(2026, 11, 13), figures_of(p, 拆迁面积=40, 道路长度=200))
    done = make_project(district, "DONE", D(2026, 11, 2), D(2026, 11, 13), target=100, status="completed")
    submitted(district.users["hq"], done, D(2026, 11, 13), figures_of(done, 拆迁面积=10))
    return p, report


def test_the_dashboard_shows_a_lag_with_its_driving_indicator_and_its_bar(client, district, lagging):
    _p, report = lagging
    client.force_login(district.users["office"])
    html = client.get("/dashboard/", {"as_of": AS_OF}).content.decode()
    assert lag_texts(html)["DRV"] == "滞后8个工作日：道路长度 计划1,000m，实际200m"
    assert source_links(html)["DRV"] == f"/reports/{report.pk}/"
    (row,) = re.findall(r'<tr data-code="DRV">(.*?)</tr>', html, re.S)
    # The bar beside the lag is 道路长度's (plan 100 %, actual 20 %); the average (30 %) is 综合进度.
    assert 'data-bar="driving"' in row and 'td-bar-100"' in row and 'td-bar-20"' in row
    assert "主导指标 计划 100.0% · 实际 20.0%" in _text(row)
    assert "综合进度 计划 100.0% · 实际 30.0%" in _text(row)
    # ZD-001 lags with no report at all: its actual 0 is no link.
    assert lag_texts(html)["ZD-001"].startswith("滞后") and lag_texts(html)["ZD-001"].endswith("实际0m²")
    assert source_links(html)["ZD-001"] == ""
    assert "DONE" not in lag_texts(html)


def test_the_project_list_shows_the_same_lag_text_as_the_overview_and_no_lag_for_a_finished_project(
    client, district, lagging
):
    client.force_login(district.users["office"])
    html = client.get("/dashboard/projects/", {"as_of": AS_OF}).content.decode()
    status = progress_status(user=district.users["office"], as_of=D(2026, 11, 13))
    texts = lag_texts(html)
    assert texts == {p.code: p.lag_text for p in status.projects if p.lag_text}
    (done,) = re.findall(r'<tr data-code="DONE">(.*?)</tr>', html, re.S)
    assert "不滞后" in _text(done) and "综合进度 计划 100.0% · 实际 10.0%" in _text(done)
    assert 'data-bar="average"' in done


def test_the_project_page_shows_the_lag_and_links_every_actual_figure_to_its_report(
    client, district, lagging, settings
):
    p, report = lagging
    client.force_login(district.users["street"])  # the territorial street sees the project
    html = client.get(f"/projects/{p.code}/").content.decode()
    (panel,) = re.findall(r'<div class="card mt-3" id="progress">(.*?)</table>', html, re.S)
    # today (27 Nov) the whole plan is due: 拆迁面积 100 planned, 40 done; 道路长度 1000 planned, 200 done.
    today = progress_status(user=None, as_of=D(2026, 11, 27)).project("DRV")
    assert today.lag_text and today.lag_text in _text(panel)
    assert "严重滞后" in _text(panel) or "滞后" in _text(panel)
    rows = dict(re.findall(r'<tr data-indicator="([^"]+)"[^>]*>(.*?)</tr>', panel, re.S))
    assert set(rows) == {"拆迁面积", "道路长度"}
    for row in rows.values():
        assert f'href="/reports/{report.pk}/"' in row
    assert "主导指标" in _text(rows["道路长度"]) and "主导指标" not in _text(rows["拆迁面积"])
    assert "1,000 m" in _text(rows["道路长度"]) and "200 m" in _text(rows["道路长度"])


def test_the_project_page_says_when_there_is_no_report(client, district, frozen):
    Indicator.objects.create(project=district.other, name="河道治理长度", unit_of_measure="m", target=9800)
    client.force_login(district.users["office"])
    html = client.get(f"/projects/{district.other.code}/").content.decode()
    (panel,) = re.findall(r'<div class="card mt-3" id="progress">(.*?)</table>', html, re.S)
    assert "截至 2026年11月27日 · 暂无周报" in _text(panel)
    assert "实际0m" in _text(panel) and "0 m（暂无周报）" in _text(panel)
    assert re.search(r'href="/reports/\d+/"', panel) is None


def test_the_project_page_shows_no_progress_panel_to_whom_may_not_see_the_project(client, district, frozen):
    client.force_login(district.users["outsider"])  # 泺口街道: not ZD-001's
    assert client.get(f"/projects/{district.project.code}/").status_code == 404
    html = client.get(f"/projects/{district.other.code}/").content.decode()
    assert 'id="progress"' in html


def test_the_s_curve_names_its_driving_indicator(client, district, lagging):
    client.force_login(district.users["office"])
    data = client.get("/dashboard/curve/DRV/", {"as_of": AS_OF}).json()
    driving = data["driving"]
    assert driving["lag_text"] == "滞后8个工作日：道路长度 计划1,000m，实际200m"
    assert data["indicators"][driving["index"]]["name"] == "道路长度"
    at = data["dates"].index(AS_OF)
    assert data["indicators"][driving["index"]]["actual_pct"][at] == 20.0


def test_the_project_page_of_a_finished_project_shows_no_lag(client, district, lagging):
    client.force_login(district.users["office"])
    html = client.get("/projects/DONE/").content.decode()
    (panel,) = re.findall(r'<div class="card mt-3" id="progress">(.*?)</table>', html, re.S)
    assert "项目已竣工，不计滞后" in _text(panel) and "正常" in _text(panel)
    assert "data-lag-text" not in panel and "主导指标" not in _text(panel)
    assert "个工作日（记录）" in _text(panel)  # the indicator keeps its own figure, for the record
