"""The ledger's three optional money sheets (registered with tiaodu.projects.ledger.extensions):

* 资金计划 项目编号 | 资金来源 | 计划金额(万元): a project's rows replace its funding plan (a source it no longer
  lists is removed); a project absent from the sheet keeps its plan;
* 年度计划 项目编号 | 年度 | 年度计划投资(万元) | 计划新开工 | 计划竣工 | 截至上年末累计完成投资(万元): upsert by
  (project, year); 是/否 (empty: 否); the last column may be empty;
* 资金到位 项目编号 | 到位日期 | 资金来源 | 金额(万元) | 文号: rows are added unless an identical (project, date,
  source, amount, 文号) row exists — re-importing the exported ledger adds nothing.

All or nothing with the rest of the ledger; every error names sheet, row, column and problem. A project code
may be one the same ledger creates. Bulk statements only, no query per row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from tiaodu.core.audit import build_record, diff, display_value
from tiaodu.core.bulk import update_rows
from tiaodu.core.xlsx import CellError, append_row, date, decimal, integer, text
from tiaodu.investment.models import AnnualPlan, FundArrival, FundingPlan, FundingSource
from tiaodu.projects.ledger import LedgerBook, excel_number, extensions
from tiaodu.projects.ledger.plan import Planner, chunks
from tiaodu.projects.models import Project

SHEET_FUNDING = "资金计划"
SHEET_ANNUAL = "年度计划"
SHEET_ARRIVALS = "资金到位"
HEADERS = {
    SHEET_FUNDING: ["项目编号", "资金来源", "计划金额(万元)"],
    SHEET_ANNUAL: [
        "项目编号",
        "年度",
        "年度计划投资(万元)",
        "计划新开工",
        "计划竣工",
        "截至上年末累计完成投资(万元)",
    ],
    SHEET_ARRIVALS: ["项目编号", "到位日期", "资金来源", "金额(万元)", "文号"],
}
WIDTHS = {
    SHEET_FUNDING: [14, 20, 16],
    SHEET_ANNUAL: [14, 8, 18, 12, 12, 26],
    SHEET_ARRIVALS: [14, 12, 20, 14, 30],
}
YES_NO = {"是": True, "否": False}
MONEY = {"places": 2, "max_digits": 14}


def _money(value) -> str:
    return display_value(value)


def plan_view(source: str, amount) -> dict[str, str]:
    return {"资金来源": source, "计划金额(万元)": _money(amount)}


def annual_view(year, amount, new_start, completion, prior) -> dict[str, str]:
    return {
        "年度": display_value(year),
        "年度计划投资(万元)": _money(amount),
        "计划新开工": display_value(new_start),
        "计划竣工": display_value(completion),
        "截至上年末累计完成投资(万元)": _money(prior),
    }


def arrival_view(day, source: str, amount, doc_no: str) -> dict[str, str]:
    return {"到位日期": display_value(day), "资金来源": source, "金额(万元)": _money(amount), "文号": doc_no}


# --- reading cells ---------------------------------------------------------------------------------------


class _Row:
    """One data row's cells read with their errors added to the planner (sheet, row, column)."""

    def __init__(self, p: Planner, sheet: str, row: int, cells: list):
        self.p, self.sheet, self.row, self.cells = p, sheet, row, cells
        self.headers = HEADERS[sheet]
        self.ok = True

    def err(self, column: str, message: str) -> None:
        self.ok = False
        self.p.errors.add(self.sheet, self.row, column, message)

    def cell(self, column: str):
        return self.cells[self.headers.index(column)]

    def code(self) -> str:
        code = text(self.cell("项目编号"))
        if not code:
            self.err("项目编号", "不能为空")
        elif code not in self.p.file_codes and code not in self.p.existing_projects:
            self.err("项目编号", f"未知的项目编号「{code}」（「项目」工作表和系统中都没有）")
        return code

    def source(self, sources: dict[str, FundingSource], column: str = "资金来源") -> FundingSource | None:
        name = text(self.cell(column))
        if not name:
            self.err(column, "不能为空")
            return None
        fs = sources.get(name)
        if fs is None:
            self.err(
                column,
                f"未知的资金来源「{name}」（应为：{'、'.join(s.name for s in sources.values() if s.active)}）",
            )
        return fs

    def number(self, column: str, *, required: bool = True, positive: bool = False) -> Decimal | None:
        try:
            value = decimal(self.cell(column), nonnegative=True, **MONEY)
        except CellError as e:
            self.err(column, e.message)
            return None
        if value is None and required:
            self.err(column, "不能为空")
        elif positive and value is not None and value <= 0:
            self.err(column, "须大于0")
            return None
        return value

    def year(self) -> int | None:
        try:
            value = integer(self.cell("年度"))
        except CellError as e:
            self.err("年度", e.message)
            return None
        if value is None:
            self.err("年度", "不能为空")
        elif not 2000 <= value <= 2100:
            self.err("年度", f"年度须在2000至2100之间「{value}」")
            return None
        return value

    def yes_no(self, column: str) -> bool:
        label = text(self.cell(column))
        if not label:
            return False
        if label not in YES_NO:
            self.err(column, f"须填「是」或「否」「{label}」")
            return False
        return YES_NO[label]

    def day(self, column: str):
        try:
            value = date(self.cell(column))
        except CellError as e:
            self.err(column, e.message)
            return None
        if value is None:
            self.err(column, "不能为空")
        elif value.year < 2000:
            self.err(column, "到位日期不能早于2000年")
            return None
        return value


