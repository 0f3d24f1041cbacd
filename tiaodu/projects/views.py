"""Pages for projects, indicators and responsibility letters.

Reads go through selectors (visibility), writes through services. A project or letter the user may
not see is a 404; an edit the user may not make is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from tiaodu.core.forms import apply_service_errors
from tiaodu.core.params import choice_param, int_param
from tiaodu.core.uploads import too_large_message, upload_limit
from tiaodu.core.views import history_context
from tiaodu.orgs.security import security_event_log
from tiaodu.projects import panels, services
from tiaodu.projects.change_views import with_lines
from tiaodu.projects.filters import ProjectFilter
from tiaodu.projects.forms import (
    IndicatorForm,
    LetterForm,
    LetterItemForm,
    ProjectForm,
    ShareForm,
    StatusForm,
    lead_unit_queryset,
    territorial_unit_queryset,
)
from tiaodu.projects.models import (
    STATUS_TRANSITIONS,
    ChangeStatus,
    LetterItem,
    LetterStatus,
    Project,
    ResponsibilityLetter,
)
from tiaodu.projects.permissions import (
    INDICATOR_BASELINE_DENIED,
    change_can_request,
    indicator_can_add,
    letter_can_edit,
    project_can_change_responsibility,
    project_can_create,
    project_can_edit,
    share_can_edit,
)
from tiaodu.projects.selectors import change_list, letter_list, project_list
from tiaodu.projects.shares import current_shares, letter_proposals, share_units

PAGE_SIZE = 50


# --- projects ---------------------------------------------------------------------------------


@login_required
def project_list_view(request):
    queryset = (
        project_list(user=request.user)
        .select_related("category", "lead_unit", "responsible_person")
        .order_by("code")
    )
    filterset = ProjectFilter(request.GET or None, queryset=queryset, request=request)
    form = filterset.form
    form.fields["lead_unit"].queryset = lead_unit_queryset()
    form.fields["territorial_unit"].queryset = territorial_unit_queryset()
    form.fields["q"].widget.attrs.update({"placeholder": "项目编号或名称", "type": "search"})
    paginator = Paginator(filterset.qs.prefetch_related("territorial_units"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    filtered = any(request.GET.get(name) for name in form.fields)
    more_filters = sum(1 for name in form.fields if name != "q" and request.GET.get(name))
    return render(
        request,
        "projects/project_list.html",
        {
            "filter": filterset,
            "page": page,
            "paginator": paginator,
            "filtered": filtered,
            "more_filters": more_filters,
            "can_create": project_can_create(user=request.user),
        },
    )


def visible_project(request, code) -> Project:
    queryset = project_list(user=request.user).select_related(
        "category", "lead_unit", "supervising_leader__unit", "responsible_person__unit"
    )
    return get_object_or_404(queryset, code=code)


def _editable_project(request, code) -> Project:
    project = visible_project(request, code)
    if not project_can_edit(user=request.user, obj=project):
        raise PermissionDenied(
            "您可以查看该项目，但无权修改（只有牵头单位、属地单位和领导小组办公室可以修改）"
        )
    return project


def detail_context(request, project, status_form=None):
    """The context of the project page's own sections (basic information, status form, units, indicators,
    baseline changes, letter items, history, the registered panels) — the project file (tiaodu.command)
    renders them with its own sections."""
    user = request.user
    can_edit = project_can_edit(user=user, obj=project)
    letter_items = (
        LetterItem.objects.filter(project=project, letter__in=letter_list(user=user))
        .select_related("letter__unit", "indicator")
        .order_by("-letter__year", "letter__unit__sort_order", "id")
    )
    if status_form is None and can_edit and STATUS_TRANSITIONS[project.status]:
        status_form = StatusForm(project=project)
    return {
        "project": project,
        "territorial_units": list(project.territorial_units.all()),
        "supporting_units": list(project.supporting_units.all()),
        "indicators": list(project.indicators.prefetch_related("shares__unit")),
        "letter_items": letter_items,
        "baseline_changes": with_lines(
            change_list(user=user)
            .filter(project=project, status__in=[ChangeStatus.PENDING, ChangeStatus.APPROVED])
            .order_by("pending_first", "-requested_at", "-id")[:20]
        ),
        "can_request_change": change_can_request(user=user, obj=project),
        "can_edit": can_edit,
        "can_edit_shares": share_can_edit(user=user, obj=project),
        "can_add_indicators": indicator_can_add(user=user, obj=project),
        "status_form": status_form,
        "panels": panels.render_panels(request, project),
        **history_context(project),
    }


def render_detail(request, project, status_form=None, status=200):
    """The project page (/projects/<code>/): the page registered by an app above (the project file,
    tiaodu.command), else this app's own template."""
    page = panels.registered_page()
    if page is not None:
        return page(request, project, status_form=status_form, status=status)
    return render(
        request, "projects/project_detail.html", detail_context(request, project, status_form), status=status
    )


