"""The outputs of the investment figures: the command, GET /api/v1/investment, the dashboard tab 投资 and
the briefing section 投资完成情况 — all the JSON and words of figures.py over investment_status."""

import datetime
import io
import json
import subprocess
from decimal import Decimal as D

import docx
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from tiaodu.investment import figures
from tiaodu.investment.selectors import investment_status

pytestmark = pytest.mark.django_db


def office_status(district, month=4):
    return investment_status(user=district.users["office"], year=2026, month=month)


# --- GET /api/v1/investment -----------------------------------------------------------------------


def test_it_answers_the_api_with_the_figures_json(money, api):
    response = api("office").get("/api/v1/investment", {"month": "2026-04"})
    assert response.status_code == 200
    body = response.json()
    assert body == json.loads(json.dumps(figures.status_json(office_status(money))))
    assert body["month"] == "2026-04" and body["time_progress_pct"] == 33.3
    assert body["summary"]["all"]["ytd"] == 600.0 and body["summary"]["all"]["ytd_pct"] == 15.0
    zd1 = next(p for p in body["projects"] if p["code"] == "ZD-001")
    assert (zd1["ytd"], zd1["month"], zd1["cumulative"], zd1["ytd_pct"]) == (300.0, None, 700.0, 30.0)
    assert api("office").get("/api/v1/investment/", {"month": "2026-04"}).json() == body


def test_the_api_shows_a_unit_only_its_projects(money, api):
    body = api("hq").get("/api/v1/investment?month=2026-04").json()
    assert [p["code"] for p in body["projects"]] == ["ZD-001"]
    assert [u["unit"] for u in body["units"]] == ["北园大街改造指挥部"]


@pytest.mark.parametrize("value", ["2026-13", "2026-4-1", "abc", "1999-12", "２０２６-０４", ""])
def test_the_api_refuses_a_bad_month_in_chinese(money, api, value):
    response = api("office").get("/api/v1/investment", {"month": value})
    assert response.status_code == 400
    assert "报告月份" in response.json()["month"][0]


def test_the_api_defaults_to_the_latest_month_whose_figures_are_due(money, api):
    # Before the deadline day (the 25th) the month's figures are still coming: the previous month.
    with time_machine.travel(datetime.datetime(2026, 5, 25, 10, 0), tick=False):
        assert api("office").get("/api/v1/investment").json()["month"] == "2026-04"
    with time_machine.travel(datetime.datetime(2026, 5, 26, 10, 0), tick=False):
        body = api("office").get("/api/v1/investment").json()
    assert body["month"] == "2026-05" and body["summary"]["all"]["new_starts"] == 1
    with time_machine.travel(datetime.datetime(2026, 1, 3, 10, 0), tick=False):
        assert api("office").get("/api/v1/investment").json()["month"] == "2025-12"


def test_the_api_is_for_signed_in_users(money, api):
    assert api(None).get("/api/v1/investment").status_code in (401, 403)


# --- manage.py investment_status ------------------------------------------------------------------


def test_the_command_prints_the_same_json(money):
    out = io.StringIO()
    call_command("investment_status", "--month", "2026-04", "--json", stdout=out)
    assert json.loads(out.getvalue()) == json.loads(json.dumps(figures.status_json(office_status(money))))
    mine = io.StringIO()
    call_command("investment_status", "--month", "2026-04", "--json", "--user", "outsider", stdout=mine)
    assert [p["code"] for p in json.loads(mine.getvalue())["projects"]] == ["ZD-002"]


def test_the_command_prints_the_sentences_and_the_ranking(money):
    out = io.StringIO()
    call_command("investment_status", "--month", "2026-12", stdout=out)
    text = out.getvalue()
    assert figures.summary_sentence(office_status(money, 12)) in text
    assert "1. 北园大街改造指挥部" in text  # 300 / 1000 = 30% before 300 / 3000 = 10%
    assert (
        "资金缺口项目 1 个" in text and "ZD-002" in text and "到位率75.0%，低于时间进度25.0个百分点" in text
    )


def test_the_command_refuses_a_bad_month(money):
    with pytest.raises(CommandError, match="报告月份无效「2026-00」"):
        call_command("investment_status", "--month", "2026-00")


# --- the dashboard tab ----------------------------------------------------------------------------


def page(district, key="office", month="2026-04"):
    client = Client()
    client.force_login(district.users[key])
    response = client.get("/dashboard/investment/", {"month": month})
    assert response.status_code == 200
    return response, response.content.decode()


