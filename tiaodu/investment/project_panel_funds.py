"""The 投资与资金 panel of the project page (/projects/<code>/), registered with tiaodu.projects.panels from
InvestmentConfig.ready(): the funding plan by source with what has arrived and 到位率, the warning when the
plan does not add up to the total investment, the annual plans, the arrivals, the 资金缺口 badge with its
one-click problem, and the edit link for whoever may edit."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from tiaodu.investment.permissions import annual_plan_can_edit, arrival_can_record, funding_plan_can_edit
from tiaodu.investment.selectors_funds import project_funds
from tiaodu.projects.permissions import project_can_view


def funds_panel(request, project) -> str | None:
    """The panel's HTML; None when the user may not see the project."""
    user = request.user
    if not project_can_view(user=user, obj=project):
        return None
    funds = project_funds(user=user, project=project, as_of=timezone.localdate())
    can_edit_any = (
        funding_plan_can_edit(user=user, obj=project)
        or annual_plan_can_edit(user=user, obj=project)
        or arrival_can_record(user=user, obj=project)
    )
    return render_to_string(
        "investment/_funds_panel.html",
        # Raising a problem on a project is open to whoever may see it (supervision.problem_can_raise);
        # the problem view checks it again.
        {"f": funds, "can_edit_any": can_edit_any, "can_raise": True},
        request=request,
    )
