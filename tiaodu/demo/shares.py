"""The demo's split indicator (条块分工): 北园大街's red-line demolition, 126,000 m², crosses three streets.

Its territorial shares are those the streets' responsibility letters propose — 北园街道, 无影山街道 and
药山街道 42,000 m² each — set through the office's service (source "demo"), so the three streets become
reporting units of the project. Each street then reports its own share every week the lead unit reported:
北园街道 ahead of the lead unit's figures, 无影山街道 with them and 药山街道 four weeks behind (its last shops
have not signed: the demolition problem of the demo's supervision). 北园街道 and 无影山街道 have finished their
shares by the newest report; 药山街道 has not, so the demolition's actual (the sum) is short of its target,
药山街道's share lags its scaled plan and the unit ranking shows the imbalance between the streets, while
the road works stay the project's driving indicator. Loading is additive: an indicator that already has
shares is left alone.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.db import transaction

from tiaodu.demo import data
from tiaodu.orgs.models import Unit, User
from tiaodu.progress.models import Report, ReportFigure
from tiaodu.projects import services as project_services
from tiaodu.projects.models import Indicator

PROJECT = "北园大街道路拓宽及两侧整治"
INDICATOR = "红线内拆迁面积"
# street → (share, weeks ahead (+) or behind (−) the lead unit's demolition figures)
SHARES = {
    "北园街道": (Decimal(42000), 3),
    "无影山街道": (Decimal(42000), 0),
    "药山街道": (Decimal(42000), -4),
}
FINISHED = {"北园街道", "无影山街道"}  # have reached their share by the newest report


def load_demo_shares(admin: User, today: datetime.date) -> dict[str, int]:
    """Split the demolition into the streets' shares and write each street's weekly reports of its share."""
    indicator = (
        Indicator.objects.filter(project__name=PROJECT, name=INDICATOR).select_related("project").first()
    )
    if indicator is None or indicator.shares.exists():
        return {}
    units = {u.name: u for u in Unit.objects.filter(name__in=list(SHARES))}
    if len(units) != len(SHARES) or sum(s for s, _w in SHARES.values()) != indicator.target:
        return {}
    with transaction.atomic():
        project_services.indicator_shares_set(
            user=admin,
            indicator=indicator,
            shares={units[name]: share for name, (share, _weeks) in SHARES.items()},
            source=data.SOURCE,
        )
        written = _street_reports(indicator, units, today)
    return {"indicator_shares": len(SHARES), "share_reports": written}


def _lead_figures(indicator: Indicator) -> list[tuple[Report, Decimal]]:
    """The lead unit's counted demolition figures, oldest first."""
    figures = (
        ReportFigure.objects.filter(
            indicator=indicator, counted=True, report__reporting_unit_id=indicator.project.lead_unit_id
        )
        .select_related("report")
        .order_by("as_of")
    )
    return [(f.report, f.quantity) for f in figures]


def _street_reports(indicator: Indicator, units: dict[str, Unit], today: datetime.date) -> int:
    lead = _lead_figures(indicator)
    if not lead:
        return 0
    accounts = {
        u.person.unit_id: u
        for u in User.objects.filter(person__unit__in=list(units.values())).select_related("person")
    }
    reports, values = [], []
    for name, (share, weeks) in SHARES.items():
        unit = units[name]
        user = accounts.get(unit.pk)
        # each street reports two hours before the lead unit, whose report stays the project's latest
        for w, (lead_report, _qty) in enumerate(lead):
            source = min(max(w + weeks, 0), len(lead) - 1)
            fraction = lead[source][1] / indicator.target
            quantity = (share * fraction).quantize(Decimal(1))
            if w == len(lead) - 1 and name in FINISHED:
                quantity = share
            reports.append(
                Report(
                    project=indicator.project,
                    as_of=lead_report.as_of,
                    reporting_unit=unit,
                    status=lead_report.status,
                    image_progress=f"本街道红线内拆迁累计完成{quantity:,}m²（分解目标{share:,}m²）",
                    thread=uuid.uuid4(),
                    counted=True,
                    source=data.SOURCE,
                    created_by=user,
                    submitted_by=user,
                    submitted_at=lead_report.submitted_at - datetime.timedelta(hours=2),
                    verified_by=lead_report.verified_by,
                    verified_at=lead_report.verified_at,
                )
            )
            values.append(quantity)
    Report.objects.bulk_create(reports)
    ReportFigure.objects.bulk_create(
        [
            ReportFigure(
                report=r,
                indicator=indicator,
                quantity=q,
                as_of=r.as_of,
                counted=True,
                submitted_at=r.submitted_at,
            )
            for r, q in zip(reports, values, strict=True)
        ]
    )
    return len(reports)
