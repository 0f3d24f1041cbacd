"""What supervision reads of the progress app: project levels and missing reports (the agenda of a
dispatch meeting, the project warnings of the sweep), from progress_status — the one source of those
figures — and the last reporting cycle's as-of date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tiaodu.progress.figures import ProjectFigures
from tiaodu.progress.selectors import last_cycle_as_of, progress_status

__all__ = ["ProgressLevels", "last_cycle_as_of", "progress_levels"]


@dataclass(frozen=True)
class ProgressLevels:
    as_of: datetime.date
    projects: dict[str, ProjectFigures]  # by code: level, lag_days, name…
    missing: tuple[str, ...]  # codes of the projects whose weekly report is missing


def progress_levels(*, user, as_of: datetime.date) -> ProgressLevels:
    status = progress_status(user=user, as_of=as_of, include_indicators=False)
    return ProgressLevels(
        as_of=as_of,
        projects={p.code: p for p in status.projects},
        missing=tuple(m.code for m in status.missing_reports),
    )
