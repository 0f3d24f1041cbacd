"""The project file (项目档案): /projects/<code>/ (project_detail) and its PDF /projects/<code>/file.pdf.

The page is the project page of tiaodu.projects (basic information, status, units, indicators, baseline
changes, letter items, history, the progress and funds panels) with the file's own sections around it
(tiaodu.command.project_file). It is registered with tiaodu.projects.panels.register_page, so that the
project views re-show it (a refused status change) without importing this app. Whoever may see the
project sees its file (else 404); each section reads only what the user may see.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe

from tiaodu.command import file_pdf
from tiaodu.command.drawings import curve_svg
from tiaodu.command.map_data import project_geometry
from tiaodu.command.project_file import project_file
from tiaodu.command.timeline import LONG, SHORT, project_timeline
from tiaodu.projects.views import detail_context, visible_project
from tiaodu.supervision.rules import LABELS as WARNING_LABELS


def render_file(request, project, *, status_form=None, status=200):
    user = request.user
    context = detail_context(request, project, status_form)
    f = project_file(user=user, project=project)
    everything = request.GET.get("timeline") == "all"
    entries, more = project_timeline(user=user, project=project, limit=LONG if everything else SHORT)
    context.update(
        {
            "file": f,
            # drawn here from numbers only (no text from users): safe to inline
            "curve_svg": mark_safe(curve_svg(f.curve)),  # noqa: S308
            "timeline": entries,
            "timeline_more": more and not everything,
            "timeline_all": everything,
            "has_geometry": project_geometry(project) is not None,
            "warning_labels": WARNING_LABELS,
        }
    )
    return render(request, "command/project_file.html", context, status=status)


@login_required
def project_file_view(request, code):
    return render_file(request, visible_project(request, code))


@login_required
def project_file_pdf(request, code):
    project = visible_project(request, code)
    pdf = file_pdf.render(user=request.user, project=project)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"{project.code} {project.name} 项目档案.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response
