"""The critical path of an MS Project or Primavera P6 schedule, as the planner's own tool computes it.

Pure Python over a FileProject (file_model): no Django, no Java. Times are naive datetimes, durations and
lags minutes of working time on calendars (worktime), or calendar time when elapsed. The semantics follow
mpxj's MicrosoftScheduler (fp.source == MSP) and PrimaveraScheduler (P6), which reproduce the tools:

* Durations count on the task's calendar (else the project's). A lag counts on the *successor's* calendar
  for MS Project and on the *predecessor's* calendar for P6 (P6's default "relationship lag calendar").
  A percentage lag is that share of the predecessor's duration, rounded to the minute; elapsed lags and
  durations are calendar time (24 × 7).
* A start at the end of a working period moves to the next period's start (an MS Project elapsed task's
  too, on its calendar); a late finish at the start of a period moves back to the previous period's end
  (MS Project lets a milestone sit at a period's end).
* Links FS/SS/FF/SF, several per pair, all applied. Forward (successor's early start):
  FS pred.EF + lag; SS pred.ES + lag; FF (pred.EF + lag) − duration (MS Project: pred.EF − duration, then
  + lag, not before the project start); SF (pred.ES − duration) + lag. Backward mirrors them. P6 keeps
  the finish an FF link with no or a negative lag (or an SF link with a lag) sets beside the start it
  gives, and the late start an SS (or SF) link sets beside the late finish, as P6 shows them.
* Constraints as each tool applies them, overriding links: SNET/FNET raise the early dates, SNLT/FNLT
  lower them (MS Project) and cap the late dates; MSO/MFO fix both (MS Project; P6 mandatory start/finish).
  P6 "Start On"/"Finish On" (MSO/MFO without `mandatory`) act as no-earlier-than forwards and
  no-later-than backwards; P6's secondary constraint (SNLT/FNLT) caps the late dates. MS Project's task
  deadline caps the late finish. ALAP (MS Project): the task sits at its late dates (its early dates are
  reported as its late ones, total float 0) and its successors follow its late dates. P6 ALAP: its early
  dates move as late as its successors' early dates allow (its free float is absorbed).
* Progress. MS Project (as mpxj's MicrosoftScheduler): completed tasks stay at their actual dates; an
  in-progress task runs from its actual start for its whole duration; the status date moves nothing.
  P6 (retained logic): the project starts no earlier than the data date; completed activities sit at the
  data date with no remaining duration and take a started predecessor's lag as run (they sit at its early
  start for SS, its early finish for FS/FF; an SF lag from a completed predecessor reaches at most the
  data date), so a lag never pushes a completed activity past the data date; an in-progress activity's
  remaining duration runs from the data date (or its driving predecessors; without predecessors it
  finishes its duration after its actual start); unstarted activities start no earlier than the data
  date; an activity's actual duration is its working time from its actual start to the data date, and a
  lag after a started predecessor counts only what is left of it. MS Project applies a started task's
  constraints to its late dates.
* Links to or from a summary task apply to every leaf below it (a summary predecessor of an SS/SF link:
  its earliest leaf, as MS Project does), after a first pass without them.
* MS Project manually scheduled tasks stay at their `file_start`/`file_finish` and drive their successors.
* P6 level-of-effort activities take no part in the passes: afterwards they span from their earliest
  predecessor/successor start to their latest finish, never before the data date.
* Total float: MS Project = min(LS − ES, LF − EF) in working minutes on the task's calendar (LF − EF once
  started); P6 = LF − EF (finish float, P6's default). Completed tasks: 0 and not critical.
  Critical = total float ≤ 0 (both tools' default "critical slack limit"), except an MS Project manually
  scheduled task with a typed duration, start or finish (`typed`), which MS Project never marks critical.
* The backward pass starts from the latest early finish (P6: the project's must-finish-by when set), or
  from `late_finish` when given (the district's deadline).
* Resource levelling is not done.

Where we knowingly differ from mpxj's schedulers (tests/scheduling/test_file_engine_hand.py): a task with an
elapsed duration keeps its late finish in calendar time (mpxj moves it back to a working period's end and
gives an unconstrained network negative float); a working period ending at midnight counts as a period end
(mpxj's ProjectCalendar misreads it); a percentage lag in a P6 schedule is a share of the predecessor's
duration (mpxj's PrimaveraScheduler reads 25 % as 25 minutes), and an elapsed percentage lag (e%) that
share in calendar time (mpxj reads it as minutes). The late dates of a completed P6 activity
(float 0, never critical) are not promised to match P6's. Seeded random networks
(test_file_engine_random.py) agree with mpxj everywhere for MS Project; for P6 about 5 % of networks that
mix constraints with FF/SF links or ALAP differ, several where mpxj gives a finish before the start.
"""

from __future__ import annotations

import datetime

