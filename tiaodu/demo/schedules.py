"""Demo schedules for the demo district (called by the demo loader, not by the app itself).

`demo_tasks(project)` gives a project the chain of steps a district would plan for it, built from its
indicators: every indicator is produced by the task that really does that work (拆迁面积 by 征收拆迁,
道路长度 by 道路工程施工, 绿化面积 by 绿化工程 …), and 完成投资 (compensation and works payments) has
its own task, paid out from the first producing task's start to the last one's end. The steps:

    前期手续 → 拆除 (the demolition indicators) and 施工招标 → the works, which enter the cleared sections
    (SS after the demolition's start + 40 % of it) → finishing works (greening, lighting, … SS after the
    main works) → 竣工验收 → 交付使用 (a milestone)

The schedule is sized so that it finishes on the project's planned finish (its float is the working days
left to the deadline), or, with `load`, so that it takes about `load` times the working days between
planned start and deadline (below 1 the schedule holds, above 1 it shows negative float).
"""

from __future__ import annotations

from decimal import Decimal

from tiaodu.core.actors import SYSTEM
from tiaodu.projects.models import Project, ProjectType
from tiaodu.scheduling import engine
from tiaodu.scheduling.importers import ImportedTask
from tiaodu.scheduling.models import Task
from tiaodu.scheduling.selectors import ScheduleUnavailable, schedule_dates, schedule_settings, work_calendar
from tiaodu.scheduling.services import task_save, tasks_replace

DEMOLISH, WORKS, FINISH, MONEY = "demolish", "works", "finish", "money"

# (keyword of the indicator's name, the task that produces it, its phase); the first match wins, so the
# more specific keywords stand first. An indicator matching none is produced by 主体工程施工.
PRODUCERS = [
    ("投资", "", MONEY),
    ("拆迁安置户数", "拆迁户签约安置", DEMOLISH),
    ("拆迁", "征收拆迁", DEMOLISH),
    ("违建", "违法建设拆除", DEMOLISH),
    ("违规广告", "违规广告拆除", WORKS),
    ("签约", "招商洽谈签约", WORKS),
    ("安置房", "安置房建设", WORKS),
    ("整治支路", "支路逐条整治", WORKS),
    ("支路", "支路路面改造", WORKS),
    ("整修道路", "次干道路面翻修", WORKS),
    ("人行道", "人行道铺装", FINISH),
    ("道路整修", "道路整修", WORKS),
    ("道路", "道路工程施工", WORKS),
    ("整治街巷", "街巷逐条整治", WORKS),
    ("路面", "街巷路面硬化及排水改造", WORKS),
    ("河道", "河道清淤拓宽及护岸治理", WORKS),
    ("清淤", "河道清淤", WORKS),
    ("护岸", "护岸砌筑", FINISH),
    ("管网", "雨污管网铺设", WORKS),
    ("商务楼亮化", "商务楼亮化施工", FINISH),
    ("住宅楼亮化", "住宅楼亮化施工", FINISH),
    ("景观亮化", "景观亮化施工", FINISH),
    ("亮化", "建筑亮化施工", WORKS),
    ("改造面积", "平改坡屋面施工", WORKS),
    ("改造栋数", "平改坡逐栋完工验收", FINISH),
    ("整治小区", "小区逐个整治验收", FINISH),
    ("整治建筑面积", "小区楼体及配套整治", WORKS),
    ("立面", "立面整治施工", WORKS),
    ("整治建筑", "沿街建筑逐栋整治", FINISH),
    ("游园", "游园建设", WORKS),
    ("绿地", "绿地建设", FINISH),
    ("绿化", "绿化工程", FINISH),
    ("整治长度", "沿线环境整治", WORKS),
    ("清理点位", "死角点位清理", WORKS),
    ("垃圾", "垃圾清运", WORKS),
    ("点位", "点位排查整治", WORKS),
    ("市场", "农贸市场改造提升", WORKS),
    ("牌匾", "门头牌匾规范", WORKS),
    ("线缆", "架空线缆入地及规范", WORKS),
]
FALLBACK = ("主体工程施工", WORKS)

# Shares of the sizing unit: preparation, demolition, tender, main works, other works, acceptance.
# The other and finishing works end a little before the main works, so that the main works (and what
# leads to them) are the critical path.
PREP, DEMOLITION, TENDER, MAIN, OTHER, ACCEPTANCE = 0.10, 0.32, 0.06, 0.45, 0.30, 0.03


def producer(indicator_name: str) -> tuple[str, str]:
    """(task name, phase) of the task that produces an indicator."""
    for keyword, task, phase in PRODUCERS:
        if keyword in indicator_name:
            return task, phase
    return FALLBACK


