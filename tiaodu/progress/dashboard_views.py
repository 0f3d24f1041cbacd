"""The dashboard 调度总览: the overview's figures (progress_status) with a link behind every number, the
list of the projects behind a number, and one project's S-curve."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from tiaodu.core import domain
from tiaodu.core.params import BadParameter, choice_param, date_param, id_param, text_param
from tiaodu.orgs.models import Unit
from tiaodu.progress import figures, selectors
from tiaodu.projects.models import Project

PAGE_SIZE = 50
DASHBOARD_ROWS = 15
RANKING_SHOWN = 12
LEVEL_FILTERS = {
    "severe": {"severe"},
    "lagging": {"lagging"},
    "normal": {"normal"},
    "behind": {"severe", "lagging"},
}
STATUS_GROUPS = {"done": domain.DONE_STATUSES, **{s: {s} for s in domain.STATUS_ORDER}}
STATUS_GROUP_LABELS = {"done": "已竣工（含已验收）", **domain.STATUS_LABELS}


def _as_of(request) -> datetime.date:
    try:
        return date_param(request.GET, "as_of", label="截至日期", default=selectors.today())
    except BadParameter as exc:
        messages.error(request, exc.message)
        return selectors.today()


# --- the dashboard ----------------------------------------------------------------------------------


def _link(as_of: datetime.date, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    params["as_of"] = as_of.isoformat()
    return reverse("progress_projects") + "?" + urlencode(params)


def _summary_cards(status, *, as_of: datetime.date, scope: str) -> list[dict]:
    """Per project type: the counts of the overview's summary, each with the link to its projects."""
    cards = []
    for key in status.summary:
        s = status.summary[key]
        cells = [
            ("total", "项目总数", "", s.total, ""),
            ("completed", "已竣工", "done", s.completed, "completed"),
            (
                "under_construction",
                "在建",
                domain.UNDER_CONSTRUCTION,
                s.under_construction,
                "under_construction",
            ),
            ("not_started", "未开工", domain.NOT_STARTED, s.not_started, "not_started"),
            ("suspended", "暂停", domain.SUSPENDED, s.suspended, "suspended"),
        ]
        cards.append(
            {
                "key": key,
                "label": domain.TYPE_LABELS.get(key, key),
                "sentence": figures.summary_sentence(key, s, scope),
                "total": s.total,
                "started_rate": s.started_rate * 100,
                "started_link": _link(as_of, type=key, status="started"),
                "cells": [
                    {
                        "key": k,
                        "label": lab,
                        "count": n,
                        "css": css,
                        "link": _link(as_of, type=key, status=st),
                    }
                    for k, lab, st, n, css in cells
                ],
            }
        )
    return cards


@login_required
def dashboard(request):
    as_of = _as_of(request)
    status = selectors.progress_status(user=request.user, as_of=as_of, include_indicators=False)
    cycle = selectors.reporting_cycle()
    projects = status.projects
    behind = figures.behind(projects)
    unit_ids = dict(Unit.objects.values_list("name", "id"))
    ranking = [
        {**u.as_json(), "id": unit_ids.get(u.unit), "share_pct": u.on_time_share * 100} for u in status.units
    ]
    curve_code = text_param(request.GET, "curve", label="曲线项目", strict=False) or (
        behind[0].code if behind else (projects[0].code if projects else "")
    )
    return render(
        request,
        "progress/dashboard.html",
        {
            "as_of": as_of,
            "today": selectors.today(),
            "cycle": cycle,
            "deadline": cycle.deadline_for(as_of),
            "types": _summary_cards(
                status, as_of=as_of, scope="全区" if request.user.sees_all else "本单位相关的"
            ),
            "total": len(projects),
            "counts": status.level_counts,
            "behind": behind[:DASHBOARD_ROWS],
            "behind_total": len(behind),
            "missing": status.missing_reports[:DASHBOARD_ROWS],
            "missing_total": len(status.missing_reports),
            "flagged_total": selectors.flagged_reports(user=request.user).count(),
            "ranking": ranking,
            "ranking_shown": RANKING_SHOWN,
            "curve_code": curve_code,
            "curve_choices": [(p.code, p.name) for p in (behind[:200] or projects[:200])],
            "links": {
                "severe": _link(as_of, level="severe"),
                "lagging": _link(as_of, level="lagging"),
                "normal": _link(as_of, level="normal"),
                "behind": _link(as_of, level="behind"),
                "missing": _link(as_of, missing="1"),
                "all": _link(as_of),
            },
            "level_labels": domain.LEVEL_LABELS,
        },
    )


def _filtered(request, status) -> tuple[list, list[str]]:
    """The overview's projects behind one number of the dashboard, and the chips naming the filters."""
    items = list(status.projects)
    g = request.GET
    chips = []
    kind = choice_param(g, "type", domain.TYPE_LABELS, label="项目类型", strict=False)
    if kind:
        items = [p for p in items if p.type == kind]
        chips.append(f"类型：{domain.TYPE_LABELS[kind]}")
    status_key = choice_param(g, "status", ["started", *STATUS_GROUPS], label="状态", strict=False)
    if status_key == "started":
        items = [p for p in items if p.status != domain.NOT_STARTED]
        chips.append("状态：已开工（在建、暂停、已竣工、已验收）")
    elif status_key in STATUS_GROUPS:
        items = [p for p in items if p.status in STATUS_GROUPS[status_key]]
        chips.append(f"状态：{STATUS_GROUP_LABELS[status_key]}")
    level = choice_param(g, "level", LEVEL_FILTERS, label="进度", strict=False)
    if level:
        items = [p for p in items if p.level in LEVEL_FILTERS[level]]
        chips.append("进度：" + ("滞后及严重滞后" if level == "behind" else domain.LEVEL_LABELS[level]))
    if g.get("missing") == "1":
        items = [p for p in items if p.report_missing]
        chips.append("近7日未报送周报")
    unit_id = id_param(g, "unit", label="责任单位", strict=False)
    if unit_id:
        name = Unit.objects.filter(pk=unit_id).values_list("name", flat=True).first()
        if name is not None:
            items = [p for p in items if name in p.units]
            chips.append(f"责任单位：{name}")
    q = text_param(g, "q", label="关键词", strict=False)
    if q:
        items = [p for p in items if q in p.code or q in p.name]
        chips.append(f"关键词：{q}")
    if level or g.get("sort") == "lag":
        items.sort(key=lambda p: (domain.LEVEL_ORDER[p.level], -p.lag_days, p.code))
    return items, chips


@login_required
def dashboard_projects(request):
    """The projects behind a number of the dashboard (same rows as the overview)."""
    as_of = _as_of(request)
    status = selectors.progress_status(user=request.user, as_of=as_of, include_indicators=False)
    items, chips = _filtered(request, status)
    paginator = Paginator(items, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "progress/dashboard_projects.html",
        {
            "as_of": as_of,
            "page": page,
            "paginator": paginator,
            "chips": chips,
            "level_labels": domain.LEVEL_LABELS,
            "q": text_param(request.GET, "q", label="关键词", strict=False),
        },
    )


@login_required
def curve_json(request, code):
    as_of = _as_of(request)
    try:
        data = selectors.project_curve(user=request.user, code=code, as_of=as_of)
    except Project.DoesNotExist:
        return JsonResponse({"detail": f"项目「{code[:50]}」不存在或您无权查看"}, status=404)
    return JsonResponse(data)
