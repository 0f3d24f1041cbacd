"""The map: the page /map/ and its JSON /map/data.json (map_payload for the signed-in user, filtered)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from tiaodu.command.map_data import map_payload
from tiaodu.command.map_filters import apply_level, map_filter
from tiaodu.core.params import BadParameter


@login_required
@require_GET
def map_data(request):
    """The map payload (tiaodu.command.map_data) of the projects the user may see, filtered by
    ?project=CODE (repeatable), ?type, ?category, ?unit (lead or territorial unit id), ?level."""
    try:
        selection = map_filter(user=request.user, params=request.GET)
    except BadParameter as exc:
        return JsonResponse({"error": exc.message, "field": exc.name}, status=400)
    payload = map_payload(user=request.user, codes=selection.codes)
    response = JsonResponse(apply_level(payload, selection.level), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response