from tiaodu.scheduling import file_engine_after as after
from tiaodu.scheduling import file_engine_passes as passes
from tiaodu.scheduling.engine import CycleError, ScheduleError, find_cycle
from tiaodu.scheduling.file_model import (
    ALAP,
    FF,
    FS,
    MSP,
    SF,
    SS,
    FileProject,
    FileSchedule,
    FileTask,
)
from tiaodu.scheduling.worktime import WorkCalendar, add_elapsed

__all__ = ["CycleError", "ScheduleError", "remaining_minutes", "schedule"]


def remaining_minutes(task: FileTask) -> int:
    """The remaining duration: as stated, else 0 when finished, else by % complete once started."""
    if task.milestone:
        return 0
    if task.remaining_minutes is not None:
        return task.remaining_minutes
    if task.actual_finish is not None:
        return 0
    if task.actual_start is not None:
        return round(task.duration_minutes * (1 - task.percent_complete / 100.0))
    return task.duration_minutes


def _name(task: FileTask) -> str:
    return f"{task.code} {task.name}".strip()


class _Net:
    """The network being scheduled: tasks by position, links between leaves, calendars, results."""

    def __init__(self, fp: FileProject):
        self.fp = fp
        self.msp = fp.source == MSP
        self.tasks = fp.tasks
        self.index: dict[str, int] = {}
        self.warnings: list[str] = []
        for i, t in enumerate(fp.tasks):
            if t.key in self.index:
                raise ScheduleError(f"任务「{_name(t)}」的标识「{t.key}」在文件中重复")
            self.index[t.key] = i
        self.cals = {key: WorkCalendar(c) for key, c in fp.calendars.items()}
        if fp.calendar not in self.cals:
            raise ScheduleError(f"项目日历「{fp.calendar}」不在文件的日历中")
        self.cal = [self._calendar(t) for t in fp.tasks]
        self.dur = [0 if t.milestone else max(t.duration_minutes, 0) for t in fp.tasks]
        self.rem = [min(remaining_minutes(t), d) if d else 0 for t, d in zip(fp.tasks, self.dur, strict=True)]
        self.children: dict[int, list[int]] = {}
        for i, t in enumerate(fp.tasks):
            if t.parent is not None and t.parent in self.index:
                self.children.setdefault(self.index[t.parent], []).append(i)
        self.summary = [t.summary or i in self.children for i, t in enumerate(fp.tasks)]
        self.manual = [self.msp and t.manual and not self.summary[i] for i, t in enumerate(fp.tasks)]
        for i, t in enumerate(fp.tasks):
            if self.manual[i] and (t.file_start is None or t.file_finish is None):
                self.manual[i] = False
                self.warnings.append(f"手动计划任务「{_name(t)}」没有开始或完成日期，按自动计划排程")
        self.loe = [
            t.level_of_effort and not self.msp and not self.summary[i] for i, t in enumerate(fp.tasks)
        ]
        self.data_date = fp.data_date
        start = fp.start
        if not self.msp and fp.data_date is not None and fp.data_date > start:
            start = fp.data_date
        self.start = start
        self.dd = fp.data_date or start  # P6: the data date, else the project start
        n = len(fp.tasks)
        self.es: list = [None] * n
        self.ef: list = [None] * n
        self.ls: list = [None] * n
        self.lf: list = [None] * n
        self.calc_ls: list = [None] * n  # MS Project: LF − remaining, what predecessors see
        self.alap_pass = False
        self.forward_finish = fp.start
        self.with_successors: set[int] = set()
        self.top_fixed = False  # the backward pass starts from a given moment, not the early finish

    def _calendar(self, t: FileTask) -> WorkCalendar:
        if t.calendar is not None and t.calendar in self.cals:
            return self.cals[t.calendar]
        if t.calendar is not None:
            self.warnings.append(
                f"任务「{_name(t)}」使用的日历（编号{t.calendar}）不在文件中，按项目日历排程"
            )
        return self.cals[self.fp.calendar]

    # Time on a task's calendar.
    def plus(self, i: int, t: datetime.datetime, minutes: int) -> datetime.datetime:
        if self.tasks[i].duration_elapsed:
            return add_elapsed(t, minutes)
        return self.cal[i].add(t, minutes)

    def nws(self, i: int, t: datetime.datetime) -> datetime.datetime:
        return t if self.tasks[i].duration_elapsed else self.cal[i].next_work_start(t)

    def pwf(self, i: int, t: datetime.datetime) -> datetime.datetime:
        return t if self.tasks[i].duration_elapsed else self.cal[i].previous_work_finish(t)

    def work(self, i: int, a: datetime.datetime, b: datetime.datetime) -> int:
        return self.cal[i].between(a, b)


class _Link:
    __slots__ = ("p", "s", "type", "lag", "elapsed")

    def __init__(self, p: int, s: int, kind: str, lag: int, elapsed: bool):
        self.p, self.s, self.type, self.lag, self.elapsed = p, s, kind, lag, elapsed


