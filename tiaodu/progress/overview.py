"""The one source of the overview figures: `progress_status(*, user, as_of)`.

The dashboard, the API (`GET /api/v1/progress`), the CLI (`manage.py progress_status`) and the weekly
briefing call it. It loads everything with a few set-based queries, computes each project's plan against
its actual figures with the pure functions of tiaodu.progress.analysis, and restricts the answer to the
projects the user may see (tiaodu.projects.selectors.project_list).

Where the plan comes from (per indicator):
* the latest baseline of the project if it has tasks linked to indicators, else
* the current early schedule (scheduling engine) if the project has tasks linked to indicators, else
* linear from planned start to planned finish (the deadline when there is no planned finish);
* no planned start: no plan (planned null, no lag).
If a schedule cannot be computed (a dependency cycle, missing dates) its indicators fall back to linear.

The actual figure of an indicator at A is its figure in the latest counted report (submitted or
verified, not returned, not replaced by a later revision) with as-of ≤ A; none → 0.

For large portfolios the all-projects result of an as-of date is kept in ProgressSnapshot and reused
while a fingerprint of the inputs is unchanged, so the dashboard stays fast; below
PROGRESS_SNAPSHOT_MIN_PROJECTS projects (default 1000) everything is computed on each call.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, OuterRef, Prefetch, Subquery

from tiaodu.core.models import ChangeRecord
from tiaodu.core.text_rules import usable_date
from tiaodu.orgs.models import Unit
from tiaodu.progress import analysis
from tiaodu.progress.models import ProgressSnapshot, Report, ReportFigure, ReportingCycle
from tiaodu.projects.models import Indicator, Project, ProjectStatus, ProjectType
from tiaodu.projects.selectors import project_list
from tiaodu.scheduling import engine
from tiaodu.scheduling import selectors as scheduling
from tiaodu.scheduling.calendar import STATUTORY, CalendarRangeError, DayAxis, WorkCalendar
from tiaodu.scheduling.models import Baseline, Dependency, Task

CALC_VERSION = 4  # bump when the semantics change: stored snapshots are then recomputed
REPORT_WINDOW_DAYS = 7  # "missing reports": no counted report with as-of in the 7 days ending at A
SNAPSHOTS_KEPT = 8  # as-of dates kept (each up to ~20 MB at 20,000 projects)
TYPES = [t for t in ProjectType.values]
MUST_REPORT = {ProjectStatus.UNDER_CONSTRUCTION, ProjectStatus.SUSPENDED}


@dataclass
class ProjectInfo:
    id: int
    code: str
    name: str
    type: str
    status: str
    lead_unit_id: int
    planned_start: datetime.date | None
    planned_finish: datetime.date | None
    deadline: datetime.date | None
    mode: str


# --- plans ----------------------------------------------------------------------------------------


class Planner:
    """Working-day numbers for one computation (never kept between requests).

    One DayAxis per calendar mode serves every project: on a calendar, the number of day d on the axis
    of a project whose day 0 is o equals base(d) − base(o) for any base axis of the same calendar (both
    count the working days between o and d). So each working day is walked once, not once per project.
    Accrual plans are made from engine results on these numbers (no dates needed).
    """

    def __init__(self):
        self._calendars: dict[str, WorkCalendar] = {}
        self._bases: dict[str, DayAxis] = {}
        self._numbers: dict[tuple[str, datetime.date], int] = {}

    def calendar(self, mode: str) -> WorkCalendar:
        if mode not in self._calendars:
            self._calendars[mode] = scheduling.work_calendar(mode=mode)
        return self._calendars[mode]

    def prepare(self, mode: str, earliest: datetime.date) -> None:
        """Start the base axis of a mode at (or before) the earliest date it will be asked about."""
        base = self._bases.get(mode)
        if base is None or earliest < base.start:
            self._bases[mode] = self.calendar(mode).axis(earliest)
            self._numbers = {k: v for k, v in self._numbers.items() if k[0] != mode}

    def _base_number(self, mode: str, day: datetime.date) -> int:
        key = (mode, day)
        n = self._numbers.get(key)
        if n is None:
            if mode not in self._bases:
                self.prepare(mode, day)
            n = self._numbers[key] = self._bases[mode].number_on_or_before(day)
        return n

    def number(self, mode: str, start: datetime.date, day: datetime.date) -> int:
        """The number of the last working day on or before `day`, counted from the project's day 0 (the first
        working day on or after `start`) — DayAxis(start).number_on_or_before(day)."""
        origin = self.calendar(mode).next_working(start)
        return self._base_number(mode, day) - self._base_number(mode, origin)

    def count_through(self, mode: str, start: datetime.date, day: datetime.date) -> int:
        """How many of days 0, 1, 2, … fall on or before `day` (number_on_or_before + 1, at least 0)."""
        return max(self.number(mode, start, day) + 1, 0)

    # Accruals: {project id: (mode, day-0 date, {indicator id: [(quantity, start, duration)]})}

    def accruals(
        self, infos: dict[int, ProjectInfo], scope=None
    ) -> dict[int, tuple[str, datetime.date, dict]]:
        out: dict[int, tuple[str, datetime.date, dict]] = {}
        latest = Baseline.objects.filter(
            number=Subquery(
                Baseline.objects.filter(project=OuterRef("project")).order_by("-number").values("number")[:1]
            )
        )
        if scope is not None:
            latest = latest.filter(project__in=scope)
        for baseline in latest:
            info = infos.get(baseline.project_id)
            if info is None:
                continue
            items = scheduling.accruals_from_baseline(baseline)
            if not items:
                continue
            snap = baseline.snapshot
            try:
                out[info.id] = (
                    snap.get("mode", STATUTORY),
                    datetime.date.fromisoformat(snap["start"]),
                    _group(items),
                )
            except (KeyError, TypeError, ValueError):
                continue
        scheduled = Task.objects.filter(indicator__isnull=False, quantity__isnull=False).exclude(
            project_id__in=list(out)
        )
        if scope is not None:
            scheduled = scheduled.filter(project__in=scope)
        project_ids = [pid for pid in set(scheduled.values_list("project_id", flat=True)) if pid in infos]
        if not project_ids:
            return out
        links = Dependency.objects.select_related("predecessor").order_by("id")
        by_project: dict[int, list[Task]] = defaultdict(list)
        for task in (
            Task.objects.filter(project_id__in=project_ids)
            .prefetch_related(Prefetch("predecessor_links", queryset=links))
            .order_by("project_id", "sort_order", "id")
        ):
            by_project[task.project_id].append(task)
        for pid, tasks in by_project.items():
            info = infos[pid]
            try:
                # The current early schedule, as scheduling.selectors.project_schedule computes it, but on
                # working-day numbers only (the accruals need no dates).
                start, deadline, _warnings = scheduling.schedule_dates(info)
                deadline_day = self.number(info.mode, start, deadline)
                result = engine.schedule(scheduling.task_inputs(tasks), deadline_day)
            except (scheduling.ScheduleUnavailable, engine.ScheduleError, CalendarRangeError, ValueError):
                continue
            items = scheduling.accruals_from_schedule(result, tasks)
            if items:
                out[pid] = (info.mode, start, _group(items))
        return out

    def indicator_inputs(
        self,
        info: ProjectInfo,
        indicators: list[tuple[int, str, str, float, float]],
        accrued: tuple[str, datetime.date, dict] | None,
        as_of: datetime.date,
    ) -> list[analysis.IndicatorInput]:
        """indicators: (id, name, unit, target, actual)."""
        linear_t, n_days = self._linear(info, as_of)
        acc_t = None
        if accrued is not None:
            try:
                acc_t = self.number(accrued[0], accrued[1], as_of)
            except CalendarRangeError:
                accrued = None
        out = []
        for ind_id, name, unit, target, actual in indicators:
            plan, t = None, None
            if accrued is not None and ind_id in accrued[2]:
                plan, t = analysis.accrual_plan(accrued[2][ind_id]), acc_t
            elif linear_t is not None:
                plan, t = analysis.LinearPlan(target, n_days), linear_t
            out.append(analysis.IndicatorInput(name, unit, target, actual, plan, t))
        return out

    def _linear(self, info: ProjectInfo, as_of: datetime.date):
        finish = info.planned_finish or info.deadline
        if info.planned_start is None or finish is None:
            return None, 0
        try:
            return (
                self.number(info.mode, info.planned_start, as_of),
                self.count_through(info.mode, info.planned_start, finish),
            )
        except CalendarRangeError:
            return None, 0


def _prepare(planner: Planner, infos: Iterable[ProjectInfo], as_of: datetime.date) -> None:
    """Start each mode's base axis at the earliest date of the computation (then every lookup is a bisect)."""
    earliest: dict[str, datetime.date] = {}
    for info in infos:
        day = min(filter(None, [info.planned_start, info.deadline, info.planned_finish, as_of]))
        if info.mode not in earliest or day < earliest[info.mode]:
            earliest[info.mode] = day
    earliest.setdefault(STATUTORY, as_of)
    for mode, day in earliest.items():
        planner.prepare(mode, day - datetime.timedelta(days=31))


