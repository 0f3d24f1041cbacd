"""The passes of file_engine (its module docstring states the semantics): forward, backward, level of
effort, floats and summaries. `net` is file_engine's _Net; links are file_engine's _Link."""

from __future__ import annotations

import datetime

from tiaodu.scheduling.file_model import (
    ALAP,
    FF,
    FNET,
    FNLT,
    FS,
    MFO,
    MSO,
    SF,
    SNET,
    SNLT,
    SS,
)
from tiaodu.scheduling.worktime import add_elapsed


def index_links(links):
    by_succ: dict[int, list] = {}
    by_pred: dict[int, list] = {}
    for link in links:
        by_succ.setdefault(link.s, []).append(link)
        by_pred.setdefault(link.p, []).append(link)
    return by_succ, by_pred


def _lag_cal(net, link) -> int:
    """MS Project counts a lag on the successor's calendar, P6 on the predecessor's."""
    return link.s if net.msp else link.p


def add_lag(net, link, t: datetime.datetime, sign: int = 1, lag: int | None = None) -> datetime.datetime:
    lag = link.lag if lag is None else lag
    if not lag:
        return t
    if link.elapsed:
        out = add_elapsed(t, sign * lag)
    else:
        out = net.cal[_lag_cal(net, link)].add(t, sign * lag)
    if not net.msp and sign > 0 and lag < 0 and out < net.dd:
        out = net.dd  # P6: a negative lag never reaches before the data date
    return out


def _constraint(net, i):
    t = net.tasks[i]
    return t.constraint, t.constraint_date, t.mandatory


# Forward pass.
def _candidate(net, link) -> datetime.datetime:
    """The early start that one link allows its successor."""
    p, s = link.p, link.s
    pt = net.tasks[p]
    alap = net.alap_pass and pt.constraint == ALAP and net.tasks[s].constraint != ALAP
    p_es = net.ls[p] if alap else net.es[p]
    p_ef = net.lf[p] if alap else net.ef[p]
    if not net.msp and net.tasks[s].actual_finish is not None:
        return _p6_to_finished(net, link, p_es, p_ef)
    if link.type == FS:
        if not net.msp and pt.actual_finish is not None and link.lag > 0:
            done = 0
            if pt.actual_finish < net.dd:  # the part of the lag already run by the data date
                since = net.dd - pt.actual_finish
                lag_cal = net.cal[_lag_cal(net, link)]
                done = (
                    since.total_seconds() // 60 if link.elapsed else lag_cal.between(pt.actual_finish, net.dd)
                )
            return add_lag(net, link, p_ef, lag=max(link.lag - int(done), 0))
        return add_lag(net, link, p_ef)
    if link.type == SS:
        if net.msp and pt.actual_finish is not None and pt.actual_start is not None:
            p_es = pt.actual_start
        if not net.msp and pt.actual_start is not None:
            return _p6_ss_started(net, link, p_es)
        return add_lag(net, link, p_es)
    if link.type == FF:
        if net.msp:
            base = pt.actual_finish if pt.actual_start is not None and pt.actual_finish else p_ef
            es = add_lag(net, link, net.plus(s, base, -net.rem[s]))
            return max(es, net.start)
        if pt.actual_finish is not None and (link.lag == 0 or link.lag > net.dur[p] - net.rem[p]):
            p_ef = pt.actual_finish  # P6: a finished predecessor's actual finish
        return net.plus(s, add_lag(net, link, p_ef), -net.rem[s])
    return add_lag(net, link, net.plus(s, p_es, -net.dur[s]))  # SF


