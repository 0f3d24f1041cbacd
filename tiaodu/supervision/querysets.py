"""Who may see and change which supervision items, problems, meetings and records (rows).

Leaders, the supervision office, administrators and the leading group's office (`user.sees_all`) see
everything. A unit user sees
* the items assigned to its unit, and the items of the projects it may see;
* the problems its unit owns, and the problems of the projects it may see;
* the meetings a person of its unit attended, or that gave its unit an item;
* the accountability records about its unit or one of its people;
* the warnings of the projects it may see.
A user without a unit sees none of these. Notifications are their recipient's alone.

"change" follows tiaodu/supervision/permissions.py: items are adjusted by those who assign them,
problems handled by their owner unit and the project's lead unit (and those who see everything),
meetings managed by the supervision office and the office, records by the supervision office.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from tiaodu.core.querysets import RestrictedQuerySet
from tiaodu.supervision.permissions import accountability_can_manage, item_can_create, meeting_can_manage


def _visible_projects(queryset, user):
    """The projects the user may see (the project model of `queryset`'s `project` field)."""
    project_model = queryset.model._meta.get_field("project").related_model
    return project_model._default_manager.restrict(user, "view")


class SupervisionItemQuerySet(RestrictedQuerySet):
    def _restrict_view(self, user):
        if user.sees_all:
            return self.all()
        if user.unit is None:
            return self.none()
        through = self.model.assignee_units.through
        assigned = through.objects.filter(supervisionitem_id=OuterRef("pk"), unit_id=user.unit.pk)
        return self.filter(Q(Exists(assigned)) | Q(project__in=_visible_projects(self, user)))

    def _restrict_change(self, user):
        return self._restrict_view(user) if item_can_create(user=user) else self.none()


class ProblemQuerySet(RestrictedQuerySet):
    def _restrict_view(self, user):
        if user.sees_all:
            return self.all()
        if user.unit is None:
            return self.none()
        return self.filter(Q(owner_unit=user.unit) | Q(project__in=_visible_projects(self, user)))

    def _restrict_change(self, user):
        if user.sees_all:
            return self.all()
        if user.unit is None:
            return self.none()
        return self.filter(Q(owner_unit=user.unit) | Q(project__lead_unit=user.unit))


class MeetingQuerySet(RestrictedQuerySet):
    def _restrict_view(self, user):
        if user.sees_all:
            return self.all()
        if user.unit is None:
            return self.none()
        manager = self.model._default_manager
        attended = manager.filter(attendees__unit=user.unit).values("pk")
        assigned = manager.filter(items__assignee_units=user.unit).values("pk")
        return self.filter(Q(pk__in=attended) | Q(pk__in=assigned))

    def _restrict_change(self, user):
        return self._restrict_view(user) if meeting_can_manage(user=user) else self.none()


class AccountabilityQuerySet(RestrictedQuerySet):
    def _restrict_view(self, user):
        if user.sees_all:
            return self.all()
        if user.unit is None:
            return self.none()
        return self.filter(Q(unit=user.unit) | Q(person__unit=user.unit))

    def _restrict_change(self, user):
        return self._restrict_view(user) if accountability_can_manage(user=user) else self.none()


class ProjectWarningQuerySet(RestrictedQuerySet):
    def _restrict_view(self, user):
        return self.restrict_through("project", user, "view")


class NotificationQuerySet(RestrictedQuerySet):
    def _restrict_view(self, user):
        return self.filter(recipient_id=user.pk) if user.pk is not None else self.none()

    def _restrict_change(self, user):
        return self._restrict_view(user)
