"""Who may see and change which weekly reports (rows), and which projects a unit reports on.

Reports — view: the reports of the projects the user may see (tiaodu/projects/querysets.py); a draft
only its own reporting unit, its author, and the office / administrators. Change (a draft, the only
thing ever changed): the office / administrators every draft; a unit user the drafts of its own unit on
projects that unit reports on. Verify (审核 or 退回) — never a report the user submitted: a territorial
unit's report the project's lead unit and the office / administrators; the lead unit's own report (or
one the office submitted on its behalf) only the office / administrators.

A unit reports on (填报) the projects it leads, and the projects it holds territorially that the lead
unit or the office added it to (ReportingUnit).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tiaodu.core.querysets import RestrictedQuerySet
from tiaodu.orgs.models import Role

DRAFT = "draft"  # ReportStatus.DRAFT (the models import this module; a test checks the two agree)


def reported_by(projects: QuerySet, unit) -> QuerySet:
    """The projects of `projects` that `unit` reports on."""
    added = projects.model._default_manager.filter(reporting_units__unit=unit, territorial_units=unit)
    return projects.filter(Q(lead_unit=unit) | Q(pk__in=added.values("pk")))


def reporting_projects(projects: QuerySet, user) -> QuerySet:
    """The projects of `projects` the user reports on: all for the office and administrators (on behalf of
    the lead unit), those of the user's unit for a unit user, none for anybody else."""
    if user is None or not user.is_authenticated:
        return projects.none()
    if user.manages_all:
        return projects
    if user.role != Role.UNIT or user.unit is None:
        return projects.none()
    return reported_by(projects, user.unit)


class ReportQuerySet(RestrictedQuerySet):
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
        project_model = self.model._meta.get_field("project").related_model
        mine = reported_by(project_model._default_manager.all(), user.unit)
        return drafts.filter(reporting_unit=user.unit, project__in=mine)

    def _restrict_verify(self, user):
        # Nobody verifies what they submitted (the measured do not grade themselves).
        pk = getattr(user, "pk", None)
        others = self.exclude(submitted_by_id=pk) if pk is not None else self.all()
        if user.manages_all:
            return others
        if user.role != Role.UNIT or user.unit is None:
            return self.none()
        # The lead unit verifies the territorial units' reports, never its own (the office does).
        return others.filter(project__lead_unit=user.unit).exclude(reporting_unit=user.unit)