def _plain_tasks(project: Project, indicators: list, unit: float) -> list[ImportedTask]:
    """The chain with durations from `unit` (working days of the sizing unit); quantities set later."""
    key = project.type == ProjectType.KEY_CONSTRUCTION

    def days(share: float) -> int:
        return max(1, round(share * unit))

    tasks: list[ImportedTask] = []

    def add(name, duration, links, indicator=None) -> str:
        code = str(len(tasks) + 1)
        tasks.append(ImportedTask(row=code, code=code, name=name, duration=duration, links=links))
        tasks[-1].indicator = indicator
        return code

    prep = add("前期手续与施工图设计" if key else "排查摸底与整治方案", days(PREP if key else PREP / 2), [])
    produced = [(ind, *producer(ind.name)) for ind in indicators]
    demolish = [(ind, name) for ind, name, phase in produced if phase == DEMOLISH]
    works = [(ind, name) for ind, name, phase in produced if phase == WORKS]
    finish = [(ind, name) for ind, name, phase in produced if phase == FINISH]
    if not works and finish:
        works, finish = finish[:1], finish[1:]
    dem_codes = []
    for i, (ind, name) in enumerate(demolish):
        share = DEMOLITION if works else DEMOLITION + MAIN
        dem_codes.append(add(name, days(share * (1 if i == 0 else 0.9)), [engine.Link(prep)], ind))
    start = add("施工招标", days(TENDER), [engine.Link(prep)]) if key and works else prep
    main_codes = []
    for i, (ind, name) in enumerate(works):
        links = [engine.Link(start)]
        if dem_codes:  # works enter the sections already cleared
            links.append(engine.Link(dem_codes[0], "SS", round(tasks[int(dem_codes[0]) - 1].duration * 0.4)))
        if i:  # the other works follow the main works closely
            links = [engine.Link(main_codes[0], "SS", days(0.03))]
        main_codes.append(add(name, days(MAIN if i == 0 else MAIN * 0.88), links, ind))
    fin_codes = []
    after = main_codes[0] if main_codes else start
    for ind, name in finish:
        fin_codes.append(add(name, days(OTHER), [engine.Link(after, "SS", days(0.12))], ind))
    ends = dem_codes + main_codes + fin_codes
    money = [ind for ind, _name, phase in produced if phase == MONEY]
    if money and ends:
        # 完成投资: compensation and works payments, from the first producing task to the last one's end.
        result = engine.schedule(_inputs(tasks), 0)
        first = min(ends, key=lambda c: result.tasks[int(c) - 1].es)
        span = max(result.tasks[int(c) - 1].ef for c in ends) - result.tasks[int(first) - 1].es
        name = "建设投资拨付（征收补偿及工程款）" if dem_codes else "建设投资拨付（工程款）"
        ends.append(add(name, max(span, 1), [engine.Link(first, "SS", 0)], money[0]))
    check = add("竣工验收" if key else "整治验收", days(ACCEPTANCE), [engine.Link(c) for c in ends or [prep]])
    add("交付使用" if key else "整治完成", 0, [engine.Link(check)])
    return tasks


def _with_quantities(tasks: list[ImportedTask]) -> list[ImportedTask]:
    """Each task producing an indicator carries its whole target."""
    for t in tasks:
        if t.indicator is not None:
            t.quantity = Decimal(t.indicator.target)
    return tasks


def demo_tasks(project: Project, *, load: float | None = None) -> list[ImportedTask]:
    """The project's chain of tasks, finishing on its planned finish (or at `load` × the working days to
    the deadline); [] without dates."""
    try:
        start, deadline, _ = schedule_dates(project)
    except ScheduleUnavailable:
        return []
    axis = work_calendar(mode=schedule_settings(project).mode).axis(start)
    available = max(10, axis.number_on_or_before(deadline) + 1)
    if load is None and project.planned_finish is not None:
        wanted = max(10, axis.number_on_or_before(min(project.planned_finish, deadline)) + 1)
    else:
        wanted = max(10, round(available * (0.85 if load is None else load)))
    indicators = list(project.indicators.order_by("sort_order", "id"))
    unit = float(wanted)
    tasks = _plain_tasks(project, indicators, unit)
    for _ in range(3):  # the finish is nearly proportional to the unit: correct it twice
        finish = engine.schedule(_inputs(tasks), 0).finish_day
        if finish == wanted:
            break
        unit *= wanted / max(finish, 1)
        tasks = _plain_tasks(project, indicators, unit)
    return _with_quantities(tasks)


def _inputs(tasks: list[ImportedTask]) -> list[engine.TaskIn]:
    return [engine.TaskIn(t.code, t.duration, t.links, t.name, row=t.row) for t in tasks]


def demo_schedule(*, project: Project, load: float | None = None, user=SYSTEM, source: str = "system") -> int:
    """Replace the project's tasks with the demo chain; returns the number of tasks (0 without dates)."""
    tasks = demo_tasks(project, load=load)
    if not tasks:
        return 0
    return tasks_replace(user=user, project=project, tasks=tasks, source=source)


def demo_replan(
    *, project: Project, indicator_id: int, days: int, user=SYSTEM, source: str = "system"
) -> int:
    """Bring a lagging project's schedule up to date: the tasks producing the indicator that lags take
    `days` working days longer (the baseline keeps the plan). Returns the number of tasks changed."""
    changed = 0
    for task in Task.objects.filter(project=project, indicator_id=indicator_id).order_by("sort_order"):
        task_save(
            user=user, project=project, task=task, data={"duration": task.duration + days}, source=source
        )
        changed += 1
    return changed