def _p6_to_finished(net, link, p_es, p_ef) -> datetime.datetime:
    """P6, a finished successor: a started predecessor's lag is taken as run (only an SF lag from a finished
    predecessor counts, up to the data date); an unstarted predecessor's lag still counts."""
    pt = net.tasks[link.p]
    if link.type == SF:
        if not link.lag:
            return p_es
        if pt.actual_finish is not None:
            return min(add_lag(net, link, p_es), net.dd)
        return net.nws(link.s, net.dd) if pt.actual_start is not None else add_lag(net, link, p_es)
    if pt.actual_finish is not None:
        return p_es if link.type == SS else p_ef
    if link.type == SS:
        return p_es if pt.actual_start is not None else add_lag(net, link, p_es)
    return add_lag(net, link, p_ef)  # FS, FF: the successor has no remaining duration


def _applied_finish(net, link, es):
    """P6: the early finish an unstarted FF/SF link sets beside its start (None: start + duration)."""
    p, s = link.p, link.s
    if net.msp or net.tasks[p].actual_start is not None or net.tasks[s].actual_start is not None:
        return None
    if link.type == FF:
        if link.lag > 0:
            return None
        finish = add_lag(net, link, net.ef[p])
        return finish if link.lag or p6_working(net, s, finish) else net.nws(s, finish)
    if link.type == SF and link.lag and es > net.dd:
        return add_lag(net, link, net.es[p])
    return None


def _driving(net, i, preds):
    """(early start, applied finish) of the link that drives: MS Project the latest start; P6 the first
    link whose start, moved to working time, is the latest."""
    if not preds:
        return None, None
    starts = [_candidate(net, link) for link in preds]
    if net.msp:
        return max(starts), None
    moved = [net.nws(i, es) for es in starts]
    k = moved.index(max(moved))
    return starts[k], _applied_finish(net, preds[k], starts[k])


def _p6_ss_started(net, link, p_es):
    """P6, SS from a started predecessor: the lag counts from its actual start, or what is left of it."""
    pt = net.tasks[link.p]
    if pt.actual_finish is not None:
        if net.tasks[link.s].actual_start is not None and link.lag <= 0:
            return p_es
        es = add_lag(net, link, pt.actual_start)
        return p_es if es < net.dd or (link.lag < 0 and es == net.dd) else es
    done = p6_actual(net, link.p)
    if done == 0 or link.lag <= 0 or done >= link.lag:
        return p_es
    return add_lag(net, link, p_es, lag=link.lag - done)


def p6_actual(net, i) -> int:
    """P6's actual duration of a started activity: its working time from the actual start to the data date."""
    start = net.tasks[i].actual_start
    return net.work(i, start, net.dd) if start is not None and start < net.dd else 0


def p6_working(net, i, t) -> bool:
    """P6's test: within a working period, its end included."""
    m = t.hour * 60 + t.minute
    return any(a <= m <= b for a, b in net.cal[i].periods(t.date()))


def forward(net, order, by_succ) -> None:
    for i in order:
        t = net.tasks[i]
        preds = by_succ.get(i, ())
        if net.manual[i]:
            net.es[i], net.ef[i] = t.file_start, t.file_finish
            continue
        cand, applied = _driving(net, i, preds)
        if net.msp:
            es, ef = _forward_msp(net, i, cand)
        else:
            es, ef = _forward_p6(net, i, cand, applied)
        net.es[i], net.ef[i] = es, ef


def _forward_msp(net, i, cand):
    t = net.tasks[i]
    kind, cd, _ = _constraint(net, i)
    if t.actual_finish is not None:
        start = t.actual_start or net.plus(i, t.actual_finish, -net.dur[i])
        return start, t.actual_finish
    if t.actual_start is not None:
        ef = net.plus(i, t.actual_start, net.dur[i])
        if kind == FNET and cd is not None and ef < cd:
            ef = cd
        return t.actual_start, ef
    ef = None
    if cand is None:
        if kind == SNET and cd is not None:
            es = cd
        elif kind == FNET and cd is not None:
            ef, es = cd, net.plus(i, cd, -net.dur[i])
        else:
            es = net.cal[i].next_work_start(net.start)
    else:
        es = cand
    es = _msp_start(net, i, es)
    if cd is not None:
        links_es = es
        if kind == SNET:
            es = max(es, cd)
        elif kind == FNLT:
            es = min(es, net.plus(i, cd, -net.dur[i]))
        elif kind == FNET:
            es = max(es, net.plus(i, cd, -net.dur[i]))
        elif kind == SNLT:
            es = min(es, cd)
        elif kind == MSO:
            es = cd
        elif kind == MFO:
            ef, es = cd, net.plus(i, cd, -net.dur[i])
        if es < links_es and cand is not None:
            _conflict(net, i)
    if ef is None:
        ef = net.plus(i, es, net.dur[i])
    return es, ef


