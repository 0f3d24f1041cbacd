"""Real files: a project with constraints, progress, several links per pair and a milestone, written by
mpxj's own writers (MSPDI .xml and .mpx for MS Project, .xer and P6 XML for P6) after mpxj's scheduler
computed it, read back by mpxj's universal reader; the dates the file gives and the dates mpxj's scheduler
gives on the read-back file both equal ours, to the minute."""

import pytest

from tests.scheduling.file_build import py_datetime, schedule_project_file, start_jvm, write
from tiaodu.scheduling.file_engine import schedule
from tiaodu.scheduling.file_model import FF, MSP, P6, SNET, SS

from .test_file_engine import D, L, T, chain, project


def _project(source):
    tasks = chain()
    tasks[3].constraint, tasks[3].constraint_date = SNET, D(2026, 3, 11, 8)
    tasks[0].actual_start, tasks[0].percent_complete = D(2026, 3, 2, 8), 50
    tasks.append(T("5", "E", "标线", 180, links=[L("2", SS, 60), L("2", FF, 120)]))
    tasks.append(T("6", "M", "完工", 0, milestone=True, links=[L("3")]))
    return project(source, tasks, data_date=D(2026, 3, 3, 8))


def _ours(fp):
    return {
        k: (r.early_start, r.early_finish, r.late_start, r.late_finish, r.total_float_minutes, r.critical)
        for k, r in schedule(fp).tasks.items()
    }


def _read(path):
    start_jvm()
    from org.mpxj.reader import UniversalProjectReader

    return UniversalProjectReader().read(str(path))


@pytest.mark.parametrize(("source", "fmt"), [(MSP, "mspdi"), (MSP, "mpx"), (P6, "xer"), (P6, "pmxml")])
def test_a_written_file_scheduled_again_gives_our_dates(tmp_path, source, fmt):
    fp = _project(source)
    pf = _read(write(fp, tmp_path / f"plan.{fmt}", fmt))
    theirs = schedule_project_file(pf, source, fp.start)
    got = {
        k: (m.early_start, m.early_finish, m.late_start, m.late_finish, m.total_float_minutes, m.critical)
        for k, m in theirs.items()
        if k in {t.key for t in fp.tasks}
    }
    assert got == _ours(fp)


@pytest.mark.parametrize(("source", "fmt"), [(MSP, "mspdi"), (P6, "xer"), (P6, "pmxml")])
def test_the_dates_a_file_states_are_ours(tmp_path, source, fmt):
    fp = _project(source)
    pf = _read(write(fp, tmp_path / f"plan.{fmt}", fmt))
    stated = {
        str(int(t.getUniqueID())): (py_datetime(t.getEarlyStart()), py_datetime(t.getEarlyFinish()))
        for t in pf.getTasks()
        if t.getUniqueID() is not None and not t.getSummary()
    }
    ours = {k: v[:2] for k, v in _ours(fp).items()}
    assert {k: stated[k] for k in ours} == ours
