"""Panels on the project page that belong to the apps above projects (dependency inversion).

projects may not import progress (the layer order), yet the project page shows its progress. An app above
registers a panel — a function (request, project) → HTML (str) or None (nothing to show to this user) —
from its AppConfig.ready(); the project page renders every registered panel in the order registered, after
the basic information. A panel shows only what request.user may see.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

Panel = Callable[..., str | None]

_panels: list[Panel] = []
_page: list[Callable] = []


def register(panel: Panel) -> Panel:
    """Add a panel to the project page (once; usable as a decorator)."""
    if panel not in _panels:
        _panels.append(panel)
    return panel


def registered() -> tuple[Panel, ...]:
    return tuple(_panels)


def render_panels(request, project) -> list[SafeString]:
    """The HTML of every registered panel for this project and user (panels render their own templates,
    which escape what they show)."""
    out = []
    for panel in _panels:
        html = panel(request, project)
        if html:
            out.append(mark_safe(html))  # rendered by the panel's own template, autoescaped
    return out


def register_page(page: Callable) -> Callable:
    """The page that shows a project (the project file of tiaodu.command): a function (request, project, *,
    status_form=None, status=200) → HttpResponse. projects.views renders it where it re-shows the project
    page (a status change the form refused)."""
    _page[:] = [page]
    return page


def registered_page() -> Callable | None:
    return _page[0] if _page else None