def _msp_start(net, i, es):
    """Next work start on the task's calendar (an elapsed task's too), except that a milestone may sit at
    the end of a working period."""
    cal = net.cal[i]
    nxt = cal.next_work_start(es)
    if nxt > es and net.tasks[i].milestone and cal.previous_work_finish(es) == es:
        return es
    return nxt


def _conflict(net, i) -> None:
    t = net.tasks[i]
    label = _LABEL_TEXT.get(t.constraint, t.constraint)
    when = t.constraint_date.strftime("%Y-%m-%d %H:%M") if t.constraint_date else ""
    net.warnings.append(
        f"任务「{t.code} {t.name}」的限制条件（{label} {when}）早于紧前任务允许的时间，按限制条件排程，总时差为负"
    )


_LABEL_TEXT = {
    SNET: "不得早于开始",
    SNLT: "不得晚于开始",
    FNET: "不得早于完成",
    FNLT: "不得晚于完成",
    MSO: "必须开始于",
    MFO: "必须完成于",
}


def _forward_p6(net, i, cand, applied):
    t = net.tasks[i]
    if t.actual_finish is not None:
        es = net.dd if cand is None else max(cand, net.start)
        return es, es
    if t.actual_start is not None:
        if cand is None:
            if net.rem[i] == net.dur[i]:  # no actual duration
                es = net.nws(i, net.dd)
                return es, net.plus(i, es, net.dur[i])
            if net.rem[i]:
                ef = net.plus(i, t.actual_start, net.dur[i])
                return net.plus(i, ef, -net.rem[i]), ef
            es = net.nws(i, net.dd)
            return es, es
        es = net.nws(i, cand)
        if es < net.start:
            es = net.nws(i, net.start)
        return es, net.plus(i, es, net.rem[i])
    return _forward_p6_unstarted(net, i, cand, applied)


def _forward_p6_unstarted(net, i, cand, applied):
    t = net.tasks[i]
    kind, cd, mandatory = _constraint(net, i)
    ef = None
    if cand is None:
        if kind == SNET and cd is not None:
            es = max(cd, net.dd)
        elif kind == FNET and cd is not None:
            ef = cd if p6_working(net, i, cd) else net.nws(i, cd)
            es = net.plus(i, ef, -net.dur[i])
        else:
            es = net.start
    elif cand < net.start:
        es = net.start
    else:
        es, ef = cand, applied
    if cd is not None:
        links_es = es
        if kind == SNET and (es < cd or es.date() == cd.date()):
            es, ef = cd, None
        elif kind == FNET:
            earliest = net.plus(i, cd, -net.dur[i])
            if es < earliest:
                es, ef = earliest, None
        elif kind == MSO and mandatory:
            es = cd
        elif kind == MSO and es < cd:
            es, ef = net.nws(i, cd), None
        elif kind == MFO and mandatory:
            ef, es = cd, net.plus(i, cd, -net.dur[i])
        elif kind == MFO:
            start_on = net.plus(i, cd, -net.dur[i])
            if start_on > es:
                es = start_on
                ef = start_on if t.milestone and t.links else net.pwf(i, cd)
        if mandatory and es < links_es and cand is not None:
            _conflict(net, i)
    finish_ms = t.milestone and _finish_milestone(t)
    if finish_ms:
        if es != net.pwf(i, es):
            es = net.nws(i, es)
    else:
        es = net.nws(i, es)
        if t.milestone:
            ef = es
    if ef is None:
        ef = net.plus(i, es, net.dur[i])
    return es, ef


