"""The passes of the critical-path engine over arrays: the plain loops and their numpy form.

Both give the same numbers and the same topological order as each other (engine's docstring has the
semantics). The order is Kahn's algorithm with a first-in first-out queue: the tasks without
predecessors in input order, then every task at the moment its last incoming link is released, links
taken task by task in queue order and, within one task, in input order.

The numpy form takes the queue one level at a time. Level 0 is the tasks without predecessors; the
tasks released while level L is processed form level L + 1, and the FIFO queue holds exactly the
levels one after another (a task is released by its last predecessor in the queue, which lies on the
level just before its own). Within a level, tasks keep the order in which the queue would release
them: by the position of their releasing link in the level's link list. Every level costs a fixed
number of numpy calls, so a network of many narrow levels (a long chain) is handed over to the plain
loop once the levels stay narrow on average (`SWITCH_MIN_LEVELS`, `SWITCH_LINKS_PER_LEVEL`).

No Django import.
"""

from __future__ import annotations

import numpy as np

# Hand over to the plain loop after this many levels when they carried fewer than this many links
# each on average (a numpy level costs about as much as this many links in the loop).
SWITCH_MIN_LEVELS = 32
SWITCH_LINKS_PER_LEVEL = 64

# FS, SS, FF, SF by type index: leaves the predecessor's finish, reaches the successor's finish.
FROM_FINISH = np.array([1, 0, 1, 0], dtype=np.int64)
TO_FINISH = np.array([0, 0, 1, 1], dtype=np.int64)


def forward_loop(queue: list[int], start, tgt, wgt, es: list[int], indeg: list[int]) -> list[int]:
    """Kahn's algorithm with the forward pass folded in, over plain lists, from the tasks in queue.

    A task leaves the queue with its final ES, so ES[s] = max(ES[s], ES[p] + w) is relaxed as its
    links are released. The queue (extended in place) is the order.
    """
    append = queue.append
    for p in queue:  # the loop sees tasks appended while it runs
        a = start[p]
        b = start[p + 1]
        if a == b:
            continue
        base = es[p]
        for s, w in zip(tgt[a:b], wgt[a:b], strict=False):
            v = base + w
            if v > es[s]:
                es[s] = v
            left = indeg[s] - 1
            indeg[s] = left
            if not left:
                append(s)
    return queue


def backward_loop(order, start, tgt, wgt, ls: list[int]) -> None:
    """LS[p] = min(LS[p], LS[s] − w) over the tasks of order, last first, over plain lists."""
    for p in reversed(order):
        a = start[p]
        b = start[p + 1]
        if a == b:
            continue
        best = ls[p]
        for s, w in zip(tgt[a:b], wgt[a:b], strict=False):
            v = ls[s] - w
            if v < best:
                best = v
        ls[p] = best


def passes(durations, preds, succs, kinds, lags, deadline_day: int):
    """(es, ls, order, indeg) as int64 arrays for tasks 0…n−1 and links preds[k] → succs[k].

    kinds[k] is the type index (0 FS, 1 SS, 2 FF, 3 SF). When the links hold a cycle, order is
    shorter than n and indeg is positive exactly on the tasks left out of it.
    """
    dur = np.asarray(durations, dtype=np.int64)
    preds = np.asarray(preds, dtype=np.int64)
    succs = np.asarray(succs, dtype=np.int64)
    kinds = np.asarray(kinds, dtype=np.int64)
    n = len(dur)
    # Every link as succ.ES ≥ pred.ES + w, then compressed by predecessor (stable: input order).
    weights = np.asarray(lags, dtype=np.int64) + dur[preds] * FROM_FINISH[kinds]
    weights -= dur[succs] * TO_FINISH[kinds]
    by_pred = np.argsort(preds, kind="stable")
    tgt = succs[by_pred]
    wgt = weights[by_pred]
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(preds, minlength=n), out=start[1:])
    indeg = np.bincount(succs, minlength=n).astype(np.int64)
    es = np.zeros(n, dtype=np.int64)
    parts, levels, pending = _forward_levels(start, tgt, wgt, es, indeg)
    tail: list[int] = []
    if pending.size:  # narrow levels: the plain loop takes over from the tasks already released
        lists = start.tolist(), tgt.tolist(), wgt.tolist()
        es_list, indeg_list = es.tolist(), indeg.tolist()
        tail = forward_loop(pending.tolist(), *lists, es_list, indeg_list)
        es = np.array(es_list, dtype=np.int64)
        indeg = np.array(indeg_list, dtype=np.int64)
    order = np.concatenate([*parts, np.array(tail, dtype=np.int64)])
    if len(order) < n:
        return es, None, order, indeg
    ls = (deadline_day + 1) - dur
    if tail:
        ls_list = ls.tolist()
        backward_loop(tail, *lists, ls_list)
        ls = np.array(ls_list, dtype=np.int64)
    for src, t, w in reversed(levels):
        np.minimum.at(ls, src, ls[t] - w)
    return es, ls, order, indeg


def _forward_levels(start, tgt, wgt, es, indeg):
    """The queue level by level: (levels in order, each level's links (src, succ, w), pending).

    es and indeg are updated in place. pending is the next level when the plain loop should take
    over (empty when every level was done here).
    """
    count = np.diff(start)
    last = np.full(len(es), -1, dtype=np.int64)
    frontier = np.flatnonzero(indeg == 0)
    parts: list = []
    levels: list = []
    done = 0
    while frontier.size:  # methods (cnt.cumsum()) rather than functions: a level makes twenty calls
        if len(levels) >= SWITCH_MIN_LEVELS and done < SWITCH_LINKS_PER_LEVEL * len(levels):
            return parts, levels, frontier
        parts.append(frontier)
        cnt = count[frontier]
        ends = cnt.cumsum()
        total = int(ends[-1])
        if not total:
            break
        # The level's links in queue order: task by task, each task's links in input order.
        idx = (start[frontier] - (ends - cnt)).repeat(cnt) + np.arange(total)
        src = frontier.repeat(cnt)
        t = tgt[idx]
        w = wgt[idx]
        np.maximum.at(es, t, es[src] + w)
        np.subtract.at(indeg, t, 1)
        pos = (indeg[t] == 0).nonzero()[0]
        released = t[pos]
        # A task is released by its last link in the list: keep that occurrence only.
        np.maximum.at(last, released, pos)
        frontier = released[last[released] == pos]
        levels.append((src, t, w))
        done += total
    return parts, levels, frontier[:0]