def _sources() -> dict[str, FundingSource]:
    return {s.name: s for s in FundingSource.objects.all()}


def _load_codes(p: Planner, rows) -> None:
    missing = sorted({text(c[0]) for _r, c in rows} - p.file_codes - set(p.existing_projects) - {""})
    if missing:
        p.load_projects(missing)


def _existing_ids(p: Planner, codes) -> list[int]:
    return [p.existing_projects[c].pk for c in codes if c in p.existing_projects]


# --- 资金计划 ------------------------------------------------------------------------------------------------


@dataclass
class FundingSheetPlan:
    # code → {source name: (FundingSource, amount)}
    wanted: dict[str, dict[str, tuple[FundingSource, Decimal]]] = field(default_factory=dict)
    # project id → {source id: (FundingPlan pk, source name, amount)}
    existing: dict[int, dict[int, tuple[int, str, Decimal]]] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    deleted: int = 0


def plan_funding(p: Planner, rows) -> FundingSheetPlan:
    plan = FundingSheetPlan()
    if not rows:
        return plan
    _load_codes(p, rows)
    sources = _sources()
    codes = {text(c[0]) for _r, c in rows}
    for chunk in chunks(_existing_ids(p, codes), 900):
        for pk, pid, sid, name, amount in FundingPlan.objects.filter(project_id__in=chunk).values_list(
            "id", "project_id", "source_id", "source__name", "amount"
        ):
            plan.existing.setdefault(pid, {})[sid] = (pk, name, amount)
    first: dict[tuple[str, str], int] = {}
    for row, cells in rows:
        r = _Row(p, SHEET_FUNDING, row, cells)
        code, fs = r.code(), r.source(sources)
        amount = r.number("计划金额(万元)")
        if code and fs is not None:
            if (code, fs.name) in first:
                r.err(
                    "资金来源",
                    f"项目「{code}」的资金来源「{fs.name}」重复（第{first[code, fs.name]}行已出现）",
                )
            else:
                first[code, fs.name] = row
            project = p.existing_projects.get(code)
            had = project is not None and fs.pk in plan.existing.get(project.pk, {})
            if not fs.active and not had:
                r.err("资金来源", f"资金来源「{fs.name}」已停用")
        if r.ok:
            plan.wanted.setdefault(code, {})[fs.name] = (fs, amount)
    for code, wanted in plan.wanted.items():
        project = p.existing_projects.get(code)
        current = plan.existing.get(project.pk, {}) if project is not None else {}
        by_source = {sid: amount for sid, (_pk, _n, amount) in current.items()}
        plan.created += sum(1 for fs, _a in wanted.values() if fs.pk not in by_source)
        plan.updated += sum(1 for fs, a in wanted.values() if fs.pk in by_source and by_source[fs.pk] != a)
        plan.deleted += sum(1 for sid in by_source if sid not in {fs.pk for fs, _a in wanted.values()})
    return plan


