"""Hypothesis properties of the CPM engine (pure, no database), on each of its paths."""

import random

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tiaodu.scheduling import engine, engine_fast
from tiaodu.scheduling.engine import CycleError, Link, TaskIn

TYPES = list(engine.LINK_TYPES)
PATHS = ("loops", "numpy", "numpy then loops")


def use_path(monkeypatch, path):
    """Send every network, however small, down one path of the engine."""
    monkeypatch.setattr(engine, "NUMPY_FROM_LINKS", 10**9 if path == "loops" else 0)
    switch = path == "numpy then loops"
    monkeypatch.setattr(engine_fast, "SWITCH_MIN_LEVELS", 2 if switch else 10**9)
    monkeypatch.setattr(engine_fast, "SWITCH_LINKS_PER_LEVEL", 10**9 if switch else 0)


@pytest.fixture(autouse=True, params=PATHS)
def path(request, monkeypatch):
    use_path(monkeypatch, request.param)
    return request.param


def settings(**kwargs):
    # The path fixture is set once per test and the same for every example.
    return hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture], **kwargs)


@st.composite
def networks(draw, max_tasks=25):
    """A random DAG: links only go from a lower to a higher rank; tasks are listed in random order."""
    n = draw(st.integers(min_value=1, max_value=max_tasks))
    durations = draw(st.lists(st.integers(0, 12), min_size=n, max_size=n))
    links = {}
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    for a, b in pairs:
        if a == b:
            continue
        p, s = min(a, b), max(a, b)
        links[(p, s)] = Link(f"T{p}", draw(st.sampled_from(TYPES)), draw(st.integers(-6, 6)))
    order = draw(st.permutations(list(range(n))))
    tasks = [
        TaskIn(
            code=f"T{i}",
            duration=durations[i],
            predecessors=[link for (p, s), link in links.items() if s == i],
        )
        for i in order
    ]
    deadline = draw(st.integers(-5, 120))
    return tasks, deadline


def by_code(result):
    return {t.code: t for t in result.tasks}


@settings(max_examples=300, deadline=None)
@given(networks())
def test_it_satisfies_every_constraint_in_both_passes(net):
    tasks, deadline = net
    result = engine.schedule(tasks, deadline)
    assert engine.violations(tasks, result) == []


@settings(max_examples=300, deadline=None)
@given(networks())
def test_it_finds_the_earliest_and_the_latest_dates(net):
    """Each early start is 0 or held by a tight link; each late start is at its ceiling or held by one."""
    tasks, deadline = net
    result = engine.schedule(tasks, deadline)
    out = by_code(result)
    succ_links = {t.code: [] for t in tasks}
    for t in tasks:
        for link in t.predecessors:
            succ_links[link.predecessor].append((t.code, link))

    def weight(link, p, s):
        from_finish, to_finish = engine._ENDS[link.type]
        return link.lag + (p.duration if from_finish else 0) - (s.duration if to_finish else 0)

    for t in tasks:
        me = out[t.code]
        if me.es > 0:
            assert any(
                out[link.predecessor].es + weight(link, out[link.predecessor], me) == me.es
                for link in t.predecessors
            )
        if me.ls < deadline + 1 - me.duration:
            assert any(out[s].ls - weight(link, me, out[s]) == me.ls for s, link in succ_links[t.code])


@settings(max_examples=300, deadline=None)
@given(networks())
def test_it_raises_every_float_by_one_when_the_deadline_moves_one_day_later(net):
    tasks, deadline = net
    before = by_code(engine.schedule(tasks, deadline))
    after = by_code(engine.schedule(tasks, deadline + 1))
    for code, t in before.items():
        assert after[code].total_float == t.total_float + 1
        assert (after[code].es, after[code].ef) == (t.es, t.ef)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=40), st.integers(-10, 400))
def test_it_makes_a_pure_chain_as_long_as_the_sum_of_its_durations(durations, deadline):
    tasks = [
        TaskIn(code=str(i), duration=d, predecessors=[Link(str(i - 1))] if i else [])
        for i, d in enumerate(durations)
    ]
    result = engine.schedule(tasks, deadline)
    assert result.finish_day == sum(durations)
    assert by_code(result)[str(len(durations) - 1)].ef == sum(durations)
    # Every task of a pure chain is critical, with float D + 1 − total length.
    assert all(result.critical)
    assert result.min_float == deadline + 1 - sum(durations)
    assert result.critical_path == [str(i) for i in range(len(durations))]


@settings(max_examples=300, deadline=None)
@given(networks(), st.data())
def test_it_never_starts_a_task_earlier_when_a_predecessor_is_added(net, data):
    tasks, deadline = net
    codes = [t.code for t in tasks]
    if len(codes) < 2:
        return
    rank = {c: int(c[1:]) for c in codes}
    a, b = sorted(
        data.draw(st.lists(st.sampled_from(codes), min_size=2, max_size=2, unique=True)), key=rank.get
    )
    link = Link(a, data.draw(st.sampled_from(TYPES)), data.draw(st.integers(-6, 6)))
    before = by_code(engine.schedule(tasks, deadline))
    extended = [
        TaskIn(t.code, t.duration, list(t.predecessors) + ([link] if t.code == b else [])) for t in tasks
    ]
    after = by_code(engine.schedule(extended, deadline))
    for code in codes:
        assert after[code].es >= before[code].es


