"""import_reports: the 周报 workbook, all or nothing, errors by row and column."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from tests.progress.conftest import figures_of, submitted
from tiaodu.progress import services
from tiaodu.progress.importer import HEADERS, reports_import
from tiaodu.progress.models import Report, ReportStatus
from tiaodu.projects.models import Indicator

pytestmark = pytest.mark.django_db
D = datetime.date


def workbook(path, rows, headers=HEADERS, sheet="周报"):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


@pytest.fixture
def two_indicators(district):
    Indicator.objects.create(
        project=district.project, name="道路长度", unit_of_measure="m", target=Decimal(5200)
    )
    return district


def test_it_imports_rows_as_submitted_reports(frozen, two_indicators, tmp_path):
    d = two_indicators
    path = workbook(
        tmp_path / "w.xlsx",
        [
            ["ZD-001", D(2026, 11, 26), "拆迁面积", 30000, None, "北段拆迁完成", None],
            ["ZD-001", D(2026, 11, 26), "道路长度", 1200.5, 8000, None, "南段管线待迁改"],
            ["ZD-001", "2026-11-19", "拆迁面积", "25,000", None, None, None],
        ],
    )
    result = reports_import(user=d.users["hq"], path_or_file=path)

    assert result.ok and (result.created, result.revised) == (2, 0)
    assert result.summary() == "导入完成：新报送周报 2 份，修订 0 份，与已报送内容相同未变 0 份。"
    report = Report.objects.get(as_of=D(2026, 11, 26))
    assert report.status == ReportStatus.SUBMITTED and report.counted and report.source == "import"
    assert report.submitted_by == d.users["hq"] and report.reporting_unit == d.units["hq"]
    assert {f.indicator.name: f.quantity for f in report.figures.all()} == {
        "拆迁面积": Decimal("30000.000"),
        "道路长度": Decimal("1200.500"),
    }
    assert (report.investment_done, report.image_progress, report.problems) == (
        Decimal("8000.00"),
        "北段拆迁完成",
        "南段管线待迁改",
    )
    assert Report.objects.get(as_of=D(2026, 11, 19)).figures.get().quantity == 25000


def test_it_leaves_an_unchanged_report_alone_and_revises_a_changed_one(frozen, district, tmp_path):
    rows = [["ZD-001", D(2026, 11, 26), "拆迁面积", 30000, 500, None, None]]
    reports_import(user=district.users["hq"], path_or_file=workbook(tmp_path / "a.xlsx", rows))
    again = reports_import(user=district.users["hq"], path_or_file=workbook(tmp_path / "b.xlsx", rows))
    assert (again.created, again.revised, again.unchanged) == (0, 0, 1)

    rows[0][3] = 32000
    changed = reports_import(user=district.users["hq"], path_or_file=workbook(tmp_path / "c.xlsx", rows))
    assert (changed.created, changed.revised) == (0, 1)
    first, second = Report.objects.order_by("revision")
    assert first.superseded and second.revision == 2 and second.counted
    assert second.investment_done == 500 and second.figures.get().quantity == 32000


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            ["ZD-999", D(2026, 11, 26), "拆迁面积", 1, None, None, None],
            "工作表「周报」第2行「项目编号」：项目编号「ZD-999」不存在或您无权查看",
        ),
        (["", D(2026, 11, 26), "拆迁面积", 1, None, None, None], "工作表「周报」第2行「项目编号」：不能为空"),
        (
            ["ZD-001", D(2026, 11, 28), "拆迁面积", 1, None, None, None],
            "工作表「周报」第2行「截至日期」：截至日期不能晚于今天（2026年11月27日）",
        ),
        (
            ["ZD-001", "2026/11/26", "拆迁面积", 1, None, None, None],
            "工作表「周报」第2行「截至日期」：日期无效「2026/11/26」，请按YYYY-MM-DD填写",
        ),
        (
            ["ZD-001", D(2026, 11, 26), "清淤量", 1, None, None, None],
            "工作表「周报」第2行「指标名称」：项目「ZD-001」没有名为「清淤量」的指标",
        ),
        (
            ["ZD-001", D(2026, 11, 26), "拆迁面积", -3, None, None, None],
            "工作表「周报」第2行「累计完成量」：「拆迁面积」累计完成量不能小于0",
        ),
        (
            ["ZD-001", D(2026, 11, 26), "拆迁面积", "约三万", None, None, None],
            "工作表「周报」第2行「累计完成量」：「拆迁面积」累计完成量须为数字（填写的是「约三万」）",
        ),
        (
            ["ZD-001", D(2026, 11, 26), "拆迁面积", None, None, None, None],
            "工作表「周报」第2行「累计完成量」：请填写「拆迁面积」的累计完成量",
        ),
        (
            ["ZD-001", D(2026, 11, 26), "拆迁面积", 1, "很多", None, None],
            "工作表「周报」第2行「累计完成投资(万元)」：累计完成投资(万元)须为数字（填写的是「很多」）",
        ),
        (
            ["ZD-001", D(2026, 11, 26), "", 5, None, None, None],
            "工作表「周报」第2行「指标名称」：填写累计完成量时须填写指标名称",
        ),
    ],
)
def test_it_names_the_row_and_column_of_each_error_and_writes_nothing(frozen, district, tmp_path, row, error):
    good = ["ZD-001", D(2026, 11, 19), "拆迁面积", 100, None, None, None]
    result = reports_import(
        user=district.users["hq"], path_or_file=workbook(tmp_path / "w.xlsx", [row, good])
    )

    assert [str(e) for e in result.errors] == [error]
    assert result.summary() == "周报文件有 1 处错误，未导入任何数据。"
    assert not Report.objects.exists()


def test_it_refuses_a_repeated_indicator_and_a_second_different_investment(frozen, district, tmp_path):
    path = workbook(
        tmp_path / "w.xlsx",
        [
            ["ZD-001", D(2026, 11, 26), "拆迁面积", 1, 100, None, None],
            ["ZD-001", D(2026, 11, 26), "拆迁面积", 2, 200, None, None],
        ],
    )
    result = reports_import(user=district.users["hq"], path_or_file=path)
    assert [str(e) for e in result.errors] == [
        "工作表「周报」第3行「指标名称」：指标「拆迁面积」在同一周报中重复（第2行已填写）",
        "工作表「周报」第3行「累计完成投资(万元)」：同一周报的「累计完成投资(万元)」只能填写一次（第2行已填写不同内容）",
    ]


def test_it_refuses_a_decrease_it_cannot_explain_and_rolls_back_every_report(frozen, district, tmp_path):
    hq = district.users["hq"]
    p = district.project
    office = district.users["office"]  # verifies the lead unit's own report
    services.report_verify(
        user=office, report=submitted(hq, p, D(2026, 11, 19), figures_of(p, 拆迁面积=1000))
    )
    path = workbook(
        tmp_path / "w.xlsx",
        [
            ["ZD-001", D(2026, 11, 20), "拆迁面积", 1100, None, None, None],
            ["ZD-001", D(2026, 11, 26), "拆迁面积", 900, None, None, None],
        ],
    )
    result = reports_import(user=hq, path_or_file=path)
    assert [str(e) for e in result.errors] == [
        "工作表「周报」第3行「累计完成量」：「拆迁面积」累计完成量900低于上次审核通过的1,000（截至2026年11月19日），"
        "导入时无法填写减少原因，请在网页上填报该周报"
    ]
    assert Report.objects.count() == 1  # the correct report of the 20th was not kept either


def test_it_refuses_a_wrong_header_a_missing_sheet_and_a_file_that_is_not_xlsx(frozen, district, tmp_path):
    headers = ["项目编号", "截至日期", "指标", "累计完成量", "累计完成投资(万元)", "形象进度", "存在问题"]
    result = reports_import(
        user=district.users["hq"], path_or_file=workbook(tmp_path / "h.xlsx", [], headers)
    )
    assert [str(e) for e in result.errors] == [
        "工作表「周报」：表头不正确，第1行应依次为：项目编号 | 截至日期 | 指标名称 | 累计完成量 | 累计完成投资(万元) | "
        "形象进度 | 存在问题（第3列应为「指标名称」，实际为「指标」）"
    ]
    result = reports_import(
        user=district.users["hq"], path_or_file=workbook(tmp_path / "s.xlsx", [], sheet="Sheet1")
    )
    assert [str(e) for e in result.errors] == ["缺少工作表「周报」"]
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    result = reports_import(user=district.users["hq"], path_or_file=tmp_path / "x.xlsx")
    assert "不是Excel工作簿" in str(result.errors[0])


def test_it_lets_a_street_office_import_only_for_its_projects(frozen, reporters, tmp_path):
    d = reporters
    path = workbook(
        tmp_path / "w.xlsx",
        [
            ["ZD-001", D(2026, 11, 26), "拆迁面积", 10, None, None, None],
            ["ZD-002", D(2026, 11, 26), "拆迁面积", 10, None, None, None],
        ],
    )
    result = reports_import(user=d.users["street"], path_or_file=path)
    assert [str(e) for e in result.errors] == [
        "工作表「周报」第3行「项目编号」：项目编号「ZD-002」不存在或您无权查看"
    ]
    result = reports_import(
        user=d.users["dept"],
        path_or_file=workbook(
            tmp_path / "v.xlsx", [["ZD-001", D(2026, 11, 26), "拆迁面积", 10, None, None, None]]
        ),
    )
    assert [str(e) for e in result.errors] == [
        "工作表「周报」第2行「项目编号」：您的单位不是项目「ZD-001」的填报单位，不能填报"
    ]
    ok = reports_import(
        user=d.users["street"],
        path_or_file=workbook(
            tmp_path / "u.xlsx", [["ZD-001", D(2026, 11, 26), "拆迁面积", 10, None, None, None]]
        ),
    )
    assert ok.ok and Report.objects.get().reporting_unit == d.units["street"]


def test_it_runs_from_the_command_line(frozen, district, tmp_path):
    good = workbook(tmp_path / "g.xlsx", [["ZD-001", D(2026, 11, 26), "拆迁面积", 130000, None, None, None]])
    out = io.StringIO()
    call_command("import_reports", str(good), stdout=out)
    assert "导入完成：新报送周报 1 份" in out.getvalue()
    assert (
        "提示：项目ZD-001截至2026-11-26：「拆迁面积」累计完成量130,000m²超过目标值120,000m²，请核实"
        in out.getvalue()
    )
    report = Report.objects.get()
    assert report.submitted_by is None and report.reporting_unit == district.units["hq"]

    bad = workbook(tmp_path / "b.xlsx", [["ZD-001", D(2026, 11, 25), "拆迁面积", -1, None, None, None]])
    err = io.StringIO()
    with pytest.raises(CommandError, match="周报文件有 1 处错误，未导入任何数据"):
        call_command("import_reports", str(bad), "--user", "hq", stderr=err)
    assert "工作表「周报」第2行「累计完成量」：「拆迁面积」累计完成量不能小于0" in err.getvalue()
    with pytest.raises(CommandError, match="用户不存在：nobody"):
        call_command("import_reports", str(good), "--user", "nobody")