def write_funding(p: Planner, plan: FundingSheetPlan, user) -> list:
    if not plan.wanted:
        return []
    records = _Records(user)
    new, changed, removed = [], [], []
    for code, wanted in plan.wanted.items():
        project = p.existing_projects[code]
        current = plan.existing.get(project.pk, {})
        wanted_ids = {fs.pk for fs, _a in wanted.values()}
        for sid, (pk, name, amount) in current.items():
            if sid not in wanted_ids:
                removed.append(pk)
                records.add(FundingPlan(pk=pk), plan_view(name, amount), None, project, f"{code}·{name}")
        for fs, amount in wanted.values():
            old = current.get(fs.pk)
            if old is None:
                new.append((FundingPlan(project_id=project.pk, source=fs, amount=amount), project))
            elif old[2] != amount:
                changed.append(FundingPlan(pk=old[0], project_id=project.pk, source=fs, amount=amount))
                records.add(
                    changed[-1],
                    plan_view(fs.name, old[2]),
                    plan_view(fs.name, amount),
                    project,
                    f"{code}·{fs.name}",
                )
    for chunk in chunks(removed, 900):
        FundingPlan.objects.filter(pk__in=chunk).delete()
    FundingPlan.objects.bulk_create([o for o, _p in new], batch_size=500)
    update_rows(FundingPlan, changed, ["amount"])  # not bulk_update: CASE WHEN per row is slow
    for obj, project in new:
        records.add(
            obj, None, plan_view(obj.source.name, obj.amount), project, f"{project.code}·{obj.source.name}"
        )
    return records.items


# --- 年度计划 ------------------------------------------------------------------------------------------------


@dataclass
class AnnualSheetPlan:
    wanted: dict[tuple[str, int], tuple] = field(
        default_factory=dict
    )  # (code, year) → (amount, new, done, prior)
    existing: dict[tuple[int, int], tuple] = field(default_factory=dict)  # (project id, year) → (pk, *values)
    created: int = 0
    updated: int = 0


def plan_annual(p: Planner, rows) -> AnnualSheetPlan:
    plan = AnnualSheetPlan()
    if not rows:
        return plan
    _load_codes(p, rows)
    codes = {text(c[0]) for _r, c in rows}
    for chunk in chunks(_existing_ids(p, codes), 900):
        for pk, pid, year, *values in AnnualPlan.objects.filter(project_id__in=chunk).values_list(
            "id", "project_id", "year", "amount", "new_start", "completion", "prior_cumulative"
        ):
            plan.existing[pid, year] = (pk, *values)
    first: dict[tuple[str, int], int] = {}
    for row, cells in rows:
        r = _Row(p, SHEET_ANNUAL, row, cells)
        code, year = r.code(), r.year()
        amount = r.number("年度计划投资(万元)")
        new_start, completion = r.yes_no("计划新开工"), r.yes_no("计划竣工")
        prior = r.number("截至上年末累计完成投资(万元)", required=False)
        if code and year is not None:
            if (code, year) in first:
                r.err("年度", f"项目「{code}」的{year}年度计划重复（第{first[code, year]}行已出现）")
            else:
                first[code, year] = row
        if r.ok:
            plan.wanted[code, year] = (amount, new_start, completion, prior)
    for (code, year), values in plan.wanted.items():
        project = p.existing_projects.get(code)
        old = plan.existing.get((project.pk, year)) if project is not None else None
        if old is None:
            plan.created += 1
        elif tuple(old[1:]) != values:
            plan.updated += 1
    return plan


def write_annual(p: Planner, plan: AnnualSheetPlan, user) -> list:
    if not plan.wanted:
        return []
    records = _Records(user)
    new, changed = [], []
    for (code, year), (amount, new_start, completion, prior) in plan.wanted.items():
        project = p.existing_projects[code]
        old = plan.existing.get((project.pk, year))
        obj = AnnualPlan(
            project_id=project.pk,
            year=year,
            amount=amount,
            new_start=new_start,
            completion=completion,
            prior_cumulative=prior,
        )
        label = f"{code} {year}年度计划"
        if old is None:
            new.append((obj, project, label))
        elif tuple(old[1:]) != (amount, new_start, completion, prior):
            obj.pk = old[0]
            changed.append(obj)
            records.add(
                obj,
                annual_view(year, *old[1:]),
                annual_view(year, amount, new_start, completion, prior),
                project,
                label,
            )
    AnnualPlan.objects.bulk_create([o for o, _p, _l in new], batch_size=500)
    update_rows(AnnualPlan, changed, ["amount", "new_start", "completion", "prior_cumulative"])
    for obj, project, label in new:
        after = annual_view(obj.year, obj.amount, obj.new_start, obj.completion, obj.prior_cumulative)
        records.add(obj, None, after, project, label)
    return records.items