def _finish_milestone(t) -> bool:
    start_ms = t.start_milestone
    return not start_ms if start_ms is not None else bool(t.links)


# Backward pass.
def backward_finish(net, finish, late_finish):
    """Where the backward pass starts: the given moment, P6's must-finish-by, else the early finish."""
    if late_finish is not None:
        return late_finish
    if not net.msp and net.fp.must_finish_by is not None:
        return net.fp.must_finish_by
    return finish


def _late_candidate(net, link, top):
    """(late finish that one link allows its predecessor, the late start it sets or None)."""
    p, s = link.p, link.s
    if link.type == FS:
        lf = add_lag(net, link, net.calc_ls[s], -1)
    elif link.type == FF:
        lf = add_lag(net, link, net.lf[s], -1)
    elif link.type == SS and not net.msp:
        return _p6_late_ss(net, link)
    elif link.type == SS:
        lf = _msp_late_ss(net, link, top)
    elif not net.msp:  # SF
        return _p6_late_sf(net, link)
    else:
        lf = add_lag(net, link, net.plus(p, net.lf[s], net.dur[p]), -1)
    if net.msp and lf > top:
        return top, None
    return lf, None


def _msp_late_ss(net, link, top):
    """MS Project, SS (as mpxj's MicrosoftScheduler): a started or manual predecessor keeps the project
    finish, a started successor's actual part is measured from its actual start."""
    p, s = link.p, link.s
    pt, st = net.tasks[p], net.tasks[s]
    if pt.actual_start is not None:
        return top
    if st.actual_start is not None:
        if s not in net.with_successors:
            return top
        done = net.plus(s, st.actual_start, net.dur[s] - net.rem[s])
        return net.plus(p, done, net.dur[p])
    if net.manual[p]:
        return net.lf[s] if s not in net.with_successors else top
    ls_s = net.cal[p].next_work_start(net.calc_ls[s])
    return net.plus(p, add_lag(net, link, ls_s, -1), net.dur[p])


def _p6_late_ss(net, link):
    """P6, SS: (late finish, the late start it sets or None)."""
    p, s = link.p, link.s
    succ_ls = net.calc_ls[s]
    unstarted = net.tasks[p].actual_start is None and net.tasks[s].actual_start is None
    if unstarted and link.lag == 0:
        ls = succ_ls if p6_working(net, p, succ_ls) else _nearest(net, p, succ_ls)
        return net.plus(p, ls, net.rem[p]), ls
    pt = net.tasks[p]
    if pt.actual_start is not None:  # the lag's part already run counts
        done = p6_actual(net, p) if pt.actual_finish is None else link.lag
        ls = (
            succ_ls if link.lag <= 0 or done >= link.lag else add_lag(net, link, succ_ls, -1, link.lag - done)
        )
        return net.plus(p, ls, net.rem[p]), None
    applied = add_lag(net, link, succ_ls, -1)
    ls = net.nws(p, applied)
    return net.plus(p, ls, net.rem[p]), (applied if unstarted and link.lag < 0 else None)


def _p6_late_sf(net, link):
    """P6, SF: (late finish, the late start it sets or None)."""
    p, s = link.p, link.s
    pt, st = net.tasks[p], net.tasks[s]
    succ_lf = net.lf[s]
    if pt.actual_start is not None and pt.actual_finish is None and st.actual_start is None:
        return net.plus(p, succ_lf, net.rem[p]), (succ_lf if link.lag > 0 else None)
    lf = add_lag(net, link, net.plus(p, succ_lf, net.dur[p]), -1)
    if pt.actual_start is None and st.actual_start is not None and st.actual_finish is None:
        if link.lag == 0:
            return lf, succ_lf
        if link.lag < 0:
            return lf, add_lag(net, link, succ_lf, -1)
    return lf, None


