"""The map: the page /map/ and its JSON /map/data.json (map_payload for the signed-in user, filtered)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tiaodu.command.map_data import map_payload, project_geometry
from tiaodu.command.map_filters import apply_level, map_filter
from tiaodu.command.permissions import command_can_manage
from tiaodu.core import domain
from tiaodu.core.params import BadParameter
from tiaodu.orgs.models import Unit
from tiaodu.progress.overview.status import progress_status
from tiaodu.progress.selectors import today
from tiaodu.projects.models import Category, ProjectType
from tiaodu.projects.selectors import project_editable_list, project_list


def _unlocated(*, user, codes, level) -> list[dict]:
    """The visible projects (of the selection) that have neither a drawn geometry nor a point."""
    scope = project_list(user=user)
    if codes is not None:
        scope = scope.filter(code__in=codes)
    missing = [p for p in scope.order_by("code") if project_geometry(p) is None]
    if missing and level is not None:
        levels = {
            p.code: p.level
            for p in progress_status(user=user, as_of=today(), include_indicators=False).projects
        }
        missing = [p for p in missing if levels.get(p.code, domain.NORMAL) == level]
    return [
        {"code": p.code, "name": p.name, "url": reverse("project_detail", args=[p.code])} for p in missing
    ]


@login_required
@require_GET
def map_data(request):
    """The map payload (tiaodu.command.map_data) of the projects the user may see, filtered by
    ?project=CODE (repeatable), ?type, ?category, ?unit (lead or territorial unit id), ?level.
    With ?page=1 (the /map/ page) also the projects with no location and the codes the user may draw."""
    try:
        selection = map_filter(user=request.user, params=request.GET)
    except BadParameter as exc:
        return JsonResponse({"error": exc.message, "field": exc.name}, status=400)
    payload = apply_level(map_payload(user=request.user, codes=selection.codes), selection.level)
    if request.GET.get("page") == "1":
        payload["unlocated"] = _unlocated(user=request.user, codes=selection.codes, level=selection.level)
        editable = project_editable_list(user=request.user)
        if selection.codes is not None:
            editable = editable.filter(code__in=selection.codes)
        payload["editable"] = sorted(editable.values_list("code", flat=True))
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def map_page(request):
    visible = project_list(user=request.user)
    units = (
        Unit.objects.filter(pk__in=visible.values("lead_unit"))
        | Unit.objects.filter(pk__in=visible.values("territorial_units"))
    ).distinct()
    context = {
        "types": ProjectType.choices,
        "categories": Category.objects.filter(pk__in=visible.values("category")).order_by("name"),
        "units": units.order_by("sort_order", "name"),
        "levels": domain.LEVELS,
        "total": visible.count(),
        "can_manage": command_can_manage(user=request.user),
    }
    return render(request, "command/map.html", context)
