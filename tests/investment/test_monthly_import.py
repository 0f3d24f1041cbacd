"""python manage.py import_investment: the 月度投资 sheet written with openpyxl and read back."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.investment.conftest import monthly
from tiaodu.core.models import ChangeRecord
from tiaodu.investment.models import MonthlyInvestment

pytestmark = pytest.mark.django_db
HEADERS = ["项目编号", "年月", "当月完成投资(万元)"]


def book(path, rows, headers=HEADERS, sheet="月度投资"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def run(path, user="hq"):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_investment", str(path), "--user", user, stdout=out, stderr=err)
    except CommandError as exc:
        return False, err.getvalue(), str(exc)
    return True, out.getvalue(), ""


def test_it_records_rows_as_submitted_and_revises_a_counted_month(district, nov27, tmp_path):
    hq, p = district.users["hq"], district.project
    old = monthly(hq, p, 2026, 10, "900")
    path = book(
        tmp_path / "m.xlsx",
        [
            ["ZD-001", "2026-09", 1000],
            ["ZD-001", "2026-10", "1,100.5"],
            ["ZD-001", datetime.date(2026, 8, 1), 0],
        ],
    )
    ok, out, _ = run(path)
    assert ok, out
    assert out.strip() == (
        "导入完成：1 个项目，新报送月度投资 2 条，修订（生成新版本）1 条；其中逾期报送 3 条，投资数据不一致 0 条。"
    )
    counted = {
        (f.month, f.amount, f.revision, f.status, f.source)
        for f in MonthlyInvestment.objects.filter(counted=True)
    }
    assert counted == {
        (9, Decimal("1000.00"), 1, "submitted", "import"),
        (10, Decimal("1100.50"), 2, "submitted", "import"),
        (8, Decimal("0.00"), 1, "submitted", "import"),
    }
    old.refresh_from_db()
    assert old.superseded and not old.counted
    new = MonthlyInvestment.objects.get(month=10, revision=2)
    assert (new.previous_id, new.thread, new.submitted_by) == (old.pk, old.thread, hq)
    assert ChangeRecord.objects.filter(content_type__model="monthlyinvestment", source="import").count() == 4


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (["ZD-404", "2026-10", 1], "工作表「月度投资」第3行「项目编号」：项目「ZD-404」不存在或您无权查看"),
        (
            ["ZD-002", "2026-10", 1],
            "工作表「月度投资」第3行「项目编号」：项目「ZD-002」不存在或您无权查看",  # hq does not see ZD-002
        ),
        (
            ["ZD-001", "2026/10", 1],
            "工作表「月度投资」第3行「年月」：应为YYYY-MM格式（如2026-10），收到「2026/10」",
        ),
        (
            ["ZD-001", "2026-12", 1],
            "工作表「月度投资」第3行「年月」：不能填报未来月份（2026年12月），当前为2026年11月",
        ),
        (
            ["ZD-001", "2026-10", -5],
            "工作表「月度投资」第3行「当月完成投资(万元)」：当月完成投资不能为负数「-5」",
        ),
        (
            ["ZD-001", "2026-10", "许多"],
            "工作表「月度投资」第3行「当月完成投资(万元)」：当月完成投资不是有效的数字「许多」",
        ),
        (["ZD-001", "2026-09", 2], "工作表「月度投资」第3行「年月」：与第2行重复（项目ZD-001、2026年9月）"),
    ],
)
def test_it_refuses_the_whole_file_naming_row_and_column(district, nov27, tmp_path, row, error):
    path = book(tmp_path / "bad.xlsx", [["ZD-001", "2026-09", 1], row])
    ok, err, summary = run(path)
    assert not ok
    assert err.strip() == error
    assert summary == "月度投资文件有 1 处错误，未导入任何数据。"
    assert not MonthlyInvestment.objects.exists()


def test_it_refuses_a_project_the_user_sees_but_does_not_lead(district, nov27, tmp_path):
    ok, err, _ = run(book(tmp_path / "s.xlsx", [["ZD-001", "2026-10", 1]]), user="street")
    assert not ok
    assert err.strip() == (
        "工作表「月度投资」第2行「项目编号」：您的单位不是项目「ZD-001」的牵头单位（北园大街改造指挥部），不能填报其月度投资"
    )


def test_it_refuses_wrong_headers_and_a_missing_sheet(district, nov27, tmp_path):
    ok, err, _ = run(
        book(tmp_path / "h.xlsx", [["ZD-001", "2026-10", 1]], headers=["项目编号", "月份", "金额"])
    )
    assert not ok and "第2列应为「年月」，实际为「月份」" in err
    ok, err, _ = run(book(tmp_path / "n.xlsx", [], sheet="Sheet"))
    assert not ok and "缺少工作表「月度投资」" in err


def _copies(template, prefix, n):
    from tiaodu.projects.models import Project

    projects = []
    for i in range(n):
        p = copy.copy(template)
        p.pk = p.id = None
        p.code = f"{prefix}-{i:04d}"
        p.name = f"基准项目{prefix}{i}"
        projects.append(p)
    Project.objects.bulk_create(projects)
    return [p.code for p in projects]


def _queries(path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        ok, out, _ = run(path, user="office")
    assert ok, out
    return len(ctx.captured_queries)


def test_its_queries_do_not_grow_with_the_rows(district, nov27, tmp_path):
    """Bulk reads and writes: 20 times the rows cost at most a few more batches, never a query per row
    (the speed itself is measured in benchmarks/, not here)."""
    small = _copies(district.project, "SM", 2)
    large = _copies(district.project, "LG", 40)
    months = [f"2026-{m:02d}" for m in range(1, 11)]
    few = _queries(book(tmp_path / "small.xlsx", [[c, m, 10] for c in small for m in months]))
    many = _queries(book(tmp_path / "large.xlsx", [[c, m, 10] for c in large for m in months]))
    assert MonthlyInvestment.objects.filter(counted=True).count() == 420
    assert many <= few + 20, (few, many)