def _group(items) -> dict[int, list[tuple[Decimal, int, int]]]:
    grouped: dict[int, list[tuple[Decimal, int, int]]] = defaultdict(list)
    for item in items:
        grouped[item.key].append((item.quantity, item.start, item.duration))
    return grouped


# --- loading --------------------------------------------------------------------------------------


def _cycle() -> ReportingCycle:
    return ReportingCycle.objects.filter(pk=1).first() or ReportingCycle(pk=1)


def _infos(queryset, as_of: datetime.date) -> tuple[dict[int, ProjectInfo], dict[int, datetime.date | None]]:
    last = (
        Report.objects.filter(project=OuterRef("pk"), counted=True, as_of__lte=as_of)
        .order_by("-as_of")
        .values("as_of")[:1]
    )
    infos: dict[int, ProjectInfo] = {}
    last_report: dict[int, datetime.date | None] = {}
    rows = queryset.annotate(last_report=Subquery(last)).values_list(
        "id",
        "code",
        "name",
        "type",
        "status",
        "lead_unit_id",
        "planned_start",
        "planned_finish",
        "deadline",
        "schedule_settings__mode",
        "last_report",
    )
    for pid, code, name, ptype, status, lead, start, finish, deadline, mode, last_as_of in rows:
        start, finish, deadline = usable_date(start), usable_date(finish), usable_date(deadline)
        infos[pid] = ProjectInfo(
            pid, code, name, ptype, status, lead, start, finish, deadline, mode or STATUTORY
        )
        last_report[pid] = last_as_of
    return infos, last_report


