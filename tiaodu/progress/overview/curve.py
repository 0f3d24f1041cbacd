"""One project's S-curve: planned against actual, week by week (the dashboard's chart)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from tiaodu.progress import analysis, figures
from tiaodu.progress.models import ReportFigure
from tiaodu.progress.overview.plans import Planner, prepare
from tiaodu.progress.overview.rows import compute_rows, indicator_rows, project_infos
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import project_list

CURVE_MAX_POINTS = 260


def project_curve(*, user, code: str, as_of: datetime.date) -> dict:
    """Planned against actual (percent of target, averaged over indicators: 综合进度) week by week, and
    each indicator's own curves, for one project the user may see (Project.DoesNotExist otherwise): the
    S-curve of the dashboard. "driving" names the driving indicator at as_of (its position in
    "indicators", and the lag in words), None when the project does not lag."""
    project = project_list(user=user).get(code=code)
    scope = Project.objects.filter(pk=project.pk)
    infos, _last = project_infos(scope, as_of)
    info = infos[project.pk]
    planner = Planner()
    prepare(planner, infos.values(), as_of - datetime.timedelta(days=14))
    accrued = planner.accruals(infos, scope).get(project.pk)
    indicators = indicator_rows(scope, as_of).get(project.pk, [])
    reported: dict[int, list[tuple[datetime.date, float]]] = defaultdict(list)
    for ind_id, day, qty in (
        ReportFigure.objects.filter(indicator__project=project, counted=True, as_of__lte=as_of)
        .order_by("as_of", "submitted_at", "id")
        .values_list("indicator_id", "as_of", "quantity")
    ):
        reported[ind_id].append((day, float(qty)))
    start = info.planned_start or as_of
    finish = max(filter(None, [info.planned_finish or info.deadline, as_of]))
    dates = _weekly(start, finish, as_of)
    planned_series: list[list[float | None]] = []
    actual_series: list[list[float | None]] = []
    for ind_id, _name, _unit, target, *_rest in indicators:
        p_row, a_row = [], []
        for day in dates:
            inputs = planner.indicator_inputs(info, [(ind_id, "", "", target, 0.0)], accrued, day)[0]
            q = inputs.plan.q(inputs.t) if inputs.plan is not None else None
            p_row.append(None if q is None else round(100 * analysis.share(q, target), 2))
            if day > as_of:
                a_row.append(None)
            else:
                value = 0.0
                for when, qty in reported.get(ind_id, []):
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
        "driving": _driving(scope, as_of, [ind[0] for ind in indicators]),
    }


def _driving(scope, as_of: datetime.date, indicator_ids: list[int]) -> dict | None:
    """The project's driving indicator at as_of, as the overview computes it (rows.compute_rows)."""
    rows, details = compute_rows(as_of, scope=scope)
    if not rows or not rows[0]["driving"]:
        return None
    p = figures.project_figures(rows[0], {}, details.get(rows[0]["code"], []))
    d = p.driving_indicator
    names = [i.name for i in p.indicators or ()]
    index = names.index(d.name) if d.name in names and len(names) == len(indicator_ids) else None
    return {"index": index, "name": d.name, "unit": d.unit, "lag_days": d.lag_days, "lag_text": p.lag_text}


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