@settings(max_examples=200, deadline=None)
@given(networks())
def test_it_marks_exactly_the_tasks_with_the_smallest_float_critical(net):
    tasks, deadline = net
    result = engine.schedule(tasks, deadline)
    floats = [t.total_float for t in result.tasks]
    assert result.min_float == min(floats)
    assert result.critical == [f == min(floats) for f in floats]
    assert result.feasible == (min(floats) >= 0)
    assert sorted(result.critical_path) == sorted(
        t.code for t, c in zip(result.tasks, result.critical, strict=True) if c
    )


@settings(max_examples=200, deadline=None)
@given(networks(max_tasks=15), st.data())
def test_it_names_the_tasks_of_a_cycle(net, data):
    tasks, deadline = net
    if len(tasks) < 2:
        return
    codes = sorted((t.code for t in tasks), key=lambda c: int(c[1:]))
    # A link from a later task back to an earlier one that already reaches it closes a cycle.
    chain = codes[: data.draw(st.integers(2, len(codes)))]
    links = {}
    for p, s in zip(chain, chain[1:], strict=False):
        links.setdefault(s, []).append(Link(p))
    links.setdefault(chain[0], []).append(Link(chain[-1], data.draw(st.sampled_from(TYPES)), -3))
    looped = [TaskIn(t.code, t.duration, list(t.predecessors) + links.get(t.code, [])) for t in tasks]
    with pytest.raises(CycleError) as err:
        engine.schedule(looped, deadline)
    cycle = err.value.codes
    assert len(cycle) >= 2
    pairs = {(link.predecessor, t.code) for t in looped for link in t.predecessors}
    for p, s in zip(cycle, cycle[1:] + cycle[:1], strict=True):
        assert (p, s) in pairs
    assert str(err.value).startswith("任务之间存在循环依赖：")


def test_it_names_a_task_that_depends_on_itself():
    with pytest.raises(CycleError, match="任务之间存在循环依赖：A → A"):
        engine.schedule([TaskIn("A", 2, [Link("A")])], 10)


def test_it_names_the_row_of_an_unknown_predecessor():
    tasks = [TaskIn("1", 2), TaskIn("2", 3, [Link("1")]), TaskIn("3", 1, [Link("9", "SS", 2)])]
    with pytest.raises(engine.UnknownPredecessorError, match="第3行任务「3」的紧前任务「9」不存在"):
        engine.schedule(tasks, 10)
    tasks[2].row = 7
    with pytest.raises(engine.ScheduleError, match="第7行"):
        engine.schedule(tasks, 10)


def test_it_refuses_duplicate_codes_and_negative_durations():
    with pytest.raises(engine.ScheduleError, match="第2行任务编号「1」重复"):
        engine.schedule([TaskIn("1", 2), TaskIn("1", 3)], 10)
    with pytest.raises(engine.ScheduleError, match="工期不能为负数"):
        engine.schedule([TaskIn("1", -2)], 10)
    with pytest.raises(engine.ScheduleError, match="依赖类型「XX」无效"):
        engine.schedule([TaskIn("1", 2), TaskIn("2", 1, [Link("1", "XX")])], 10)


def test_it_schedules_an_empty_project():
    result = engine.schedule([], 10)
    assert result.tasks == [] and result.min_float is None and result.feasible


def test_it_reads_predecessor_cells():
    assert engine.parse_links("3, 3FS、3SS+2，4FF-1,5SF") == [
        Link("3"),
        Link("3"),
        Link("3", "SS", 2),
        Link("4", "FF", -1),
        Link("5", "SF", 0),
    ]
    assert engine.parse_links("") == [] and engine.parse_links(None) == []
    assert engine.parse_links(12.0) == [Link("12")]
    assert engine.parse_links("a2ss-3") == [Link("a2", "SS", -3)]
    for link in (Link("3"), Link("3", "SS", 2), Link("4", "FF", -1), Link("5", "SF", 0), Link("6", "FS", 4)):
        assert engine.parse_links(engine.format_link(link)) == [link]


def test_it_schedules_a_large_random_network_quickly():
    rng = random.Random(7)
    n = 5000
    tasks = []
    for i in range(n):
        preds = {rng.randrange(i) for _ in range(2)} if i else set()
        tasks.append(
            TaskIn(
                str(i),
                rng.randint(0, 9),
                [Link(str(p), rng.choice(TYPES), rng.randint(-3, 3)) for p in preds],
            )
        )
    rng.shuffle(tasks)
    result = engine.schedule(tasks, 10_000)
    assert engine.violations(tasks, result) == []
