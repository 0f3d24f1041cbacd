"""The passes of file_engine after the forward and backward passes: P6 level-of-effort activities, total
float, critical flags and summary roll-ups. `net` is file_engine's _Net."""

from __future__ import annotations

from tiaodu.scheduling.file_engine_passes import add_lag
from tiaodu.scheduling.file_model import ALAP, FS, SF, SS, TaskResult


# Level of effort (P6).
def level_of_effort(net, links) -> None:
    for i in range(len(net.tasks)):
        if net.loe[i]:
            _loe(net, i, links)


def _loe(net, i, links) -> None:
    t = net.tasks[i]
    if t.actual_finish is not None:
        start = t.actual_start or t.actual_finish
        net.es[i], net.ef[i], net.ls[i], net.lf[i] = start, t.actual_finish, start, t.actual_finish
        return
    starts, late_starts, finishes, late_finishes = [], [], [], []
    for link in links:
        if link.s == i and not net.loe[link.p]:
            p = link.p
            if link.type in (SS, FS):
                early = net.es[p] if link.type == SS else net.ef[p]
                late = net.ls[p] if link.type == SS else net.lf[p]
                starts.append(add_lag(net, link, early))
                late_starts.append(add_lag(net, link, late))
            else:
                early = net.es[p] if link.type == SF else net.ef[p]
                late = net.ls[p] if link.type == SF else net.lf[p]
                finishes.append(net.pwf(i, add_lag(net, link, early)))
                late_finishes.append(net.pwf(i, add_lag(net, link, late)))
        elif link.p == i and not net.loe[link.s]:
            s = link.s
            if link.type in (SS, SF):
                early = net.es[s] if link.type == SS else net.ef[s]
                late = net.ls[s] if link.type == SS else net.lf[s]
                starts.append(add_lag(net, link, early, -1))
                late_starts.append(add_lag(net, link, late, -1))
            else:
                early = net.es[s] if link.type == FS else net.ef[s]
                late = net.ls[s] if link.type == FS else net.lf[s]
                finishes.append(net.pwf(i, add_lag(net, link, early, -1)))
                late_finishes.append(net.pwf(i, add_lag(net, link, late, -1)))
    es = min(starts) if starts else net.nws(i, net.dd)
    if es < net.dd:
        es = net.nws(i, net.dd)
    ef = max(finishes) if finishes else es
    ef = max(ef, net.dd, es)
    lf = max(late_finishes) if late_finishes else max(net.ef[j] for j in range(len(net.tasks)) if net.ef[j])
    ls = min(late_starts) if late_starts else lf
    ls = min(ls, lf)
    net.es[i] = net.cal[i].next_work_start(es)
    net.ef[i] = net.es[i] if es == ef else ef
    net.ls[i] = net.cal[i].next_work_start(ls) if ls < lf else ls
    net.lf[i] = lf
    net.calc_ls[i] = net.ls[i]


# Floats, summaries, results.
def _float(net, i, es, ef, ls, lf) -> int:
    t = net.tasks[i]
    if t.actual_finish is not None:
        return 0
    if net.msp and t.constraint == ALAP:
        return 0
    finish_float = net.work(i, ef, lf)
    if not net.msp or t.actual_start is not None:
        return finish_float
    return min(net.work(i, es, ls), finish_float)


def results(net, order) -> dict[str, TaskResult]:
    out: dict[str, TaskResult] = {}
    for i, t in enumerate(net.tasks):
        if net.summary[i] or net.es[i] is None or net.ls[i] is None:
            continue
        es, ef, ls, lf = net.es[i], net.ef[i], net.ls[i], net.lf[i]
        if net.msp and t.constraint == ALAP and t.actual_start is None:
            es, ef = ls, lf  # scheduled at its late dates
        tf = _float(net, i, es, ef, ls, lf)
        critical = (
            t.actual_finish is None and t.percent_complete < 100 and tf <= 0 and not (t.manual and t.typed)
        )
        out[t.key] = TaskResult(t.key, es, ef, ls, lf, tf, critical)
    for i in range(len(net.tasks)):
        if net.summary[i] and (net.tasks[i].parent is None or net.tasks[i].parent not in net.index):
            _rollup(net, i, out)
    return out


def _rollup(net, i, out):
    """The summary's result from its children's, with whether any child started and all finished."""
    kids, started, finished = [], False, True
    for j in net.children.get(i, ()):
        if net.summary[j]:
            got = _rollup(net, j, out)
            if got is None:
                continue
            r, s, f = got
        else:
            r, t = out.get(net.tasks[j].key), net.tasks[j]
            s, f = t.actual_start is not None or t.actual_finish is not None, t.actual_finish is not None
        if r is not None:
            kids.append(r)
            started, finished = started or s, finished and f
    if not kids:
        return None
    es = min(r.early_start for r in kids)
    ef = max(r.early_finish for r in kids)
    ls = min(r.late_start for r in kids)
    lf = max(r.late_finish for r in kids)
    finish_float = net.work(i, ef, lf)
    tf = min(net.work(i, es, ls), finish_float) if net.msp and not started else finish_float
    # MS Project: a summary is critical by its own total float; P6 (WBS): when any activity below is.
    critical = (tf <= 0 and not finished) if net.msp else any(r.critical for r in kids)
    result = TaskResult(net.tasks[i].key, es, ef, ls, lf, tf, critical)
    out[result.key] = result
    return result, started, finished
