"""Issue 11 in the briefing: every lag is shown with its driving indicator — in the Word file's tables and
text, the PDF and the Excel ledger, word for word progress_status's `lag_text` — finished projects show no
lag, and the ledger's sheet 数据来源 names the weekly report of every indicator figure. Generated for the
demo district and for a random district, the files read back as a reader reads them."""

import datetime
import io
import re
import subprocess
import zoneinfo

import docx
import pytest
import time_machine
from openpyxl import load_workbook

from tests.demo_copy import demo_district
from tests.district_generator import random_district
from tiaodu.briefings.services import briefing_generate
from tiaodu.core import domain
from tiaodu.orgs.models import User
from tiaodu.progress.figures import plan_text, quantity_text
from tiaodu.progress.models import Report
from tiaodu.progress.selectors import progress_status

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
TZ = NOW.tzinfo
SOURCE_HEADERS = [
    "项目编号",
    "项目名称",
    "指标名称",
    "累计完成量",
    "周报编号",
    "截至日期",
    "填报人",
    "审核人",
    "审核时间",
]
CN_DATE = 'yyyy"年"m"月"d"日"'
LAG = re.compile(r"滞后\d+个工作日：")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _as_text(cell: str) -> str:
    """A table cell's lag read as one line: the line break after the days dropped, the other one a space."""
    return cell.replace("：\n", "：").replace("\n", " ")


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _tables(document, column: str) -> list:
    return [t for t in document.tables if column in [c.text for c in t.rows[0].cells]]


def check_word(data: bytes, status) -> None:
    document = docx.Document(io.BytesIO(data))
    by_name = {p.name: p for p in status.projects}
    behind = [p for p in status.projects if p.level in domain.BEHIND_LEVELS]
    # 三、分类推进情况: every project once, its lag (or — when it does not lag) beside the average, 综合进度.
    seen = set()
    for table in _tables(document, "综合进度\n计划/实际"):
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            p = by_name[cells[1]]
            seen.add(p.code)
            assert cells[4] == f"{_pct(p.planned_pct)} / {_pct(p.actual_pct)}", p.code
            if p.level == domain.NORMAL:
                assert cells[5] == "—", p.code
            else:
                assert _as_text(cells[5]) == p.lag_text, p.code
    assert seen == {p.code for p in status.projects}
    # 四、滞后项目: each project behind once, with its driving indicator on the lines after the days.
    rows = [[c.text for c in r.cells] for t in _tables(document, "滞后情况") for r in t.rows[1:]]
    rows = [r for r in rows if len(r) == 7]  # the category tables have six columns
    assert sorted(by_name[r[1]].code for r in rows) == sorted(p.code for p in behind)
    for r in rows:
        p = by_name[r[1]]
        days, name, quantities = r[2].split("\n")
        d = p.driving_indicator
        assert days == f"滞后{p.lag_days}个工作日：" and d.lag_days == p.lag_days, p.code
        assert f"{name} {quantities}" == d.text and name == d.name, p.code
        assert quantities.startswith(f"计划{plan_text(d.planned, d.target)}{d.unit}，"), p.code
        assert quantities.endswith(f"实际{quantity_text(d.actual)}{d.unit}"), p.code
    # The text names the projects most behind, each with its lag_text.
    most = sorted(behind, key=lambda p: (-p.lag_days, p.code))[:3]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "滞后最多的项目：" + "；".join(f"{p.name}（{p.lag_text}）" for p in most) + "。" in text
    # No other lag anywhere: two tables and the text at most, nothing for the projects on time or finished.
    body = text + "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert len(LAG.findall(body)) == 2 * len(behind) + len(most)


def check_pdf(path, status) -> None:
    raw = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    text = re.sub(r"\s+", "", raw.stdout.decode())
    behind = [p for p in status.projects if p.level in domain.BEHIND_LEVELS]
    most = {p.code for p in sorted(behind, key=lambda p: (-p.lag_days, p.code))[:3]}
    for p in behind:
        assert text.count(p.lag_text.replace(" ", "")) == 2 + (p.code in most), p.code
    assert len(LAG.findall(text)) == 2 * len(behind) + len(most)


def check_ledger(data: bytes, status) -> None:
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames[-4:] == ["数据来源", "数据异常", "本期调整计划的项目", "投资完成情况"]
    for sheet in workbook.worksheets[:-4]:  # the sheets by project type
        headers = [c.value for c in sheet[1]]
        assert headers[10:14] == ["滞后天数", "滞后情况", "综合进度·计划(%)", "综合进度·实际(%)"]
        for row in sheet.iter_rows(min_row=2, values_only=True):
            p = status.project(row[0])
            assert (row[10], row[11] or "") == (p.lag_days, p.lag_text), p.code
            if p.status in domain.DONE_STATUSES:
                assert (row[9], row[10], row[11]) == ("正常", 0, None), p.code
    check_sources(workbook["数据来源"], status)


def _person(user) -> str:
    if user is None:
        return ""
    assert user.person_id and user.person.name != user.username  # a person's name, not a login name
    return user.person.name


def check_sources(sheet, status) -> None:
    assert [c.value for c in sheet[1]] == SOURCE_HEADERS
    rows = list(sheet.iter_rows(min_row=2))
    expected = [(p, i) for p in sorted(status.projects, key=lambda p: p.code) for i in p.indicators]
    assert len(rows) == len(expected)  # one row per indicator figure
    reports = Report.objects.select_related(
        "submitted_by__person", "created_by__person", "verified_by__person"
    ).in_bulk({i.source_report for _p, i in expected if i.source_report})
    verified = unreported = named = 0
    for cells, (p, ind) in zip(rows, expected, strict=True):
        values = [c.value for c in cells]
        assert values[:4] == [p.code, p.name, ind.name, pytest.approx(ind.actual)]
        if ind.source_report is None:  # no counted report: the row stays, its report columns empty
            assert values[3] == 0 and values[4:] == [None] * 5, (p.code, ind.name)
            unreported += 1
            continue
        report = reports[ind.source_report]
        assert values[4] == report.pk and values[5].date() == report.as_of
        assert cells[5].number_format == CN_DATE and cells[8].number_format == f"{CN_DATE} hh:mm"
        # The demo writes many reports without a user (a unit without an account): the cell stays empty.
        assert (values[6] or "") == _person(report.submitted_by or report.created_by)
        assert (values[7] or "") == _person(report.verified_by)
        named += bool(values[6])
        if report.verified_at is None:
            assert values[8] is None
        else:
            verified += 1
            shown = values[8].replace(tzinfo=TZ)
            assert abs((shown - report.verified_at).total_seconds()) < 1
    assert verified and unreported and named, "verified figures, named reporters, indicators without a report"


def check_briefing(user) -> None:
    result = briefing_generate(as_of=TODAY, user=user)
    status = progress_status(user=None, as_of=TODAY)
    assert any(p.level == domain.SEVERE for p in status.projects)
    assert any(p.level == domain.LAGGING for p in status.projects)
    assert any(p.status in domain.DONE_STATUSES for p in status.projects)
    check_word(result.docx.file.read(), status)
    check_pdf(result.pdf.file.path, status)
    check_ledger(result.xlsx.file.read(), status)


def test_the_demo_districts_briefing_shows_every_lag_with_its_driving_indicator():
    demo_district(today=TODAY)
    check_briefing(User.objects.get(username="office"))


def test_a_random_districts_briefing_shows_every_lag_with_its_driving_indicator():
    district = random_district(seed=5, today=TODAY)
    check_briefing(district.users["office"])
