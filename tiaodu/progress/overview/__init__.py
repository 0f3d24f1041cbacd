"""The one source of the overview figures: `progress_status(*, user, as_of)` → figures.ProgressStatus.

The dashboard, the reporting page, the API (`GET /api/v1/progress`), the CLI (`manage.py progress_status`),
the weekly briefing and supervision call it. It restricts the answer to the projects the user may see
(tiaodu.projects.selectors.project_list).

* plans.py — the working-day numbers and each indicator's plan Q(t) (baseline, early schedule, linear);
* rows.py — every project's figures at an as-of date, computed from the database (`compute_rows`);
* snapshot.py — the stored all-projects result for large portfolios: read without writing, kept current
  by the writes;
* status.py — `progress_status`, assembling the typed answer (tiaodu.progress.figures);
* curve.py — one project's S-curve.
"""

from tiaodu.progress.overview.curve import project_curve
from tiaodu.progress.overview.plans import Planner, ProjectInfo
from tiaodu.progress.overview.rows import compute_rows, reporting_cycle
from tiaodu.progress.overview.snapshot import (
    after_reports_changed,
    snapshot_store,
    snapshots_catch_up,
    snapshots_refresh,
    stored_rows,
)
from tiaodu.progress.overview.status import progress_status, project_status

__all__ = [
    "Planner",
    "ProjectInfo",
    "after_reports_changed",
    "compute_rows",
    "progress_status",
    "project_curve",
    "project_status",
    "reporting_cycle",
    "snapshot_store",
    "snapshots_catch_up",
    "snapshots_refresh",
    "stored_rows",
]
