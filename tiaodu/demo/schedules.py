"""Demo schedules for the demo district (called by the demo loader, not by the app itself).

`demo_schedule(project=p, load=0.85)` gives a project a typical chain of steps sized so that the work
takes about `load` times the working days between its planned start and its deadline: below 1 the
schedule holds with float to spare, above 1 it shows negative float (the finding the office needs).
The project's indicators are spread over the construction steps.
"""

from __future__ import annotations

from decimal import Decimal

from tiaodu.core.actors import SYSTEM
from tiaodu.projects.models import Project
from tiaodu.scheduling import engine
from tiaodu.scheduling.importers import ImportedTask
from tiaodu.scheduling.selectors import ScheduleUnavailable, schedule_dates, schedule_settings, work_calendar
from tiaodu.scheduling.services import tasks_replace

# (code, name, share of the working days, predecessors, takes indicator quantities)
STEPS = [
    ("1", "前期手续与征收拆迁", 0.30, [], 0),
    ("2", "管线迁改", 0.12, [engine.Link("1", "SS", 0)], 0),
    ("3", "施工图设计", 0.10, [engine.Link("1", "SS", 0)], 0),
    ("4", "施工招标", 0.06, [engine.Link("3")], 0),
    ("5", "主体工程施工", 0.40, [engine.Link("4"), engine.Link("1", "FF", 0)], 1),
    ("6", "配套与绿化", 0.15, [engine.Link("5", "SS", 0)], 2),
    ("7", "竣工验收", 0.03, [engine.Link("5"), engine.Link("6"), engine.Link("2")], 0),
    ("8", "交付使用", 0.0, [engine.Link("7")], 0),
]


def demo_tasks(project: Project, *, load: float = 0.85) -> list[ImportedTask]:
    try:
        start, deadline, _ = schedule_dates(project)
    except ScheduleUnavailable:
        return []
    axis = work_calendar(mode=schedule_settings(project).mode).axis(start)
    available = max(10, axis.number_on_or_before(deadline) + 1)
    # Steps 3, 4, 5, 7 form the longest chain; size them so that it takes `load` × the available days.
    chain_share = 0.10 + 0.06 + 0.40 + 0.03
    scale = available * load / chain_share
    indicators = list(project.indicators.order_by("sort_order", "id"))
    tasks = []
    for code, name, share, links, slot in STEPS:
        duration = 0 if share == 0 else max(1, round(share * scale))
        indicator = None
        quantity = None
        if slot and indicators:
            # the first indicator goes to the demolition-driven main works, the others to the second slot
            if slot == 1:
                indicator = indicators[0]
            elif len(indicators) > 1:
                indicator = indicators[1]
            if indicator is not None:
                quantity = Decimal(indicator.target)
        tasks.append(
            ImportedTask(
                row=code,
                code=code,
                name=name,
                duration=duration,
                links=list(links),
                indicator=indicator,
                quantity=quantity,
            )
        )
    return tasks


def demo_schedule(*, project: Project, load: float = 0.85, user=SYSTEM) -> int:
    """Replace the project's tasks with the demo chain; returns the number of tasks (0 without dates)."""
    tasks = demo_tasks(project, load=load)
    if not tasks:
        return 0
    return tasks_replace(user=user, project=project, tasks=tasks, source="system")
