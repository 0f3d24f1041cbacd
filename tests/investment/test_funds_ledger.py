"""The ledger's money sheets 资金计划, 年度计划, 资金到位: import (all or nothing, each error kind named by sheet,
row and column), the change log, and the export round trip with a real workbook written and read back."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from tests.investment.funds_helpers import arrive, plan, src
from tests.projects.ledger.helpers import NEW_PROJECT
from tiaodu.core.models import ChangeRecord
from tiaodu.investment.ledger_funds import HEADERS as MONEY_HEADERS
from tiaodu.investment.models import AnnualPlan, FundArrival, FundingPlan
from tiaodu.projects.ledger import HEADERS, ledger_import
from tiaodu.projects.models import Project
from tiaodu.scheduling.ledger_sheet import full_ledger_export

pytestmark = pytest.mark.django_db

UNITS = [["北园大街改造指挥部", "指挥部", "区委区政府"]]


def _book(path, *, projects=(), funding=(), annual=(), arrivals=(), skip=()):
    """A ledger with the given rows of 项目 (dicts) and of the money sheets (lists in header order)."""
    book = Workbook()
    book.remove(book.active)
    for sheet in ("单位", "项目", "目标指标"):
        ws = book.create_sheet(sheet)
        ws.append(HEADERS[sheet])
        if sheet == "单位":
            for row in UNITS:
                ws.append(row)
        if sheet == "项目":
            for row in projects:
                ws.append([row.get(h) for h in HEADERS[sheet]])
    for sheet, rows in (("资金计划", funding), ("年度计划", annual), ("资金到位", arrivals)):
        if sheet in skip:
            continue
        ws = book.create_sheet(sheet)
        ws.append(MONEY_HEADERS[sheet])
        for row in rows:
            ws.append(list(row))
    book.save(path)
    return path


def test_it_has_the_exact_headers():
    assert MONEY_HEADERS == {
        "资金计划": ["项目编号", "资金来源", "计划金额(万元)"],
        "年度计划": [
            "项目编号",
            "年度",
            "年度计划投资(万元)",
            "计划新开工",
            "计划竣工",
            "截至上年末累计完成投资(万元)",
        ],
        "资金到位": ["项目编号", "到位日期", "资金来源", "金额(万元)", "文号"],
    }


def test_it_imports_the_three_sheets_including_a_project_of_the_same_ledger(district, tmp_path):
    p = district.project
    plan(p, 社会资本="999")  # replaced: ZD-001's rows in the sheet are its whole plan
    AnnualPlan.objects.create(project=p, year=2026, amount=Decimal("1"))
    path = _book(
        tmp_path / "l.xlsx",
        projects=[NEW_PROJECT],
        funding=[
            ["ZD-001", "区级财政资金", 40000],
            ["ZD-001", "银行贷款", "12,000.5"],
            ["ZD-100", "其他", 1000],
        ],
        annual=[["ZD-001", 2026, 18000, "是", "否", 300], ["ZD-100", 2027, 500, "否", "是", None]],
        arrivals=[
            ["ZD-001", datetime.date(2026, 4, 2), "区级财政资金", 5000, "济财建〔2026〕3号"],
            ["ZD-100", "2026-05-01", "其他", 100.25, None],
        ],
    )
    result = ledger_import(user=district.users["office"], path_or_file=path)
    assert result.ok, [str(e) for e in result.errors]
    assert {(r.source.name, r.amount) for r in FundingPlan.objects.filter(project=p)} == {
        ("区级财政资金", Decimal("40000.00")),
        ("银行贷款", Decimal("12000.50")),
    }
    new = Project.objects.get(code="ZD-100")
    assert FundingPlan.objects.get(project=new).amount == Decimal("1000.00")
    a = AnnualPlan.objects.get(project=p, year=2026)
    assert (a.amount, a.new_start, a.completion, a.prior_cumulative) == (
        Decimal("18000"),
        True,
        False,
        Decimal("300"),
    )
    b = AnnualPlan.objects.get(project=new)
    assert (b.year, b.completion, b.prior_cumulative) == (2027, True, None)
    assert FundArrival.objects.get(project=new).amount == Decimal("100.25")
    c = result.counts
    assert (c["funding_plans_created"], c["funding_plans_updated"], c["funding_plans_deleted"]) == (3, 0, 1)
    assert (c["annual_plans_created"], c["annual_plans_updated"], c["arrivals_created"]) == (1, 1, 2)
    assert "资金到位：新增 2 条" in result.summary_lines()
    logged = ChangeRecord.objects.filter(source="import", parent_id=p.pk).values_list("object_repr", "action")
    assert ("ZD-001·社会资本", "delete") in set(logged)
    assert ("ZD-001 2026年度计划", "update") in set(logged)


def test_it_leaves_the_money_alone_when_the_sheets_are_absent(district, tmp_path):
    plan(district.project, 银行贷款="10")
    path = _book(tmp_path / "l.xlsx", skip=("资金计划", "年度计划", "资金到位"))
    result = ledger_import(user=district.users["office"], path_or_file=path)
    assert result.ok
    assert FundingPlan.objects.count() == 1


ERRORS = [
    (
        "funding",
        ["ZD-999", "银行贷款", 1],
        "工作表「资金计划」第2行「项目编号」：未知的项目编号「ZD-999」（「项目」工作表和系统中都没有）",
    ),
    ("funding", ["ZD-001", "天上掉的", 1], "工作表「资金计划」第2行「资金来源」：未知的资金来源「天上掉的」"),
    (
        "funding",
        ["ZD-001", "银行贷款", "很多"],
        "工作表「资金计划」第2行「计划金额(万元)」：不是有效的数字「很多」",
    ),
    ("funding", ["ZD-001", "银行贷款", -3], "工作表「资金计划」第2行「计划金额(万元)」：不能为负数「-3」"),
    (
        "annual",
        ["ZD-001", 1999, 1, "是", "否", None],
        "工作表「年度计划」第2行「年度」：年度须在2000至2100之间「1999」",
    ),
    (
        "annual",
        ["ZD-001", 2026, 1, "对", "否", None],
        "工作表「年度计划」第2行「计划新开工」：须填「是」或「否」「对」",
    ),
    (
        "annual",
        ["ZD-001", "二〇二六", 1, "是", "否", None],
        "工作表「年度计划」第2行「年度」：不是整数「二〇二六」",
    ),
    (
        "arrivals",
        ["ZD-001", "2026-13-01", "银行贷款", 1, ""],
        "工作表「资金到位」第2行「到位日期」：日期无效「2026-13-01」",
    ),
    (
        "arrivals",
        ["ZD-001", "2026-03-01", "银行贷款", 0, ""],
        "工作表「资金到位」第2行「金额(万元)」：须大于0",
    ),
]


@pytest.mark.parametrize(
    ("sheet", "row", "expected"), ERRORS, ids=[e[2].split("：")[0] + e[2][-6:] for e in ERRORS]
)
def test_it_names_sheet_row_column_and_problem_and_writes_nothing(district, tmp_path, sheet, row, expected):
    path = _book(tmp_path / "l.xlsx", projects=[NEW_PROJECT], **{sheet: [row]})
    result = ledger_import(user=district.users["office"], path_or_file=path)
    assert not result.ok
    assert any(str(e).startswith(expected) for e in result.errors), [str(e) for e in result.errors]
    assert not Project.objects.filter(code="ZD-100").exists()  # all or nothing with the rest of the ledger


def test_it_refuses_a_duplicate_source_and_an_inactive_one(district, tmp_path):
    s = src("其他")
    s.active = False
    s.save()
    path = _book(
        tmp_path / "l.xlsx",
        funding=[["ZD-001", "银行贷款", 1], ["ZD-001", "银行贷款", 2], ["ZD-002", "其他", 3]],
        annual=[["ZD-001", 2026, 1, "是", "否", None], ["ZD-001", 2026, 2, "是", "否", None]],
    )
    errors = [str(e) for e in ledger_import(user=district.users["office"], path_or_file=path).errors]
    assert (
        "工作表「资金计划」第3行「资金来源」：项目「ZD-001」的资金来源「银行贷款」重复（第2行已出现）"
        in errors
    )
    assert "工作表「资金计划」第4行「资金来源」：资金来源「其他」已停用" in errors
    assert "工作表「年度计划」第3行「年度」：项目「ZD-001」的2026年度计划重复（第2行已出现）" in errors
    assert not FundingPlan.objects.exists()


def _cells(path, sheet):
    book = CalamineWorkbook.from_path(str(path))
    return [list(r) for r in book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)]


def test_it_exports_the_money_sheets_and_reimporting_them_adds_nothing(district, tmp_path):
    p = district.project
    plan(p, 区级财政资金="30000", 银行贷款="12000.5")
    AnnualPlan.objects.create(
        project=p, year=2026, amount=Decimal("20000"), new_start=True, prior_cumulative=None
    )
    AnnualPlan.objects.create(
        project=p, year=2025, amount=Decimal("800.75"), completion=True, prior_cumulative=Decimal("10")
    )
    arrive(p, datetime.date(2026, 3, 10), "区级财政资金", "6000", "济财建〔2026〕8号")
    arrive(p, datetime.date(2026, 3, 10), "区级财政资金", "6000", "济财建〔2026〕8号")  # twice, identical
    arrive(district.other, datetime.date(2026, 6, 1), "银行贷款", "1500.5")
    path = tmp_path / "export.xlsx"
    counts = full_ledger_export(user=None, path_or_file=path)
    assert (counts["funding_plan_rows"], counts["annual_plan_rows"], counts["arrival_rows"]) == (2, 2, 3)
    assert _cells(path, "资金计划") == [
        MONEY_HEADERS["资金计划"],
        ["ZD-001", "区级财政资金", 30000.0],
        ["ZD-001", "银行贷款", 12000.5],
    ]
    annual = _cells(path, "年度计划")
    assert annual[0] == MONEY_HEADERS["年度计划"]
    assert annual[1] == ["ZD-001", 2025.0, 800.75, "否", "是", 10.0]
    assert annual[2] == ["ZD-001", 2026.0, 20000.0, "是", "否", ""]
    arrivals = _cells(path, "资金到位")
    assert [r[0] for r in arrivals[1:]] == ["ZD-001", "ZD-001", "ZD-002"]
    assert arrivals[3][2:] == ["银行贷款", 1500.5, ""]
    before = (
        FundingPlan.objects.count(),
        AnnualPlan.objects.count(),
        FundArrival.objects.count(),
        ChangeRecord.objects.count(),
    )
    result = ledger_import(user=district.users["admin"], path_or_file=path)
    assert result.ok, [str(e) for e in result.errors]
    assert not result.changed and result.records == 0
    assert (
        FundingPlan.objects.count(),
        AnnualPlan.objects.count(),
        FundArrival.objects.count(),
        ChangeRecord.objects.count(),
    ) == before


def test_it_adds_an_arrival_that_differs_only_by_its_document_number(district, tmp_path):
    arrive(district.project, datetime.date(2026, 3, 10), "区级财政资金", "6000", "A")
    path = _book(
        tmp_path / "l.xlsx",
        arrivals=[
            ["ZD-001", "2026-03-10", "区级财政资金", 6000, "A"],
            ["ZD-001", "2026-03-10", "区级财政资金", 6000, "B"],
        ],
    )
    result = ledger_import(user=district.users["office"], path_or_file=path)
    assert result.ok and result.counts["arrivals_created"] == 1
    assert sorted(FundArrival.objects.values_list("doc_no", flat=True)) == ["A", "B"]
