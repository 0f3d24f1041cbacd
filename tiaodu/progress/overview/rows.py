"""Every project's figures at an as-of date, computed from the database: `compute_rows`.

It loads everything with a few set-based queries and computes each project's plan against its actual
figures with the pure functions of tiaodu.progress.analysis. The actual figure of an indicator at A is
its figure in the latest counted report (submitted or verified, not returned, not replaced by a later
revision) with as-of ≤ A; none → 0.

A row is plain data (JSON-ready, the form the snapshot stores): id, code, name, type, status, level,
lag_days, driving (the driving indicator's name, unit, target, planned, actual, lag_days, source_report;
None when the project does not lag), planned_pct, actual_pct, reported, last_report (ISO date or None),
must_report, units (the lead unit's id, then the territorial units' ids), unit_lags (the (level, lag) of
each unit holding territorial shares on the project, by unit id as text: the largest lag of its shares).
An indicator split into territorial shares has as actual the sum of its shares' figures, each the figure
in the share unit's own latest counted report; its details carry the shares (analysis.evaluate_share).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from itertools import repeat

from django.db import connections
from django.db.models import ExpressionWrapper, F, FilteredRelation, OuterRef, Q, Subquery

from tiaodu.core.rowfetch import values_rows
from tiaodu.core.text_rules import usable_date
from tiaodu.progress import analysis, figures, lag_batch
from tiaodu.progress.models import Report, ReportFigure, ReportingCycle
from tiaodu.progress.overview.plans import Planner, ProjectInfo, prepare
from tiaodu.projects.models import Indicator, IndicatorShare, Project
from tiaodu.scheduling.calendar import STATUTORY

# A territorial share: the unit's id, its share target, its actual figure, the id of its source report.
ShareRow = tuple[int, float, float, int | None]
# id, name, unit of measure, target, actual, the id of the report whose figure counts (None: none), the
# shares ([] when the indicator is not split)
IndicatorRow = tuple[int, str, str, float, float, int | None, list[ShareRow]]


# `counted` as `counted IN (1)`, not Django's bare `WHERE counted`: SQLite uses a bare boolean column as no
# index constraint, so the latest-figure subqueries below fell back to the indicator's index and sorted all its
# figures (52 a year) instead of seeking the last entry of figure_latest (indicator, counted, as_of, …): 10 s
# instead of 0.5 s for 60,000 indicators. Same rows on every database.
COUNTED = {"counted__in": [True]}


def reporting_cycle() -> ReportingCycle:
    """The district's cycle settings (unsaved defaults — Thursday 17:00, thresholds 5 and 15 — until set)."""
    return ReportingCycle.objects.filter(pk=1).first() or ReportingCycle(pk=1)