def _indicators(scope, as_of: datetime.date) -> dict[int, list[tuple[int, str, str, float, float]]]:
    latest = (
        ReportFigure.objects.filter(indicator=OuterRef("pk"), counted=True, as_of__lte=as_of)
        .order_by("-as_of", "-submitted_at", "-id")
        .values("quantity")[:1]
    )
    qs = Indicator.objects.all()
    if scope is not None:
        qs = qs.filter(project__in=scope)
    out: dict[int, list] = defaultdict(list)
    for ind_id, pid, name, unit, target, actual in (
        qs.annotate(actual=Subquery(latest))
        .order_by("project_id", "sort_order", "id")
        .values_list("id", "project_id", "name", "unit_of_measure", "target", "actual")
    ):
        out[pid].append((ind_id, name, unit, float(target), float(actual) if actual is not None else 0.0))
    return out


def _territorial(scope) -> dict[int, list[int]]:
    through = Project.territorial_units.through
    qs = through.objects.all()
    if scope is not None:
        qs = qs.filter(project__in=scope)
    out: dict[int, list[int]] = defaultdict(list)
    for pid, uid in qs.values_list("project_id", "unit_id"):
        out[pid].append(uid)
    return out


def compute_rows(as_of: datetime.date, scope=None) -> tuple[list[dict], dict[str, list[dict]]]:
    """Every project's (of `scope`, a Project queryset; None = all) figures at `as_of`.

    Returns (rows, details): rows are plain dicts (JSON-ready) per project, details the indicator
    figures per project code.
    """
    cycle = _cycle()
    queryset = Project.objects.all() if scope is None else scope
    infos, last_report = _infos(queryset, as_of)
    indicators = _indicators(scope, as_of)
    territorial = _territorial(scope)
    planner = Planner()
    _prepare(planner, infos.values(), as_of)
    accruals = planner.accruals(infos, scope)
    window_start = as_of - datetime.timedelta(days=REPORT_WINDOW_DAYS - 1)
    rows: list[dict] = []
    details: dict[str, list[dict]] = {}
    for pid, info in infos.items():
        inputs = planner.indicator_inputs(info, indicators.get(pid, []), accruals.get(pid), as_of)
        result = analysis.evaluate_project(
            info.status, inputs, lagging_after=cycle.lagging_after, severe_after=cycle.severe_after
        )
        last = last_report.get(pid)
        must_report = info.status in MUST_REPORT or (
            info.status == ProjectStatus.NOT_STARTED
            and info.planned_start is not None
            and info.planned_start <= as_of
        )
        rows.append(
            {
                "id": pid,
                "code": info.code,
                "name": info.name,
                "type": info.type,
                "status": info.status,
                "level": result.level,
                "lag_days": result.lag_days,
                "planned_pct": result.planned_pct,
                "actual_pct": result.actual_pct,
                "reported": last is not None and last >= window_start,
                "last_report": last.isoformat() if last else None,
                "must_report": must_report,
                # Responsible units: the lead unit, then the territorial units (ids).
                "units": [
                    info.lead_unit_id,
                    *[u for u in territorial.get(pid, []) if u != info.lead_unit_id],
                ],
            }
        )
        details[info.code] = [r.as_json() for r in result.indicators]
    rows.sort(key=lambda r: r["code"])
    return rows, details


