"""The demo's baseline change (计划变更) waiting for the office: a street asks to move a lagging project's
planned finish (called by the demo loader, not by the app itself).

The first lagging project of the stories (tiaodu.demo.progress.STORIES) that a demo street account holds
territorially gets a pending request from that street — through the service, as the street would file it on
the page — to move its 计划完工 two months later, with the reason its reports give. Loading is additive: when
one of those projects already has a change, nothing is added.
"""

from __future__ import annotations

import datetime

from tiaodu.demo import data
from tiaodu.demo.progress import STORIES
from tiaodu.orgs.models import Role, UnitType, User
from tiaodu.projects.changes import Proposal, change_request
from tiaodu.projects.models import Project, ProjectChange

MOVE_DAYS = 61
REASON = (
    "{story}。经与指挥部会商，拟将计划完工顺延约两个月至{finish}，完成时限不变；"
    "属地街道将加快剩余户签约和管线迁改协调，确保按期交付。"
)


def _street_accounts() -> list[User]:
    return list(
        User.objects.filter(role=Role.UNIT, person__unit__type=UnitType.STREET, is_active=True)
        .select_related("person__unit")
        .order_by("username")
    )


def load_demo_changes(today: datetime.date) -> int:
    """One pending change request of a street; returns how many were created (0 or 1)."""
    accounts = _street_accounts()
    codes = [key.format(year=today.year) for key in STORIES]
    if ProjectChange.objects.filter(project__code__in=codes).exists():
        return 0
    for code, story in zip(codes, STORIES.values(), strict=True):
        if not story.problems:
            continue
        project = Project.objects.filter(code=code, planned_finish__isnull=False).first()
        if project is None:
            continue
        held = set(project.territorial_units.values_list("pk", flat=True))
        street = next((u for u in accounts if u.person.unit_id in held), None)
        if street is None:
            continue
        finish = project.planned_finish + datetime.timedelta(days=MOVE_DAYS)
        reason = REASON.format(
            story=story.problems.rstrip("。"), finish=f"{finish.year}年{finish.month}月{finish.day}日"
        )
        change_request(
            user=street,
            project=project,
            proposal=Proposal(reason=reason, planned_finish=finish),
            source=data.SOURCE,
        )
        return 1
    return 0
