from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render

from tiaodu.core.params import choice_param, id_list_param, id_param
from tiaodu.orgs.models import Unit
from tiaodu.supervision import selectors, services
from tiaodu.supervision.forms import AccountabilityForm
from tiaodu.supervision.models import Measure
from tiaodu.supervision.permissions import ACCOUNTABILITY_DENIED, accountability_can_manage
from tiaodu.supervision.views._common import call_service


@login_required
def register(request):
    """问责记录: filterable by unit and measure."""
    user = request.user
    qs = selectors.accountability_list(user=user).prefetch_related("items", "problems")
    unit_id = id_param(request.GET, "unit", label="问责单位", strict=False)
    measure = choice_param(request.GET, "measure", Measure.values, label="问责方式", strict=False) or ""
    if unit_id is not None:
        qs = qs.filter(Q(unit_id=unit_id) | Q(person__unit_id=unit_id))
    if measure:
        qs = qs.filter(measure=measure)
    page = Paginator(qs.order_by("-decision_date", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/accountability_list.html",
        {
            "page": page,
            "units": Unit.objects.filter(accountability_records__isnull=False).distinct(),
            "measures": Measure.choices,
            "unit_id": str(unit_id or ""),
            "measure": measure,
            "can_manage": accountability_can_manage(user=user),
            "filtered": bool(unit_id or measure),
        },
    )


@login_required
def create(request):
    user = request.user
    if not accountability_can_manage(user=user):
        raise PermissionDenied(ACCOUNTABILITY_DENIED)
    initial = {"decision_date": selectors.local_today()}
    for key in ("unit", "items", "problems"):
        values = [str(i) for i in id_list_param(request.GET, key, label="关联记录", strict=False)]
        if values:
            initial[key] = values if key != "unit" else values[0]
    form = AccountabilityForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = call_service(form, services.accountability_create, user=user, data=dict(form.cleaned_data))
        if record is not None:
            messages.success(request, f"已登记问责记录：{record}")
            return redirect("supervision:accountability")
    return render(request, "supervision/accountability_form.html", {"form": form})
