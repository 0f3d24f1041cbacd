"""Pages that combine apps: the home page (my work) and a unit's page (its people, projects, letters,
accountability records)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from tiaodu.core import domain
from tiaodu.core.views import history_context
from tiaodu.orgs.models import Unit
from tiaodu.orgs.permissions import unit_can_edit
from tiaodu.portal.work import my_work
from tiaodu.progress import analysis, figures
from tiaodu.progress.figures import TypeSummary
from tiaodu.progress.permissions import report_can_submit
from tiaodu.progress.selectors import progress_status, project_summary, today
from tiaodu.projects.selectors import letter_list, project_roles_of_unit
from tiaodu.scheduling.permissions import OFFICE_ONLY, schedule_can_approve
from tiaodu.scheduling.selectors import projects_awaiting_baseline
from tiaodu.supervision.selectors import unit_accountability

ROLE_LIMIT = 50
ROLE_LABELS = {"lead": "牵头项目", "territorial": "属地项目", "supporting": "配合项目"}
ROLE_FILTERS = {"lead": "lead_unit", "territorial": "territorial_unit"}


@login_required
def home(request):
    user = request.user
    shortcuts = [("/dashboard/", "bi-speedometer2", "调度总览", "计划与实际、滞后项目、单位排名")]
    if report_can_submit(user=user):
        shortcuts += [
            ("/reports/", "bi-pencil-square", "周报填报", "本单位本周应报项目"),
            ("/reports/verify/", "bi-clipboard-check", "周报审核", "牵头单位待审核的周报"),
        ]
    shortcuts += [
        ("/supervision/", "bi-flag", "督办台账", "督办事项与红黄牌预警"),
        ("/problems/", "bi-exclamation-triangle", "难题破解", "按上报层级的难题看板"),
        ("/briefings/", "bi-journal-richtext", "调度通报", "每周调度通报（Word/PDF/Excel）"),
    ]
    summary = project_summary(user=user)
    return render(
        request,
        "portal/home.html",
        {
            "types": [_type_card(key, s) for key, s in summary.items()],
            "total": sum(s.total for s in summary.values()),
            "shortcuts": shortcuts,
            "work": my_work(user),
        },
    )


@login_required
def my_work_baselines(request):
    """待审定基准计划: the projects whose schedule the office has still to approve (我的待办)."""
    if not schedule_can_approve(user=request.user):
        raise PermissionDenied(OFFICE_ONLY.format(what="审定基准计划"))
    projects = projects_awaiting_baseline(user=request.user).select_related("lead_unit").order_by("code")
    paginator = Paginator(projects, 50)
    return render(
        request,
        "portal/baselines.html",
        {"page": paginator.get_page(request.GET.get("page")), "paginator": paginator},
    )


# The home page's counts are the overview's per-type summary (tiaodu.progress.figures.type_summaries),
# each linked to the dashboard's list of those projects: 已竣工 counts completed and accepted projects.
HOME_CELLS = (
    ("completed", "done", domain.COMPLETED),
    ("under_construction", domain.UNDER_CONSTRUCTION, domain.UNDER_CONSTRUCTION),
    ("not_started", domain.NOT_STARTED, domain.NOT_STARTED),
    ("suspended", domain.SUSPENDED, domain.SUSPENDED),
)


def _type_card(key: str, s: TypeSummary) -> dict:
    link = reverse("progress_projects") + f"?type={key}"
    return {
        "type": key,
        "label": domain.TYPE_LABELS.get(key, key),
        "total": s.total,
        "link": link,
        "started_rate": s.started_rate * 100,
        "started_link": f"{link}&status=started",
        "cells": [
            {
                "key": field,
                "status": status,
                "label": domain.STATUS_LABELS[status],
                "count": getattr(s, field),
                "link": f"{link}&status={group}",
            }
            for field, group, status in HOME_CELLS
        ],
    }


@login_required
def unit_detail(request, pk):
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    roles = []
    for key, queryset in project_roles_of_unit(user=request.user, unit=unit).items():
        queryset = queryset.select_related("category", "lead_unit", "responsible_person").order_by("code")
        rows = list(queryset[: ROLE_LIMIT + 1])
        count = len(rows) if len(rows) <= ROLE_LIMIT else queryset.count()
        roles.append(
            {
                "key": key,
                "label": ROLE_LABELS[key],
                "projects": rows[:ROLE_LIMIT],
                "count": count,
                "more": count > ROLE_LIMIT,
                "filter": ROLE_FILTERS.get(key),
            }
        )
    active = next((r["key"] for r in roles if r["count"]), "lead")
    for r in roles:
        r["active"] = r["key"] == active
    letters = (
        letter_list(user=request.user).filter(unit=unit).annotate(item_count=Count("items")).order_by("-year")
    )
    return render(
        request,
        "portal/unit_detail.html",
        {
            "unit": unit,
            "children": unit.children.order_by("sort_order", "name"),
            "people": unit.people.select_related("user").order_by("name"),
            "roles": roles,
            "letters": letters,
            "accountability_records": unit_accountability(user=request.user, unit=unit),
            "figures": unit_figures(user=request.user, unit=unit),
            "can_manage": unit_can_edit(user=request.user, obj=unit),
            **history_context(unit),
        },
    )


def unit_figures(*, user, unit: Unit) -> dict:
    """The unit's figures in the overview the user may see: per project type its projects (as lead or
    territorial unit), 开工率 (figures.type_summaries) and 按期率 / 平均滞后 (analysis.rank_units over that
    type's projects), and the whole unit's row of the overview's unit ranking. A type the unit has no
    project of has no rate (shown as 无此类项目, never 0.0%)."""
    status = progress_status(user=user, as_of=today(), include_indicators=False)
    mine = [p for p in status.projects if unit.name in p.units]
    summaries = figures.type_summaries((p.type, p.status) for p in mine)
    rows = []
    for key, s in summaries.items():
        ranked = analysis.rank_units(
            (p.units, p.level, p.lag_days, p.unit_lags) for p in mine if p.type == key
        )
        row = next((r for r in ranked if r.unit == unit.name), None)
        rows.append(
            {
                "type": key,
                "label": domain.TYPE_LABELS.get(key, key),
                "summary": s,
                "started_rate": s.started_rate * 100 if s.total else None,
                "on_time_rate": row.on_time_share * 100 if row else None,
                "avg_lag": row.avg_lag if row else None,
            }
        )
    total = next((r for r in status.units if r.unit == unit.name), None)
    overall = figures.type_summary(p.status for p in mine)
    return {
        "started_rate": overall.started_rate * 100 if overall.total else None,
        "as_of": status.as_of,
        "types": rows,
        "total": len(mine),
        "on_time_rate": total.on_time_share * 100 if total else None,
        "avg_lag": total.avg_lag if total else None,
    }
