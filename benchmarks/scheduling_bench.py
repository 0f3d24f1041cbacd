"""Benchmark of the scheduling engine (issues 3 and 16), with mpxj's own CPM scheduler as a reference.

    .venv/bin/python benchmarks/scheduling_bench.py                  # 100,000 tasks, 200,000 links
    .venv/bin/python benchmarks/scheduling_bench.py -n 20000 -m 40000 --no-mpxj
    .venv/bin/python benchmarks/scheduling_bench.py --check 2000     # agreement with mpxj on a smaller network

The network is a random DAG (fixed seed): tasks get a hidden rank, every link goes from a lower to a
higher rank within a window of 500 ranks (so chains stay realistic), the tasks are listed in a shuffled
order (so the engine must sort them). Link types are mixed 60% FS, 20% SS, 10% FF, 10% SF with lags
−5…+10 working days; durations 0…30 working days, 5% milestones.

Measured:
* engine.schedule_arrays — the integer core (Kahn's order, forward and backward pass);
* engine.schedule — what the app calls: task codes, link validation, floats, critical path;
* mpxj — org.mpxj.cpm.MicrosoftScheduler.schedule() on the same network built as an mpxj ProjectFile
  (default calendar Monday–Friday, no holidays); only the schedule() call is timed, --mpxj-repeat
  times on the same ProjectFile (3 by default; the first run includes the JIT's warm-up).
The ratio is mpxj's median wall time over engine.schedule's median wall time, in the same process.
With --check N, the early starts of both schedulers are compared task by task (working-day numbers)
on an N-task network. Results also go to benchmarks/out/scheduling_results.json.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tiaodu.scheduling import engine  # noqa: E402  (pure: no Django setup needed)

OUT = ROOT / "benchmarks" / "out"
TYPES = ["FS"] * 6 + ["SS"] * 2 + ["FF", "SF"]
WINDOW = 500


def generate(n: int, m: int, seed: int = 20261001):
    """(durations, preds, succs, types, lags) over positions 0…n−1, links unique per pair."""
    rng = random.Random(seed)
    durations = [0 if rng.random() < 0.05 else rng.randint(1, 30) for _ in range(n)]
    position = list(range(n))
    rng.shuffle(position)  # position[rank] = where the task of that rank is listed
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a = rng.randrange(n - 1)
        b = rng.randint(a + 1, min(n - 1, a + WINDOW))
        pairs.add((a, b))
    preds, succs, types, lags = [], [], [], []
    for a, b in sorted(pairs):
        preds.append(position[a])
        succs.append(position[b])
        types.append(rng.choice(TYPES))
        lags.append(rng.randint(-5, 10))
    return durations, preds, succs, types, lags


def as_tasks(durations, preds, succs, types, lags):
    tasks = [engine.TaskIn(code=f"T{i}", duration=d, predecessors=[]) for i, d in enumerate(durations)]
    for p, s, t, lag in zip(preds, succs, types, lags, strict=True):
        tasks[s].predecessors.append(engine.Link(f"T{p}", t, lag))
    return tasks


def timed(fn, repeat: int):
    """(last result, wall times, CPU times of this process)."""
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        gc.collect()
        cpu = time.process_time()
        wall = time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result, walls, cpus


def summary(walls, cpus) -> dict:
    return {
        "wall_min": min(walls),
        "wall_median": statistics.median(walls),
        "cpu_min": min(cpus),
        "cpu_median": statistics.median(cpus),
    }


# --- mpxj -----------------------------------------------------------------------------------------


def start_jvm(heap: str):
    import jpype
    import mpxj  # noqa: F401 — class path

    if not jpype.isJVMStarted():
        jpype.startJVM(
            f"-Xmx{heap}",
            "-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
            convertStrings=False,
        )
    return jpype


def mpxj_version() -> str:
    from importlib.metadata import version

    return f"mpxj {version('mpxj')}, JPype1 {version('JPype1')}"


def build_mpxj(durations, preds, succs, types, lags):
    from java.time import LocalDateTime
    from org.mpxj import Duration, ProjectFile, Relation, RelationType, TimeUnit

    kinds = {
        "FS": RelationType.FINISH_START,
        "SS": RelationType.START_START,
        "FF": RelationType.FINISH_FINISH,
        "SF": RelationType.START_FINISH,
    }
    pf = ProjectFile()
    calendar = pf.addDefaultBaseCalendar()
    pf.setDefaultCalendar(calendar)
    pf.getProjectProperties().setStartDate(LocalDateTime.of(2026, 3, 2, 8, 0))
    zero = Duration.getInstance(0, TimeUnit.DAYS)
    tasks = []
    for i, d in enumerate(durations):
        t = pf.addTask()
        t.setName(f"T{i}")
        dur = Duration.getInstance(d, TimeUnit.DAYS)
        t.setDuration(dur)
        t.setActualDuration(zero)
        t.setRemainingDuration(dur)
        tasks.append(t)
    for p, s, kind, lag in zip(preds, succs, types, lags, strict=True):
        tasks[s].addPredecessor(
            Relation.Builder()
            .predecessorTask(tasks[p])
            .type(kinds[kind])
            .lag(Duration.getInstance(lag, TimeUnit.DAYS))
        )
    return pf, tasks


def run_mpxj(pf):
    from java.time import LocalDateTime
    from org.mpxj.cpm import MicrosoftScheduler

    MicrosoftScheduler().schedule(pf, LocalDateTime.of(2026, 3, 2, 8, 0))


def weekday_number(start: datetime.date, day: datetime.date) -> int:
    """Working-day number of `day` (Mon–Fri) counted from `start` (a Monday)."""
    weeks, rest = divmod((day - start).days, 7)
    return weeks * 5 + min(rest, 5)


def mpxj_early_starts(tasks, start: datetime.date) -> list[int]:
    out = []
    for t in tasks:
        es = t.getEarlyStart()
        day = datetime.date(es.getYear(), es.getMonthValue(), es.getDayOfMonth())
        n = weekday_number(start, day)
        if es.getHour() >= 17:  # a milestone at the end of a working day starts the next one
            n += 1
        out.append(n)
    return out


def forward_without_floor(durations, preds, succs, types, lags) -> list[int]:
    """The forward pass as MS Project mostly does it: only tasks without predecessors start at day 0."""
    order = engine.schedule_arrays(durations, preds, succs, types, lags, 10**9).order
    n = len(durations)
    has_pred = [False] * n
    out: dict[int, list[int]] = {}
    for k, s in enumerate(succs):
        has_pred[s] = True
        out.setdefault(preds[k], []).append(k)
    es = [-(10**9) if has_pred[i] else 0 for i in range(n)]
    for p in order:
        for k in out.get(p, ()):
            from_finish, to_finish = engine._ENDS[types[k]]
            s = succs[k]
            v = es[p] + lags[k] + (durations[p] if from_finish else 0) - (durations[s] if to_finish else 0)
            if v > es[s]:
                es[s] = v
    return es


# --- main -----------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_1_5_15min": load,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="tasks")
    parser.add_argument("-m", type=int, default=200_000, help="links")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-mpxj", action="store_true")
    parser.add_argument(
        "--check", type=int, default=0, help="compare early starts with mpxj on an N-task network"
    )
    parser.add_argument("--mpxj-repeat", type=int, default=3)
    parser.add_argument("--heap", default="6g", help="JVM heap for mpxj")
    args = parser.parse_args(argv)
    results: dict = {
        "machine": machine(),
        "tasks": args.n,
        "links": args.m,
        "date": datetime.date.today().isoformat(),
    }
    print(f"machine: {results['machine']}")

    start = time.perf_counter()
    network = generate(args.n, args.m)
    print(f"generated {args.n:,} tasks, {args.m:,} links in {time.perf_counter() - start:.1f} s")
    durations, preds, succs, types, lags = network

    arr, _, _ = timed(lambda: engine.schedule_arrays(durations, preds, succs, types, lags, 10**9), 1)
    deadline = max(arr.ef) + 20  # a deadline the schedule meets with 20 working days to spare
    results["finish_day"] = max(arr.ef)
    _, walls, cpus = timed(
        lambda: engine.schedule_arrays(durations, preds, succs, types, lags, deadline), args.repeat
    )
    results["engine_arrays_s"] = summary(walls, cpus)
    tasks = as_tasks(*network)
    result, walls, cpus = timed(lambda: engine.schedule(tasks, deadline), args.repeat)
    results["engine_schedule_s"] = summary(walls, cpus)
    results["min_float"] = result.min_float
    results["critical_tasks"] = len(result.critical_path)
    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for key, label in (
        ("engine_arrays_s", "engine.schedule_arrays"),
        ("engine_schedule_s", "engine.schedule"),
    ):
        r = results[key]
        print(
            f"{label:23} wall min {r['wall_min']:.3f} s, median {r['wall_median']:.3f} s; "
            f"CPU min {r['cpu_min']:.3f} s, median {r['cpu_median']:.3f} s"
        )
    print(
        f"finish day {results['finish_day']:,}, min float {result.min_float}, {len(result.critical_path)} critical tasks"
    )
    if results["engine_schedule_s"]["wall_median"] >= 0.5:
        print("WARNING: engine.schedule took 0.5 s or more (median)")

    if not args.no_mpxj:
        start_jvm(args.heap)
        results["mpxj_version"] = mpxj_version()
        start = time.perf_counter()
        pf, _jtasks = build_mpxj(*network)
        results["mpxj_build_s"] = time.perf_counter() - start
        print(
            f"{results['mpxj_version']}: built the ProjectFile through JPype in {results['mpxj_build_s']:.1f} s"
        )
        _, walls, cpus = timed(lambda: run_mpxj(pf), args.mpxj_repeat)
        results["mpxj_microsoft_scheduler_s"] = {
            "walls": walls,
            "wall_median": statistics.median(walls),
            "cpu_all_threads_median": statistics.median(cpus),
        }
        print(
            f"mpxj MicrosoftScheduler.schedule(): wall {', '.join(f'{w:.2f}' for w in walls)} s, "
            f"median {statistics.median(walls):.2f} s (process CPU median {statistics.median(cpus):.2f} s, all JVM threads)"
        )
        ratio = statistics.median(walls) / results["engine_schedule_s"]["wall_median"]
        results["ratio_mpxj_over_engine_schedule"] = ratio
        print(f"engine.schedule is {ratio:.1f}× faster than mpxj's MicrosoftScheduler (median wall times)")
        if ratio < 10:
            print("WARNING: less than 10× faster than mpxj")
        del pf, _jtasks

    if args.check:
        if args.no_mpxj:
            print("--check needs mpxj")
        else:
            small = generate(args.check, args.check * 2, seed=7)
            pf, jtasks = build_mpxj(*small)
            run_mpxj(pf)
            theirs = mpxj_early_starts(jtasks, datetime.date(2026, 3, 2))
            ours = engine.schedule_arrays(*small, 10**9).es
            unfloored = forward_without_floor(*small)
            same = sum(1 for a, b in zip(ours, theirs, strict=True) if a == b)
            same_unfloored = sum(1 for a, b in zip(unfloored, theirs, strict=True) if a == b)
            results["check"] = {
                "tasks": args.check,
                "same_early_start": same,
                "same_without_floor": same_unfloored,
            }
            print(
                f"agreement on {args.check:,} tasks: {same:,} early starts identical; "
                f"{same_unfloored:,} when tasks with predecessors may start before day 0 (no ES ≥ 0 floor)"
            )
            diff = [
                (i, small[0][i], unfloored[i], theirs[i])
                for i in range(args.check)
                if unfloored[i] != theirs[i]
            ][:8]
            if diff:
                print("remaining differences (task, duration, ours without floor, mpxj):", diff)

    results["load_at_end"] = os.getloadavg()
    print(f"load average at the end (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in results['load_at_end'])}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "scheduling_results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(f"results: {OUT / 'scheduling_results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
