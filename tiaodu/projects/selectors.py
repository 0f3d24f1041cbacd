"""Reads of projects, indicators and letters. Every function takes the user: visibility lives here.

Leaders, the supervision office, administrators and the leading group's office see everything.
Any other user sees the projects its unit leads, holds territorially or supports, and edits those it
leads or holds territorially. A user with no unit sees nothing.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from tiaodu.orgs.models import Unit
from tiaodu.projects.models import Indicator, LetterItem, Project, ResponsibilityLetter


def _unit_q(unit: Unit, roles=("lead", "territorial", "supporting")) -> Q:
    through_t = Project.territorial_units.through
    through_s = Project.supporting_units.through
    q = Q(pk__in=[])
    if "lead" in roles:
        q |= Q(lead_unit=unit)
    if "territorial" in roles:
        q |= Q(Exists(through_t.objects.filter(project_id=OuterRef("pk"), unit_id=unit.pk)))
    if "supporting" in roles:
        q |= Q(Exists(through_s.objects.filter(project_id=OuterRef("pk"), unit_id=unit.pk)))
    return q


def project_list(*, user) -> QuerySet[Project]:
    """The projects the user may see."""
    qs = Project.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.sees_all:
        return qs
    unit = user.unit
    if unit is None:
        return qs.none()
    return qs.filter(_unit_q(unit))


def project_editable_list(*, user) -> QuerySet[Project]:
    qs = Project.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.manages_all:
        return qs
    unit = user.unit
    if unit is None or user.role != "unit":
        return qs.none()
    return qs.filter(_unit_q(unit, roles=("lead", "territorial")))


def project_can_edit(*, user, project: Project) -> bool:
    if not user.is_authenticated:
        return False
    if user.manages_all:
        return True
    unit = user.unit
    if unit is None or user.role != "unit":
        return False
    return project.lead_unit_id == unit.pk or project.territorial_units.filter(pk=unit.pk).exists()


def project_roles_of_unit(*, user, unit: Unit) -> dict[str, QuerySet[Project]]:
    """A unit's projects by role, as far as the user may see them."""
    visible = project_list(user=user)
    return {
        "lead": visible.filter(lead_unit=unit),
        "territorial": visible.filter(territorial_units=unit),
        "supporting": visible.filter(supporting_units=unit),
    }


def indicator_list(*, user) -> QuerySet[Indicator]:
    return Indicator.objects.filter(project__in=project_list(user=user))


def letter_list(*, user) -> QuerySet[ResponsibilityLetter]:
    """Letters: everything for those who see all; otherwise the letters of the user's own unit."""
    qs = ResponsibilityLetter.objects.select_related("unit")
    if not user.is_authenticated:
        return qs.none()
    if user.sees_all:
        return qs
    if user.unit is None:
        return qs.none()
    return qs.filter(unit=user.unit)


def letter_can_edit(*, user, letter: ResponsibilityLetter | None = None) -> bool:
    """Only the office and administrators draw up and sign letters."""
    return bool(user.is_authenticated and user.manages_all)


def letter_item_list(*, user) -> QuerySet[LetterItem]:
    return LetterItem.objects.filter(letter__in=letter_list(user=user))
