"""Reads of projects, indicators and letters. Every function takes the user and starts from
`Model.objects.restrict(user, action)` — the row rules are in tiaodu/projects/querysets.py, the
`<noun>_can_<verb>` rights in tiaodu/projects/permissions.py.

Leaders, the supervision office, administrators and the leading group's office see everything.
Any other user sees the projects its unit leads, holds territorially or supports, and edits those it
leads or holds territorially. A user with no unit sees nothing.
"""

from django.db.models import Case, QuerySet, When

from tiaodu.orgs.models import Unit
from tiaodu.projects.models import (
    ChangeStatus,
    Indicator,
    LetterItem,
    Project,
    ProjectChange,
    ResponsibilityLetter,
)


def project_list(*, user) -> QuerySet[Project]:
    """The projects the user may see."""
    return Project.objects.restrict(user, "view")


def project_editable_list(*, user) -> QuerySet[Project]:
    """The projects the user may edit."""
    return Project.objects.restrict(user, "change")


def project_roles_of_unit(*, user, unit: Unit) -> dict[str, QuerySet[Project]]:
    """A unit's projects by role, as far as the user may see them."""
    visible = project_list(user=user)
    return {
        "lead": visible.filter(lead_unit=unit),
        "territorial": visible.filter(territorial_units=unit),
        "supporting": visible.filter(supporting_units=unit),
    }


def indicator_list(*, user) -> QuerySet[Indicator]:
    return Indicator.objects.restrict(user, "view")


def letter_list(*, user) -> QuerySet[ResponsibilityLetter]:
    """Letters: everything for those who see all; otherwise the letters of the user's own unit."""
    return ResponsibilityLetter.objects.restrict(user, "view").select_related("unit")


def letter_item_list(*, user) -> QuerySet[LetterItem]:
    return LetterItem.objects.restrict(user, "view")


def change_list(*, user) -> QuerySet[ProjectChange]:
    """The baseline changes (计划变更) of the projects the user may see, pending first, newest first."""
    return (
        ProjectChange.objects.restrict(user, "view")
        .select_related("project", "requesting_unit", "requested_by__person", "decided_by__person")
        .annotate(pending_first=Case(When(status=ChangeStatus.PENDING, then=0), default=1))
        .order_by("pending_first", "-requested_at", "-id")
    )


def changes_pending_count(*, user) -> int:
    """The changes waiting for the user's decision (the side navigation's count): none if it decides none."""
    return ProjectChange.objects.restrict(user, "change").filter(status=ChangeStatus.PENDING).count()
