"""file_engine where mpxj's scheduler is no reference (it is wrong there, or the tool has no such thing),
and its errors and warnings: dates computed by hand, stated in each test.

The calendar: Monday–Friday 08:00–12:00 and 13:00–17:00, Wednesday 2026-03-04 a holiday; the project starts
Monday 2026-03-02 08:00.
"""

import datetime

import pytest

from tiaodu.scheduling.engine import CycleError, ScheduleError
from tiaodu.scheduling.file_engine import schedule
from tiaodu.scheduling.file_model import FS, MSP, P6, SS, FileLink, FileTask, WorkRange

from .test_file_engine import calendar, chain, project

D = datetime.datetime
T, L = FileTask, FileLink


def dates(result):
    return (
        result.early_start,
        result.early_finish,
        result.late_start,
        result.late_finish,
        result.total_float_minutes,
    )


@pytest.mark.parametrize("source", [MSP, P6])
def test_elapsed_duration(source):
    # A runs 16 elapsed hours: Mon 08:00 → Tue 00:00. B (1 d) starts Tue 08:00. Backwards, A may finish as
    # late as B's late start, Tue 08:00 (no working time lies between 00:00 and 08:00): float 0.
    # mpxj's schedulers move A's late finish back to Mon 17:00 on the working calendar, which gives an
    # unconstrained network −7 h of float (MicrosoftScheduler) or a late start before the early one.
    fp = project(
        source, [T("1", "A", "养护", 960, duration_elapsed=True), T("2", "B", "b", 480, links=[L("1")])]
    )
    result = schedule(fp)
    assert dates(result.tasks["1"]) == (
        D(2026, 3, 2, 8),
        D(2026, 3, 3, 0),
        D(2026, 3, 2, 16),
        D(2026, 3, 3, 8),
        0,
    )
    assert dates(result.tasks["2"]) == (
        D(2026, 3, 3, 8),
        D(2026, 3, 3, 17),
        D(2026, 3, 3, 8),
        D(2026, 3, 3, 17),
        0,
    )
    assert result.critical_path == ["1", "2"]


@pytest.mark.parametrize("source", [MSP, P6])
def test_a_calendar_working_until_midnight(source):
    # C (4 h) on a night shift 00:00–06:00 and 22:00–24:00 after A (Mon): Mon 22:00 → Tue 02:00.
    # D (1 d, FS + 1 h) after C: Tue 09:00 → Thu 09:00 (Wednesday off). Backwards: C must finish by
    # D's late start less 1 h, Tue 08:00, i.e. the night shift's Tue 06:00: 4 h of float.
    # (mpxj's ProjectCalendar.getPreviousWorkFinish mistakes a period ending at midnight and keeps 08:00.)
    night = calendar("2", "夜班", 7, (WorkRange(0, 360), WorkRange(1320, 1440)), {})
    tasks = [
        T("1", "A", "a", 480),
        T("3", "C", "c", 240, calendar="2", links=[L("1")]),
        T("4", "D", "d", 480, links=[L("3", FS, 60)]),
    ]
    result = schedule(project(source, tasks, {"1": calendar(), "2": night}))
    if source == MSP:  # the lag counts on D's calendar: Tue 02:00 + 1 h = Tue 09:00
        assert dates(result.tasks["3"]) == (
            D(2026, 3, 2, 22),
            D(2026, 3, 3, 2),
            D(2026, 3, 3, 2),
            D(2026, 3, 3, 6),
            240,
        )
        assert result.tasks["4"].early_start == D(2026, 3, 3, 9)
    else:  # P6: on C's night calendar: Tue 02:00 + 1 h = Tue 03:00, D starts Tue 08:00; backwards
        # C's finish + 1 h of night shift must not pass 08:00, so C finishes by 05:00: 3 h of float.
        assert result.tasks["4"].early_start == D(2026, 3, 3, 8)
        assert dates(result.tasks["3"]) == (
            D(2026, 3, 2, 22),
            D(2026, 3, 3, 2),
            D(2026, 3, 3, 1),
            D(2026, 3, 3, 5),
            180,
        )


def test_p6_percentage_lag_is_a_share_of_the_predecessor():
    # P6 itself has no percentage lags (they come from MS Project files); mpxj's PrimaveraScheduler reads
    # "25 %" as 25 minutes. We take 25 % of A's 16 h = 4 h on A's calendar: Tue 17:00 + 4 h = Thu 12:00,
    # so B starts Thu 13:00.
    tasks = [T("1", "A", "a", 960), T("2", "B", "b", 480, links=[L("1", FS, 0, lag_percent=25)])]
    result = schedule(project(P6, tasks))
    assert result.tasks["2"].early_start == D(2026, 3, 5, 13)
    assert result.tasks["2"].early_finish == D(2026, 3, 6, 12)


