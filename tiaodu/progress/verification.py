"""What the verifier looks at (审核): each figure against last week and against the plan, the photos with
their EXIF time and distance from the project, and the report's anomaly flags.

Last week: the same unit's previous accepted (已审核) report of the project, as of before this one. The
plan: the planned quantity at the report's as-of date, from the one function the overview uses
(overview.project_status → IndicatorFigures.planned), never recomputed here. Distances:
core.geo.distance_to_project_m (the project's geometry, else its point).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from tiaodu.core.geo import distance_to_project_m
from tiaodu.progress import selectors
from tiaodu.progress.models import Report, ReportFigure, ReportPhoto
from tiaodu.progress.overview import project_status


@dataclass(frozen=True)
class FigureCheck:
    figure: ReportFigure
    last: Decimal | None  # the same unit's previous accepted figure (None: none)
    last_as_of: datetime.date | None
    planned: float | None  # planned cumulative quantity at the as-of date (None: no plan)

    @property
    def change(self) -> Decimal | None:
        return None if self.last is None else self.figure.quantity - self.last

    @property
    def against_plan(self) -> float | None:
        return None if self.planned is None else round(float(self.figure.quantity) - self.planned, 3)

    @property
    def behind_plan(self) -> bool:
        return self.against_plan is not None and self.against_plan < 0


@dataclass(frozen=True)
class PhotoCheck:
    photo: ReportPhoto
    distance_m: float | None  # None: the photo has no position, or the project none to measure from

    @property
    def has_position(self) -> bool:
        return self.photo.latitude is not None and self.photo.longitude is not None

    @property
    def far(self) -> bool:
        return self.distance_m is not None and self.distance_m > 1000


def figure_checks(report: Report, *, user, statuses: dict | None = None) -> list[FigureCheck]:
    """The report's figures against last week and the plan; `statuses` memoizes project_status."""
    previous = selectors.accepted_reports_before(report, limit=1)  # the same "last week" as the flags
    last = previous[0] if previous else None
    last_figures = {f.indicator_id: f.quantity for f in last.figures.all()} if last else {}
    key = (report.project.code, report.as_of)
    statuses = {} if statuses is None else statuses
    if key not in statuses:
        statuses[key] = project_status(user=user, code=key[0], as_of=key[1])
    status = statuses[key]
    planned = {i.name: i.planned for i in (status.indicators or ())} if status else {}
    figures = report.figures.select_related("indicator").order_by("indicator__sort_order", "indicator_id")
    return [
        FigureCheck(
            figure=f,
            last=last_figures.get(f.indicator_id),
            last_as_of=last.as_of if last and f.indicator_id in last_figures else None,
            planned=planned.get(f.indicator.name),
        )
        for f in figures
    ]


def photo_checks(report: Report) -> list[PhotoCheck]:
    project = report.project
    point = (project.latitude, project.longitude)
    out = []
    for photo in report.photos.all():
        distance = None
        if photo.latitude is not None and photo.longitude is not None:
            distance = distance_to_project_m(
                float(photo.latitude), float(photo.longitude), point=point, geometry=project.geometry
            )
        out.append(PhotoCheck(photo=photo, distance_m=distance))
    return out


def attach(reports: list[Report], *, user) -> list[Report]:
    """Each report with `checks` (figures) and `photo_checks` set, for the verification queue."""
    statuses: dict = {}
    for report in reports:
        report.checks = figure_checks(report, user=user, statuses=statuses)
        report.photo_checks = photo_checks(report)
    return reports
