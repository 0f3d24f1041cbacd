"""Pages: the briefings (调度通报) and the document center (文档中心), and the public share-link pages.

Reads go through selectors (a document the user may not see is a 404), writes through services.
Files are served only here, to users who may see them or through a valid share link, never from
MEDIA_URL. PDFs and images are served inline for the preview, everything else as a download.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tiaodu.briefings import selectors, services
from tiaodu.briefings.forms import BriefingForm, DocumentEditForm, DocumentFilterForm, ShareForm, UploadForm
from tiaodu.briefings.models import Briefing, DocFormat, Document, ShareAccess, ShareLink
from tiaodu.briefings.permissions import BRIEFING_DENIED, briefing_can_generate, document_can_edit
from tiaodu.core.forms import apply_service_errors
from tiaodu.core.params import id_param, text_param
from tiaodu.core.uploads import too_large_message
from tiaodu.orgs.security import security_event_log
from tiaodu.projects.selectors import project_list

PAGE_SIZE = 30
INLINE_FORMATS = {DocFormat.PDF, DocFormat.JPEG, DocFormat.PNG}


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def file_response(document: Document, *, inline: bool) -> FileResponse:
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("文件不存在")
    inline = inline and document.format in INLINE_FORMATS
    response = FileResponse(
        handle, as_attachment=not inline, filename=document.download_name, content_type=document.mime
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Our own pages preview inline files in a frame; every other response may not be framed (DENY).
    response["X-Frame-Options"] = "SAMEORIGIN" if inline else "DENY"
    if document.format != DocFormat.PDF:
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


# --- briefings ------------------------------------------------------------------------------------


@login_required
def briefing_list_view(request):
    can_generate = briefing_can_generate(user=request.user)
    form = BriefingForm(initial={"as_of": timezone.localdate()}) if can_generate else None
    briefings = selectors.briefing_list(user=request.user).select_related("created_by__person")
    paginator = Paginator(briefings, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    from tiaodu.briefings.tasks import schedule_text

    return render(
        request,
        "briefings/briefing_list.html",
        {"page": page, "form": form, "can_generate": can_generate, "schedule": schedule_text()},
    )


@login_required
@require_POST
def briefing_generate_view(request):
    if not briefing_can_generate(user=request.user):
        raise PermissionDenied(BRIEFING_DENIED)
    form = BriefingForm(request.POST)
    if form.is_valid():
        as_of = form.cleaned_data["as_of"]
        existing = (
            Briefing.objects.filter(as_of=as_of, state=Briefing.State.READY).order_by("-number").first()
        )
        if existing is not None and not form.cleaned_data["again"]:
            form.add_error(
                "again",
                f"截至{as_of.year}年{as_of.month}月{as_of.day}日的通报已有{existing.label}；如确需重新生成，"
                "请勾选此项（将编为新的一期）",
            )
        else:
            try:
                result = services.briefing_generate(as_of=as_of, user=request.user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, f"已生成{result.briefing}，共{result.briefing.summary.get('pages')}页"
                )
                return redirect("briefing_detail", pk=result.briefing.pk)
    briefings = selectors.briefing_list(user=request.user).select_related("created_by__person")
    page = Paginator(briefings, PAGE_SIZE).get_page(1)
    from tiaodu.briefings.tasks import schedule_text

    return render(
        request,
        "briefings/briefing_list.html",
        {"page": page, "form": form, "can_generate": True, "schedule": schedule_text()},
        status=400,
    )


@login_required
def briefing_detail(request, pk):
    briefing = get_object_or_404(selectors.briefing_list(user=request.user), pk=pk)
    docs = {d.format: d for d in briefing.documents.filter(deleted_at__isnull=True)}
    return render(
        request,
        "briefings/briefing_detail.html",
        {
            "briefing": briefing,
            "pdf": docs.get(DocFormat.PDF),
            "docx": docs.get(DocFormat.DOCX),
            "xlsx": docs.get(DocFormat.XLSX),
        },
    )


# --- the document center --------------------------------------------------------------------------


@login_required
def document_list_view(request):
    user = request.user
    if selectors.letter_scans_pending():
        services.letter_scans_sync()
    form = DocumentFilterForm(request.GET or None, user=user)
    qs = selectors.annotate_favorite(selectors.document_list(user=user), user=user)
    qs = (
        form.apply(qs)
        .select_related("author__person", "project", "unit", "meeting", "briefing")
        .order_by("-created_at", "-id")
    )
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    filtered = any(request.GET.get(name) for name in form.fields)
    counts = dict(
        selectors.document_list(user=user)
        .values_list("format")
        .annotate(n=Count("id"))
        .values_list("format", "n")
    )
    return render(
        request,
        "briefings/document_list.html",
        {"form": form, "page": page, "paginator": paginator, "filtered": filtered, "counts": counts},
    )


@login_required
def document_upload_view(request):
    user = request.user
    limit = services.max_upload_bytes()
    if request.method == "POST":
        # Refuse a body far over the limit before reading it.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + 1024 * 1024:
            form = UploadForm(user=user)
            form.cleaned_data = {}  # unbound: add_error needs the (empty) cleaned data to exist
            form.add_error(None, too_large_message(setting="DOCUMENT_MAX_BYTES", size=length))
            return render(
                request, "briefings/document_upload.html", {"form": form, "limit": limit}, status=400
            )
        form = UploadForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.document_upload(
                    user=user,
                    file=data["file"],
                    title=data["title"],
                    description=data["description"],
                    project=data["project"],
                    unit=data["unit"],
                    meeting=data["meeting"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, f"已上传「{document.title}」")
                return redirect("document_detail", pk=document.pk)
        return render(request, "briefings/document_upload.html", {"form": form, "limit": limit}, status=400)
    initial = {}
    code = text_param(request.GET, "project", label="项目编号", strict=False)
    if code:
        initial["project"] = project_list(user=user).filter(code=code).values_list("pk", flat=True).first()
    meeting_id = id_param(request.GET, "meeting", label="调度会", strict=False)
    if meeting_id:
        initial["meeting"] = (
            selectors.upload_meetings(user=user).filter(pk=meeting_id).values_list("pk", flat=True).first()
        )
    form = UploadForm(user=user, initial=initial)
    return render(request, "briefings/document_upload.html", {"form": form, "limit": limit})


def _visible(request, pk) -> Document:
    try:
        return selectors.document_get(user=request.user, pk=pk)
    except Document.DoesNotExist:
        raise Http404("文档不存在或您无权查看")


@login_required
def document_detail(request, pk):
    user = request.user
    document = _visible(request, pk)
    can_manage = document_can_edit(user=user, obj=document)
    shares = (
        document.shares.select_related("created_by__person", "revoked_by__person")
        .prefetch_related(Prefetch("accesses", queryset=ShareAccess.objects.order_by("-at", "-id")))
        .order_by("-created_at")
    )
    if not can_manage:
        shares = shares.filter(created_by=user)
    preview_pdf = (
        document.preview_pdf if document.preview_pdf_id and document.preview_pdf.deleted_at is None else None
    )
    return render(
        request,
        "briefings/document_detail.html",
        {
            "document": document,
            "can_manage": can_manage,
            "is_favorite": document.favorites.filter(user=user).exists(),
            "share_form": ShareForm(),
            "shares": shares,
            "preview_pdf": preview_pdf,
            "file_url": reverse("document_file", args=[document.pk]),
            "preview_url": reverse("document_file", args=[preview_pdf.pk]) + "?inline=1"
            if preview_pdf
            else "",
            "edit_form": DocumentEditForm(
                initial={"title": document.title, "description": document.description}
            ),
            "now": timezone.now(),
        },
    )


@login_required
def document_file(request, pk):
    document = _visible(request, pk)
    security_event_log(kind="download", request=request, target=f"文档「{document.title}」")
    return file_response(document, inline=request.GET.get("inline") == "1")


@login_required
@require_POST
def document_favorite(request, pk):
    document = _visible(request, pk)
    now = services.favorite_toggle(user=request.user, document=document)
    if request.htmx:
        return render(request, "briefings/_favorite.html", {"document": document, "is_favorite": now})
    messages.success(request, "已收藏" if now else "已取消收藏")
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("document_detail", args=[pk])
    return redirect(target)


@login_required
@require_POST
def document_edit(request, pk):
    document = _visible(request, pk)
    form = DocumentEditForm(request.POST)
    if form.is_valid():
        try:
            services.document_update(user=request.user, document=document, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已保存")
    else:
        messages.error(request, "标题不能为空")
    return redirect("document_detail", pk=pk)


@login_required
@require_POST
def document_delete(request, pk):
    document = _visible(request, pk)
    services.document_delete(user=request.user, document=document)
    messages.success(request, f"已删除「{document.title}」（文件仍保留在服务器上，可由管理员恢复）")
    return redirect("document_list")


@login_required
@require_POST
def share_create(request, pk):
    document = _visible(request, pk)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, "分享有效期选择有误")
        return redirect("document_detail", pk=pk)
    try:
        link = services.share_create(
            user=request.user, document=document, expires_at=form.expires_at(), note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        url = request.build_absolute_uri(reverse("share_view", args=[link.token]))
        messages.success(request, f"已生成分享链接（{form.cleaned_data['days']}天内有效）：{url}")
    return redirect(reverse("document_detail", args=[pk]) + "#shares")


@login_required
@require_POST
def share_revoke(request, pk):
    link = get_object_or_404(ShareLink.objects.select_related("document"), pk=pk)
    document = _visible(request, link.document_id)
    services.share_revoke(user=request.user, link=link)
    messages.success(request, "分享链接已撤销，此后打开将被拒绝")
    return redirect(reverse("document_detail", args=[document.pk]) + "#shares")


# --- share links (no login) -----------------------------------------------------------------------


def _share(request, token, action):
    try:
        return services.share_open(
            token=token,
            action=action,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except ShareLink.DoesNotExist:
        raise Http404("分享链接不存在")


def share_view(request, token):
    link, ok = _share(request, token, "view")
    security_event_log(
        kind="share_open",
        request=request,
        target=f"分享「{link.document.title}」",
        detail="有效" if ok else "已失效，已拒绝",
    )
    if not ok:
        reason = "已被撤销" if link.state() == "revoked" or link.document.deleted_at else "已过期"
        return render(request, "briefings/share_refused.html", {"link": link, "reason": reason}, status=410)
    document = link.document
    preview = (
        document.preview_pdf if document.preview_pdf_id and document.preview_pdf.deleted_at is None else None
    )
    file_url = reverse("share_file", args=[link.token])
    return render(
        request,
        "briefings/share_view.html",
        {
            "link": link,
            "document": document,
            "file_url": file_url,
            "preview_url": f"{file_url}?preview=1&inline=1" if preview else "",
        },
    )


def share_file(request, token):
    inline = request.GET.get("inline") == "1"
    link, ok = _share(request, token, "view" if inline else "download")
    security_event_log(
        kind="download",
        request=request,
        target=f"分享「{link.document.title}」",
        detail="有效" if ok else "已失效，已拒绝",
    )
    if not ok:
        return render(request, "briefings/share_refused.html", {"link": link, "reason": "已失效"}, status=410)
    document = link.document
    if request.GET.get("preview") == "1" and document.preview_pdf_id:
        document = document.preview_pdf
    return file_response(document, inline=inline)