@pytest.mark.parametrize("source", [MSP, P6])
def test_the_district_deadline_as_the_late_finish(source):
    # The chain finishes Tue 3/10 17:00; the deadline Mon 3/9 17:00 leaves the critical tasks −1 d.
    # D (after A) finishes Thu 3/5 17:00 and may finish by 3/9 17:00: 2 d of float.
    result = schedule(project(source, chain()), late_finish=D(2026, 3, 9, 17))
    assert result.finish == D(2026, 3, 10, 17)
    assert [result.tasks[k].total_float_minutes for k in "1234"] == [-480, -480, -480, 960]
    assert result.critical_path == ["1", "2", "3"]


def test_critical_path_in_schedule_order():
    tasks = [
        T("4", "D", "d", 480, links=[L("3")]),
        T("3", "C", "c", 480, links=[L("1", SS)]),
        T("1", "A", "a", 480),
        T("2", "B", "b", 240, links=[L("1")]),
    ]
    result = schedule(project(MSP, tasks))
    assert result.critical_path == ["1", "3", "4"]
    assert result.tasks["2"].critical is False


def test_a_cycle_names_its_tasks():
    tasks = [
        T("1", "A10", "a", 480, links=[L("3")]),
        T("2", "A20", "b", 480, links=[L("1")]),
        T("3", "A30", "c", 480, links=[L("2", SS)]),
    ]
    with pytest.raises(CycleError, match="循环依赖：A10 → A20 → A30 → A10"):
        schedule(project(P6, tasks))


def test_links_to_missing_tasks_are_ignored_and_said():
    tasks = [T("1", "A", "挖方", 480), T("2", "B", "路基", 480, links=[L("1"), L("99", SS, 60)])]
    result = schedule(project(MSP, tasks))
    assert result.tasks["2"].early_start == D(2026, 3, 3, 8)
    assert result.warnings == ["任务「B 路基」的一项紧前任务已删除（不在本计划的任务中），该依赖已忽略"]


def test_bad_input_is_refused_in_words():
    with pytest.raises(ScheduleError, match="标识「1」在文件中重复"):
        schedule(project(MSP, [T("1", "A", "a", 480), T("1", "B", "b", 480)]))
    with pytest.raises(ScheduleError, match="依赖类型「XX」无效"):
        schedule(project(MSP, [T("1", "A", "a", 480), T("2", "B", "b", 480, links=[L("1", "XX")])]))


def test_an_empty_project_and_summaries_only():
    assert schedule(project(MSP, [])).tasks == {}
    result = schedule(project(MSP, [T("10", "S", "一期", 0, summary=True)]))
    assert result.tasks == {} and result.critical_path == []


def test_summaries_roll_up_their_children():
    tasks = [
        T("10", "S", "一期", 0, summary=True),
        T("1", "A", "a", 960, parent="10"),
        T("2", "B", "b", 480, parent="10", links=[L("1", SS, 120)]),
        T("3", "C", "c", 480, links=[L("1")]),
    ]
    result = schedule(project(MSP, tasks))
    summary = result.tasks["10"]
    assert (summary.early_start, summary.early_finish) == (D(2026, 3, 2, 8), D(2026, 3, 3, 17))
    assert summary.critical is True
    assert "10" not in result.critical_path


def test_a_long_network_is_scheduled():
    # 4,000 tasks in chains of 40 with cross links (a large real file's size).
    tasks = []
    for i in range(4000):
        links = [L(str(i - 1))] if i % 40 else []
        if i >= 40 and i % 7 == 0:
            links.append(L(str(i - 40), SS, 240))
        tasks.append(T(str(i), f"A{i}", "t", 480 + (i % 5) * 60, links=links))
    result = schedule(project(P6, tasks))
    assert len(result.tasks) == 4000
    assert result.finish == max(r.early_finish for r in result.tasks.values()) > D(2026, 4, 1)
    assert min(r.total_float_minutes for r in result.tasks.values()) == 0


def test_a_manual_task_without_dates_is_scheduled_automatically_and_said():
    tasks = [T("1", "A", "a", 480), T("2", "B", "b", 480, manual=True, links=[L("1")])]
    fp = project(MSP, tasks)
    result = schedule(fp)
    assert result.tasks["2"].early_start == D(2026, 3, 3, 8)
    assert result.warnings == ["手动计划任务「B b」没有开始或完成日期，按自动计划排程"]
    assert fp.tasks[1].manual is True  # the input is left as it was


def test_an_elapsed_percentage_lag():
    # MS Project's "e%": 50 % of A's 16 h as calendar time, SS from Mon 08:00: B starts Mon 16:00 (a working
    # percentage, 8 working hours, would start it Tue 08:00). mpxj's scheduler reads 50e% as 50 minutes.
    tasks = [
        T("1", "A", "a", 960),
        T("2", "B", "b", 480, links=[L("1", SS, 0, lag_elapsed=True, lag_percent=50)]),
    ]
    assert schedule(project(MSP, tasks)).tasks["2"].early_start == D(2026, 3, 2, 16)
    tasks[1].links[0].lag_elapsed = False
    assert schedule(project(MSP, tasks)).tasks["2"].early_start == D(2026, 3, 3, 8)