def parse_as_of(raw: str | None, default: datetime.date) -> datetime.date:
    """An as-of date typed by a user (YYYY-MM-DD), `default` when blank; ValueError with a Chinese message."""
    text = (raw or "").strip()
    if not text:
        return default
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"截至日期无效「{text[:30]}」，请按YYYY-MM-DD填写")
    if not (2000 <= day.year <= 2100):
        raise ValueError("截至日期须在2000年至2100年之间")
    return day


# --- the snapshot ---------------------------------------------------------------------------------


def _stamp() -> str:
    """Fingerprint of everything but the reports: the change log (every service writes one), projects,
    indicators, the cycle settings and the version of this code."""
    cycle = ReportingCycle.objects.filter(pk=1).values_list("updated_at", flat=True).first()
    projects = Project.objects.aggregate(n=Count("id"), u=Max("updated_at"))
    indicators = Indicator.objects.aggregate(n=Count("id"), m=Max("id"))
    changes = ChangeRecord.objects.aggregate(m=Max("id"))
    parts = [
        CALC_VERSION,
        changes["m"],
        projects["n"],
        projects["u"],
        indicators["n"],
        indicators["m"],
        cycle,
    ]
    return "|".join("" if p is None else str(p) for p in parts)[:200]


# Reports change all the time (each submission, verification, return): a stored snapshot is patched with
# the rows of the projects whose reports changed rather than recomputed. The reports touched since the
# snapshot are those with updated_at ≥ its mark − PATCH_WINDOW (a transaction that saved a report before
# the mark may commit after it was read); a later commit inside the window changes the window's count.
PATCH_WINDOW = datetime.timedelta(hours=1)
PATCH_LIMIT = 2000  # more changed projects than this: recompute everything


