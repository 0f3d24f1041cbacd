"""The dashboard tab 投资 (/dashboard/investment/?month=YYYY-MM): the investment figures of
investment_status — the sentences, the types and lead units ranked by 占年度计划, the monthly chart
against 时间进度, the funding gaps and every project's figures. Nothing is recomputed here."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from tiaodu.core.domain import TYPE_LABELS, TYPE_ORDER
from tiaodu.core.params import BadParameter
from tiaodu.investment import figures
from tiaodu.investment.month_params import month_param
from tiaodu.investment.selectors import default_month, investment_status
from tiaodu.investment.selectors_series import district_months

PAGE_SIZE = 50
_ZERO = Decimal(0)


def _month(request) -> tuple[int, int]:
    try:
        return month_param(request.GET, "month", label="报告月份", default=default_month())
    except BadParameter as exc:
        messages.error(request, exc.message)
        return default_month()


def _row(label: str, a) -> dict:
    """The shown figures of a type, a unit or the district (every text from figures.py)."""
    return {
        "label": label,
        "projects": a.projects,
        "annual_plan": figures.money_text(a.annual_plan),
        "month": figures.money_text(a.month),
        "ytd": figures.money_text(a.ytd),
        "ytd_pct": figures.pct_text(a.ytd_pct),
        "ahead": figures.pct_text(a.ahead_of_time_pp, sign=True),
        "behind": a.ahead_of_time_pp is not None and figures.round_pct(a.ahead_of_time_pp) < 0,
    }


def _ranked(rows: list, key) -> list:
    return sorted(rows, key=lambda r: (key(r) is None, -(key(r) or _ZERO)))


def _project_row(p: figures.ProjectMoney) -> dict:
    return {
        "code": p.code,
        "name": p.name,
        "type": TYPE_LABELS.get(p.type, p.type),
        "lead_unit": p.lead_unit,
        "annual_plan": figures.money_text(p.annual_plan),
        "month": figures.money_text(p.month),
        "ytd": figures.money_text(p.ytd),
        "ytd_pct": figures.pct_text(p.ytd_pct),
        "ahead": figures.pct_text(p.ahead_of_time_pp, sign=True),
        "behind": p.ahead_of_time_pp is not None and figures.round_pct(p.ahead_of_time_pp) < 0,
        "cumulative": figures.money_text(p.cumulative),
        "total_pct": figures.pct_text(p.total_pct),
        "funds_planned": figures.money_text(p.funds_planned),
        "funds_arrived": figures.money_text(p.funds_arrived),
        "funds_rate": figures.pct_text(p.funds_rate),
        "funding_gap": p.funding_gap,
    }


def _chart(status: figures.InvestmentStatus, months: dict[int, Decimal]) -> dict:
    """The column chart's data: each month's figure up to the report month, the cumulative share of the
    annual plan (null without a plan) and the straight line of 时间进度 (m / 12)."""
    plan = status.summary["all"].annual_plan
    amounts, cumulative, running = [], [], _ZERO
    for m in range(1, 13):
        if m > status.month:
            amounts.append(None)
            cumulative.append(None)
            continue
        running += months[m]
        amounts.append(float(figures.money(months[m])))
        share = figures.ratio_pct(running, plan)
        cumulative.append(None if share is None else float(figures.round_pct(share)))
    return {
        "labels": [f"{m}月" for m in range(1, 13)],
        "amounts": amounts,
        "cumulative_pct": cumulative,
        "time_pct": [float(figures.time_progress_pct(m)) for m in range(1, 13)],
        "year": status.year,
    }


@login_required
def dashboard(request):
    year, month = _month(request)
    status = investment_status(user=request.user, year=year, month=month)
    scope = "全区" if request.user.sees_all else "本单位相关的"
    types = [_row(TYPE_LABELS[t], status.summary[t]) | {"key": t} for t in TYPE_ORDER]
    types = _ranked(types, key=lambda r: status.summary[r["key"]].ytd_pct)
    gaps = [
        {
            "code": p.code,
            "name": p.name,
            "lead_unit": p.lead_unit,
            "funds_planned": figures.money_text(p.funds_planned),
            "funds_arrived": figures.money_text(p.funds_arrived),
            "funds_rate": figures.pct_text(p.funds_rate),
            "shortfall": figures.pct_text(status.time_progress_pct - p.funds_rate)[:-1],
        }
        for p in status.funding_gaps
    ]
    page = Paginator(status.projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "investment/dashboard.html",
        {
            "year": year,
            "month": month,
            "month_value": f"{year:04d}-{month:02d}",
            "status": status,
            "time_progress": figures.pct_text(status.time_progress_pct),
            "sentences": [figures.summary_sentence(status, scope=scope)]
            + [figures.summary_sentence(status, t, scope=scope) for t in TYPE_ORDER],
            "district": _row(f"{scope}合计", status.summary["all"]),
            "types": types,
            "units": [_row(u.unit, u) for u in status.units],
            "gaps": gaps,
            "gap_points": figures.round_pct(status.gap_points),
            "page": page,
            "rows": [_project_row(p) for p in page.object_list],
            "chart": _chart(status, district_months(user=request.user, year=year)),
        },
    )
