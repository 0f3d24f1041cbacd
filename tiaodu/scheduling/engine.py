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
(Kahn's algorithm with a first-in first-out queue, no recursion). Small networks run it as plain
loops over lists; networks of NUMPY_FROM_LINKS links or more run it with numpy one topological level
at a time (engine_fast), with the same numbers, the same order and the same errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, repeat
from operator import attrgetter

import numpy as np

from tiaodu.core.gcpause import without_gc
from tiaodu.scheduling import engine_fast

FS, SS, FF, SF = "FS", "SS", "FF", "SF"
LINK_TYPES = (FS, SS, FF, SF)
# (leaves the predecessor's finish, reaches the successor's finish)
_ENDS = {FS: (True, False), SS: (False, False), FF: (True, True), SF: (False, True)}
# The same by type index, for the passes (engine_fast.FROM_FINISH / TO_FINISH hold them as arrays).
_KIND = {t: k for k, t in enumerate(LINK_TYPES)}
_FROM_FINISH = tuple(_ENDS[t][0] for t in LINK_TYPES)
_TO_FINISH = tuple(_ENDS[t][1] for t in LINK_TYPES)
_CODE, _NAME, _DURATION, _PREDECESSORS = (attrgetter(a) for a in ("code", "name", "duration", "predecessors"))
_PREDECESSOR, _TYPE, _LAG = (attrgetter(a) for a in ("predecessor", "type", "lag"))
# Networks with at least this many links take the numpy passes (engine_fast); smaller ones the plain
# loops, where numpy's fixed costs per call would dominate. Integers beyond ±_INT_LIMIT stay on the
# plain loops too, so int64 sums can never overflow.
NUMPY_FROM_LINKS = 1000
_INT_LIMIT = 2**31


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


@dataclass(frozen=True, slots=True)
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


@dataclass(slots=True)
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


@without_gc
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
    try:
        kinds = [_KIND[t] for t in types]
    except KeyError:
        bad = next(t for t in types if t not in _KIND)
        raise ScheduleError(f"未知的依赖类型「{bad}」，应为FS、SS、FF或SF") from None
    arrays = _numpy_inputs(durations, preds, succs, kinds, lags, deadline_day)
    if arrays is None:
        return _lists_passes(list(durations), preds, succs, kinds, lags, deadline_day)
    es, ls, order = _numpy_passes(arrays, preds, succs, deadline_day)
    dur = arrays[0]
    return Arrays(
        es=es.tolist(), ef=(es + dur).tolist(), ls=ls.tolist(), lf=(ls + dur).tolist(), order=order.tolist()
    )


def _numpy_inputs(durations, preds, succs, kinds, lags, deadline_day):
    """The inputs as int64 arrays when the numpy passes pay and keep exact integer arithmetic, else None.

    Small networks stay on the plain loops (numpy's fixed costs dominate there); so do values that
    are not plain integers of moderate size (floats, huge numbers), where int64 would change a result.
    """
    if len(preds) < NUMPY_FROM_LINKS or not durations or not isinstance(deadline_day, int):
        return None
    if not len(preds) == len(succs) == len(kinds) == len(lags):
        return None  # the plain loops raise as they always did
    dur = np.array(durations)
    lag = np.array(lags) if len(lags) else np.zeros(0, dtype=np.int64)
    if dur.dtype.kind != "i" or lag.dtype.kind != "i" or abs(deadline_day) >= _INT_LIMIT:
        return None
    if int(np.abs(dur).max()) >= _INT_LIMIT or (lag.size and int(np.abs(lag).max()) >= _INT_LIMIT):
        return None
    return dur, np.array(preds, dtype=np.int64), np.asarray(succs, dtype=np.int64), kinds, lag


def _numpy_passes(arrays, preds, succs, deadline_day: int):
    """(es, ls, order) as arrays from engine_fast; CycleError (positions) as the plain loops raise it."""
    es, ls, order, indeg = engine_fast.passes(*arrays, deadline_day)
    if ls is None:
        cycle = find_cycle(len(es), preds, np.asarray(succs).tolist(), indeg.tolist())
        raise CycleError([str(i) for i in cycle])
    return es, ls, order


def _lists_passes(dur: list[int], preds, succs, kinds, lags, deadline_day: int) -> Arrays:
    """Both passes with plain lists (small networks, or values int64 would not hold exactly)."""
    n = len(dur)
    # Every link as succ.ES ≥ pred.ES + w.
    weights = [
        lag + (dur[p] if _FROM_FINISH[k] else 0) - (dur[s] if _TO_FINISH[k] else 0)
        for p, s, lag, k in zip(preds, succs, lags, kinds, strict=True)
    ]
    # Compressed adjacency by predecessor: successors of p are tgt[start[p]:start[p + 1]].
    by_pred = sorted(range(len(preds)), key=preds.__getitem__)
    tgt = [succs[k] for k in by_pred]
    wgt = [weights[k] for k in by_pred]
    out_count = [0] * n
    indeg = [0] * n
    for p in preds:
        out_count[p] += 1
    for s in succs:
        indeg[s] += 1
    start = [0, *accumulate(out_count)]
    es = [0] * n
    order = engine_fast.forward_loop([i for i in range(n) if indeg[i] == 0], start, tgt, wgt, es, indeg)
    if len(order) < n:
        raise CycleError([str(i) for i in find_cycle(n, preds, succs, indeg)])
    # Backward pass: LS[p] = min(D + 1 − d[p], LS[s] − w).
    top = deadline_day + 1
    ls = [top - d for d in dur]
    engine_fast.backward_loop(order, start, tgt, wgt, ls)
    ef = [e + d for e, d in zip(es, dur, strict=True)]
    lf = [e + d for e, d in zip(ls, dur, strict=True)]
    return Arrays(es=es, ef=ef, ls=ls, lf=lf, order=order)


def find_cycle(n: int, preds: Sequence[int], succs: Sequence[int], indeg: list[int]) -> list[int]:
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


@without_gc
def schedule(tasks: Sequence[TaskIn], deadline_day: int) -> Result:
    """Schedule tasks given by code; errors name the task (cycle) or the row (unknown predecessor)."""
    codes, durations, preds, counts, kinds, lags = _inputs(tasks)
    succs = np.repeat(np.arange(len(codes), dtype=np.int64), counts)  # links are listed task by task
    try:
        arrays = _numpy_inputs(durations, preds, succs, kinds, lags, deadline_day)
        if arrays is None:
            arr = _lists_passes(durations, preds, succs.tolist(), kinds, lags, deadline_day)
            return _lists_result(tasks, codes, durations, arr, deadline_day)
        es, ls, order = _numpy_passes(arrays, preds, succs, deadline_day)
    except CycleError as exc:
        raise CycleError([codes[int(i)] for i in exc.codes]) from None
    return _numpy_result(tasks, codes, durations, (arrays[0], es, ls, order), deadline_day)


def _inputs(tasks: Sequence[TaskIn]):
    """(codes, durations, preds, counts, kinds, lags) of tasks, or a ScheduleError naming the row.

    map() over attribute getters rather than loops: this runs over every task and link of large
    networks. Links are listed task by task, each task's predecessors in their order; counts[i] is
    the number of links of task i.
    """
    codes = list(map(_CODE, tasks))
    index = dict(zip(codes, range(len(codes)), strict=True))
    durations = list(map(_DURATION, tasks))
    if len(index) != len(tasks) or (durations and min(durations) < 0):
        seen: set[str] = set()
        for pos, task in enumerate(tasks):
            if task.code in seen:
                raise ScheduleError(f"第{_row(task, pos)}行任务编号「{task.code}」重复")
            if task.duration < 0:
                raise ScheduleError(f"第{_row(task, pos)}行任务「{task.code}」的工期不能为负数")
            seen.add(task.code)
    per_task = list(map(_PREDECESSORS, tasks))
    links = list(chain.from_iterable(per_task))
    counts = list(map(len, per_task))
    preds = list(map(index.get, map(_PREDECESSOR, links), repeat(-1)))
    kinds = list(map(_KIND.get, map(_TYPE, links), repeat(-1)))
    if -1 in preds or -1 in kinds:
        succs = chain.from_iterable(map(repeat, range(len(tasks)), counts))
        for pos, link, p, k in zip(succs, links, preds, kinds, strict=True):
            task = tasks[pos]
            if p < 0:
                raise UnknownPredecessorError(_row(task, pos), task.code, link.predecessor)
            if k < 0:
                raise ScheduleError(
                    f"第{_row(task, pos)}行任务「{task.code}」的依赖类型「{link.type}」无效，应为FS、SS、FF或SF"
                )
    return codes, durations, preds, counts, kinds, list(map(_LAG, links))


def _lists_result(tasks, codes, durations, arr: Arrays, deadline_day: int) -> Result:
    floats = [late - early for late, early in zip(arr.ls, arr.es, strict=True)]
    min_float = min(floats, default=None)
    critical = [f == min_float for f in floats]
    rank = [0] * len(tasks)
    for r, p in enumerate(arr.order):
        rank[p] = r
    crit_positions = sorted(
        (i for i, c in enumerate(critical) if c), key=lambda i: (arr.es[i], arr.ef[i], rank[i])
    )
    out = [
        TaskOut(t.code, t.name, d, es, ef, ls, lf)
        for t, d, es, ef, ls, lf in zip(tasks, durations, arr.es, arr.ef, arr.ls, arr.lf, strict=True)
    ]
    return Result(
        tasks=out,
        deadline_day=deadline_day,
        min_float=min_float,
        critical=critical,
        critical_path=[codes[i] for i in crit_positions],
        order=arr.order,
    )


def _numpy_result(tasks, codes, durations, arrays, deadline_day: int) -> Result:
    """The same Result as _lists_result, from the int64 arrays (dur, es, ls, order) of the numpy passes."""
    dur, es, ls, order = arrays
    ef = es + dur
    lf = ls + dur
    floats = ls - es
    min_float = int(floats.min())
    critical = floats == min_float
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    crit = np.flatnonzero(critical)
    crit = crit[np.lexsort((rank[crit], ef[crit], es[crit]))]  # by ES, then EF, then order
    columns = es.tolist(), ef.tolist(), ls.tolist(), lf.tolist()
    return Result(
        tasks=list(map(TaskOut, codes, map(_NAME, tasks), durations, *columns)),
        deadline_day=deadline_day,
        min_float=min_float,
        critical=critical.tolist(),
        critical_path=[codes[i] for i in crit.tolist()],
        order=order.tolist(),
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