def _reports_mark() -> tuple[datetime.datetime | None, int]:
    latest = Report.objects.aggregate(m=Max("updated_at"))["m"]
    if latest is None:
        return None, 0
    return latest, Report.objects.filter(updated_at__gte=latest - PATCH_WINDOW).count()


def _snapshot_min() -> int:
    return int(getattr(settings, "PROGRESS_SNAPSHOT_MIN_PROJECTS", 1000))


class _All:
    """All projects' rows for an as-of date, from the snapshot when it is fresh; details loaded lazily."""

    def __init__(self, as_of: datetime.date, fresh: bool = False):
        self.as_of = as_of
        self._details = None
        self._snapshot_id = None
        use_snapshot = not fresh and Project.objects.count() >= _snapshot_min()
        if not use_snapshot:
            self.rows, self._details = compute_rows(as_of)
            return
        stamp = _stamp()
        mark = _reports_mark()
        snap = ProgressSnapshot.objects.filter(as_of=as_of).defer("details").first()
        if snap is not None and snap.stamp == stamp:
            self._snapshot_id = snap.pk
            if (snap.reports_seen, snap.reports_recent) == mark:
                self.rows = snap.rows
                return
            if self._patch(snap, mark):
                return
        self.rows, self._details = compute_rows(as_of)
        self._store(stamp, mark)

    def _patch(self, snap: ProgressSnapshot, mark) -> bool:
        """Recompute the rows of the projects whose reports changed since the snapshot; False if too many.

        The indicator details of those projects are marked stale and recomputed when details are read
        (the dashboard never reads them, the API and the CLI do)."""
        touched = Report.objects.all()
        if snap.reports_seen is not None:
            touched = touched.filter(updated_at__gte=snap.reports_seen - PATCH_WINDOW)
        changed = set(touched.values_list("project_id", flat=True).distinct()[: PATCH_LIMIT + 1])
        if len(changed) > PATCH_LIMIT:
            return False
        rows, _details = (
            compute_rows(self.as_of, scope=Project.objects.filter(pk__in=changed)) if changed else ([], {})
        )
        by_id = {r["id"]: r for r in rows}
        self.rows = [by_id.get(r["id"], r) for r in snap.rows]
        stale = sorted(set(snap.stale) | set(by_id))
        ProgressSnapshot.objects.filter(pk=snap.pk).update(
            rows=self.rows, stale=stale, reports_seen=mark[0], reports_recent=mark[1]
        )
        return True

    def _store(self, stamp: str, mark) -> None:
        try:
            with transaction.atomic():
                ProgressSnapshot.objects.update_or_create(
                    as_of=self.as_of,
                    defaults={
                        "stamp": stamp,
                        "rows": self.rows,
                        "details": self._details,
                        "stale": [],
                        "reports_seen": mark[0],
                        "reports_recent": mark[1],
                    },
                )
                keep = ProgressSnapshot.objects.order_by("-computed_at").values_list("pk", flat=True)[
                    :SNAPSHOTS_KEPT
                ]
                ProgressSnapshot.objects.exclude(pk__in=list(keep)).delete()
        except IntegrityError:  # another process stored it at the same moment
            pass

    @property
    def details(self) -> dict[str, list[dict]]:
        if self._details is None:
            found = (
                ProgressSnapshot.objects.filter(pk=self._snapshot_id).values_list("details", "stale").first()
            )
            details, stale = found or ({}, [])
            if stale:
                _rows, fresh = compute_rows(self.as_of, scope=Project.objects.filter(pk__in=stale))
                details.update(fresh)
                ProgressSnapshot.objects.filter(pk=self._snapshot_id, stale=stale).update(
                    details=details, stale=[]
                )
            self._details = details
        return self._details


# --- the answer -----------------------------------------------------------------------------------


