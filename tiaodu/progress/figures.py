"""The overview's figures: the typed contract every reader uses, and the one definition of each figure.

Pure Python (no Django). `tiaodu.progress.overview.progress_status` returns a `ProgressStatus`; the
dashboard, the reporting page, the home page, the API, the CLI, the briefing and supervision read its
attributes (a renamed field fails their tests instead of blanking a page). The JSON of the API and the
CLI is made from it by `status_json`, and only there.

One definition per figure (README "The overview"):
* per project type — total, 已竣工 (completed + accepted), 在建, 未开工, 暂停 and 开工率 = (total − 未开工)
  / total: `type_summaries` (over (type, status) pairs; the counting rule is analysis.summarize);
* a missing report — a project under construction or suspended (or not started with its planned start on
  or before the as-of date A) without a counted report with as-of in the seven days ending at A:
  `must_report`, `has_reported`, `report_missing`, `ProjectFigures.report_missing` and `missing_reports`;
  the same rule over one reporting unit's own reports says that unit's report is due (the reminders);
* the on-time share of a unit — its projects at level 正常 over all its projects (as lead or territorial
  unit): analysis.rank_units, through `assemble`; on a project where the unit holds territorial shares,
  its own level and lag are those of the largest lag of its shares (`ProjectFigures.unit_lags`);
* the projects per lag level: `level_counts`.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tiaodu.core import domain
from tiaodu.progress import analysis

REPORT_WINDOW_DAYS = 7  # "missing reports": no counted report with as-of in the 7 days ending at A


# --- the contract -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TypeSummary:
    """The projects of one type: counts per status and the share started (0–1)."""

    total: int
    completed: int  # 已竣工: completed or accepted
    under_construction: int
    not_started: int
    suspended: int
    started_rate: float


@dataclass(frozen=True, slots=True)
class ShareFigures:
    """A unit's territorial share of an indicator (条块分工) at the as-of date: its share target, its plan
    (the indicator's plan × share/target), its own latest counted figure and its lag by the same rule."""

    unit: str
    target: float
    planned: float | None
    actual: float
    lag_days: int

    @property
    def actual_pct(self) -> float:
        return round(100 * analysis.share(self.actual, self.target), 2)

    @property
    def planned_number(self) -> str:
        """The share's plan as a number a user reads (plan_text), "—" without a plan."""
        return "—" if self.planned is None else plan_text(self.planned, self.target)


@dataclass(frozen=True, slots=True)
class IndicatorFigures:
    """One indicator at the as-of date (quantities rounded to 3 places; integral ones as int)."""

    name: str
    unit: str
    target: float
    planned: float | None  # None: the project has no plan (no planned start)
    actual: float
    lag_days: int
    source_report: int | None = None  # the id of the report whose figure counts (None: no report yet)
    shares: tuple[ShareFigures, ...] = ()  # the territorial shares (() when the indicator is not split)

    @property
    def planned_number(self) -> str:
        """The plan as a number a user reads (plan_text), "—" without a plan."""
        return "—" if self.planned is None else plan_text(self.planned, self.target)


DRIVING_KEYS = ("name", "unit", "target", "planned", "actual", "lag_days")  # + source_report (rows._driving)


@dataclass(frozen=True, slots=True)
class DrivingIndicator:
    """The indicator whose lag is the project's lag (analysis.driving_index)."""

    name: str
    unit: str
    target: float
    planned: float | None
    actual: float
    lag_days: int
    source_report: int | None = None  # the id of the report whose figure counts (None: no report yet)

    @property
    def planned_pct(self) -> float | None:
        """The plan as a percent of the target (at most 100): the plan half of the bar beside the lag."""
        return None if self.planned is None else round(100 * analysis.share(self.planned, self.target), 2)

    @property
    def actual_pct(self) -> float:
        return round(100 * analysis.share(self.actual, self.target), 2)

    @property
    def planned_text(self) -> str:
        """5,200米 ("—" without a plan): see plan_text."""
        return "—" if self.planned is None else f"{plan_text(self.planned, self.target)}{self.unit}"

    @property
    def actual_text(self) -> str:
        """3,300米"""
        return f"{quantity_text(self.actual)}{self.unit}"

    @property
    def text(self) -> str:
        """道路长度 计划5,200米，实际3,300米"""
        return f"{self.name} 计划{self.planned_text}，实际{self.actual_text}"


@dataclass(frozen=True, slots=True)
class ProjectFigures:
    code: str
    name: str
    type: str
    status: str
    level: str  # domain.NORMAL / LAGGING / SEVERE
    lag_days: int
    planned_pct: float | None  # percent of target, averaged over the indicators
    actual_pct: float | None
    reported: bool  # a counted report with as-of in the window ending at the as-of date
    last_report: datetime.date | None  # the as-of date of the latest counted report on or before A
    must_report: bool  # see must_report()
    units: tuple[str, ...]  # responsible units: the lead unit, then the territorial units
    indicators: tuple[IndicatorFigures, ...] | None = None  # None when not asked for
    driving_indicator: DrivingIndicator | None = None  # None when the project does not lag
    # the (level, lag) of each unit holding territorial shares here: the largest lag of its shares
    unit_lags: Mapping[str, tuple[str, int]] | None = None

    @property
    def lag_text(self) -> str:
        """The one way a project's lag is put in words: 滞后88个工作日：道路长度 计划5,200米，实际3,300米
        ("" when the project does not lag)."""
        if self.driving_indicator is None or self.lag_days <= 0:
            return ""
        return f"滞后{self.lag_days}个工作日：{self.driving_indicator.text}"

    @property
    def report_missing(self) -> bool:
        """The one definition of a missing report."""
        return self.must_report and not self.reported

    @property
    def status_label(self) -> str:
        return domain.STATUS_LABELS.get(self.status, self.status)

    @property
    def level_label(self) -> str:
        return domain.LEVEL_LABELS.get(self.level, self.level)

    @property
    def units_short(self) -> str:
        return units_text(self.units)


@dataclass(frozen=True, slots=True)
class MissingReport:
    code: str
    name: str
    last_report: datetime.date | None


UnitFigures = analysis.UnitRow  # unit, projects, on_time, on_time_share (0–1), avg_lag


@dataclass(frozen=True, slots=True)
class ProgressStatus:
    """The overview at `as_of` of the projects one user may see."""

    as_of: datetime.date
    summary: Mapping[str, TypeSummary]  # every project type, in domain.TYPE_ORDER
    projects: tuple[ProjectFigures, ...]  # by code
    units: tuple[UnitFigures, ...]  # ranked
    missing_reports: tuple[MissingReport, ...]  # by code

    def project(self, code: str) -> ProjectFigures:
        """The project of that code (KeyError if it is not in the overview)."""
        for p in self.projects:
            if p.code == code:
                return p
        raise KeyError(code)

    @property
    def level_counts(self) -> dict[str, int]:
        return level_counts(self.projects)


# --- one definition per figure ----------------------------------------------------------------------


def type_summary(statuses: Iterable[str]) -> TypeSummary:
    return TypeSummary(**analysis.summarize(statuses))


def type_summaries(pairs: Iterable[tuple[str, str]]) -> dict[str, TypeSummary]:
    """Per project type (every type of the domain, in its order), from (type, status) pairs."""
    by_type: dict[str, list[str]] = {t: [] for t in domain.TYPE_ORDER}
    for ptype, status in pairs:
        by_type.setdefault(ptype, []).append(status)
    return {t: type_summary(statuses) for t, statuses in by_type.items()}


def window_start(as_of: datetime.date) -> datetime.date:
    """The first day of the reporting window ending at as_of (seven days: as_of and the six before)."""
    return as_of - datetime.timedelta(days=REPORT_WINDOW_DAYS - 1)


def must_report(status: str, planned_start: datetime.date | None, as_of: datetime.date) -> bool:
    """Under construction or suspended; not started once the planned start is on or before as_of."""
    if status in domain.MUST_REPORT_STATUSES:
        return True
    return status == domain.NOT_STARTED and planned_start is not None and planned_start <= as_of


def has_reported(last_report: datetime.date | None, as_of: datetime.date) -> bool:
    """Whether the latest counted report on or before as_of falls in the window."""
    return last_report is not None and last_report >= window_start(as_of)


def report_missing(must: bool, last_report: datetime.date | None, as_of: datetime.date) -> bool:
    """The one definition of a missing report, for a project (its latest counted report of any unit:
    ProjectFigures.report_missing) or for one reporting unit of it (that unit's latest counted report:
    selectors.unit_reports_due, the reminders and 催报)."""
    return must and not has_reported(last_report, as_of)


def missing_reports(projects: Iterable[ProjectFigures]) -> tuple[MissingReport, ...]:
    return tuple(MissingReport(p.code, p.name, p.last_report) for p in projects if p.report_missing)


def level_counts(projects: Iterable[ProjectFigures]) -> dict[str, int]:
    """Projects per lag level: {severe, lagging, normal}."""
    counts = {domain.SEVERE: 0, domain.LAGGING: 0, domain.NORMAL: 0}
    for p in projects:
        counts[p.level] += 1
    return counts


def behind(projects: Iterable[ProjectFigures]) -> list[ProjectFigures]:
    """The projects behind plan, severe first, then most days behind, then by code."""
    return sorted(
        (p for p in projects if p.level in domain.BEHIND_LEVELS),
        key=lambda p: (domain.LEVEL_ORDER[p.level], -p.lag_days, p.code),
    )


def quantity_text(value: float | int) -> str:
    """5,200 / 3,300.5 / 0.125: thousands separated, at most 3 decimals, no trailing zeros."""
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def plan_text(planned: float, target: float) -> str:
    """A planned quantity in words, to the precision of its target and rounded up: a plan of 557.143 处
    towards a target of 600 处 reads 558, so a lag never shows a plan equal to the actual figure it is
    ahead of (the lag itself is computed on the exact plan)."""
    places = 0
    while places < 3 and abs(target * 10**places - round(target * 10**places)) > 1e-9:
        places += 1
    scale = 10**places
    value = math.ceil(planned * scale - 1e-9) / scale
    return quantity_text(value)


def units_text(names, limit: int = 3) -> str:
    """制锦市街道、北园街道、泺口街道等5个单位 (at most `limit` names; "" for none)."""
    names = list(names)
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f"等{len(names)}个单位"


def summary_sentence(type_key: str, s: TypeSummary, scope: str = "全区") -> str:
    """全区14个重点建设项目中，已竣工2项，在建9项，未开工2项，暂停1项，开工率85.7%。"""
    noun = domain.TYPE_NOUNS.get(type_key, type_key)
    return (
        f"{scope}{s.total}个{noun}中，已竣工{s.completed}项，在建{s.under_construction}项，"
        f"未开工{s.not_started}项，暂停{s.suspended}项，开工率{s.started_rate * 100:.1f}%。"
    )


# --- from the computed rows -------------------------------------------------------------------------


def project_figures(
    row: dict, unit_names: Mapping[int, str], indicators: list[dict] | None
) -> ProjectFigures:
    """A ProjectFigures from a computed row (tiaodu.progress.overview.rows.compute_rows: plain data, unit
    ids, the last report as an ISO date) and its indicator details (None: not asked for)."""
    last = row["last_report"]
    driving = row.get("driving")
    return ProjectFigures(
        row["code"],
        row["name"],
        row["type"],
        row["status"],
        row["level"],
        row["lag_days"],
        row["planned_pct"],
        row["actual_pct"],
        row["reported"],
        datetime.date.fromisoformat(last) if last else None,
        row["must_report"],
        tuple([unit_names[u] for u in row["units"] if u in unit_names]),
        None if indicators is None else tuple([indicator_figures(d, unit_names) for d in indicators]),
        _driving_indicator(driving) if driving else None,
        named_unit_lags(row.get("unit_lags"), unit_names),
    )


def named_unit_lags(own: Mapping[str, list] | None, unit_names: Mapping[int, str]) -> dict | None:
    """A row's unit_lags ({unit id as text: [level, lag]}) by unit name, None when there are none."""
    if not own:
        return None
    named = {unit_names[int(u)]: (level, lag) for u, (level, lag) in own.items() if int(u) in unit_names}
    return named or None


def share_figures(found: list[dict] | None, unit_names: Mapping[int, str]) -> tuple[ShareFigures, ...]:
    """An indicator's share details (naming units by id) as ShareFigures."""
    if not found:
        return ()
    return tuple(
        ShareFigures(unit_names.get(s["unit"], ""), s["target"], s["planned"], s["actual"], s["lag_days"])
        for s in found
    )


def _driving_indicator(d: dict) -> DrivingIndicator:
    if d.keys() != _DRIVING_FIELDS:  # another form: as DrivingIndicator(**d) takes it (or refuses)
        return DrivingIndicator(**d)
    return DrivingIndicator(
        d["name"], d["unit"], d["target"], d["planned"], d["actual"], d["lag_days"], d["source_report"]
    )


_DRIVING_FIELDS = frozenset((*DRIVING_KEYS, "source_report"))


def indicator_figures(d: dict, unit_names: Mapping[int, str]) -> IndicatorFigures:
    """An IndicatorFigures from its details (its shares naming units by id)."""
    shares = share_figures(d.get("shares"), unit_names)
    if not d.keys() <= _INDICATOR_KEYS:  # a key of another form: refused as before (TypeError)
        return IndicatorFigures(**{**d, "shares": shares})
    return IndicatorFigures(
        d["name"],
        d["unit"],
        d["target"],
        d["planned"],
        d["actual"],
        d["lag_days"],
        d.get("source_report"),
        shares,
    )


_INDICATOR_KEYS = frozenset(
    ("name", "unit", "target", "planned", "actual", "lag_days", "source_report", "shares")
)


def assemble(
    rows: list[dict],
    *,
    as_of: datetime.date,
    unit_names: Mapping[int, str],
    unit_order: Mapping[str, int],
    details: Mapping[str, list[dict]] | None = None,
) -> ProgressStatus:
    """The ProgressStatus of computed rows (sorted by code). details: indicator details per project code
    (None: the projects carry no indicators)."""
    projects = tuple(
        project_figures(r, unit_names, None if details is None else details.get(r["code"], [])) for r in rows
    )
    return status_of(projects, as_of=as_of, unit_order=unit_order)


def status_of(
    projects: tuple[ProjectFigures, ...], *, as_of: datetime.date, unit_order: Mapping[str, int]
) -> ProgressStatus:
    """The ProgressStatus of the projects' figures (sorted by code): summaries, unit ranking, missing reports."""
    ranked = analysis.rank_units(
        ((p.units, p.level, p.lag_days, p.unit_lags) for p in projects), dict(unit_order)
    )
    return ProgressStatus(
        as_of=as_of,
        summary=type_summaries((p.type, p.status) for p in projects),
        projects=projects,
        units=tuple(ranked),
        missing_reports=missing_reports(projects),
    )


# --- the JSON of the API and the CLI ----------------------------------------------------------------


def _date(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def summary_json(s: TypeSummary) -> dict:
    return {
        "total": s.total,
        "completed": s.completed,
        "under_construction": s.under_construction,
        "not_started": s.not_started,
        "suspended": s.suspended,
        "started_rate": s.started_rate,
    }


def _indicator_json(i: IndicatorFigures) -> dict:
    return {
        "name": i.name,
        "unit": i.unit,
        "target": i.target,
        "planned": i.planned,
        "actual": i.actual,
        "lag_days": i.lag_days,
        "source_report": i.source_report,
        "shares": [
            {
                "unit": s.unit,
                "target": s.target,
                "planned": s.planned,
                "actual": s.actual,
                "lag_days": s.lag_days,
            }
            for s in i.shares
        ],
    }


def driving_json(d: DrivingIndicator | None) -> dict | None:
    if d is None:
        return None
    return {"name": d.name, "unit": d.unit, "planned": d.planned, "actual": d.actual, "lag_days": d.lag_days}


def _project_json(p: ProjectFigures) -> dict:
    out = {
        "code": p.code,
        "name": p.name,
        "type": p.type,
        "status": p.status,
        "level": p.level,
        "lag_days": p.lag_days,
        "driving_indicator": driving_json(p.driving_indicator),
        "planned_pct": p.planned_pct,
        "actual_pct": p.actual_pct,
        "reported": p.reported,
        "last_report": _date(p.last_report),
        "units": list(p.units),
    }
    if p.indicators is not None:
        out["indicators"] = [_indicator_json(i) for i in p.indicators]
    return out


def status_json(status: ProgressStatus) -> dict:
    """The JSON of `GET /api/v1/progress` and `manage.py progress_status --json` (README "The overview")."""
    return {
        "as_of": status.as_of.isoformat(),
        "summary": {key: summary_json(s) for key, s in status.summary.items()},
        "projects": [_project_json(p) for p in status.projects],
        "units": [u.as_json() for u in status.units],
        "missing_reports": [
            {"code": m.code, "name": m.name, "last_report": _date(m.last_report)}
            for m in status.missing_reports
        ],
    }
