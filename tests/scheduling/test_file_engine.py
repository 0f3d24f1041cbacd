"""file_engine against mpxj's own schedulers: each feature of issue 15 item 4 on its own small project,
built with mpxj (file_build), scheduled by org.mpxj.cpm.MicrosoftScheduler / PrimaveraScheduler and by us,
compared to the minute (early/late start/finish, total float, critical).

Two reading rules, both stated in file_engine's docstring: an MS Project ALAP task is compared by its
scheduled Start/Finish (it sits at its late dates; we report those as its early dates), and the late dates
of a completed P6 activity (float 0, never critical) are not compared. Where mpxj's scheduler is wrong or
cannot do a feature, test_file_engine_hand.py states hand-computed dates instead.
"""

import datetime

import pytest

from tests.scheduling.file_build import mpxj_schedule
from tiaodu.scheduling.file_engine import schedule
from tiaodu.scheduling.file_model import (
    ALAP,
    FF,
    FNET,
    FNLT,
    FS,
    MFO,
    MSO,
    MSP,
    P6,
    SF,
    SNET,
    SNLT,
    SS,
    FileCalendar,
    FileLink,
    FileProject,
    FileTask,
    WorkRange,
)

D = datetime.datetime
T, L = FileTask, FileLink
DAY = (WorkRange(480, 720), WorkRange(780, 1020))
BOTH = pytest.mark.parametrize("source", [MSP, P6])


def calendar(key="1", name="标准", days=5, ranges=DAY, exceptions=None):
    exc = {datetime.date(2026, 3, 4): ()} if exceptions is None else exceptions  # a Wednesday holiday
    return FileCalendar(key, name, {d: ranges if d < days else () for d in range(7)}, exceptions=exc)


def project(source, tasks, calendars=None, **kwargs):
    return FileProject(source, "测试", D(2026, 3, 2, 8), "1", calendars or {"1": calendar()}, tasks, **kwargs)


def differences(fp):
    """Every value where we and mpxj's scheduler differ, as readable tuples."""
    theirs = mpxj_schedule(fp)
    ours = schedule(fp)
    by_key = {t.key: t for t in fp.tasks}
    out = []
    for key, m in theirs.items():
        task = by_key[key]
        mine = ours.tasks.get(key)
        if mine is None:
            out.append((key, "missing"))
            continue
        es, ef = m.early_start, m.early_finish
        if fp.source == MSP and task.constraint == ALAP and task.actual_start is None:
            es, ef = m.start, m.finish
        want = {"es": es, "ef": ef, "ls": m.late_start, "lf": m.late_finish}
        want |= {"tf": m.total_float_minutes, "critical": m.critical}
        got = {"es": mine.early_start, "ef": mine.early_finish, "ls": mine.late_start, "lf": mine.late_finish}
        got |= {"tf": mine.total_float_minutes, "critical": mine.critical}
        if fp.source == P6 and task.actual_finish is not None:
            del want["ls"], want["lf"]
        out.extend(
            (key, name, str(value), str(got[name])) for name, value in want.items() if got[name] != value
        )
    return out


def chain():
    """A 2 d → B 3 d → C 1 d, and D 1 d after A (float 4 d)."""
    return [
        T("1", "A", "挖方", 960),
        T("2", "B", "路基", 1440, links=[L("1")]),
        T("3", "C", "路面", 480, links=[L("2")]),
        T("4", "D", "排水", 480, links=[L("1")]),
    ]


CONSTRAINTS = [
    (SNET, D(2026, 3, 11, 8)),
    (SNET, D(2026, 3, 2, 8)),
    (SNLT, D(2026, 3, 5, 8)),
    (FNET, D(2026, 3, 16, 17)),
    (FNLT, D(2026, 3, 6, 17)),
    (MSO, D(2026, 3, 12, 8)),
    (MFO, D(2026, 3, 13, 17)),
    (ALAP, None),
]


@BOTH
@pytest.mark.parametrize(("kind", "when"), CONSTRAINTS)
@pytest.mark.parametrize("position", [1, 3], ids=["critical", "floating"])
def test_constraint(source, kind, when, position):
    tasks = chain()
    tasks[position].constraint, tasks[position].constraint_date = kind, when
    assert differences(project(source, tasks)) == []


@pytest.mark.parametrize(
    ("kind", "when"), [(MSO, D(2026, 3, 12, 8)), (MFO, D(2026, 3, 13, 17)), (MSO, D(2026, 3, 3, 8))]
)
def test_p6_mandatory_start_and_finish(kind, when):
    tasks = chain()
    tasks[1].constraint, tasks[1].constraint_date = kind, when
    tasks[1].mandatory = True  # P6 mandatory start / finish
    assert differences(project(P6, tasks)) == []


