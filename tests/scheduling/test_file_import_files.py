"""Real MS Project / P6 files (written by mpxj from FileProjects, tests/scheduling/file_build.py) imported
through the whole chain — open, extract, map, keep, schedule — and the import report they get."""

import datetime
from decimal import Decimal

import pytest

from tests.browser_shots import shot
from tiaodu.scheduling import services
from tiaodu.scheduling.file_model import FS, MSP, P6, FileCalendar, FileLink, FileProject, FileTask, WorkRange
from tiaodu.scheduling.models import ProjectSchedule, Task
from tiaodu.scheduling.selectors import project_schedule, project_tasks

pytestmark = pytest.mark.django_db

DT = datetime.datetime
DAY = (WorkRange(480, 720), WorkRange(780, 1020))


def calendar(saturday=False, exceptions=None):
    week = {wd: DAY if wd < 5 or (saturday and wd == 5) else () for wd in range(7)}
    return FileCalendar("1", "标准", week, exceptions or {})


def plan(rows, *, source=MSP, saturday=False, exceptions=None):
    tasks = [
        FileTask(key, code, name, days * 480, links=[FileLink(p, FS) for p in preds])
        for key, code, name, days, preds in rows
    ]
    return FileProject(
        source=source,
        name="北园大街总进度",
        start=DT(2026, 3, 2, 8),
        calendar="1",
        calendars={"1": calendar(saturday, exceptions)},
        tasks=tasks,
    )


ROWS = [
    ("1", "1", "征收拆迁", 5, []),
    ("2", "2", "施工图设计", 3, ["1"]),
    ("3", "3", "管线迁改", 4, ["1"]),
    ("4", "4", "道路施工", 10, ["2", "3"]),
]


@pytest.fixture
def project(district):
    p = district.project
    p.planned_start, p.deadline = datetime.date(2026, 3, 2), datetime.date(2026, 6, 30)
    p.save()
    return p


def imported(district, project, fp, path, fmt="mspdi"):
    from tests.scheduling.file_build import write

    write(fp, path, fmt)
    return services.schedule_import_record(
        user=district.users["hq"], project=project, path=path, filename=path.name
    )


def test_quantities_stay_with_the_unique_id_after_a_row_is_deleted_in_ms_project(district, project, tmp_path):
    imported(district, project, plan(ROWS), tmp_path / "计划.xml")
    indicator = project.indicators.get()
    Task.objects.filter(project=project, name="管线迁改").update(indicator=indicator, quantity=300)
    # 施工图设计 deleted in MS Project: the rows below move up, their IDs with them.
    second = [
        ("1", "1", "征收拆迁", 5, []),
        ("3", "2", "管线迁改", 4, ["1"]),
        ("4", "3", "道路施工", 10, ["3"]),
    ]
    record = imported(district, project, plan(second), tmp_path / "计划第二版.xml")
    pipes = Task.objects.get(project=project, name="管线迁改")
    assert (pipes.source_key, pipes.code, pipes.quantity) == ("3", "2", Decimal("300"))
    report = record.report
    assert report["removed"] == ["2 施工图设计"] and report["added"] == []
    assert report["changed"][0] == "3 道路施工：紧前任务「2、3」→「2」"
    assert report["changed"][-1].startswith("另有2项任务仅编号变化")
    assert any("保留了原关联指标和工程量" in n for n in report["notices"])


def test_the_report_compares_the_file_calendar_finish_and_critical_path(district, project, tmp_path):
    holiday = {datetime.date(2026, 3, 14): ()}  # a Saturday off
    record = imported(district, project, plan(ROWS, saturday=True, exceptions=holiday), tmp_path / "a.xml")
    report = record.report
    assert report["counts"]["任务"] == 4 and report["counts"]["依赖"] == 4 and report["counts"]["日历"] >= 1
    notes = report["calendar_notes"]
    assert notes[0].startswith("文件日历为周一至周六、每天8小时、含1个例外日期；本项目使用「法定工作日」")
    # 5 + 4 + 10 working days from Mon 2 March: Mon–Fri ends 26 March, Mon–Sat (14 March off) 24 March.
    assert notes[1] == "按「法定工作日」计划完工2026-03-26；按「导入文件日历」计划完工2026-03-24（早2天）"
    assert report["our_finish"] == "2026-03-26" and report["file_finish"].startswith("2026-03-24")
    assert report["file_critical_known"] and report["critical_only_file"] == []
    ProjectSchedule.objects.filter(project=project).update(mode="file")
    schedule = project_schedule(project)
    assert schedule.finish == datetime.date(2026, 3, 24) and schedule.critical_path == ["1", "3", "4"]
    assert [t.early_finish for t in schedule.tasks] == [
        datetime.date(2026, 3, 6),
        datetime.date(2026, 3, 10),
        datetime.date(2026, 3, 11),
        datetime.date(2026, 3, 24),
    ]


def test_a_p6_file_keeps_activity_ids_and_its_links(district, project, tmp_path):
    rows = [
        ("1", "A10", "征收拆迁", 5, []),
        ("2", "A20", "道路施工", 10, ["1"]),
        ("3", "A30", "竣工验收", 0, ["2"]),
    ]
    record = imported(district, project, plan(rows, source=P6), tmp_path / "plan.xer", fmt="xer")
    tasks = project_tasks(project)
    assert [(t.code, t.duration) for t in tasks] == [("A10", 5), ("A20", 10), ("A30", 0)]
    assert all(t.source_key for t in tasks) and record.file_format.startswith("Primavera")
    schedule = project_schedule(project)
    # 5 + 10 working days from Mon 2 March; the finish milestone shows the day it follows.
    assert schedule.tasks[2].early_finish == schedule.tasks[1].early_finish == datetime.date(2026, 3, 20)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_report_page_of_an_ms_project_file(
    live_server, browser, district, tmp_path, sessions_saved_at_sign_in_only
):
    from tests.progress.test_browser import log_in
    from tests.scheduling.file_build import write
    from tiaodu.scheduling.file_model import FF, SNET, SS

    p = district.project
    p.planned_start, p.deadline = datetime.date(2026, 3, 2), datetime.date(2026, 6, 30)
    p.save()
    fp = plan(ROWS, saturday=True, exceptions={datetime.date(2026, 3, 14): ()})
    summary = FileTask("100", "0", "一期工程", 0, summary=True)
    for t in fp.tasks[:3]:
        t.parent = "100"
    fp.tasks[3].links = [FileLink("100", FS), FileLink("3", SS, 480), FileLink("3", FF, 960)]
    fp.tasks[2].constraint, fp.tasks[2].constraint_date = SNET, DT(2026, 3, 9, 8)
    fp.tasks.insert(0, summary)
    path = write(fp, tmp_path / "北园大街总进度.xml", "mspdi")
    context, page = log_in(browser, live_server, "hq", {"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/projects/ZD-001/schedule/import/")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="导入").click()
    page.wait_for_selector("#report-calendar")
    assert "文件日历为周一至周六" in page.inner_text("#report-calendar")
    shot(page, "store-import-report-file", full_page=True)
    context.close()
