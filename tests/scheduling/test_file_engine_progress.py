"""file_engine against mpxj's schedulers on the faults the schedule-agreement benchmark found
(benchmarks/README.md, 进度计划文件一致性): finished P6 activities behind lagged links, starts at the end of
a working period in MS Project, and which manually scheduled tasks MS Project marks critical."""

import pytest

from tests.scheduling.test_file_engine import D, L, T, differences, project
from tiaodu.scheduling.file_engine import schedule
from tiaodu.scheduling.file_model import FF, FS, MSP, P6, SF, SS

DONE = {"percent_complete": 100, "remaining_minutes": 0}


def finished(key, start, finish, minutes, **kwargs):
    return T(key, f"A{key}", key, minutes, actual_start=start, actual_finish=finish, **DONE, **kwargs)


def test_p6_finished_activity_behind_a_lagged_finish_to_finish_link_stays_at_the_data_date():
    """gen-p6-1000 A1840: finished, FF +16 h from the finished A1690. P6 takes the lag as run: the activity
    sits at the data date and its successor follows from there, not 16 h later."""
    tasks = [
        finished("1", D(2026, 3, 2, 8), D(2026, 3, 3, 17), 960),
        finished("2", D(2026, 3, 3, 8), D(2026, 3, 5, 17), 960, links=[L("1", FF, 960)]),
        T("3", "A3", "3", 960, links=[L("2")]),
    ]
    fp = project(P6, tasks, data_date=D(2026, 3, 6, 17))
    assert differences(fp) == []
    got = schedule(fp).tasks
    assert (got["2"].early_start, got["2"].early_finish) == (D(2026, 3, 6, 17), D(2026, 3, 6, 17))
    assert (got["3"].early_start, got["3"].early_finish) == (D(2026, 3, 9, 8), D(2026, 3, 10, 17))


@pytest.mark.parametrize("kind", [FS, SS, FF, SF])
@pytest.mark.parametrize("lag", [480, -240])
def test_p6_finished_successor_of_a_finished_predecessor_through_every_link_type(kind, lag):
    """Out-of-sequence progress (a finished successor of an unfinished predecessor) is left out: the
    forward pass agrees with mpxj, the predecessor's late dates do not (benchmarks/README.md)."""
    tasks = [
        finished("1", D(2026, 3, 2, 8), D(2026, 3, 3, 17), 960),
        finished("2", D(2026, 3, 3, 8), D(2026, 3, 5, 17), 960, links=[L("1", kind, lag)]),
        T("3", "A3", "3", 960, links=[L("2", FS, 240)]),
        T("4", "A4", "4", 480, links=[L("2", SS)]),
    ]
    assert differences(project(P6, tasks, data_date=D(2026, 3, 6, 17))) == []


@pytest.mark.parametrize("predecessor", [960, 1200], ids=["ends-17:00", "ends-12:00"])
def test_ms_project_elapsed_task_starts_at_the_next_working_period(predecessor):
    """gen-msp-1000 tasks 418, 712: an elapsed task whose predecessor finishes at the end of a working
    period starts at the next period's start (as any task does), not at the period's end. The early dates
    only: the late dates of an elapsed task are a known difference (file_engine's docstring)."""
    tasks = [
        T("1", "A1", "1", predecessor),
        T("2", "A2", "2", 2880, duration_elapsed=True, links=[L("1")]),
        T("3", "A3", "3", 480, links=[L("2")]),
    ]
    fp = project(MSP, tasks)
    assert [d for d in differences(fp) if d[1] in ("es", "ef")] == []
    start = schedule(fp).tasks["2"].early_start
    assert start == (D(2026, 3, 5, 8) if predecessor == 960 else D(2026, 3, 5, 13))


@pytest.mark.parametrize("typed", [True, False])
def test_ms_project_manual_task_with_a_typed_duration_is_never_critical(typed):
    """task-durations-project2019-mspdi.xml: 110 manual tasks with typed durations and float 0, none critical.
    MS Project (and mpxj) mark a manual task critical only when none of its duration, start or finish was
    typed as text."""
    manual = {"manual": True, "file_start": D(2026, 3, 5, 8), "file_finish": D(2026, 3, 5, 17)}
    tasks = [T("1", "A1", "1", 480, typed=typed, **manual), T("2", "A2", "2", 480, links=[L("1")])]
    fp = project(MSP, tasks)
    assert differences(fp) == []
    got = schedule(fp).tasks
    assert got["1"].total_float_minutes == 0
    assert got["1"].critical is not typed
    assert got["2"].critical