def project_infos(
    queryset, as_of: datetime.date
) -> tuple[dict[int, ProjectInfo], dict[int, datetime.date | None]]:
    """The projects of `queryset` and the as-of date of each one's latest counted report on or before as_of."""
    last = (
        Report.objects.filter(project=OuterRef("pk"), **COUNTED, as_of__lte=as_of)
        .order_by("-as_of")
        .values("as_of")[:1]
    )
    infos: dict[int, ProjectInfo] = {}
    last_report: dict[int, datetime.date | None] = {}
    query = queryset.annotate(last_report=Subquery(last)).values_list(
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
    rows = values_rows(query)
    for pid, code, name, ptype, status, lead, start, finish, deadline, mode, last_as_of in rows:
        # A date out of 1900–2100 (a row written behind the rules' back) is left out: that project shows
        # without it, the page for everyone else still works.
        start, finish, deadline = usable_date(start), usable_date(finish), usable_date(deadline)
        infos[pid] = ProjectInfo(
            pid, code, name, ptype, status, lead, start, finish, deadline, mode or STATUTORY
        )
        last_report[pid] = last_as_of
    return infos, last_report


def with_latest_figure(indicators, latest, *, joined: bool):
    """The indicators annotated with `actual` and `source`: the quantity and the report of their first figure
    in `latest` (ReportFigures of OuterRef("pk"), ordered), None without one.

    joined=True (SQLite): the figure's id by one subquery (answered by the index figure_latest alone) and
    its row joined by primary key — one seek per indicator instead of one per column (0.20 → 0.16 s at
    60,000 indicators). PostgreSQL plans that join as a hash join over every figure (3 s instead of 0.5 s),
    so there (joined=False) one subquery per column. Same rows either way (tests/progress/test_overview_paths.py);
    `actual` is read as a computed decimal in both (ExpressionWrapper: the converters of a Subquery, which
    on SQLite do not quantize)."""
    if not joined:
        return indicators.annotate(
            actual=Subquery(latest.values("quantity")[:1]), source=Subquery(latest.values("report_id")[:1])
        )
    quantity = ReportFigure._meta.get_field("quantity")
    return (
        indicators.annotate(latest=Subquery(latest.values("id")[:1]))
        .annotate(figure=FilteredRelation("report_figures", condition=Q(report_figures__id=F("latest"))))
        .annotate(
            actual=ExpressionWrapper(F("figure__quantity"), output_field=quantity.clone()),
            source=F("figure__report_id"),
        )
    )


def share_rows(scope, as_of: datetime.date) -> dict[int, list[ShareRow]]:
    """Per indicator id, its territorial shares with each share unit's own actual figure at as_of: the
    figure in that unit's latest counted report (one query for every share)."""
    latest = ReportFigure.objects.filter(
        indicator=OuterRef("indicator_id"),
        report__reporting_unit=OuterRef("unit_id"),
        **COUNTED,
        as_of__lte=as_of,
    ).order_by("-as_of", "-submitted_at", "-id")
    qs = IndicatorShare.objects.all()
    if scope is not None:
        qs = qs.filter(indicator__project__in=scope)
    out: dict[int, list[ShareRow]] = defaultdict(list)
    for ind_id, unit_id, target, actual, report in values_rows(
        qs.annotate(
            actual=Subquery(latest.values("quantity")[:1]), source=Subquery(latest.values("report_id")[:1])
        )
        .order_by("indicator_id", "unit__sort_order", "unit__name")
        .values_list("indicator_id", "unit_id", "target", "actual", "source")
    ):
        out[ind_id].append((unit_id, float(target), float(actual) if actual is not None else 0.0, report))
    return out


def indicator_rows(scope, as_of: datetime.date) -> dict[int, list[IndicatorRow]]:
    """Per project id, its indicators with the actual figure at as_of: an indicator split into territorial
    shares sums its shares' figures (its source report: the latest of theirs); any other, its figure in the
    latest counted report (with_latest_figure)."""
    shares = share_rows(scope, as_of)
    latest = ReportFigure.objects.filter(indicator=OuterRef("pk"), **COUNTED, as_of__lte=as_of).order_by(
        "-as_of", "-submitted_at", "-id"
    )
    qs = Indicator.objects.all()
    if scope is not None:
        qs = qs.filter(project__in=scope)
    out: dict[int, list[IndicatorRow]] = defaultdict(list)
    for ind_id, pid, name, unit, target, actual, report in values_rows(
        with_latest_figure(qs, latest, joined=connections[qs.db].vendor == "sqlite")
        .order_by("project_id", "sort_order", "id")
        .values_list("id", "project_id", "name", "unit_of_measure", "target", "actual", "source")
    ):
        figure = float(actual) if actual is not None else 0.0
        own = shares.get(ind_id, [])
        if own:
            figure = sum(s[2] for s in own)
            report = max((s[3] for s in own if s[3] is not None), default=None)
        out[pid].append((ind_id, name, unit, float(target), figure, report, own))
    return out


def _territorial(scope) -> dict[int, list[int]]:
    through = Project.territorial_units.through
    qs = through.objects.all()
    if scope is not None:
        qs = qs.filter(project__in=scope)
    out: dict[int, list[int]] = defaultdict(list)
    for pid, uid in values_rows(qs.values_list("project_id", "unit_id")):
        out[pid].append(uid)
    return out


# The driving indicator's keys in a row: its figures as in its details, and its source report.
DRIVING_FIELDS = (*figures.DRIVING_KEYS, "source_report")


def _details(
    figures_of: list[analysis.Figures], own: list[IndicatorRow], shares: list[list[dict]]
) -> list[dict]:
    """Each indicator's figures (IndicatorFigures as dicts): rounded as IndicatorResult.as_json, with the id
    of its source report and its shares."""
    out = []
    for f, ind, sh in zip(figures_of, own, shares, strict=True):
        d = analysis.indicator_json(*f)
        d["source_report"] = ind[5]
        d["shares"] = sh
        out.append(d)
    return out


def _driving(driving: int | None, details: list[dict]) -> dict | None:
    """The driving indicator's figures and the id of its source report (figures.DrivingIndicator as a dict),
    None when the project does not lag."""
    if driving is None:
        return None
    d = details[driving]
    return {k: d[k] for k in DRIVING_FIELDS}


def _shares(
    info, plans: list[tuple], own: list[IndicatorRow], cycle
) -> tuple[list[list[dict]], dict[str, list]]:
    """Each indicator's share figures (as dicts; [] when not split) and the share units' own (level, lag)
    on the project ({unit id as text: [level, lag]}). plans: each indicator's (plan, t)."""
    if not any(row[6] for row in own):  # no indicator split: no share, no unit of its own
        return [[] for _row in own], {}
    per_indicator: list[list[dict]] = []
    results = []
    for (plan, t), row in zip(plans, own, strict=True):
        ind = analysis.IndicatorInput(row[1], row[2], row[3], row[4], plan, t)
        found = [analysis.evaluate_share(ind, unit, target, actual) for unit, target, actual, _src in row[6]]
        results += found
        per_indicator.append([r.as_json() for r in found])
    lags = analysis.unit_lags(
        info.status, results, lagging_after=cycle.lagging_after, severe_after=cycle.severe_after
    )
    return per_indicator, {str(u): list(v) for u, v in lags.items()}


def _evaluate(
    plans_of: dict[int, list[tuple]], indicators: dict[int, list[IndicatorRow]]
) -> dict[int, list[analysis.Figures]]:
    """Each project's indicators' figures (analysis.Figures: the fields of analysis.evaluate_indicator's
    result for each indicator's input — its name, unit, target and actual figure, its plan and day t): those
    on a linear plan all at once (lag_batch, the same figures), the others one by one."""
    linear = analysis.LinearPlan
    batch: list[tuple] = []  # (the project's figures, position, indicator row) of each linear plan
    plans, ts, actuals = [], [], []
    out: dict[int, list] = {}
    for pid, own_plans in plans_of.items():
        found: list = []
        for (plan, t), row in zip(own_plans, indicators.get(pid, ()), strict=True):
            if type(plan) is linear:
                batch.append((found, len(found), row))
                plans.append(plan)
                ts.append(t)
                actuals.append(row[4])
                found.append(None)
            else:
                r = analysis.evaluate_indicator(
                    analysis.IndicatorInput(row[1], row[2], row[3], row[4], plan, t)
                )
                found.append((r.name, r.unit, r.target, r.planned, r.actual, r.lag_days))
        out[pid] = found
    planned, lags = lag_batch.evaluate_linear(plans, ts, actuals)
    for (found, i, row), q, lag in zip(batch, planned, lags, strict=True):
        found[i] = (row[1], row[2], row[3], q, row[4], lag)
    return out


def _computed(as_of: datetime.date, scope):
    """Each project's computed figures at as_of, in the order of project_infos: (info, its last report's
    as-of date, its IndicatorRows, their analysis.Figures, analysis.project_figures of them (level, lag,
    planned_pct, actual_pct, driving position), _shares of them (share figures, unit lags), its unit ids
    (the lead unit's, then the territorial units')). compute_rows and compute_figures present them."""
    cycle = reporting_cycle()
    infos, last_report = project_infos(Project.objects.all() if scope is None else scope, as_of)
    indicators = indicator_rows(scope, as_of)
    territorial = _territorial(scope)
    planner = Planner()
    prepare(planner, infos.values(), as_of)
    accruals = planner.accruals(infos, scope)
    plans_of = {
        pid: planner.indicator_plans(info, indicators.get(pid, []), accruals.get(pid), as_of)
        for pid, info in infos.items()
    }
    results_of = _evaluate(plans_of, indicators)
    lagging_after, severe_after = cycle.lagging_after, cycle.severe_after
    for pid, info in infos.items():
        own = indicators.get(pid, [])
        figures_of = results_of[pid]
        project = analysis.project_figures(
            info.status, figures_of, lagging_after=lagging_after, severe_after=severe_after
        )
        lead = info.lead_unit_id
        units = [lead, *[u for u in territorial.get(pid, []) if u != lead]]
        shares = _shares(info, plans_of[pid], own, cycle)
        yield info, last_report.get(pid), own, figures_of, project, shares, units


def compute_rows(as_of: datetime.date, scope=None) -> tuple[list[dict], dict[str, list[dict]]]:
    """Every project's (of `scope`, a Project queryset; None = all) figures at `as_of`.

    Returns (rows, details): rows per project sorted by code (see the module's docstring), details the
    indicator figures per project code (IndicatorFigures as dicts).
    """
    rows: list[dict] = []
    details: dict[str, list[dict]] = {}
    for info, last, own, figures_of, project, (share_figures, unit_lags), units in _computed(as_of, scope):
        level, lag, planned_pct, actual_pct, driving = project
        own_details = details[info.code] = _details(figures_of, own, share_figures)
        rows.append(
            {
                "id": info.id,
                "code": info.code,
                "name": info.name,
                "type": info.type,
                "status": info.status,
                "level": level,
                "lag_days": lag,
                "driving": _driving(driving, own_details),
                "planned_pct": planned_pct,
                "actual_pct": actual_pct,
                "reported": figures.has_reported(last, as_of),
                "last_report": last.isoformat() if last else None,
                "must_report": figures.must_report(info.status, info.planned_start, as_of),
                "units": units,
                "unit_lags": unit_lags,
            }
        )
    rows.sort(key=lambda r: r["code"])
    return rows, details


def compute_figures(
    as_of: datetime.date, scope, unit_names: dict[int, str], *, include_indicators: bool = True
) -> list[figures.ProjectFigures]:
    """figures.project_figures of each row of compute_rows with its details (indicators None unless
    include_indicators), by code: the same objects, built from the computation without the rows' and
    details' dicts (the fresh overview; tests/progress/test_overview_paths.py compares them)."""
    out = []
    make = figures.ProjectFigures
    for info, last, own, figures_of, project, (share_figures, unit_lags), units in _computed(as_of, scope):
        level, lag, planned_pct, actual_pct, driving = project
        shown = None
        if include_indicators:
            shown = tuple(map(_indicator, figures_of, own, share_figures, repeat(unit_names)))
        out.append(
            make(
                info.code,
                info.name,
                info.type,
                info.status,
                level,
                lag,
                planned_pct,
                actual_pct,
                figures.has_reported(last, as_of),
                last,
                figures.must_report(info.status, info.planned_start, as_of),
                tuple([unit_names[u] for u in units if u in unit_names]),
                shown,
                None if driving is None else _driving_figures(figures_of[driving], own[driving][5]),
                figures.named_unit_lags(unit_lags, unit_names),
            )
        )
    out.sort(key=lambda p: p.code)
    return out


def _indicator(
    f: analysis.Figures, row: IndicatorRow, shares: list[dict], unit_names
) -> figures.IndicatorFigures:
    """figures.indicator_figures of the details _details makes of one indicator."""
    name, unit, target, planned, actual, lag = analysis.rounded(*f)
    found = figures.share_figures(shares, unit_names)
    return figures.IndicatorFigures(name, unit, target, planned, actual, lag, row[5], found)


def _driving_figures(f: analysis.Figures, source_report: int | None) -> figures.DrivingIndicator:
    """figures.DrivingIndicator of the driving indicator's details (_driving)."""
    return figures.DrivingIndicator(*analysis.rounded(*f), source_report)
