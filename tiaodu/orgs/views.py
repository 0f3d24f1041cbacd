"""Pages for units and people, and the user's own account (API token, password)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from tiaodu.core.forms import apply_service_errors
from tiaodu.core.params import id_param
from tiaodu.orgs import services
from tiaodu.orgs.forms import PersonForm, UnitForm
from tiaodu.orgs.models import Person, Unit, UnitType
from tiaodu.orgs.permissions import MANAGE_DENIED, person_can_edit, unit_can_edit


@login_required
def unit_tree(request):
    units = list(
        Unit.objects.select_related("parent")
        .annotate(people_count=Count("people"))
        .order_by("sort_order", "name")
    )
    groups = []
    for value, label in UnitType.choices:
        members = [u for u in units if u.type == value]
        if members:
            groups.append(
                {
                    "type": value,
                    "label": label,
                    "units": members,
                    "people": sum(u.people_count for u in members),
                }
            )
    return render(
        request,
        "orgs/unit_tree.html",
        {"groups": groups, "total": len(units), "can_manage": unit_can_edit(user=request.user)},
    )


def _unit_form(request, unit):
    if not unit_can_edit(user=request.user, obj=unit):
        raise PermissionDenied(MANAGE_DENIED)
    instance = Unit.objects.get(pk=unit.pk) if unit else Unit()
    form = UnitForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            if unit is None:
                unit = services.unit_create(user=request.user, data=dict(form.cleaned_data))
                messages.success(request, f"已新建单位「{unit.name}」")
            else:
                unit = services.unit_update(user=request.user, unit=unit, data=dict(form.cleaned_data))
                messages.success(request, "单位已保存")
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("unit_detail", pk=unit.pk)
    return render(request, "orgs/unit_form.html", {"form": form, "unit": unit})


@login_required
def unit_create(request):
    return _unit_form(request, None)


@login_required
def unit_edit(request, pk):
    return _unit_form(request, get_object_or_404(Unit, pk=pk))


def _person_form(request, person):
    if not person_can_edit(user=request.user, obj=person):
        raise PermissionDenied(MANAGE_DENIED)
    instance = Person.objects.get(pk=person.pk) if person else Person()
    initial = {}
    unit_id = id_param(request.GET, "unit", label="单位", strict=False)
    if person is None and unit_id:
        initial["unit"] = Unit.objects.filter(pk=unit_id).first()
    form = PersonForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if person is None:
                person = services.person_create(user=request.user, data=dict(form.cleaned_data))
                messages.success(request, f"已添加人员「{person.name}」")
            else:
                person = services.person_update(
                    user=request.user, person=person, data=dict(form.cleaned_data)
                )
                messages.success(request, f"人员「{person.name}」已保存")
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("unit_detail", pk=person.unit_id)
    back = person.unit if person else initial.get("unit")
    return render(request, "orgs/person_form.html", {"form": form, "person": person, "back_unit": back})


@login_required
def person_create(request):
    return _person_form(request, None)


@login_required
def person_edit(request, pk):
    return _person_form(request, get_object_or_404(Person.objects.select_related("unit"), pk=pk))


# --- account ----------------------------------------------------------------------------------


@login_required
def account(request):
    token = Token.objects.filter(user=request.user).first()
    return render(request, "orgs/account.html", {"token": token})


@login_required
@require_POST
def account_token(request):
    """Create the user's API token, or replace it with a new one (the old key stops working)."""
    existed = Token.objects.filter(user=request.user).delete()[0] > 0
    Token.objects.create(user=request.user)
    messages.success(request, "已重新生成接口令牌，旧令牌已失效" if existed else "已生成接口令牌")
    return redirect("account")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "orgs/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "密码已修改")
        return response