def _visible_ids(user) -> set[int] | None:
    """None: every project (no user — the CLI — or a user who sees all)."""
    if user is None or (user.is_authenticated and user.sees_all):
        return None
    return set(project_list(user=user).values_list("id", flat=True))


def units_by_id() -> dict[int, Unit]:
    return {u.pk: u for u in Unit.objects.all()}


@contextlib.contextmanager
def _gc_paused():
    """Tens of thousands of small dicts are built at once and none of them form cycles: the cyclic garbage
    collector would only walk them again and again (a third of the dashboard's time at 20,000 projects)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def progress_rows(*, user, as_of: datetime.date, fresh: bool = False) -> tuple[list[dict], _All]:
    """The visible projects' rows (see compute_rows) and the loader of their indicator details."""
    with _gc_paused():
        everything = _All(as_of, fresh=fresh)
    visible = _visible_ids(user)
    rows = everything.rows if visible is None else [r for r in everything.rows if r["id"] in visible]
    return rows, everything


def build_status(rows: list[dict], *, as_of: datetime.date, details=None, units=None) -> dict:
    """The JSON answer from project rows (the shape of issue 4)."""
    with _gc_paused():
        return _build_status(rows, as_of=as_of, details=details, units=units)


def _build_status(rows: list[dict], *, as_of: datetime.date, details=None, units=None) -> dict:
    units = units if units is not None else units_by_id()
    by_type: dict[str, list[str]] = {t: [] for t in TYPES}
    for r in rows:
        by_type.setdefault(r["type"], []).append(r["status"])
    summary = {t: analysis.summarize(statuses) for t, statuses in by_type.items()}
    unit_names = {pk: u.name for pk, u in units.items()}
    row_names = [[unit_names[u] for u in r["units"] if u in unit_names] for r in rows]
    order = {u.name: u.sort_order for u in units.values()}
    ranked = analysis.rank_units(
        ((names, r["level"], r["lag_days"]) for names, r in zip(row_names, rows, strict=True)), order
    )
    projects = []
    for r, names in zip(rows, row_names, strict=True):
        item = {
            "code": r["code"],
            "name": r["name"],
            "type": r["type"],
            "status": r["status"],
            "level": r["level"],
            "lag_days": r["lag_days"],
            "planned_pct": r["planned_pct"],
            "actual_pct": r["actual_pct"],
            "reported": r["reported"],
            "last_report": r["last_report"],
            "units": names,
        }
        if details is not None:
            item["indicators"] = details.get(r["code"], [])
        projects.append(item)
    missing = [
        {"code": r["code"], "name": r["name"], "last_report": r["last_report"]}
        for r in rows
        if r["must_report"] and not r["reported"]
    ]
    return {
        "as_of": as_of.isoformat(),
        "summary": summary,
        "projects": projects,
        "units": [u.as_json() for u in ranked],
        "missing_reports": missing,
    }


def progress_status(
    *, user, as_of: datetime.date, include_indicators: bool = True, fresh: bool = False
) -> dict:
    """The overview at `as_of` of the projects the user may see (user None: all projects).

    {"as_of", "summary": {type: {total, completed, under_construction, not_started, suspended,
    started_rate}}, "projects": [{code, name, type, status, level, lag_days, planned_pct, actual_pct,
    reported, last_report, units, indicators: [{name, unit, target, planned, actual, lag_days}]}],
    "units": [{unit, projects, on_time, on_time_share, avg_lag}], "missing_reports": [{code, name,
    last_report}]}
    """
    rows, everything = progress_rows(user=user, as_of=as_of, fresh=fresh)
    return build_status(rows, as_of=as_of, details=everything.details if include_indicators else None)


# --- one project's S-curve ------------------------------------------------------------------------


CURVE_MAX_POINTS = 260


