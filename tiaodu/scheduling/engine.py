"""The critical-path engine: pure Python over working-day numbers. No Django import.

Semantics (so anyone can check an answer by hand):

* Working days are numbered 0, 1, 2, … from the project's start (the caller maps dates).
* A task of duration d ≥ 1 starting on day s occupies days s … s+d−1; EF = ES + d (exclusive end).
  A milestone (d = 0) has ES = EF.
* Links, with a lag in working days (may be negative):
  FS: succ.ES ≥ pred.EF + lag    SS: succ.ES ≥ pred.ES + lag
  FF: succ.EF ≥ pred.EF + lag    SF: succ.EF ≥ pred.ES + lag
  and every task has ES ≥ 0.
* Forward pass: the earliest ES/EF satisfying every constraint.
* Backward pass: D is the last working day on or before the deadline; every task has LF ≤ D + 1;
  LS = LF − d; the latest LS/LF satisfying every constraint.
* Total float = LS − ES (may be negative). Critical tasks: float equal to the smallest float.
  Feasible: smallest float ≥ 0.

Every link reduces to one inequality between starts, succ.ES ≥ pred.ES + w with
w = lag + (d_pred if the link leaves the predecessor's finish) − (d_succ if it reaches the
successor's finish). The forward pass is then a longest path from the ES ≥ 0 floor and the
backward pass a longest path back from the LS ≤ D + 1 − d ceiling, both in one topological order
(Kahn's algorithm, plain lists, no recursion).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

FS, SS, FF, SF = "FS", "SS", "FF", "SF"
LINK_TYPES = (FS, SS, FF, SF)
# (leaves the predecessor's finish, reaches the successor's finish)
_ENDS = {FS: (True, False), SS: (False, False), FF: (True, True), SF: (False, True)}


class ScheduleError(ValueError):
    """Input the engine cannot schedule; the message is shown to users (Chinese)."""


class CycleError(ScheduleError):
    def __init__(self, codes: list[str]):
        self.codes = codes
        super().__init__("任务之间存在循环依赖：" + " → ".join(codes + codes[:1]))


class UnknownPredecessorError(ScheduleError):
    def __init__(self, row: int | str, code: str, predecessor: str):
        self.row, self.code, self.predecessor = row, code, predecessor
        super().__init__(f"第{row}行任务「{code}」的紧前任务「{predecessor}」不存在")


@dataclass(frozen=True)
class Link:
    predecessor: str
    type: str = FS
    lag: int = 0


@dataclass
class TaskIn:
    code: str
    duration: int
    predecessors: Sequence[Link] = ()
    name: str = ""
    row: int | str | None = None  # how to name the row in an error; defaults to the 1-based position


@dataclass
class TaskOut:
    code: str
    name: str
    duration: int
    es: int
    ef: int
    ls: int
    lf: int

    @property
    def total_float(self) -> int:
        return self.ls - self.es


@dataclass
class Result:
    tasks: list[TaskOut]  # in input order
    deadline_day: int
    min_float: int | None
    critical: list[bool]
    critical_path: list[str]  # codes of the critical tasks in schedule order
    order: list[int] = field(default_factory=list)  # a topological order of input positions

    @property
    def feasible(self) -> bool:
        return self.min_float is None or self.min_float >= 0

    @property
    def finish_day(self) -> int:
        """EF of the whole schedule (exclusive), 0 when there are no tasks."""
        return max((t.ef for t in self.tasks), default=0)


@dataclass
class Arrays:
    """The raw passes over positions 0…n−1."""

    es: list[int]
    ef: list[int]
    ls: list[int]
    lf: list[int]
    order: list[int]


def schedule_arrays(
    durations: Sequence[int],
    preds: Sequence[int],
    succs: Sequence[int],
    types: Sequence[str],
    lags: Sequence[int],
    deadline_day: int,
) -> Arrays:
    """Both passes over tasks 0…n−1 and links preds[k] → succs[k] of types[k] with lags[k].

    Raises CycleError (with task positions as strings) when the links contain a cycle.
    """
    n = len(durations)
    m = len(preds)
    dur = list(durations)
    # Compressed adjacency by predecessor: successors of p are tgt[start[p]:start[p + 1]].
    start = [0] * (n + 1)
    for p in preds:
        start[p + 1] += 1
    for i in range(n):
        start[i + 1] += start[i]
    fill = start[:-1]
    tgt = [0] * m
    wgt = [0] * m
    indeg = [0] * n
    ends = _ENDS
    for k in range(m):
        p = preds[k]
        s = succs[k]
        try:
            from_finish, to_finish = ends[types[k]]
        except KeyError:
            raise ScheduleError(f"未知的依赖类型「{types[k]}」，应为FS、SS、FF或SF") from None
        w = lags[k]
        if from_finish:
            w += dur[p]
        if to_finish:
            w -= dur[s]
        pos = fill[p]
        fill[p] = pos + 1
        tgt[pos] = s
        wgt[pos] = w
        indeg[s] += 1

    # Kahn's algorithm; the queue is the order itself.
    order = [i for i in range(n) if indeg[i] == 0]
    head = 0
    while head < len(order):
        p = order[head]
        head += 1
        for pos in range(start[p], start[p + 1]):
            s = tgt[pos]
            indeg[s] -= 1
            if indeg[s] == 0:
                order.append(s)
    if len(order) < n:
        raise CycleError([str(i) for i in _find_cycle(n, preds, succs, indeg)])

    # Forward pass: ES[s] = max(0, ES[p] + w).
    es = [0] * n
    for p in order:
        base = es[p]
        for pos in range(start[p], start[p + 1]):
            s = tgt[pos]
            v = base + wgt[pos]
            if v > es[s]:
                es[s] = v
    # Backward pass: LS[p] = min(D + 1 − d[p], LS[s] − w).
    top = deadline_day + 1
    ls = [top - d for d in dur]
    for p in reversed(order):
        best = ls[p]
        for pos in range(start[p], start[p + 1]):
            v = ls[tgt[pos]] - wgt[pos]
            if v < best:
                best = v
        ls[p] = best
    ef = [es[i] + dur[i] for i in range(n)]
    lf = [ls[i] + dur[i] for i in range(n)]
    return Arrays(es=es, ef=ef, ls=ls, lf=lf, order=order)


def _find_cycle(n: int, preds: Sequence[int], succs: Sequence[int], indeg: list[int]) -> list[int]:
    """One cycle among the nodes Kahn's algorithm could not order, in link direction."""
    stuck = [indeg[i] > 0 for i in range(n)]
    back: list[int] = [-1] * n  # one stuck predecessor of each stuck node
    for k in range(len(preds)):
        s, p = succs[k], preds[k]
        if stuck[s] and stuck[p] and back[s] < 0:
            back[s] = p
    node = next(i for i in range(n) if stuck[i])
    seen: dict[int, int] = {}
    walk: list[int] = []
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        node = back[node]
    cycle = walk[seen[node] :]
    cycle.reverse()  # we walked against the links
    # Start the cycle at its smallest position so the message is stable.
    first = cycle.index(min(cycle))
    return cycle[first:] + cycle[:first]


