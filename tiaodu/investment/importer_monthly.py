"""The 月度投资 sheet: `python manage.py import_investment PATH [--user USERNAME]`.

Headers, exactly: 项目编号 | 年月 | 当月完成投资(万元). 年月 is YYYY-MM (text, or a date cell: its year and
month). Each row is recorded as SUBMITTED and counts: a project-month without a figure gets revision 1;
one whose newest revision is a draft has that draft filled in and submitted; otherwise a new revision
(previous → the newest) supersedes the counted one. All or nothing: any error and nothing is written,
every error named by row and column. Refused: unknown projects (or ones the user may not see), projects
the user may not enter (not their lead unit, unless the office / an administrator), a project-month twice
in the file, negative or non-numeric amounts, future months. Bulk writes: a fixed number of queries for
the checks, whatever the row count.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tiaodu.core.actors import stored_user
from tiaodu.core.audit import build_record, snapshot
from tiaodu.core.models import ChangeRecord
from tiaodu.core.xlsx import (
    BROKEN,
    CellError,
    close_workbook,
    control_problems,
    data_rows,
    header_problem,
    header_row,
    open_workbook,
    sheet_rows,
    text,
)
from tiaodu.investment import selectors_monthly, services_monthly
from tiaodu.investment.models import MonthlyInvestment
from tiaodu.investment.permissions import monthly_can_submit
from tiaodu.investment.selectors import investment_settings
from tiaodu.progress.models import ReportStatus
from tiaodu.projects.models import Project

SHEET = "月度投资"
HEADERS = ["项目编号", "年月", "当月完成投资(万元)"]
C_CODE, C_MONTH, C_AMOUNT = HEADERS
BATCH = 2000
ERRORS_KEPT = 1000


@dataclass
class MonthlyImportResult:
    errors: list[CellError] = field(default_factory=list)
    created: int = 0
    revised: int = 0
    projects: int = 0
    late: int = 0
    flagged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"月度投资文件有 {len(self.errors)} 处错误，未导入任何数据。"
        return (
            f"导入完成：{self.projects} 个项目，新报送月度投资 {self.created} 条，修订（生成新版本）{self.revised} 条；"
            f"其中逾期报送 {self.late} 条，投资数据不一致 {self.flagged} 条。"
        )


@dataclass
class _Row:
    row: int
    project: Project
    year: int
    month: int
    amount: object


def _read(path_or_file, errors: list) -> list[tuple[int, list]] | None:
    try:
        book = open_workbook(path_or_file)
    except CellError as e:
        errors.append(e)
        return None
    try:
        if SHEET not in book.sheet_names:
            errors.append(CellError(message=f"缺少工作表「{SHEET}」"))
            return None
        rows = sheet_rows(book, SHEET)
    except Exception:  # noqa: BLE001 — calamine raises several error types for broken sheets
        errors.append(CellError(message=BROKEN))
        return None
    finally:
        close_workbook(book)
    problem = header_problem(header_row(rows[0] if rows else []), HEADERS)
    if problem:
        errors.append(CellError(SHEET, None, "", problem))
        return None
    out = data_rows(rows, len(HEADERS))
    if not out:
        errors.append(CellError(SHEET, None, "", "没有数据行"))
        return None
    problems = control_problems(SHEET, HEADERS, out)
    if problems:
        errors.extend(problems)
        return None
    return out


def _period(raw) -> tuple[int, int]:
    if isinstance(raw, datetime.date):
        return raw.year, raw.month
    try:
        return services_monthly.parse_period(text(raw))
    except Exception:  # noqa: BLE001 — ValidationError: rewritten as the cell's message
        value = text(raw)
        if not value:
            raise CellError(message="请填写年月（YYYY-MM）") from None
        raise CellError(message=f"应为YYYY-MM格式（如2026-10），收到「{value[:20]}」") from None


def _check(user, rows, errors: list) -> list[_Row]:
    projects = {p.code: p for p in Project.objects.restrict(user, "view").select_related("lead_unit")}
    today = timezone.localdate()
    seen: dict[tuple[int, int, int], int] = {}
    checked = []
    for index, (code_raw, month_raw, amount_raw) in rows:
        if len(errors) >= ERRORS_KEPT:
            break
        code = text(code_raw)
        project = projects.get(code)
        if not code:
            errors.append(CellError(SHEET, index, C_CODE, "请填写项目编号"))
        elif project is None:
            errors.append(CellError(SHEET, index, C_CODE, f"项目「{code[:50]}」不存在或您无权查看"))
        elif not monthly_can_submit(user=user, obj=project):
            errors.append(
                CellError(
                    SHEET,
                    index,
                    C_CODE,
                    f"您的单位不是项目「{code}」的牵头单位（{project.lead_unit.name}），不能填报其月度投资",
                )
            )
            project = None
        try:
            year, month = _period(month_raw)
            problem = services_monthly.period_problem(year, month, today)
            if problem:
                raise CellError(message=problem)
        except CellError as e:
            errors.append(e.at(SHEET, index, C_MONTH))
            year = month = None
        amount, problem = services_monthly.amount_problem(amount_raw)
        if problem:
            errors.append(CellError(SHEET, index, C_AMOUNT, problem))
        if project is None or year is None or problem:
            continue
        key = (project.pk, year, month)
        if key in seen:
            errors.append(
                CellError(SHEET, index, C_MONTH, f"与第{seen[key]}行重复（项目{code}、{year}年{month}月）")
            )
            continue
        seen[key] = index
        checked.append(_Row(index, project, year, month, amount))
    return checked


def monthly_import(*, user, path_or_file, source: str = "import") -> MonthlyImportResult:
    """Read, check and (only when every row is right) record the sheet."""
    result = MonthlyImportResult()
    rows = _read(path_or_file, result.errors)
    if rows is None:
        return result
    checked = _check(user, rows, result.errors)
    if result.errors:
        return result
    _record(user=user, rows=checked, result=result, source=source)
    return result


def _existing(rows: list[_Row]) -> tuple[dict, dict]:
    """{(project, year, month): newest revision}, {(project, year, month): [counted rows]} (one query)."""
    years, months = {r.year for r in rows}, {r.month for r in rows}
    keys = {(r.project.pk, r.year, r.month) for r in rows}
    latest, counted = {}, defaultdict(list)
    found = (
        MonthlyInvestment.objects.select_for_update()
        .filter(year__in=years, month__in=months)
        .only("id", "project_id", "year", "month", "revision", "status", "thread", "counted", "superseded")
        .order_by("revision")
    )
    for m in found.iterator(chunk_size=5000):
        key = (m.project_id, m.year, m.month)
        if key not in keys:
            continue
        latest[key] = m
        if m.counted:
            counted[key].append(m)
    return latest, counted


@transaction.atomic
def _record(*, user, rows: list[_Row], result: MonthlyImportResult, source: str) -> None:
    now = timezone.now()
    deadline_day = investment_settings().deadline_day
    latest, counted = _existing(rows)
    actor = stored_user(user)
    records: list[ChangeRecord] = []
    stale = []
    for r in rows:
        for old in counted.get((r.project.pk, r.year, r.month), []):
            before = snapshot(old, MonthlyInvestment.TRACKED_FIELDS)
            old.counted, old.superseded, old.project = False, True, r.project
            stale.append(old)
            records.append(_record_of(old, before, user, source))
    MonthlyInvestment.objects.bulk_update(stale, ["counted", "superseded"], batch_size=BATCH)
    fresh, filled = [], []
    for r in rows:
        old = latest.get((r.project.pk, r.year, r.month))
        common = {
            "amount": r.amount,
            "status": ReportStatus.SUBMITTED,
            "submitted_by": actor,
            "submitted_at": now,
            "late": services_monthly.is_late(r.year, r.month, now, deadline_day),
            "counted": True,
            "superseded": False,
            "flags": [],
        }
        if old is not None and old.status == ReportStatus.DRAFT:
            before = snapshot(old, MonthlyInvestment.TRACKED_FIELDS)
            for name, value in common.items():
                setattr(old, name, value)
            old.project = r.project
            filled.append((old, before))
            continue
        fresh.append(
            MonthlyInvestment(
                project=r.project,
                year=r.year,
                month=r.month,
                reporting_unit_id=r.project.lead_unit_id,
                thread=old.thread if old is not None else uuid.uuid4(),
                revision=old.revision + 1 if old is not None else 1,
                previous_id=old.pk if old is not None else None,
                created_by=actor,
                source=source,
                **common,
            )
        )
    MonthlyInvestment.objects.bulk_update(
        [m for m, _b in filled],
        ["amount", "status", "submitted_by", "submitted_at", "late", "counted", "superseded", "flags"],
        batch_size=BATCH,
    )
    created = MonthlyInvestment.objects.bulk_create(fresh, batch_size=BATCH)
    written = [*created, *(m for m, _b in filled)]
    _flag(user=user, written=written, now=now)
    records += [_record_of(m, None, user, source) for m in created]
    records += [_record_of(m, b, user, source) for m, b in filled]
    ChangeRecord.objects.bulk_create([r for r in records if r is not None], batch_size=BATCH)
    result.created = sum(1 for m in written if m.revision == 1)
    result.revised = len(written) - result.created
    result.projects = len({m.project_id for m in written})
    result.late = sum(1 for m in written if m.late)
    result.flagged = sum(1 for m in written if m.flags)


def _flag(*, user, written: list[MonthlyInvestment], now) -> None:
    """投资数据不一致 for every written figure: one computation per month in the file."""
    by_month = defaultdict(list)
    for m in written:
        by_month[(m.year, m.month)].append(m)
    changed = []
    for (year, month), members in by_month.items():
        ids = MonthlyInvestment.objects.filter(year=year, month=month, counted=True, submitted_at=now)
        projects = Project.objects.filter(pk__in=ids.values("project_id"))
        flags = selectors_monthly.mismatch_flags(user=user, projects=projects, year=year, month=month)
        for m in members:
            if m.project_id in flags:
                m.flags = [flags[m.project_id]]
                changed.append(m)
    MonthlyInvestment.objects.bulk_update(changed, ["flags"], batch_size=BATCH)


def _record_of(obj, before, user, source):
    return build_record(
        obj=obj,
        before=before,
        after=snapshot(obj, MonthlyInvestment.TRACKED_FIELDS),
        user=user,
        source=source,
        parent=obj.project,
    )
