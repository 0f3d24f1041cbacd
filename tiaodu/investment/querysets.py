"""Who may see and change which monthly investment figures (月度投资统计, rows).

The weekly report's rules (tiaodu/progress/querysets.py), for a figure only the lead unit enters:

* view — the figures of the projects the user may see (tiaodu/projects/querysets.py); a draft only its
  own reporting unit, its author, and the office / administrators;
* change (a draft, the only thing ever changed) — the office / administrators every draft (they enter on
  behalf of the lead unit); a unit user the drafts of its own unit on projects that unit leads;
* verify (审核 or 退回) — never a figure the user submitted; since the lead unit enters its own figures,
  only the office / administrators verify (as for the lead unit's own weekly report).
"""

from __future__ import annotations

from django.db.models import Q

from tiaodu.core.querysets import RestrictedQuerySet
from tiaodu.orgs.models import Role

DRAFT = "draft"  # ReportStatus.DRAFT


class MonthlyInvestmentQuerySet(RestrictedQuerySet):
    def _restrict_view(self, user):
        qs = self.restrict_through("project", user, "view")
        if user.manages_all:
            return qs
        own = Q(created_by_id=user.pk) if user.pk is not None else Q(pk__in=[])
        if user.unit is not None:
            own |= Q(reporting_unit=user.unit)
        return qs.filter(~Q(status=DRAFT) | own)

    def _restrict_change(self, user):
        drafts = self.filter(status=DRAFT)
        if user.manages_all:
            return drafts
        if user.role != Role.UNIT or user.unit is None:
            return drafts.none()
        return drafts.filter(reporting_unit=user.unit, project__lead_unit=user.unit)

    def _restrict_verify(self, user):
        if not user.manages_all:
            return self.none()
        pk = getattr(user, "pk", None)
        return self.exclude(submitted_by_id=pk) if pk is not None else self.all()
