"""Who may see and change which documents and share links (rows).

Documents — view: those who see everything (leaders, 督查, administrators, the office) see all;
briefings are circulated to every signed-in user; a document linked to a project follows the project
(tiaodu/projects/querysets.py); linked to a unit — that unit's users; linked to a meeting — whoever
sees the meeting; a letter's scan — whoever sees the letter; the author always sees their uploads. A
document matching several links is visible when any link allows it. Change (title, delete): the
author, the office and administrators.

Share links — change (revoke): the one who shared, the document's author, the office and
administrators. Briefings (the issues) use the common rule: every signed-in user sees them, the
office and administrators make them.
"""

from __future__ import annotations

from django.db.models import Q

from tiaodu.core.querysets import RestrictedQuerySet

BRIEFING = "briefing"  # DocKind.BRIEFING (the models import this module; a test checks the two agree)


class DocumentQuerySet(RestrictedQuerySet):
    def _visible_through(self, field: str, user):
        related = self.model._meta.get_field(field).related_model
        return Q(
            **{f"{field}__isnull": False, f"{field}__in": related._default_manager.restrict(user, "view")}
        )

    def _restrict_view(self, user):
        if user.sees_all:
            return self.all()
        q = Q(kind=BRIEFING) | self._visible_through("project", user)
        if user.pk is not None:
            q |= Q(author_id=user.pk)
        if user.unit is not None:
            q |= Q(unit_id=user.unit.pk)
        q |= self._visible_through("meeting", user) | self._visible_through("letter", user)
        return self.filter(q)

    def _restrict_change(self, user):
        if user.manages_all:
            return self.all()
        return self.filter(author_id=user.pk) if user.pk is not None else self.none()


class ShareLinkQuerySet(RestrictedQuerySet):
    def _restrict_view(self, user):
        return self.restrict_through("document", user, "view")

    def _restrict_change(self, user):
        if user.manages_all:
            return self.all()
        if user.pk is None:
            return self.none()
        return self.filter(Q(created_by_id=user.pk) | Q(document__author_id=user.pk))
