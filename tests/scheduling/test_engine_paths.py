"""The engine's paths (plain loops, numpy levels, numpy handing over to the loops) give one answer.

Large networks take numpy, small ones the loops; these tests send the same networks down every path
and compare whole results: dates, floats, the topological order, the critical path and the errors.
"""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiaodu.scheduling import engine, engine_fast
from tiaodu.scheduling.engine import CycleError, Link, TaskIn

from .test_engine_properties import PATHS, networks


def on_path(path, fn):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine, "NUMPY_FROM_LINKS", 10**9 if path == "loops" else 0)
        switch = path == "numpy then loops"
        mp.setattr(engine_fast, "SWITCH_MIN_LEVELS", 1 if switch else 10**9)
        mp.setattr(engine_fast, "SWITCH_LINKS_PER_LEVEL", 10**9 if switch else 0)
        return fn()


def outcome(fn):
    try:
        return fn()
    except engine.ScheduleError as exc:
        return type(exc), str(exc)


@settings(max_examples=300, deadline=None)
@given(networks(max_tasks=40))
def test_every_path_gives_the_same_result(net):
    tasks, deadline = net
    results = [on_path(path, lambda: engine.schedule(tasks, deadline)) for path in PATHS]
    assert results[1] == results[0]
    assert results[2] == results[0]


@settings(max_examples=200, deadline=None)
@given(networks(max_tasks=30), st.data())
def test_every_path_names_the_same_cycle(net, data):
    tasks, deadline = net
    codes = [t.code for t in tasks]
    extra = data.draw(st.lists(st.tuples(st.sampled_from(codes), st.sampled_from(codes)), max_size=4))
    more = {}
    for p, s in extra:
        more.setdefault(s, []).append(Link(p, data.draw(st.sampled_from(engine.LINK_TYPES))))
    looped = [TaskIn(t.code, t.duration, list(t.predecessors) + more.get(t.code, [])) for t in tasks]
    answers = [on_path(path, lambda: outcome(lambda: engine.schedule(looped, deadline))) for path in PATHS]
    assert answers[1] == answers[0]
    assert answers[2] == answers[0]


@settings(max_examples=100, deadline=None)
@given(networks(max_tasks=30))
def test_every_path_gives_the_same_arrays(net):
    tasks, deadline = net
    position = {t.code: i for i, t in enumerate(tasks)}
    links = [(position[link.predecessor], s, link) for s, t in enumerate(tasks) for link in t.predecessors]
    args = (
        [t.duration for t in tasks],
        [p for p, _, _ in links],
        [s for _, s, _ in links],
        [link.type for _, _, link in links],
        [link.lag for _, _, link in links],
        deadline,
    )
    arrays = [on_path(path, lambda: engine.schedule_arrays(*args)) for path in PATHS]
    assert arrays[1] == arrays[0]
    assert arrays[2] == arrays[0]


def chain_with_branches(n, seed=3):
    """A long chain (one task per level) with a few side links: the numpy path hands it to the loops."""
    rng = random.Random(seed)
    tasks = [TaskIn(f"C{i}", rng.randint(0, 5), [Link(f"C{i - 1}")] if i else []) for i in range(n)]
    for i in range(10, n, 7):
        tasks[i].predecessors.append(
            Link(f"C{rng.randrange(i - 9, i - 1)}", rng.choice(engine.LINK_TYPES), 2)
        )
    rng.shuffle(tasks)
    return tasks


def test_a_long_chain_gives_the_same_result_when_numpy_hands_over_to_the_loops(monkeypatch):
    tasks = chain_with_branches(3000)
    loops = on_path("loops", lambda: engine.schedule(tasks, 0))
    # Default switch settings, numpy from the first link on: the narrow levels make it hand over.
    monkeypatch.setattr(engine, "NUMPY_FROM_LINKS", 0)
    assert engine.schedule(tasks, 0) == loops
    assert engine.violations(tasks, loops) == []


def test_a_large_network_takes_numpy_by_default_and_agrees_with_the_loops():
    rng = random.Random(11)
    n = 3000
    tasks = [
        TaskIn(
            f"T{i}",
            rng.randint(0, 9),
            [
                Link(f"T{p}", rng.choice(engine.LINK_TYPES), rng.randint(-3, 3))
                for p in {rng.randrange(i) for _ in range(3)}
            ]
            if i
            else [],
        )
        for i in range(n)
    ]
    rng.shuffle(tasks)
    assert sum(len(t.predecessors) for t in tasks) >= engine.NUMPY_FROM_LINKS
    fast = engine.schedule(tasks, 500)
    assert fast == on_path("loops", lambda: engine.schedule(tasks, 500))
    assert engine.violations(tasks, fast) == []


@pytest.mark.parametrize(
    "durations, lags",
    [
        ([2.5, 3, 1], [0, 1]),  # a fractional duration
        ([2, 3, 1], [0.5, -1]),  # a fractional lag
        ([2, 3, 2**40], [0, 1]),  # beyond what int64 sums may hold safely
        ([2, 3, 1], [0, -(2**70)]),
    ],
)
def test_values_int64_would_change_stay_on_the_loops(monkeypatch, durations, lags):
    tasks = [
        TaskIn("A", durations[0]),
        TaskIn("B", durations[1], [Link("A", "FS", lags[0])]),
        TaskIn("C", durations[2], [Link("B", "SS", lags[1])]),
    ]
    loops = on_path("loops", lambda: engine.schedule(tasks, 100))
    monkeypatch.setattr(engine, "NUMPY_FROM_LINKS", 0)
    result = engine.schedule(tasks, 100)
    assert result == loops
    assert [type(t.es) for t in result.tasks] == [type(t.es) for t in loops.tasks]


def test_every_path_refuses_the_same_bad_input():
    cases = [
        [TaskIn("1", 2), TaskIn("1", 3)],
        [TaskIn("1", -2)],
        [TaskIn("1", 2), TaskIn("2", 1, [Link("1", "XX")])],
        [TaskIn("1", 2), TaskIn("2", 3, [Link("1")]), TaskIn("3", 1, [Link("9", "SS", 2)])],
        [TaskIn("A", 2, [Link("B")]), TaskIn("B", 1, [Link("A", "SS")]), TaskIn("C", 1)],
    ]
    for tasks in cases:
        answers = [on_path(path, lambda t=tasks: outcome(lambda: engine.schedule(t, 10))) for path in PATHS]
        assert isinstance(answers[0], tuple)
        assert answers[1] == answers[0] and answers[2] == answers[0]
    assert answers[0] == (CycleError, "任务之间存在循环依赖：A → B → A")