def test_p6_secondary_constraint():
    tasks = chain()
    tasks[1].secondary_constraint, tasks[1].secondary_constraint_date = FNLT, D(2026, 3, 5, 17)
    assert differences(project(P6, tasks)) == []


@BOTH
def test_constraint_conflict(source):
    tasks = [
        T("1", "A", "a", 960),
        T("2", "B", "b", 960, constraint=FNET, constraint_date=D(2026, 3, 9, 12)),
        T("3", "C", "c", 480, links=[L("1"), L("2")], constraint=MSO, constraint_date=D(2026, 3, 3, 8)),
    ]
    fp = project(source, tasks)
    assert differences(fp) == []
    if source == MSP:
        assert any("限制条件" in w and "C c" in w for w in schedule(fp).warnings)


@BOTH
def test_actuals_in_progress_and_data_date(source):
    tasks = chain()
    tasks[0].actual_start, tasks[0].actual_finish, tasks[0].percent_complete = (
        D(2026, 3, 2, 8),
        D(2026, 3, 3, 17),
        100,
    )
    tasks[1].actual_start, tasks[1].percent_complete = D(2026, 3, 5, 8), 50
    assert differences(project(source, tasks, data_date=D(2026, 3, 6, 8))) == []


@BOTH
def test_progress_through_every_link_type(source):
    tasks = [
        T(
            "1",
            "A",
            "a",
            960,
            actual_start=D(2026, 3, 2, 8),
            actual_finish=D(2026, 3, 3, 17),
            percent_complete=100,
        ),
        T("2", "B", "b", 1440, links=[L("1", FS, 480)]),
        T("3", "C", "c", 960, actual_start=D(2026, 3, 5, 8), percent_complete=50, links=[L("1", SS, 120)]),
        T("4", "D", "d", 480, links=[L("3", FF, 60), L("2")]),
        T("5", "E", "e", 480, links=[L("3", FS)], remaining_minutes=480),
    ]
    assert differences(project(source, tasks, data_date=D(2026, 3, 6, 12))) == []


@BOTH
def test_first_task_in_progress_and_late_completion(source):
    tasks = chain()
    tasks[0].actual_start, tasks[0].percent_complete = D(2026, 3, 2, 8), 25
    assert differences(project(source, tasks, data_date=D(2026, 3, 9, 8))) == []
    tasks = chain()
    tasks[0].actual_start, tasks[0].actual_finish, tasks[0].percent_complete = (
        D(2026, 3, 2, 8),
        D(2026, 3, 6, 17),
        100,
    )
    assert differences(project(source, tasks, data_date=D(2026, 3, 9, 8))) == []


@BOTH
def test_unstarted_work_and_the_data_date(source):
    # P6: nothing unstarted before the data date; MS Project's scheduler does not move them.
    assert differences(project(source, chain(), data_date=D(2026, 3, 9, 8))) == []


def test_summary_task_links_apply_to_every_leaf():
    tasks = [
        T("10", "S", "一期", 0, summary=True),
        T("11", "S1", "一期土建", 0, summary=True, parent="10"),
        T("1", "A", "a", 960, parent="11"),
        T("2", "B", "b", 480, parent="10", links=[L("1")]),
        T("3", "C", "c", 480, links=[L("11", FF, 60)]),
        T("4", "D", "d", 480, links=[L("10")]),
        T("20", "S2", "二期", 0, summary=True, links=[L("3")]),
        T("5", "E", "e", 480, parent="20"),
        T("6", "F", "f", 240, parent="20", links=[L("10", SS, 120)]),
    ]
    assert differences(project(MSP, tasks)) == []


@BOTH
def test_several_relationships_between_the_same_pair(source):
    tasks = [
        T("1", "A", "a", 960),
        T("2", "B", "b", 480, links=[L("1", SS, 240), L("1", FF, 120), L("1", FS, -60)]),
    ]
    fp = project(source, tasks)
    assert differences(fp) == []
    assert schedule(fp).tasks["2"].early_start == D(2026, 3, 3, 16)  # FS −1 h drives


@BOTH
def test_start_finish_and_negative_lags(source):
    tasks = [
        T("1", "A", "a", 960),
        T("2", "B", "b", 480, links=[L("1", SF, 600)]),
        T("3", "C", "c", 480, links=[L("2", FS, -240)]),
        T("4", "E", "e", 480, links=[L("1", FS, -600)]),
        T("5", "F", "f", 480, links=[L("4", SS, -120), L("1", FF, -60)]),
    ]
    assert differences(project(source, tasks)) == []