def project_curve(*, user, code: str, as_of: datetime.date) -> dict:
    """Planned against actual (percent of target, averaged over indicators) week by week, for one project
    the user may see (Project.DoesNotExist otherwise): the S-curve of the dashboard."""
    project = project_list(user=user).get(code=code)
    scope = Project.objects.filter(pk=project.pk)
    infos, _last = _infos(scope, as_of)
    info = infos[project.pk]
    planner = Planner()
    _prepare(planner, infos.values(), as_of - datetime.timedelta(days=14))
    accrued = planner.accruals(infos, scope).get(project.pk)
    indicators = _indicators(scope, as_of).get(project.pk, [])
    figures: dict[int, list[tuple[datetime.date, float]]] = defaultdict(list)
    for ind_id, day, qty in (
        ReportFigure.objects.filter(indicator__project=project, counted=True, as_of__lte=as_of)
        .order_by("as_of", "submitted_at", "id")
        .values_list("indicator_id", "as_of", "quantity")
    ):
        figures[ind_id].append((day, float(qty)))
    start = info.planned_start or as_of
    finish = max(filter(None, [info.planned_finish or info.deadline, as_of]))
    dates = _weekly(start, finish, as_of)
    planned_series: list[list[float | None]] = []
    actual_series: list[list[float | None]] = []
    for ind_id, _name, _unit, target, _actual in indicators:
        p_row, a_row = [], []
        for day in dates:
            inputs = planner.indicator_inputs(info, [(ind_id, "", "", target, 0.0)], accrued, day)[0]
            q = inputs.plan.q(inputs.t) if inputs.plan is not None else None
            p_row.append(None if q is None else round(100 * analysis.share(q, target), 2))
            if day > as_of:
                a_row.append(None)
            else:
                value = 0.0
                for when, qty in figures.get(ind_id, []):
                    if when > day:
                        break
                    value = qty
                a_row.append(round(100 * analysis.share(value, target), 2))
        planned_series.append(p_row)
        actual_series.append(a_row)

    def mean(series: list[list[float | None]], i: int) -> float | None:
        values = [s[i] for s in series if s[i] is not None]
        return round(sum(values) / len(values), 2) if values else None

    return {
        "code": project.code,
        "name": project.name,
        "as_of": as_of.isoformat(),
        "dates": [d.isoformat() for d in dates],
        "planned_pct": [mean(planned_series, i) for i in range(len(dates))],
        "actual_pct": [mean(actual_series, i) for i in range(len(dates))],
        "indicators": [
            {"name": ind[1], "unit": ind[2], "target": ind[3], "planned_pct": p, "actual_pct": a}
            for ind, p, a in zip(indicators, planned_series, actual_series, strict=True)
        ],
    }


def _weekly(start: datetime.date, finish: datetime.date, as_of: datetime.date) -> list[datetime.date]:
    """Every seventh day through as_of (backwards to the start), then on to the finish."""
    week = datetime.timedelta(days=7)
    back = []
    day = as_of
    while day >= start - week and len(back) < CURVE_MAX_POINTS:
        back.append(day)
        day -= week
    dates = list(reversed(back))
    day = as_of + week
    while day <= finish + week and len(dates) < CURVE_MAX_POINTS * 2:
        dates.append(day)
        day += week
    return dates


TYPE_LABELS = {"key_construction": "重点建设项目", "remediation": "综合整治项目"}


def summary_sentence(key: str, s: dict, scope: str = "全区") -> str:
    """全区14个重点建设项目中，已竣工a项，在建b项，未开工c项，暂停d项，开工率x%。"""
    label = TYPE_LABELS.get(key, key)
    return (
        f"{scope}{s['total']}个{label}中，已竣工{s['completed']}项，在建{s['under_construction']}项，"
        f"未开工{s['not_started']}项，暂停{s['suspended']}项，开工率{s['started_rate'] * 100:.1f}%。"
    )


def level_counts(rows: Iterable[dict]) -> dict[str, int]:
    counts = {analysis.SEVERE: 0, analysis.LAGGING: 0, analysis.NORMAL: 0}
    for r in rows:
        counts[r["level"]] += 1
    return counts