def schedule(tasks: Sequence[TaskIn], deadline_day: int) -> Result:
    """Schedule tasks given by code; errors name the task (cycle) or the row (unknown predecessor)."""
    index: dict[str, int] = {}
    for pos, task in enumerate(tasks):
        if task.code in index:
            raise ScheduleError(f"第{_row(task, pos)}行任务编号「{task.code}」重复")
        if task.duration < 0:
            raise ScheduleError(f"第{_row(task, pos)}行任务「{task.code}」的工期不能为负数")
        index[task.code] = pos
    preds: list[int] = []
    succs: list[int] = []
    types: list[str] = []
    lags: list[int] = []
    for pos, task in enumerate(tasks):
        for link in task.predecessors:
            p = index.get(link.predecessor)
            if p is None:
                raise UnknownPredecessorError(_row(task, pos), task.code, link.predecessor)
            if link.type not in _ENDS:
                raise ScheduleError(
                    f"第{_row(task, pos)}行任务「{task.code}」的依赖类型「{link.type}」无效，应为FS、SS、FF或SF"
                )
            preds.append(p)
            succs.append(pos)
            types.append(link.type)
            lags.append(int(link.lag))
    durations = [int(t.duration) for t in tasks]
    try:
        arr = schedule_arrays(durations, preds, succs, types, lags, deadline_day)
    except CycleError as exc:
        raise CycleError([tasks[int(i)].code for i in exc.codes]) from None
    floats = [arr.ls[i] - arr.es[i] for i in range(len(tasks))]
    min_float = min(floats, default=None)
    critical = [f == min_float for f in floats]
    rank = {p: r for r, p in enumerate(arr.order)}
    crit_positions = sorted(
        (i for i in range(len(tasks)) if critical[i]), key=lambda i: (arr.es[i], arr.ef[i], rank[i])
    )
    out = [
        TaskOut(
            code=t.code,
            name=t.name,
            duration=durations[i],
            es=arr.es[i],
            ef=arr.ef[i],
            ls=arr.ls[i],
            lf=arr.lf[i],
        )
        for i, t in enumerate(tasks)
    ]
    return Result(
        tasks=out,
        deadline_day=deadline_day,
        min_float=min_float,
        critical=critical,
        critical_path=[tasks[i].code for i in crit_positions],
        order=arr.order,
    )


