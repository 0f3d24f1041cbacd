"""What the big screen (大屏, /screen/) shows, as one JSON payload. Nothing is computed here: every figure
comes from the functions behind the dashboards and the briefing —

* the overview per type, the lagging projects and the unit ranking: progress_status (the dashboard
  调度总览), ranked by progress.figures.behind, each lag in words by ProjectFigures.lag_text;
* investment against 时间进度: investment_status for the default month (the dashboard tab 投资);
* the red and yellow supervision items: briefings.selectors.warned_items (the briefing's list);
* the map: command.map_data.map_payload (every project).

The screen always shows the whole district: those who may open it see every project, and a kiosk link is
the district's screen.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone

from tiaodu.briefings.selectors import warned_items
from tiaodu.command.map_data import map_payload
from tiaodu.command.models import CommandSettings
from tiaodu.core import domain
from tiaodu.investment import figures as money
from tiaodu.investment.selectors import default_month, investment_status
from tiaodu.progress import figures
from tiaodu.progress.models import ReportPhoto, ReportStatus
from tiaodu.progress.selectors import progress_status, today
from tiaodu.projects.models import Project

LAGGING_SHOWN = 10
UNITS_TOP = 5
UNITS_BOTTOM = 3
PHOTOS_SHOWN = 8


def campaign(as_of: datetime.date) -> dict:
    """决战2027 and the days left to its date (None without a date; 0 on and after it)."""
    cfg = CommandSettings.load()
    days = None if cfg.campaign_date is None else max((cfg.campaign_date - as_of).days, 0)
    return {
        "name": cfg.campaign_name,
        "date": cfg.campaign_date.isoformat() if cfg.campaign_date else None,
        "days_left": days,
    }


def overview(status: figures.ProgressStatus) -> list[dict]:
    """Per project type, the dashboard's counts (TypeSummary)."""
    return [
        {
            "key": key,
            "label": domain.TYPE_LABELS.get(key, key),
            "total": s.total,
            "under_construction": s.under_construction,
            "completed": s.completed,
            "not_started": s.not_started,
            "suspended": s.suspended,
            "started_rate": round(s.started_rate * 100, 1),
            "sentence": figures.summary_sentence(key, s),
        }
        for key, s in status.summary.items()
    ]


def lagging(status: figures.ProgressStatus) -> list[dict]:
    """The most lagging projects, in the dashboard's order, each with its driving indicator."""
    rows = []
    for p in figures.behind(status.projects)[:LAGGING_SHOWN]:
        d = p.driving_indicator
        rows.append(
            {
                "code": p.code,
                "name": p.name,
                "level": p.level,
                "level_label": p.level_label,
                "lag_days": p.lag_days,
                "lag_text": p.lag_text,
                "indicator": d.text if d is not None else "",
                "units": p.units_short,
            }
        )
    return rows


def units(status: figures.ProgressStatus) -> list[dict]:
    """The dashboard's unit ranking: all of it when it fits, else its first UNITS_TOP and last UNITS_BOTTOM
    (the meeting asks about both ends), each with its rank."""
    ranked = list(enumerate(status.units, start=1))
    if len(ranked) > UNITS_TOP + UNITS_BOTTOM:
        ranked = ranked[:UNITS_TOP] + ranked[-UNITS_BOTTOM:]
    return [
        {
            **u.as_json(),
            "rank": n,
            "share_pct": round(u.on_time_share * 100, 1),
            "avg_lag": round(u.avg_lag, 1),
        }
        for n, u in ranked
    ]


def _money_row(label: str, a) -> dict:
    return {
        "label": label,
        "projects": a.projects,
        "annual_plan": money.amount_text(a.annual_plan),
        "ytd": money.amount_text(a.ytd),
        "ytd_pct": None if a.ytd_pct is None else float(money.round_pct(a.ytd_pct)),
        "ytd_pct_text": money.pct_text(a.ytd_pct),
        "ahead": money.pct_text(a.ahead_of_time_pp, sign=True),
        "behind": a.ahead_of_time_pp is not None and money.round_pct(a.ahead_of_time_pp) < 0,
        "against_time": money.against_time_text(a.ahead_of_time_pp),
    }


def investment() -> dict:
    """investment_status of every project for the default month, as the dashboard tab 投资 shows it."""
    year, month = default_month()
    status = investment_status(user=None, year=year, month=month, projects=Project.objects.all())
    return {
        "month": f"{year:04d}-{month:02d}",
        "period": f"{year}年{status.period_label}",
        "time_pct": float(money.round_pct(status.time_progress_pct)),
        "time_pct_text": money.pct_text(status.time_progress_pct),
        "sentence": money.summary_sentence(status),
        "all": _money_row("全区", status.summary["all"]),
        "types": [_money_row(domain.TYPE_LABELS[t], status.summary[t]) for t in domain.TYPE_ORDER],
    }


def warnings(as_of: datetime.date) -> list[dict]:
    """The briefing's open supervision items with a red or yellow warning, red first."""
    items = warned_items(as_of)
    items.sort(key=lambda i: 0 if i.warning == "red" else 1)  # stable: the briefing's order within
    return [
        {
            "title": i.title,
            "assignees": i.assignees,
            "deadline": f"{i.deadline.month}月{i.deadline.day}日" if i.deadline else "",
            "warning": i.warning,
            "label": "红牌" if i.warning == "red" else "黄牌",
        }
        for i in items
    ]


def carousel_photos():
    """The latest verified reports' photos (the only photos a kiosk link may read)."""
    return (
        ReportPhoto.objects.filter(report__status=ReportStatus.VERIFIED, report__superseded=False)
        .select_related("report__project")
        .order_by("-report__verified_at", "-report__as_of", "-id")[:PHOTOS_SHOWN]
    )


def carousel_ids() -> set[int]:
    return {p.pk for p in carousel_photos()}


def photos(photo_url: Callable[[int], str]) -> list[dict]:
    return [
        {
            "url": photo_url(p.pk),
            "project": p.report.project.name,
            "date": f"{p.report.as_of.month}月{p.report.as_of.day}日",
        }
        for p in carousel_photos()
    ]


def screen_payload(*, photo_url: Callable[[int], str], as_of: datetime.date | None = None) -> dict:
    as_of = as_of or today()
    status = progress_status(user=None, as_of=as_of, include_indicators=False)
    now = timezone.localtime()
    return {
        "as_of": as_of.isoformat(),
        "updated": now.strftime("%H:%M"),
        "campaign": campaign(as_of),
        "total": len(status.projects),
        "levels": status.level_counts,
        "behind_total": len(figures.behind(status.projects)),
        "overview": overview(status),
        "lagging": lagging(status),
        "units": units(status),
        "units_total": len(status.units),
        "investment": investment(),
        "warnings": warnings(as_of),
        "photos": photos(photo_url),
        "map": map_payload(user=None, as_of=as_of, status=status),
    }