# --- 资金到位 ------------------------------------------------------------------------------------------------


@dataclass
class ArrivalSheetPlan:
    wanted: list[tuple[str, tuple]] = field(default_factory=list)  # (code, (date, source, amount, doc_no))
    existing: Counter = field(
        default_factory=Counter
    )  # (project id, date, source id, amount, doc_no) → count
    to_add: list[tuple[str, tuple]] = field(default_factory=list)


def plan_arrivals(p: Planner, rows) -> ArrivalSheetPlan:
    plan = ArrivalSheetPlan()
    if not rows:
        return plan
    _load_codes(p, rows)
    sources = _sources()
    codes = {text(c[0]) for _r, c in rows}
    for chunk in chunks(_existing_ids(p, codes), 900):
        plan.existing.update(
            FundArrival.objects.filter(project_id__in=chunk).values_list(
                "project_id", "date", "source_id", "amount", "doc_no"
            )
        )
    limit = FundArrival._meta.get_field("doc_no").max_length
    for row, cells in rows:
        r = _Row(p, SHEET_ARRIVALS, row, cells)
        code, day, fs = r.code(), r.day("到位日期"), r.source(sources)
        amount = r.number("金额(万元)", positive=True)
        doc_no = text(r.cell("文号"))
        if len(doc_no) > limit:
            r.err("文号", f"超过{limit}个字符")
        if r.ok:
            plan.wanted.append((code, (day, fs, amount, doc_no), row))
    remaining = Counter(plan.existing)
    for code, (day, fs, amount, doc_no), row in plan.wanted:
        project = p.existing_projects.get(code)
        key = (project.pk if project is not None else None, day, fs.pk, amount, doc_no)
        if project is not None and remaining[key] > 0:
            remaining[key] -= 1
        elif not fs.active:
            p.errors.add(SHEET_ARRIVALS, row, "资金来源", f"资金来源「{fs.name}」已停用")
        else:
            plan.to_add.append((code, (day, fs, amount, doc_no)))
    return plan


def write_arrivals(p: Planner, plan: ArrivalSheetPlan, user) -> list:
    if not plan.to_add:
        return []
    records = _Records(user)
    new = []
    for code, (day, fs, amount, doc_no) in plan.to_add:
        project = p.existing_projects[code]
        obj = FundArrival(
            project_id=project.pk,
            date=day,
            source=fs,
            amount=amount,
            doc_no=doc_no,
            source_channel="import",
            created_by=user if getattr(user, "pk", None) else None,
        )
        new.append((obj, project))
    FundArrival.objects.bulk_create([o for o, _p in new], batch_size=500)
    for obj, project in new:
        label = f"{project.code} {obj.date.isoformat()} {obj.source.name}{obj.amount}万元"
        records.add(
            obj, None, arrival_view(obj.date, obj.source.name, obj.amount, obj.doc_no), project, label
        )
    return records.items


# --- change records -----------------------------------------------------------------------------------------


class _Records:
    def __init__(self, user):
        self.user = user
        self.project_type = ContentType.objects.get_for_model(Project)
        self.types: dict = {}
        self.items: list = []

    def add(self, obj, before, after, project, label: str) -> None:
        model = type(obj)
        if model not in self.types:
            self.types[model] = ContentType.objects.get_for_model(model)
        if before is not None and after is not None and not diff(before, after):
            return
        rec = build_record(
            obj=_Ref(obj.pk, label),
            before=before,
            after=after,
            user=self.user,
            source="import",
            content_type=self.types[model],
            parent=project,
            parent_type=self.project_type,
        )
        if rec is not None:
            self.items.append(rec)


@dataclass(frozen=True)
class _Ref:
    """What a change record needs of an object: its pk and its text (no query for the related rows)."""

    pk: int
    label: str

    def __str__(self) -> str:
        return self.label


# --- export ---------------------------------------------------------------------------------------------------


def export_funding(book: LedgerBook, projects: QuerySet) -> dict[str, int]:
    ws = book.add_sheet(SHEET_FUNDING, HEADERS[SHEET_FUNDING], WIDTHS[SHEET_FUNDING])
    rows = (
        FundingPlan.objects.filter(project__in=projects.values("pk"))
        .order_by("project__code", "source__sort_order", "source_id")
        .values_list("project__code", "source__name", "amount")
    )
    count = 0
    for code, name, amount in rows.iterator(chunk_size=5000):
        append_row(ws, [code, name, excel_number(amount)])
        count += 1
    return {"funding_plan_rows": count}


