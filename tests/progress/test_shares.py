"""Each street's own share (条块分工): reporting a share, the summed actual, share plan and lag, the ranking,
the 周报 import's 填报单位 column."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from tests.progress.conftest import TODAY, figures_of, submitted
from tiaodu.orgs.models import Person, Role, Unit, UnitType, User
from tiaodu.progress import analysis, services
from tiaodu.progress.figures import status_json
from tiaodu.progress.importer import HEADERS, reports_import
from tiaodu.progress.models import Report
from tiaodu.progress.overview import compute_rows, progress_status
from tiaodu.projects import services as project_services
from tiaodu.projects.models import Indicator, Project

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def split(district):
    """ZD-001's 拆迁面积 (120,000 m²) split: 北园街道 48,000, 无影山街道 72,000 (each with a user)."""
    d = district
    wuying = Unit.objects.create(name="无影山街道", type=UnitType.STREET, parent=d.units["gov"], sort_order=9)
    person = Person.objects.create(name="郑主任", post="街道主任", unit=wuying)
    d.users["wuying"] = User.objects.create_user(
        username="wuying", password="Tiaodu@2026!", person=person, role=Role.UNIT
    )
    d.units["wuying"] = wuying
    d.project.territorial_units.add(wuying)
    d.indicator = d.project.indicators.get(name="拆迁面积")
    project_services.indicator_shares_set(
        user=d.users["office"],
        indicator=d.indicator,
        shares={d.units["street"]: Decimal(48000), wuying: Decimal(72000)},
    )
    return d


def verified(user, project, as_of, qty, note=""):
    report = submitted(user, project, as_of, figures_of(project, 拆迁面积=qty))
    # Verified by someone else: a street's by the lead unit, the lead unit's own by the office.
    own = report.reporting_unit_id == project.lead_unit_id
    verifier = User.objects.get(username="office") if own else project.lead_unit.people.first().user
    note = note or ("已核实" if report.flags else "")  # a flagged report needs a note (数据异常)
    return services.report_verify(user=verifier, report=report, note=note)


def test_a_street_sees_and_reports_its_own_share(frozen, split, client):
    d = split
    verified(d.users["wuying"], d.project, D(2026, 11, 19), 60000)
    client.force_login(d.users["street"])
    page = client.get("/projects/ZD-001/reports/new/").content.decode()
    assert "本单位分解目标 48,000 m²（全项目 120,000）" in page
    assert "上次 60,000" not in page  # another street's figure is not this street's last figure
    verified(d.users["street"], d.project, D(2026, 11, 19), 30000)
    page = client.get("/projects/ZD-001/reports/new/").content.decode()
    assert "上次 30,000（截至2026年11月19日）" in page
    report = Report.objects.get(reporting_unit=d.units["street"])
    assert report.figures.get().quantity == 30000 and not report.figures.get().decreased


def test_the_decrease_check_compares_with_the_same_streets_last_accepted_figure(frozen, split):
    d = split
    verified(d.users["wuying"], d.project, D(2026, 11, 12), 60000)
    verified(
        d.users["street"], d.project, D(2026, 11, 19), 30000
    )  # below 60,000 but that is another street's
    with pytest.raises(ValidationError) as exc:
        submitted(d.users["street"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=20000))
    assert exc.value.messages == [
        "「拆迁面积」累计完成量20,000低于上次审核通过的30,000（截至2026年11月19日），请填写减少原因"
    ]


def test_the_actual_is_the_sum_of_the_shares_and_each_share_has_its_plan_and_lag(frozen, split, client):
    d = split
    verified(d.users["street"], d.project, D(2026, 11, 19), 15000)
    verified(d.users["street"], d.project, D(2026, 11, 26), 20000)
    verified(d.users["wuying"], d.project, D(2026, 11, 26), 50000)
    verified(d.users["hq"], d.project, D(2026, 11, 26), 100000)  # the lead unit's figure does not count
    status = progress_status(user=d.users["leader"], as_of=TODAY, fresh=True)
    data = status_json(status)
    ind = next(p for p in data["projects"] if p["code"] == "ZD-001")["indicators"][0]
    assert ind["actual"] == 70000
    shares = {s["unit"]: s for s in ind["shares"]}
    assert set(shares) == {"北园街道", "无影山街道"}
    assert (shares["北园街道"]["target"], shares["北园街道"]["actual"]) == (48000, 20000)
    assert shares["北园街道"]["planned"] == pytest.approx(ind["planned"] * 0.4, abs=0.002)
    assert shares["无影山街道"]["planned"] == pytest.approx(ind["planned"] * 0.6, abs=0.002)
    # 北园街道 is short of its scaled plan (20,000 < 0.4 × planned) and lags; 无影山街道 is ahead
    assert ind["planned"] * 0.4 > 20000 and shares["北园街道"]["lag_days"] > 0
    assert ind["planned"] * 0.6 < 50000 and shares["无影山街道"]["lag_days"] == 0
    # the ranking: on ZD-001 北园街道 is judged by its share's lag, not the project's
    units = {u["unit"]: u for u in data["units"]}
    assert units["北园街道"]["avg_lag"] == shares["北园街道"]["lag_days"]
    assert units["无影山街道"]["avg_lag"] == 0 and units["无影山街道"]["on_time"] == 1
    # the project page shows each share
    client.force_login(d.users["office"])
    page = client.get("/projects/ZD-001/").content.decode()
    assert 'data-share="北园街道"' in page and "分解目标 48,000 m²" in page
    # an unsplit indicator keeps the latest report's figure
    assert next(p for p in data["projects"] if p["code"] == "ZD-002")["indicators"] == []


