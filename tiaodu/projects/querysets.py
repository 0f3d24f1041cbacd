"""Who may see and change which projects, indicators, letters and letter items (rows).

Projects — view: leaders, the supervision office, administrators and the leading group's office see
every project; any other user the projects its unit leads (牵头), holds territorially (属地) or supports
(配合); a user without a unit none. Change: the office and administrators every project; a unit user
the projects its unit leads or holds territorially (not their code, type or units: see
`tiaodu.projects.permissions.project_can_change_responsibility`).

Indicators follow their project. Letters — view: those who see everything, else the letters of the
user's own unit; change: the office and administrators. Letter items follow their letter.
"""

from __future__ import annotations

from django.db.models import BooleanField, Exists, OuterRef, Q, Value

from tiaodu.core.querysets import RestrictedQuerySet
from tiaodu.orgs.models import Role

PROJECT_ROLES = ("lead", "territorial", "supporting")


class ProjectQuerySet(RestrictedQuerySet):
    def of_unit(self, unit, roles=PROJECT_ROLES) -> ProjectQuerySet:
        """The projects in which `unit` has any of the roles (lead, territorial, supporting)."""
        q = Q(pk__in=[])
        if "lead" in roles:
            q |= Q(lead_unit=unit)
        for role, field in (("territorial", "territorial_units"), ("supporting", "supporting_units")):
            if role in roles:
                through = getattr(self.model, field).through
                q |= Q(Exists(through.objects.filter(project_id=OuterRef("pk"), unit_id=unit.pk)))
        return self.filter(q)

    def with_can_edit(self, user) -> ProjectQuerySet:
        """Each project with `user_can_edit` (the "change" rule as one subquery, not a query per row).

        A user who may change every project (the rule leaves the rows as they are) or none (the rule is
        empty) gets the answer as a constant: no subquery to build, compile and run for each row."""
        editable = self.model._default_manager.restrict(user, "change")
        if editable.query.is_empty():
            return self.annotate(user_can_edit=Value(False, output_field=BooleanField()))
        if not editable.query.where:
            return self.annotate(user_can_edit=Value(True, output_field=BooleanField()))
        return self.annotate(user_can_edit=Exists(editable.filter(pk=OuterRef("pk"))))

    def _restrict_view(self, user):
        if user.sees_all:
            return self.all()
        if user.unit is None:
            return self.none()
        return self.of_unit(user.unit)

    def _restrict_change(self, user):
        if user.manages_all:
            return self.all()
        if user.role != Role.UNIT or user.unit is None:
            return self.none()
        return self.of_unit(user.unit, roles=("lead", "territorial"))


class IndicatorQuerySet(RestrictedQuerySet):
    def _restrict_view(self, user):
        return self.restrict_through("project", user, "view")

    def _restrict_change(self, user):
        return self.restrict_through("project", user, "change")


class LetterQuerySet(RestrictedQuerySet):
    def _restrict_view(self, user):
        if user.sees_all:
            return self.all()
        if user.unit is None:
            return self.none()
        return self.filter(unit=user.unit)


class LetterItemQuerySet(RestrictedQuerySet):
    def _restrict_view(self, user):
        return self.restrict_through("letter", user, "view")

    def _restrict_change(self, user):
        return self.restrict_through("letter", user, "change")


class ProjectChangeQuerySet(RestrictedQuerySet):
    """Baseline changes follow their project for viewing; only the office and administrators decide."""

    def _restrict_view(self, user):
        return self.restrict_through("project", user, "view")

    def _restrict_change(self, user):
        return self.all() if user.manages_all else self.none()
