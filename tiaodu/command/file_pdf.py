"""The project file as one PDF (一项目一档): A4, WeasyPrint, the fonts of the briefing (Noto CJK where the
official ones are missing; WeasyPrint embeds subsets of them), every section of the page, the S-curve
and the project's geometry as static SVG drawings, the photos embedded. The figures are those of the
page (tiaodu.command.project_file).

The PDF is a function of its HTML and style sheet alone (the photos are inside the HTML as data: URIs, the
fonts are the system's, WeasyPrint writes no time of its own): a PDF asked for again with the same HTML —
the same user within the same minute of `printed_at`, nothing changed — is the one written before
(RENDERED keeps the last few), not laid out again. Any change in what the PDF shows changes the HTML."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import threading
from collections import OrderedDict

from django.template.loader import render_to_string
from django.utils import timezone

from tiaodu.briefings import layout as L
from tiaodu.command.drawings import curve_svg, geometry_svg
from tiaodu.command.map_data import project_geometry
from tiaodu.command.project_file import project_file
from tiaodu.command.timeline import project_timeline
from tiaodu.projects.models import LetterItem
from tiaodu.projects.selectors import letter_list

log = logging.getLogger(__name__)

PHOTOS_MAX = 6  # of the latest verified report
PLACES_MAX = 12  # before/after pairs
TIMELINE_MAX = 60
# The PDFs last written, by the digest of their HTML and style sheet (a few, and none over KEEP_BYTES).
RENDERED: OrderedDict[str, bytes] = OrderedDict()
KEEP = 8
KEEP_BYTES = 8 * 1024 * 1024
_rendered_lock = threading.Lock()


def _data_uri(photo) -> str:
    """The photo as a data: URI ("" when its file is gone)."""
    try:
        with photo.image.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        log.warning("project file PDF: photo %s has no file", photo.pk)
        return ""
    return f"data:{photo.content_type or 'image/jpeg'};base64,{base64.b64encode(data).decode('ascii')}"


def pdf_context(*, user, project) -> dict:
    f = project_file(user=user, project=project)
    timeline, more = project_timeline(user=user, project=project, limit=TIMELINE_MAX)
    photos = []
    if f.report is not None:
        photos = [(p, _data_uri(p)) for p in list(f.report.photos.all())[:PHOTOS_MAX]]
    pairs = [(b, _data_uri(b), a, _data_uri(a), place) for b, a, place in f.before_after[:PLACES_MAX]]
    letter_items = (
        LetterItem.objects.filter(project=project, letter__in=letter_list(user=user))
        .select_related("letter__unit", "indicator")
        .order_by("-letter__year", "letter__unit__sort_order", "id")
    )
    return {
        "project": project,
        "file": f,
        "p": f.progress,
        "curve_svg": curve_svg(f.curve),
        "map_svg": geometry_svg(project_geometry(project)),
        "photos": photos,
        "pairs": pairs,
        "timeline": timeline,
        "timeline_more": more,
        "territorial_units": list(project.territorial_units.all()),
        "supporting_units": list(project.supporting_units.all()),
        "letter_items": list(letter_items),
        # inside a CSS string of the print style sheet: no quote, backslash, angle bracket or line break
        "running_head": re.sub(r'["\\<>\r\n]', " ", f"{project.code} {project.name} · 项目档案"),
        "printed_at": timezone.localtime(),
        "printed_by": getattr(user, "display_name", "") or user.get_username(),
        "fonts": {
            "body": L.css_family(L.SONG_FONT),
            "hei": L.css_family(L.HEI_FONT),
            "title": L.css_family(L.TITLE_FONT),
        },
    }


def render_html(*, user, project) -> str:
    return render_to_string("command/project_file_pdf.html", pdf_context(user=user, project=project))


def render(*, user, project) -> bytes:
    from weasyprint import CSS, HTML

    context = pdf_context(user=user, project=project)
    html = render_to_string("command/project_file_pdf.html", context)
    css = render_to_string("command/project_file_pdf.css", context)
    key = hashlib.sha256(f"{len(html)}:{html}{css}".encode()).hexdigest()
    with _rendered_lock:
        pdf = RENDERED.get(key)
        if pdf is not None:
            RENDERED.move_to_end(key)
            return pdf
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(string=css)])
    if len(pdf) <= KEEP_BYTES:
        with _rendered_lock:
            RENDERED[key] = pdf
            while len(RENDERED) > KEEP:
                RENDERED.popitem(last=False)
    return pdf