def test_a_shares_plan_is_the_indicators_plan_scaled_and_its_lag_follows_the_same_rule():
    plan = analysis.LinearPlan(120000, 100)  # Q(t) = 1,200·(t+1)
    ind = analysis.IndicatorInput("拆迁面积", "m²", 120000.0, 0.0, plan, 49)  # planned 60,000 at t = 49
    share = analysis.evaluate_share(ind, 7, 48000.0, 14400.0)
    # the share's plan is 60,000 × 0.4 = 24,000; 14,400 was planned at t* = 29 (480·30): 20 days behind
    assert (share.unit, share.target, share.planned, share.actual, share.lag_days) == (
        7,
        48000.0,
        24000.0,
        14400.0,
        20,
    )
    assert share.lag_days == analysis.lag_days(analysis.ScaledPlan(plan, 0.4), 49, 14400.0)
    assert analysis.evaluate_share(ind, 7, 48000.0, 30000.0).lag_days == 0


def test_the_ranking_takes_a_units_largest_share_lag_on_a_project():
    rows = [
        (
            ("指挥部", "北园街道", "无影山街道"),
            analysis.SEVERE,
            20,
            {"北园街道": ("normal", 0), "无影山街道": ("severe", 30)},
        ),
        (("指挥部", "北园街道"), analysis.NORMAL, 0),
    ]
    ranked = {r.unit: r for r in analysis.rank_units(rows)}
    assert (ranked["北园街道"].on_time, ranked["北园街道"].avg_lag) == (2, 0)
    assert (ranked["无影山街道"].on_time, ranked["无影山街道"].avg_lag) == (0, 30)
    assert (ranked["指挥部"].on_time, ranked["指挥部"].avg_lag) == (1, 10)
    shares = [analysis.ShareResult(1, 10.0, 5.0, 1.0, 12), analysis.ShareResult(1, 10.0, 5.0, 4.0, 3)]
    assert analysis.unit_lags("under_construction", shares) == {1: ("lagging", 12)}
    assert analysis.unit_lags("completed", shares) == {1: ("normal", 0)}


def test_the_overview_reads_every_share_with_one_query(frozen, split):
    d = split
    verified(d.users["street"], d.project, D(2026, 11, 26), 35000)
    with CaptureQueriesContext(connection) as one:
        compute_rows(TODAY)
    road = Indicator.objects.create(
        project=d.project, name="道路长度", unit_of_measure="m", target=Decimal(5200)
    )
    other = Indicator.objects.create(project=d.other, name="清淤", unit_of_measure="m³", target=Decimal(900))
    project_services.indicator_shares_set(
        user=d.users["office"],
        indicator=road,
        shares={d.units["street"]: Decimal(2000), d.units["wuying"]: Decimal(3200)},
    )
    project_services.indicator_shares_set(
        user=d.users["office"], indicator=other, shares={d.units["street2"]: Decimal(900)}
    )
    with CaptureQueriesContext(connection) as more:
        compute_rows(TODAY)
    assert len(more) == len(one)


# --- the 周报 import's 填报单位 column ------------------------------------------------------------


def workbook(path, rows, headers):
    book = Workbook()
    ws = book.active
    ws.title = "周报"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


WITH_UNIT = [*HEADERS, "填报单位"]


def test_the_office_imports_for_a_named_reporting_unit(frozen, split, tmp_path):
    d = split
    rows = [["ZD-001", D(2026, 11, 26), "拆迁面积", 50000, None, None, None, "无影山街道"]]
    result = reports_import(
        user=d.users["office"], path_or_file=workbook(tmp_path / "w.xlsx", rows, WITH_UNIT)
    )
    assert result.ok, [str(e) for e in result.errors]
    report = Report.objects.get()
    assert report.reporting_unit == d.units["wuying"] and report.figures.get().quantity == 50000


def test_a_street_imports_only_for_itself_and_an_unknown_unit_is_named(frozen, split, tmp_path):
    d = split
    rows = [
        ["ZD-001", D(2026, 11, 26), "拆迁面积", 50000, None, None, None, "无影山街道"],
        ["ZD-001", D(2026, 11, 19), "拆迁面积", 30000, None, None, None, "泺口街道"],
    ]
    result = reports_import(
        user=d.users["street"], path_or_file=workbook(tmp_path / "w.xlsx", rows, WITH_UNIT)
    )
    assert [str(e) for e in result.errors] == [
        "工作表「周报」第2行「填报单位」：只能为本单位（北园街道）填报，不能为「无影山街道」填报",
        "工作表「周报」第3行「填报单位」：「泺口街道」不是项目「ZD-001」的填报单位（填报单位：北园大街改造指挥部、北园街道、无影山街道）",
    ]
    assert not Report.objects.exists()


def test_without_a_unit_the_row_reports_for_the_importing_users_unit(frozen, split, tmp_path):
    d = split
    rows = [["ZD-001", D(2026, 11, 26), "拆迁面积", 30000, None, None, None, None]]
    result = reports_import(
        user=d.users["street"], path_or_file=workbook(tmp_path / "a.xlsx", rows, WITH_UNIT)
    )
    assert result.ok and Report.objects.get().reporting_unit == d.units["street"]
    old = [["ZD-001", D(2026, 11, 19), "拆迁面积", 25000, None, None, None]]  # a file without the column
    result = reports_import(user=d.users["street"], path_or_file=workbook(tmp_path / "b.xlsx", old, HEADERS))
    assert result.ok and Report.objects.get(as_of=D(2026, 11, 19)).reporting_unit == d.units["street"]
    assert Project.objects.get(code="ZD-001").reports.count() == 2