def _nearest(net, i, t):
    before, after = net.cal[i].previous_work_finish(t), net.nws(i, t)
    return before if t - before < after - t else after


def backward(net, order, by_pred, top) -> None:
    for i in reversed(order):
        t = net.tasks[i]
        succs = [
            link
            for link in by_pred.get(i, ())
            if not net.loe[link.s] and not (net.msp and net.tasks[link.s].actual_finish is not None)
        ]
        if net.msp and t.actual_finish is not None:
            net.lf[i] = t.actual_finish
            net.calc_ls[i] = net.plus(i, t.actual_finish, -net.rem[i])
            net.ls[i] = t.actual_start or net.calc_ls[i]
            continue
        applied = None
        if not succs:
            lf = top
            if not net.msp and net.top_fixed and not p6_working(net, i, lf):
                lf = net.pwf(i, lf)
        else:
            cands = [_late_candidate(net, link, top) for link in succs]
            lf, applied = min(cands, key=lambda c: c[0])  # the first of the earliest
            if not net.msp and lf > top:
                lf, applied = net.pwf(i, top), None
        if t.actual_finish is None:
            constrained = _late_constraints(net, i, lf)
            if constrained != lf:
                lf, applied = constrained, None
            if net.msp or not (t.milestone and not _finish_milestone(t)):
                lf = net.pwf(i, lf)
        ls = applied or net.plus(i, lf, -net.rem[i])
        if not applied and not net.msp and not t.milestone and net.rem[i]:
            ls = net.nws(i, ls)
        net.lf[i], net.calc_ls[i] = lf, ls
        net.ls[i] = t.actual_start if (net.msp and t.actual_start is not None) else ls
        if not net.msp and t.constraint == ALAP:
            _alap_p6(net, i, succs)


def _alap_p6(net, i, succs) -> None:
    """P6 ALAP: the early dates move as late as the successors' early dates allow (free float absorbed)."""
    t = net.tasks[i]
    if not succs:
        ef = net.pwf(i, net.forward_finish)
        net.es[i], net.ef[i] = net.plus(i, ef, -net.rem[i]), ef
        return
    starts = []
    for link in succs:
        s = link.s
        if link.type == SS:
            starts.append(net.nws(i, add_lag(net, link, net.es[s], -1)))
        elif link.type == FS:
            es = add_lag(net, link, net.plus(i, net.es[s], -net.rem[i]), -1)
            starts.append(es if p6_working(net, i, es) else net.nws(i, es))
        elif link.type == FF:
            starts.append(net.plus(i, add_lag(net, link, net.ef[s], -1), -net.rem[i]))
    if not starts:
        return
    es = min(starts)
    if t.milestone and _finish_milestone(t):
        es = net.pwf(i, es)
    net.es[i], net.ef[i] = es, net.plus(i, es, net.rem[i])


def _late_constraints(net, i, lf):
    t = net.tasks[i]
    kind, cd, mandatory = _constraint(net, i)
    started = t.actual_start is not None and not net.msp  # MS Project applies them to started tasks too
    if cd is not None:
        latest_start_finish = net.plus(i, cd, net.dur[i])
        if kind == MSO and (net.msp or mandatory):
            if not started:
                lf = latest_start_finish
        elif kind == MFO and (net.msp or mandatory):
            lf = cd
        elif kind == SNLT or (kind == MSO and not started):
            lf = min(lf, latest_start_finish)
        elif kind in (FNLT, MFO):
            lf = min(lf, cd)
    second = t.secondary_constraint
    sd = t.secondary_constraint_date
    if not net.msp and second is not None and sd is not None:
        if second == SNLT:
            lf = min(lf, net.plus(i, sd, net.dur[i]))
        elif second == FNLT:
            lf = min(lf, sd)
    if net.msp and t.deadline is not None and lf > t.deadline:
        lf = t.deadline
    return lf
