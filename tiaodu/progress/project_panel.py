"""The progress panel of the project page (/projects/<code>/), registered with tiaodu.projects.panels from
ProgressConfig.ready(): the level, the lag in words with its driving indicator, the driving indicator's
plan/actual bar beside 综合进度, and every indicator's 目标/计划/实际/滞后 with each actual figure linked to
the report it comes from. The figures are the overview's (overview.project_status), for the user."""

from __future__ import annotations

from django.template.loader import render_to_string

from tiaodu.core import domain
from tiaodu.progress import selectors
from tiaodu.progress.overview import project_status


def progress_panel(request, project) -> str | None:
    """The panel's HTML; None when the user may not see the project's progress."""
    as_of = selectors.today()
    p = project_status(user=request.user, code=project.code, as_of=as_of)
    if p is None:
        return None
    return render_to_string(
        "progress/_project_panel.html",
        {
            "p": p,
            "as_of": as_of,
            "has_report": p.last_report is not None,
            "done": p.status in domain.DONE_STATUSES,
        },
        request=request,
    )