@login_required
def project_create(request):
    if not project_can_create(user=request.user):
        raise PermissionDenied("只有领导小组办公室或系统管理员可以新建项目")
    form = ProjectForm(request.POST or None, user=request.user, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(user=request.user, data=dict(form.cleaned_data))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"已新建项目 {project.code}")
            return redirect("project_detail", code=project.code)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@login_required
def project_edit(request, code):
    project = _editable_project(request, code)
    # The form works on its own copy so that the service sees the project as it was before the edit.
    form = ProjectForm(
        request.POST or None, instance=Project.objects.get(pk=project.pk), user=request.user, creating=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_update(
                user=request.user, project=project, data=dict(form.cleaned_data)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "项目已保存")
            return redirect("project_detail", code=project.code)
    return render(
        request,
        "projects/project_form.html",
        {
            "form": form,
            "project": project,
            "can_change_responsibility": project_can_change_responsibility(user=request.user, obj=project),
        },
    )


@login_required
@require_POST
def project_status(request, code):
    project = _editable_project(request, code)
    form = StatusForm(request.POST, project=project)
    if form.is_valid():
        old = project.get_status_display()
        try:
            services.project_change_status(
                user=request.user, project=project, status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"状态已由「{old}」改为「{project.get_status_display()}」")
            return redirect("project_detail", code=project.code)
    return render_detail(request, visible_project(request, code), form, status=400)


# --- indicators -------------------------------------------------------------------------------


@login_required
def indicator_edit(request, code, pk=None):
    project = _editable_project(request, code)
    indicator = None
    if pk is not None:
        indicator = get_object_or_404(project.indicators, pk=pk)
        instance = project.indicators.get(pk=pk)
    else:
        if not indicator_can_add(user=request.user, obj=project):
            raise PermissionDenied(INDICATOR_BASELINE_DENIED)
        instance = project.indicators.model(project=project)
    form = IndicatorForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if indicator is None:
                services.indicator_create(user=request.user, project=project, data=dict(form.cleaned_data))
                messages.success(request, f"已添加指标「{form.cleaned_data['name']}」")
            else:
                services.indicator_update(
                    user=request.user, indicator=indicator, data=dict(form.cleaned_data)
                )
                messages.success(request, f"指标「{indicator.name}」已保存")
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(reverse("project_detail", args=[project.code]) + "#indicators")
    return render(
        request, "projects/indicator_form.html", {"form": form, "project": project, "indicator": indicator}
    )


@login_required
@require_POST
def indicator_delete(request, code, pk):
    project = _editable_project(request, code)
    indicator = get_object_or_404(project.indicators, pk=pk)
    try:
        services.indicator_delete(user=request.user, indicator=indicator)
    except ValidationError as exc:
        messages.error(request, f"不能删除指标「{indicator.name}」：{'；'.join(exc.messages)}")
    else:
        messages.success(request, f"已删除指标「{indicator.name}」")
    return redirect(reverse("project_detail", args=[project.code]) + "#indicators")


@login_required
def indicator_shares(request, code, pk):
    """The office's editor of an indicator's territorial shares (属地分解), with its target. While the
    indicator has no shares it is pre-filled from the responsibility letters' items for it (and says so)."""
    project = visible_project(request, code)
    indicator = get_object_or_404(project.indicators, pk=pk)
    if not share_can_edit(user=request.user, obj=indicator):
        raise PermissionDenied("只有领导小组办公室或系统管理员可以设置指标的属地分解")
    units = share_units(project)
    shares = current_shares(indicator)
    proposed = {} if shares else letter_proposals(indicator)
    initial = {"target": _plain(indicator.target)}
    for share in shares:
        initial[f"share_{share.unit_id}"] = _plain(share.target)
    for unit_id, value in proposed.items():
        initial[f"share_{unit_id}"] = _plain(value)
    form = ShareForm(request.POST or None, indicator=indicator, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_shares_set(
                user=request.user,
                indicator=indicator,
                shares=form.shares(),
                target=form.cleaned_data["target"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"指标「{indicator.name}」的属地分解已保存")
            return redirect(reverse("project_detail", args=[project.code]) + "#indicators")
    outside = [u for u in proposed if u not in {x.pk for x in units}]
    return render(
        request,
        "projects/indicator_shares.html",
        {
            "form": form,
            "project": project,
            "indicator": indicator,
            "proposed": bool(proposed) and request.method != "POST",
            "outside": outside,
        },
        status=400 if request.method == "POST" else 200,
    )


def _plain(value) -> str:
    """120000 / 0.5 (no trailing zeros) for a form's initial value."""
    return format(value.normalize(), "f")


# --- responsibility letters -------------------------------------------------------------------


class ScanSizeLimitHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes the scan limit; the view then says it is too large.

    Without it a huge upload would be written to a temporary file in full before being refused.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = upload_limit("LETTER_SCAN_MAX_BYTES")
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            too_large = getattr(self.request, "too_large_uploads", set())
            too_large.add(self.field_name)
            self.request.too_large_uploads = too_large
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_scan_uploads(view):
    """Put the size limit in front of the upload handlers (before CSRF reads the request body)."""

    protected = csrf_protect(view)

    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, ScanSizeLimitHandler(request))
        return protected(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _visible_letter(request, pk) -> ResponsibilityLetter:
    return get_object_or_404(letter_list(user=request.user), pk=pk)


def _editable_letter(request, pk) -> ResponsibilityLetter:
    letter = _visible_letter(request, pk)
    if not letter_can_edit(user=request.user, obj=letter):
        raise PermissionDenied("只有领导小组办公室或系统管理员可以管理目标责任书")
    return letter


@login_required
def letter_list_view(request):
    visible = letter_list(user=request.user)
    years = list(visible.order_by("-year").values_list("year", flat=True).distinct())
    year = int_param(request.GET, "year", label="年度", strict=False)
    status = choice_param(request.GET, "status", LetterStatus.values, label="状态", strict=False) or ""
    letters = visible
    if year in years:
        letters = letters.filter(year=year)
    year = str(year) if year in years else ""
    if status:
        letters = letters.filter(status=status)
    letters = letters.annotate(item_count=Count("items")).order_by("-year", "unit__sort_order", "unit__name")
    paginator = Paginator(letters, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "projects/letter_list.html",
        {
            "page": page,
            "paginator": paginator,
            "years": years,
            "year": year,
            "status": status,
            "statuses": LetterStatus.choices,
            "can_create": letter_can_edit(user=request.user),
        },
    )


@login_required
def letter_detail(request, pk):
    letter = _visible_letter(request, pk)
    items = letter.items.select_related("project", "indicator").order_by("project__code", "id")
    visible_codes = set(
        project_list(user=request.user)
        .filter(pk__in=[i.project_id for i in items])
        .values_list("code", flat=True)
    )
    return render(
        request,
        "projects/letter_detail.html",
        {
            "letter": letter,
            "items": items,
            "visible_codes": visible_codes,
            "can_edit": letter_can_edit(user=request.user, obj=letter),
            **history_context(letter),
        },
    )


def _letter_form_view(request, letter):
    instance = ResponsibilityLetter.objects.get(pk=letter.pk) if letter else ResponsibilityLetter()
    form = LetterForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST":
        too_large = "scan" in getattr(request, "too_large_uploads", set())
        valid = form.is_valid()
        if too_large:
            form.add_error("scan", too_large_message(setting="LETTER_SCAN_MAX_BYTES", what="扫描件"))
            valid = False
        if valid:
            data = {k: v for k, v in form.cleaned_data.items() if k != "scan"}
            scan = form.cleaned_data.get("scan")
            try:
                if letter is None:
                    letter = services.letter_create(user=request.user, data=data, scan=scan)
                    messages.success(request, f"已新建「{letter}」")
                else:
                    letter = services.letter_update(user=request.user, letter=letter, data=data, scan=scan)
                    messages.success(request, "责任书已保存")
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("letter_detail", pk=letter.pk)
    return render(request, "projects/letter_form.html", {"form": form, "letter": letter})


@limit_scan_uploads
@login_required
def letter_create(request):
    if not letter_can_edit(user=request.user):
        raise PermissionDenied("只有领导小组办公室或系统管理员可以管理目标责任书")
    return _letter_form_view(request, None)


@limit_scan_uploads
@login_required
def letter_edit(request, pk):
    return _letter_form_view(request, _editable_letter(request, pk))


@login_required
def letter_scan(request, pk):
    letter = _visible_letter(request, pk)
    if not letter.scan:
        raise Http404("该责任书没有扫描件")
    try:
        handle = letter.scan.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("扫描件文件不存在")
    security_event_log(kind="download", request=request, target=f"责任书扫描件「{letter}」")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=letter.scan_name or f"责任书{letter.pk}",
        content_type=letter.scan_type or "application/octet-stream",
    )


@login_required
def letter_item_edit(request, pk, item_pk=None):
    letter = _editable_letter(request, pk)
    item = None
    if item_pk is not None:
        item = get_object_or_404(letter.items, pk=item_pk)
        instance = letter.items.select_related("project").get(pk=item_pk)
    else:
        instance = LetterItem(letter=letter)
    form = LetterItemForm(request.POST or None, instance=instance, user=request.user, letter=letter)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "project_code"}
        try:
            if item is None:
                services.letter_item_create(user=request.user, letter=letter, data=data)
                messages.success(request, "已添加目标事项")
            else:
                services.letter_item_update(user=request.user, item=item, data=data)
                messages.success(request, "目标事项已保存")
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(reverse("letter_detail", args=[letter.pk]) + "#items")
    return render(request, "projects/letter_item_form.html", {"form": form, "letter": letter, "item": item})


@login_required
@require_POST
def letter_item_delete(request, pk, item_pk):
    letter = _editable_letter(request, pk)
    item = get_object_or_404(letter.items.select_related("project", "indicator"), pk=item_pk)
    label = str(item)
    services.letter_item_delete(user=request.user, item=item)
    messages.success(request, f"已删除目标事项「{label}」")
    return redirect(reverse("letter_detail", args=[letter.pk]) + "#items")