@BOTH
def test_elapsed_lag(source):
    tasks = [T("1", "A", "a", 960), T("2", "B", "b", 480, links=[L("1", FS, 2880, lag_elapsed=True)])]
    fp = project(source, tasks)
    assert differences(fp) == []
    assert schedule(fp).tasks["2"].early_start == D(2026, 3, 6, 8)  # Tue 17:00 + 2 ed = Thu 17:00 → Fri 08:00


def test_percentage_lag_ms_project():
    tasks = [
        T("1", "A", "a", 960),
        T("2", "B", "b", 480, links=[L("1", FS, 0, lag_percent=25)]),
        T("3", "C", "c", 480, links=[L("1", SS, 0, lag_percent=50)]),
    ]
    fp = project(MSP, tasks)
    assert differences(fp) == []
    assert schedule(fp).tasks["2"].early_start == D(2026, 3, 5, 13)  # 25 % of 16 h = 4 h after Tue 17:00


@BOTH
def test_durations_in_hours(source):
    tasks = [
        T("1", "A", "a", 180),
        T("2", "B", "b", 180, links=[L("1")]),
        T("3", "C", "c", 90, links=[L("2")]),
        T("4", "D", "d", 60, links=[L("1")]),
    ]
    fp = project(source, tasks)
    assert differences(fp) == []
    assert schedule(fp).tasks["3"].early_finish == D(2026, 3, 2, 16, 30)  # 3 h + 3 h + 1.5 h from 08:00


@BOTH
def test_per_task_calendars_and_the_lag_calendar(source):
    late = calendar("2", "晚班", 7, (WorkRange(360, 600), WorkRange(840, 1200)), {})
    six = calendar("3", "六天", 6)
    tasks = [
        T("1", "A", "a", 960),
        T("2", "B", "b", 960, calendar="3", links=[L("1", FS, 480)]),
        T("3", "C", "c", 480, calendar="2", links=[L("2")]),
        T("4", "D", "d", 480, links=[L("3", FS, 60)]),
    ]
    assert differences(project(source, tasks, {"1": calendar(), "2": late, "3": six})) == []


@BOTH
def test_milestones(source):
    tasks = [
        T("1", "A", "a", 960),
        T("2", "M", "完工", 0, milestone=True, links=[L("1")]),
        T("3", "C", "c", 480, links=[L("2")]),
        T("5", "S", "开工", 0, milestone=True),
        T("4", "D", "d", 480, links=[L("5")]),
        T("6", "N", "验收", 0, milestone=True, constraint=SNET, constraint_date=D(2026, 3, 5, 17)),
        T("7", "E", "e", 480, links=[L("6")]),
    ]
    assert differences(project(source, tasks)) == []


def test_manually_scheduled_task_stays_and_drives():
    tasks = [
        T("1", "A", "a", 960),
        T(
            "2",
            "B",
            "b",
            480,
            manual=True,
            file_start=D(2026, 3, 10, 8),
            file_finish=D(2026, 3, 10, 17),
            links=[L("1")],
        ),
        T("3", "C", "c", 480, links=[L("2")]),
    ]
    fp = project(MSP, tasks)
    assert differences(fp) == []
    assert schedule(fp).tasks["3"].early_start == D(2026, 3, 11, 8)


def test_p6_level_of_effort_spans_its_neighbours():
    tasks = [
        T("1", "A", "a", 960),
        T("2", "B", "b", 1440, links=[L("1")]),
        T("9", "L", "现场管理", 0, level_of_effort=True, links=[L("1", SS)]),
        T("3", "C", "c", 480, links=[L("2"), L("9", FF)]),
    ]
    fp = project(P6, tasks)
    assert differences(fp) == []
    loe = schedule(fp).tasks["9"]
    assert (loe.early_start, loe.early_finish) == (D(2026, 3, 2, 8), D(2026, 3, 10, 17))


def test_p6_must_finish_by():
    fp = project(P6, chain(), must_finish_by=D(2026, 3, 13, 17))
    assert differences(fp) == []
    assert schedule(fp).tasks["3"].total_float_minutes == 3 * 480  # 3/10 17:00 → 3/13 17:00


def test_ms_project_alap_chain_and_nested_summaries():
    tasks = [
        T("1", "A", "a", 960),
        T("3", "C", "c", 480, links=[L("1")]),
        T("4", "D", "d", 240, constraint=ALAP, links=[L("3")]),
        T("5", "E", "e", 240, links=[L("4")]),
        T("6", "F", "f", 2400),
    ]
    assert differences(project(MSP, tasks)) == []