def export_annual(book: LedgerBook, projects: QuerySet) -> dict[str, int]:
    ws = book.add_sheet(SHEET_ANNUAL, HEADERS[SHEET_ANNUAL], WIDTHS[SHEET_ANNUAL])
    rows = (
        AnnualPlan.objects.filter(project__in=projects.values("pk"))
        .order_by("project__code", "year")
        .values_list("project__code", "year", "amount", "new_start", "completion", "prior_cumulative")
    )
    count = 0
    for code, year, amount, new_start, completion, prior in rows.iterator(chunk_size=5000):
        yn = {True: "是", False: "否"}
        append_row(ws, [code, year, excel_number(amount), yn[new_start], yn[completion], excel_number(prior)])
        count += 1
    return {"annual_plan_rows": count}


def export_arrivals(book: LedgerBook, projects: QuerySet) -> dict[str, int]:
    ws = book.add_sheet(SHEET_ARRIVALS, HEADERS[SHEET_ARRIVALS], WIDTHS[SHEET_ARRIVALS])
    rows = (
        FundArrival.objects.filter(project__in=projects.values("pk"))
        .order_by("project__code", "date", "id")
        .values_list("project__code", "date", "source__name", "amount", "doc_no")
    )
    count = 0
    for code, day, name, amount, doc_no in rows.iterator(chunk_size=5000):
        append_row(ws, [code, day, name, excel_number(amount), doc_no or None])
        count += 1
    return {"arrival_rows": count}


# --- registration ---------------------------------------------------------------------------------------------


def _funding_summary(c: dict) -> str | None:
    if not any(c.get(k) for k in ("funding_plans_created", "funding_plans_updated", "funding_plans_deleted")):
        return None
    return (
        f"资金计划：新增 {c['funding_plans_created']} 行，修改 {c['funding_plans_updated']} 行，"
        f"删除 {c['funding_plans_deleted']} 行"
    )


def _annual_summary(c: dict) -> str | None:
    if not any(c.get(k) for k in ("annual_plans_created", "annual_plans_updated")):
        return None
    return f"年度计划：新建 {c['annual_plans_created']} 个，修改 {c['annual_plans_updated']} 个"


def _arrival_summary(c: dict) -> str | None:
    return f"资金到位：新增 {c['arrivals_created']} 条" if c.get("arrivals_created") else None


def register_sheets() -> None:
    extensions.register(
        extensions.ExtraSheet(
            name=SHEET_FUNDING,
            headers=HEADERS[SHEET_FUNDING],
            widths=WIDTHS[SHEET_FUNDING],
            plan=plan_funding,
            write=write_funding,
            export=export_funding,
            counts=lambda pl: (
                {
                    "funding_plans_created": pl.created,
                    "funding_plans_updated": pl.updated,
                    "funding_plans_deleted": pl.deleted,
                }
                if pl.wanted
                else {}
            ),
            summary=_funding_summary,
            change_counts=("funding_plans_created", "funding_plans_updated", "funding_plans_deleted"),
        )
    )
    extensions.register(
        extensions.ExtraSheet(
            name=SHEET_ANNUAL,
            headers=HEADERS[SHEET_ANNUAL],
            widths=WIDTHS[SHEET_ANNUAL],
            plan=plan_annual,
            write=write_annual,
            export=export_annual,
            counts=lambda pl: (
                {"annual_plans_created": pl.created, "annual_plans_updated": pl.updated} if pl.wanted else {}
            ),
            summary=_annual_summary,
            change_counts=("annual_plans_created", "annual_plans_updated"),
        )
    )
    extensions.register(
        extensions.ExtraSheet(
            name=SHEET_ARRIVALS,
            headers=HEADERS[SHEET_ARRIVALS],
            widths=WIDTHS[SHEET_ARRIVALS],
            plan=plan_arrivals,
            write=write_arrivals,
            export=export_arrivals,
            counts=lambda pl: {"arrivals_created": len(pl.to_add)} if pl.wanted else {},
            summary=_arrival_summary,
            change_counts=("arrivals_created",),
        )
    )
