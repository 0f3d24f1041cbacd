"""The funds pages: a project's funds (/projects/<code>/funds/: funding plan, annual plans, arrivals) and the
list of funding sources (/investment/sources/). A project the user may not see is a 404; a write the user
may not make a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tiaodu.core.forms import apply_service_errors
from tiaodu.investment import services_funds as services
from tiaodu.investment.forms_funds import AnnualPlanForm, ArrivalForm, FundingPlanFormSet, FundingSourceForm
from tiaodu.investment.models import AnnualPlan, FundArrival, FundingPlan, FundingSource
from tiaodu.investment.permissions import (
    SOURCE_DENIED,
    annual_plan_can_edit,
    arrival_can_record,
    funding_plan_can_edit,
    funding_source_can_manage,
)
from tiaodu.investment.selectors_funds import project_funds, visible_project
from tiaodu.projects.models import Project

FUNDS_DENIED = (
    "您可以查看该项目，但无权修改其资金信息（资金计划、年度计划由领导小组办公室维护，资金到位由牵头单位登记）"
)


def _project(request, code) -> Project:
    try:
        return visible_project(user=request.user, code=code)
    except Project.DoesNotExist:
        raise Http404("项目不存在或您无权查看")


def _rights(user, project) -> dict[str, bool]:
    return {
        "can_plan": funding_plan_can_edit(user=user, obj=project),
        "can_annual": annual_plan_can_edit(user=user, obj=project),
        "can_arrive": arrival_can_record(user=user, obj=project),
    }


def _plan_formset(project, data=None):
    used = FundingPlan.objects.filter(project=project).values("source_id")
    sources = FundingSource.objects.filter(active=True) | FundingSource.objects.filter(pk__in=used)
    initial = [
        {"source": p.source, "amount": p.amount}
        for p in FundingPlan.objects.filter(project=project).select_related("source")
    ]
    return FundingPlanFormSet(
        data, initial=None if data else initial, prefix="plan", form_kwargs={"sources": sources.distinct()}
    )


def _page(request, project, status=200, **forms):
    rights = _rights(request.user, project)
    if not any(rights.values()):
        raise PermissionDenied(FUNDS_DENIED)
    ctx = {
        "project": project,
        "funds": project_funds(user=request.user, project=project, as_of=timezone.localdate()),
        "plan_formset": forms.get("plan_formset") or _plan_formset(project),
        "annual_form": forms.get("annual_form") or AnnualPlanForm(prefix="annual"),
        "arrival_form": forms.get("arrival_form")
        or ArrivalForm(prefix="arrival", initial={"date": timezone.localdate()}),
        **rights,
    }
    return render(request, "investment/funds_edit.html", ctx, status=status)


@login_required
def funds_edit(request, code):
    project = _project(request, code)
    if request.method == "POST":
        raise Http404
    return _page(request, project)


def _done(request, project, text):
    messages.success(request, text)
    return redirect("investment:funds_edit", code=project.code)


@login_required
@require_POST
def funding_plan_save(request, code):
    project = _project(request, code)
    if not funding_plan_can_edit(user=request.user, obj=project):
        raise PermissionDenied(services.FUNDING_PLAN_DENIED)
    formset = _plan_formset(project, request.POST)
    if formset.is_valid():
        try:
            _plans, warning = services.funding_plan_set(
                user=request.user, project=project, rows=formset.rows()
            )
        except ValidationError as exc:
            _formset_errors(formset, exc)
        else:
            if warning:
                messages.warning(request, warning)
            return _done(request, project, "资金计划已保存")
    return _page(request, project, status=400, plan_formset=formset)


def _formset_errors(formset, exc: ValidationError) -> None:
    """The service's rows.<i>.<field> errors beside the fields of the formset's rows."""
    filled = [f for f in formset.forms if f.cleaned_data.get("source") is not None]
    for key, messages_ in exc.message_dict.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(filled):
            for m in messages_:
                filled[int(parts[1])].add_error(parts[2], m)
        else:
            for m in messages_:
                formset.forms[0].add_error(None, m)


@login_required
@require_POST
def annual_plan_save(request, code):
    project = _project(request, code)
    if not annual_plan_can_edit(user=request.user, obj=project):
        raise PermissionDenied(services.ANNUAL_PLAN_DENIED)
    form = AnnualPlanForm(request.POST, prefix="annual")
    if form.is_valid():
        data = dict(form.cleaned_data)
        year = data.pop("year")
        try:
            services.annual_plan_save(user=request.user, project=project, year=year, data=data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _done(request, project, f"{year}年度计划已保存")
    return _page(request, project, status=400, annual_form=form)


@login_required
@require_POST
def annual_plan_delete(request, code, year):
    project = _project(request, code)
    plan = get_object_or_404(AnnualPlan, project=project, year=year)
    services.annual_plan_delete(user=request.user, plan=plan)
    return _done(request, project, f"已删除{year}年度计划")


@login_required
@require_POST
def arrival_add(request, code):
    project = _project(request, code)
    if not arrival_can_record(user=request.user, obj=project):
        raise PermissionDenied(services.ARRIVAL_DENIED)
    form = ArrivalForm(request.POST, prefix="arrival")
    if form.is_valid():
        try:
            services.arrival_add(user=request.user, project=project, data=dict(form.cleaned_data))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _done(request, project, "已登记资金到位")
    return _page(request, project, status=400, arrival_form=form)


@login_required
@require_POST
def arrival_delete(request, code, pk):
    project = _project(request, code)
    arrival = get_object_or_404(FundArrival, project=project, pk=pk)
    services.arrival_delete(user=request.user, arrival=arrival)
    return _done(request, project, "已删除资金到位记录（变更记录中保留）")


# --- the list of funding sources --------------------------------------------------------------------------


def _sources_page(request, form=None, edit_forms=None, status=200):
    if not funding_source_can_manage(user=request.user):
        raise PermissionDenied(SOURCE_DENIED)
    sources = list(FundingSource.objects.all())
    edit_forms = {s.pk: FundingSourceForm(instance=s, prefix=f"s{s.pk}") for s in sources} | (
        edit_forms or {}
    )
    for f in edit_forms.values():
        f.fields["active"].help_text = ""
    rows = [
        {
            "source": s,
            "form": edit_forms[s.pk],
            "in_use": s.plans.exists() or s.arrivals.exists(),
        }
        for s in sources
    ]
    return render(
        request,
        "investment/funds_sources.html",
        {"rows": rows, "form": form or _new_source_form()},
        status=status,
    )


def _new_source_form(data=None) -> FundingSourceForm:
    """A new source: the sort order may be left empty (then after the last one); always active."""
    form = FundingSourceForm(data, prefix="new", initial={"sort_order": None})
    form.fields["sort_order"].required = False
    form.fields["sort_order"].help_text = "可留空，排在最后"
    del form.fields["active"]
    return form


@login_required
def sources(request):
    if request.method == "GET":
        return _sources_page(request)
    if not funding_source_can_manage(user=request.user):
        raise PermissionDenied(SOURCE_DENIED)
    form = _new_source_form(request.POST)
    if form.is_valid():
        try:
            obj = services.funding_source_create(
                user=request.user,
                name=form.cleaned_data["name"],
                sort_order=form.cleaned_data.get("sort_order"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"已添加资金来源「{obj.name}」")
            return redirect("investment:funding_sources")
    return _sources_page(request, form=form, status=400)


@login_required
@require_POST
def source_edit(request, pk):
    if not funding_source_can_manage(user=request.user):
        raise PermissionDenied(SOURCE_DENIED)
    obj = get_object_or_404(FundingSource, pk=pk)
    form = FundingSourceForm(request.POST, instance=FundingSource.objects.get(pk=pk), prefix=f"s{pk}")
    if form.is_valid():
        try:
            services.funding_source_update(
                user=request.user, funding_source=obj, data=dict(form.cleaned_data)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"资金来源「{form.cleaned_data['name']}」已保存")
            return redirect("investment:funding_sources")
    return _sources_page(request, edit_forms={pk: form}, status=400)


@login_required
@require_POST
def source_delete(request, pk):
    if not funding_source_can_manage(user=request.user):
        raise PermissionDenied(SOURCE_DENIED)
    obj = get_object_or_404(FundingSource, pk=pk)
    try:
        services.funding_source_delete(user=request.user, funding_source=obj)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已删除资金来源「{obj.name}」")
    return redirect("investment:funding_sources")