def _row(task: TaskIn, pos: int) -> int | str:
    return task.row if task.row is not None else pos + 1


def violations(tasks: Sequence[TaskIn], result: Result) -> list[str]:
    """Every constraint that the result breaks, in words (empty when all hold). Used by tests."""
    by_code = {t.code: t for t in result.tasks}
    problems: list[str] = []
    top = result.deadline_day + 1
    for task in tasks:
        me = by_code[task.code]
        if me.es < 0:
            problems.append(f"{task.code}: ES < 0")
        if me.lf > top:
            problems.append(f"{task.code}: LF > D + 1")
        if me.ef != me.es + me.duration or me.lf != me.ls + me.duration:
            problems.append(f"{task.code}: finish != start + duration")
        for link in task.predecessors:
            pr = by_code[link.predecessor]
            for label, (p_start, p_finish, s_start, s_finish) in (
                ("early", (pr.es, pr.ef, me.es, me.ef)),
                ("late", (pr.ls, pr.lf, me.ls, me.lf)),
            ):
                lhs, rhs = {
                    FS: (s_start, p_finish),
                    SS: (s_start, p_start),
                    FF: (s_finish, p_finish),
                    SF: (s_finish, p_start),
                }[link.type]
                if lhs < rhs + link.lag:
                    problems.append(f"{label} {link.predecessor}{link.type}{link.lag:+d} → {task.code}")
    return problems


_LINK_RE = re.compile(
    r"^(?P<code>.+?)(?P<type>FS|SS|FF|SF)?(?P<lag>[+-]\d+)?(?:D|天|工作日)?$", re.IGNORECASE
)


def parse_links(text, known: Iterable[str] | None = None) -> list[Link]:
    """Parse a 紧前任务 cell: items separated by `,` or `、` (also `，；;`), each `3`, `3FS`, `3SS+2`, `4FF-1`.

    An item that is exactly one of the `known` task codes is taken as that code (FS, no lag).
    Raises ValueError naming the item when it cannot be read.
    """
    links: list[Link] = []
    if text is None:
        return links
    raw = str(text).strip()
    if raw.endswith(".0") and raw[:-2].isdigit():  # a number cell read back from Excel
        raw = raw[:-2]
    if not raw:
        return links
    known_set = set(known or ())
    for sep in ("、", "，", "；", ";"):
        raw = raw.replace(sep, ",")
    for item in raw.split(","):
        item = item.strip().replace(" ", "")
        if not item:
            continue
        if item in known_set:
            links.append(Link(item, FS, 0))
            continue
        match = _LINK_RE.match(item)
        if not match:
            raise ValueError(f"无法识别「{item}」，应写作如 3、3FS、3SS+2、4FF-1")
        lag = match["lag"]
        links.append(Link(match["code"], (match["type"] or FS).upper(), int(lag) if lag else 0))
    return links


def format_link(link: Link) -> str:
    """The text form parse_links reads back: `3`, `3SS+2`, `4FF-1`."""
    if link.type == FS and link.lag == 0:
        return link.predecessor
    lag = f"{link.lag:+d}" if link.lag else ""
    return f"{link.predecessor}{link.type}{lag}"


def iter_links(tasks: Iterable[TaskIn]):
    for t in tasks:
        for link in t.predecessors:
            yield link.predecessor, t.code, link