def _links(net: _Net) -> tuple[list[_Link], list[_Link]]:
    """Links between tasks (missing predecessors dropped with a warning): (plain, touching a summary)."""
    plain: list[_Link] = []
    summary: list[_Link] = []
    for s, t in enumerate(net.tasks):
        for link in t.links:
            p = net.index.get(link.predecessor)
            if p is None:
                net.warnings.append(
                    f"任务「{_name(t)}」的一项紧前任务已删除（不在本计划的任务中），该依赖已忽略"
                )
                continue
            if link.type not in (FS, SS, FF, SF):
                raise ScheduleError(f"任务「{_name(t)}」的依赖类型「{link.type}」无效，应为FS、SS、FF或SF")
            if link.lag_percent is not None:
                lag = round(net.dur[p] * link.lag_percent / 100.0)
            else:
                lag = link.lag_minutes
            item = _Link(p, s, link.type, lag, link.lag_elapsed)
            (summary if net.summary[p] or net.summary[s] else plain).append(item)
    return plain, summary


def _leaves(net: _Net, i: int) -> list[int]:
    out, stack = [], list(reversed(net.children.get(i, [])))
    while stack:
        j = stack.pop()
        if net.summary[j]:
            stack.extend(reversed(net.children.get(j, [])))
        else:
            out.append(j)
    return out


def _expand(net: _Net, links: list[_Link]) -> list[_Link]:
    """Summary links as links between leaves, after a first forward pass (for the earliest leaf)."""
    out = []
    for link in links:
        preds = [link.p]
        if net.summary[link.p]:
            preds = _leaves(net, link.p)
            if link.type in (SS, SF) and preds:
                preds = [min(preds, key=lambda j: (net.es[j] or datetime.datetime.max, j))]
        succs = _leaves(net, link.s) if net.summary[link.s] else [link.s]
        out.extend(_Link(p, s, link.type, link.lag, link.elapsed) for p in preds for s in succs)
    return out


def _order(net: _Net, links: list[_Link]) -> list[int]:
    """Kahn's topological order of the scheduled tasks (no summaries, no LOE); raises CycleError."""
    nodes = [i for i in range(len(net.tasks)) if not net.summary[i] and not net.loe[i]]
    indeg = dict.fromkeys(nodes, 0)
    out: dict[int, list[int]] = {i: [] for i in nodes}
    for link in links:
        if link.p in indeg and link.s in indeg:
            out[link.p].append(link.s)
            indeg[link.s] += 1
    order = [i for i in nodes if indeg[i] == 0]
    for p in order:
        for s in out[p]:
            indeg[s] -= 1
            if indeg[s] == 0:
                order.append(s)
    if len(order) < len(nodes):
        stuck = [indeg.get(i, 0) for i in range(len(net.tasks))]
        cycle = find_cycle(len(net.tasks), [link.p for link in links], [link.s for link in links], stuck)
        raise CycleError([net.tasks[i].code or net.tasks[i].key for i in cycle])
    return order


def _network(net: _Net, links: list[_Link]) -> list[_Link]:
    """The links the passes follow: none to or from a P6 level-of-effort activity."""
    return [link for link in links if not net.loe[link.p] and not net.loe[link.s]]


def schedule(fp: FileProject, *, late_finish: datetime.datetime | None = None) -> FileSchedule:
    """Schedule fp as MS Project (fp.source == MSP) or P6 would; see the module docstring."""
    net = _Net(fp)
    plain, summary_links = _links(net)
    net.with_successors = {link.p for link in plain + summary_links}
    order = _order(net, plain)
    if not order and not any(net.loe):
        return FileSchedule(tasks={}, finish=None, critical_path=[], warnings=net.warnings)
    by_succ, by_pred = passes.index_links(_network(net, plain))
    passes.forward(net, order, by_succ)
    links = plain
    if summary_links:
        links = plain + _expand(net, summary_links)
        order = _order(net, links)
        by_succ, by_pred = passes.index_links(_network(net, links))
        passes.forward(net, order, by_succ)
    finish = max((net.ef[i] for i in order if net.ef[i] is not None), default=fp.start)
    net.top_fixed = late_finish is not None or (not net.msp and fp.must_finish_by is not None)
    net.forward_finish = max(finish, fp.must_finish_by) if fp.must_finish_by and not net.msp else finish
    passes.backward(net, order, by_pred, passes.backward_finish(net, finish, late_finish))
    if net.msp and any(fp.tasks[i].constraint == ALAP for i in order):
        net.alap_pass = True
        passes.forward(net, order, by_succ)
    after.level_of_effort(net, links)
    results = after.results(net, order)
    if fp.levelled:
        net.warnings.append("文件做过资源平衡；本系统不做资源平衡，日期可能与文件不同")
    rank = {i: r for r, i in enumerate(order)}
    crit = sorted(
        (i for i in order if results[net.tasks[i].key].critical),
        key=lambda i: (net.es[i], net.ef[i], rank[i]),
    )
    return FileSchedule(
        tasks=results,
        finish=finish,
        critical_path=[net.tasks[i].key for i in crit],
        warnings=list(dict.fromkeys(net.warnings)),  # a second pass repeats what the first one said
    )
