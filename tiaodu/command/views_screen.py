"""The big screen (大屏): /screen/ for leaders and the office, /screen/k/<secret>/ for a kiosk link, the JSON
both refresh from, the carousel's photos, and the page that lists, makes and stops kiosk links."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from PIL import Image, UnidentifiedImageError

from tiaodu.command import kiosk, screen_data
from tiaodu.command.models import KioskLink
from tiaodu.command.permissions import MANAGE_DENIED, SCREEN_DENIED, command_can_manage, screen_can_view
from tiaodu.command.selectors import kiosk_history, kiosk_links
from tiaodu.core.images import open_image
from tiaodu.orgs.security.events import client_ip
from tiaodu.progress.models import ReportPhoto

THUMB_SIZE = (1280, 720)
REVOKED = "链接已停用"
UNKNOWN = "链接不存在"
HISTORY_SHOWN = 50


def _viewer(request):
    if not screen_can_view(user=request.user):
        raise PermissionDenied(SCREEN_DENIED)


def _kiosk(request, token: str) -> KioskLink | None:
    """The live link of that secret, its use stamped; None (and nothing stamped) otherwise."""
    link = kiosk.kiosk_find(token)
    if link is None or not link.active:
        return None
    kiosk.kiosk_use(link, ip=client_ip(request))
    return link


def _refused(request, token: str):
    link = kiosk.kiosk_find(token)
    status, title = (404, UNKNOWN) if link is None else (403, REVOKED)
    message = "请向领导小组办公室索取新的大屏链接。"
    return render(request, "command/screen_refused.html", {"title": title, "message": message}, status=status)


def _screen(request, *, data_url: str, kiosk_name: str = ""):
    return render(
        request,
        "command/screen.html",
        {"data_url": data_url, "kiosk_name": kiosk_name, "refresh_seconds": 300},
    )


# --- the screen ------------------------------------------------------------------------------------


@login_required
def screen(request):
    _viewer(request)
    return _screen(request, data_url=reverse("screen_data"))


@login_required
@never_cache
def screen_data_json(request):
    _viewer(request)
    return JsonResponse(screen_data.screen_payload(photo_url=lambda pk: reverse("screen_photo", args=[pk])))


@login_required
def screen_photo(request, pk):
    _viewer(request)
    return _photo(pk)


@never_cache
def kiosk_screen(request, token):
    link = _kiosk(request, token)
    if link is None:
        return _refused(request, token)
    return _screen(request, data_url=reverse("screen_kiosk_data", args=[token]), kiosk_name=link.name)


@never_cache
def kiosk_data(request, token):
    link = _kiosk(request, token)
    if link is None:
        found = kiosk.kiosk_find(token)
        return JsonResponse(
            {"detail": UNKNOWN if found is None else REVOKED}, status=404 if found is None else 403
        )
    return JsonResponse(
        screen_data.screen_payload(photo_url=lambda pk: reverse("screen_kiosk_photo", args=[token, pk]))
    )


def kiosk_photo(request, token, pk):
    link = kiosk.kiosk_find(token)
    if link is None or not link.active:
        raise Http404(REVOKED)
    return _photo(pk)


def _photo(pk: int) -> HttpResponse:
    """A photo of the carousel (no other), scaled down to at most 1280×720, as JPEG."""
    if pk not in screen_data.carousel_ids():
        raise Http404("照片不存在")
    photo = get_object_or_404(ReportPhoto, pk=pk)
    try:
        with photo.image.open("rb") as handle, open_image(io.BytesIO(handle.read())) as img:
            img = img.convert("RGB")
            img.thumbnail(THUMB_SIZE)
            out = io.BytesIO()
            img.save(out, "JPEG", quality=82)
    except (FileNotFoundError, OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        raise Http404("照片无法读取") from None
    response = HttpResponse(out.getvalue(), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- kiosk links -----------------------------------------------------------------------------------


def _manager(request):
    if not command_can_manage(user=request.user):
        raise PermissionDenied(MANAGE_DENIED)


@login_required
def links(request):
    _manager(request)
    made = request.session.pop("screen_new_link", None)
    return render(
        request,
        "command/screen_links.html",
        {
            "links": kiosk_links().select_related("created_by__person"),
            "made": made,
            "history": kiosk_history()[:HISTORY_SHOWN],
            "history_ct_id": None,
        },
    )


@login_required
@require_POST
def link_create(request):
    _manager(request)
    try:
        link, token = kiosk.kiosk_create(user=request.user, name=request.POST.get("name", ""))
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
        return redirect("screen_links")
    # Shown once, on the next page, then gone (only its hash is stored).
    request.session["screen_new_link"] = {
        "name": link.name,
        "url": request.build_absolute_uri(kiosk.kiosk_path(token)),
    }
    messages.success(request, f"已生成大屏链接「{link.name}」，请立即复制保存：离开本页后不再显示")
    return redirect("screen_links")


@login_required
@require_POST
def link_revoke(request, pk):
    _manager(request)
    link = get_object_or_404(KioskLink, pk=pk)
    was_active = link.active
    kiosk.kiosk_revoke(user=request.user, link=link)
    messages.success(
        request, f"已停用大屏链接「{link.name}」" if was_active else f"大屏链接「{link.name}」此前已停用"
    )
    return redirect("screen_links")