def test_the_tab_shows_the_sentences_and_the_tables(money):
    response, html = page(money)
    status = office_status(money)
    assert figures.summary_sentence(status) in html
    assert (
        "1-4月，全区重点项目累计完成投资600.00万元，占年度投资计划的15.0%，落后时间进度18.3个百分点。" in html
    )
    units = response.context["units"]
    assert [(u["label"], u["ytd_pct"], u["ahead"], u["behind"]) for u in units] == [
        ("北园大街改造指挥部", "30.0%", "−3.3", True),
        ("小清河综合治理指挥部", "10.0%", "−23.3", True),
    ]
    assert 'class="text-end td-num text-danger fw-semibold" data-ahead>−3.3' in html
    assert 'id="td-investment-data"' in html and "<script>" not in html.replace("<script src=", "")
    chart = response.context["chart"]
    assert chart["amounts"][:5] == [400.0, 200.0, 0.0, 0.0, None]  # ZD-001 100 + ZD-002 300; Feb 200
    assert chart["cumulative_pct"][:4] == [10.0, 15.0, 15.0, 15.0]  # of 4000
    assert chart["time_pct"][11] == 100.0


def test_the_tab_lists_the_funding_gaps(money):
    _response, html = page(money, month="2026-12")
    assert '资金缺口 <span class="badge text-bg-light">1</span>' in html
    assert "75.0%" in html and "25.0" in html


def test_a_unit_sees_only_its_projects_on_the_tab(money):
    _response, html = page(money, "hq")
    assert "ZD-001" in html and "ZD-002" not in html
    assert "本单位相关的重点项目" in html


def test_a_bad_month_on_the_tab_is_said_in_chinese(money):
    _response, html = page(money, month="2026-99")
    assert "报告月份无效「2026-99」" in html


def test_the_progress_dashboard_and_the_tab_link_to_each_other(money):
    client = Client()
    client.force_login(money.users["leader"])
    progress = client.get("/dashboard/").content.decode()
    assert 'href="/dashboard/investment/">投资</a>' in progress
    _response, html = page(money, "leader")
    assert 'href="/dashboard/">进度</a>' in html


# --- the briefing ---------------------------------------------------------------------------------


def _sentence_from_api(body: dict, key: str = "all") -> str:
    """The sentence a reader of GET /api/v1/investment writes with the same figures.summary_sentence."""
    year, month = (int(x) for x in body["month"].split("-"))
    summary = {
        k: figures.Aggregate(**{f: (D(str(v)) if isinstance(v, float) else v) for f, v in a.items()})
        for k, a in body["summary"].items()
    }
    status = figures.InvestmentStatus(
        year=year,
        month=month,
        time_progress_pct=D(str(body["time_progress_pct"])),
        summary=summary,
        projects=[],
        units=[],
    )
    return figures.summary_sentence(status, key)


@pytest.fixture
def briefing(money, media_root, api):
    from tiaodu.briefings.services import briefing_generate

    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, 0), tick=False):
        result = briefing_generate(as_of=datetime.date(2026, 11, 27), user=money.users["office"])
        body = api("office").get("/api/v1/investment", {"month": "2026-11"}).json()
    return result, body


def test_the_briefing_prints_the_sentence_of_the_api(briefing, tmp_path):
    result, body = briefing
    sentence = _sentence_from_api(body)
    assert sentence.startswith("1-11月，全区重点项目累计完成投资600.00万元，占年度投资计划的15.0%")
    document = docx.Document(io.BytesIO(result.docx.file.read()))
    paragraphs = [p.text for p in document.paragraphs]
    assert "二、投资完成情况" in paragraphs
    start = paragraphs.index("二、投资完成情况")
    assert paragraphs[start + 1] == sentence
    assert paragraphs[start + 2] == _sentence_from_api(body, "key_construction")
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["1", "北园大街改造指挥部", "1,000.00", "300.00", "30.0%", "−61.7"] in rows
    assert [
        "1",
        "ZD-002 小清河综合治理",
        "小清河综合治理指挥部",
        "75.0%",
        "16.7",
    ] not in rows  # 91.7 − 75 = 16.7 < 20
    path = tmp_path / "b.pdf"
    path.write_bytes(result.pdf.file.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "二、投资完成情况" in text and "占年度投资计划的15.0%" in "".join(text.split())


def test_the_briefing_ledger_has_the_investment_sheet(briefing):
    result, body = briefing
    sheet = load_workbook(io.BytesIO(result.xlsx.file.read()))["投资完成情况"]
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == [_sentence_from_api(body)]
    assert [
        "序号",
        "单位",
        "年度计划投资(万元)",
        "年初至今累计(万元)",
        "占年度计划",
        "与时间进度比(百分点)",
    ] in values
    assert ["2", "小清河综合治理指挥部", "3,000.00", "300.00", "10.0%", "−81.7"] in values
    assert ["无资金到位率低于时间进度20.0个百分点以上的项目。"] in values


def test_the_endpoint_is_in_the_schema_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/v1/investment" in schema["paths"] and "/api/v1/investment/" not in schema["paths"]
    operation = schema["paths"]["/api/v1/investment"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["month"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/InvestmentStatus"
    )
    components = schema["components"]["schemas"]
    assert {"InvestmentStatus", "InvestmentProject", "InvestmentUnit", "InvestmentAggregate"} <= set(
        components
    )
    assert set(components["InvestmentSummary"]["properties"]) == {"key_construction", "remediation", "all"}
    assert [w for w in GENERATOR_STATS._warn_cache if "nvestment" in str(w)] == []
