"""The import report (kept with every import, xlsx too), its page, the project-choice step of the import
page, the calendar modes on the schedule page, and baselines matched by task identity."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.scheduling.conftest import write_plan
from tiaodu.scheduling import import_views, services
from tiaodu.scheduling.engine import Link
from tiaodu.scheduling.importers import ImportedTask
from tiaodu.scheduling.models import ProjectSchedule, ScheduleImport, Task
from tiaodu.scheduling.selectors import baseline_comparison, project_schedule, project_tasks

pytestmark = pytest.mark.django_db

PLAN = [
    ["1", "征收拆迁", 20, "", "拆迁面积", 120000],
    ["2", "施工图设计", 15, "1SS+5", "", None],
    ["3", "道路施工", 60, "2、1FF+10", "", None],
]


def test_it_keeps_the_report_of_an_xlsx_import(district, tmp_path):
    user, project = district.users["hq"], district.project
    services.schedule_import(user=user, project=project, path=write_plan(tmp_path / "a.xlsx", PLAN))
    rows = [PLAN[0], ["2", "施工图设计", 18, "1SS+5", "", None], ["4", "绿化", 10, "3", "", None]]
    rows.insert(2, PLAN[2])
    record = services.schedule_import_record(
        user=user, project=project, path=write_plan(tmp_path / "b.xlsx", rows), filename="计划第二版.xlsx"
    )
    report = record.report
    assert (record.file_name, record.file_format, record.user) == (
        "计划第二版.xlsx",
        "Excel 工作表「计划」",
        user,
    )
    assert report["counts"] == {"任务": 4, "摘要任务": 0, "依赖": 4}
    assert report["added"] == ["4 绿化"] and report["removed"] == []
    assert report["changed"] == ["2 施工图设计：工期15天→18天"]
    assert report["our_finish"] == project_schedule(project).finish.isoformat()
    assert report["dropped"] == [] and report["calendar_notes"] == []


def test_it_shows_the_report_page_to_whoever_sees_the_schedule(client, district, tmp_path):
    client.force_login(district.users["hq"])
    with open(write_plan(tmp_path / "计划.xlsx", PLAN), "rb") as fh:
        response = client.post("/projects/ZD-001/schedule/import/", {"file": fh})
    record = ScheduleImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/projects/ZD-001/schedule/imports/{record.pk}/"
    client.force_login(district.users["dept"])  # a supporting unit reads the schedule, and the report
    html = client.get(response["Location"]).content.decode()
    assert "导入报告" in html and "计划.xlsx" in html and "新增 3 项" in html
    assert "1 征收拆迁、2 施工图设计、3 道路施工" in html and "文件中的内容全部采用" in html
    schedule_page = client.get("/projects/ZD-001/schedule/").content.decode()
    assert f'href="/projects/ZD-001/schedule/imports/{record.pk}/"' in schedule_page
    client.force_login(district.users["outsider"])
    assert client.get(response["Location"]).status_code == 404
    client.force_login(district.users["hq"])
    assert client.get(f"/projects/ZD-002/schedule/imports/{record.pk}/").status_code == 404


def test_it_asks_which_project_of_a_real_two_project_file(client, district, tmp_path):
    from tests.scheduling import mpxj_files

    two = [("P1", "一期工程", mpxj_files.NETWORK), ("P2", "二期工程", mpxj_files.CYRILLIC)]
    path = mpxj_files.write_xer(tmp_path / "总进度.xer", projects=two)
    client.force_login(district.users["hq"])
    with open(path, "rb") as fh:
        response = client.post("/projects/ZD-001/schedule/import/", {"file": fh})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="project-choice"' in html
    assert "（4项任务）" in html and "（2项任务）" in html
    token = next(iter(client.session[import_views.SESSION_KEY]))
    assert Path(client.session[import_views.SESSION_KEY][token]["path"]).is_file()


def test_it_asks_which_project_and_imports_it_without_a_new_upload(client, district, tmp_path):
    from tests.scheduling import mpxj_files

    two = [("P1", "一期工程", mpxj_files.NETWORK), ("P2", "二期工程", mpxj_files.CYRILLIC)]
    upload = mpxj_files.write_xer(tmp_path / "总进度.xer", charset="UTF-8", projects=two)
    client.force_login(district.users["hq"])
    with open(upload, "rb") as fh:
        html = client.post("/projects/ZD-001/schedule/import/", {"file": fh}).content.decode()
    assert 'id="project-choice"' in html and "（4项任务）" in html and "（2项任务）" in html
    token = client.session[import_views.SESSION_KEY].popitem()[0]
    kept = Path(client.session[import_views.SESSION_KEY][token]["path"])
    assert kept.is_file()
    client.force_login(district.users["street"])  # another user cannot use the token
    response = client.post("/projects/ZD-001/schedule/import/", {"token": token, "choice": "P2"})
    assert response.status_code == 400 and "已过期或不属于本项目" in response.content.decode()
    client.force_login(district.users["hq"])
    # The session of the first login is gone with force_login: upload again and choose.
    with open(upload, "rb") as fh:
        client.post("/projects/ZD-001/schedule/import/", {"file": fh})
    token = next(iter(client.session[import_views.SESSION_KEY]))
    kept = Path(client.session[import_views.SESSION_KEY][token]["path"])
    response = client.post("/projects/ZD-001/schedule/import/", {"token": token, "choice": "P2"})
    assert response.status_code == 302
    assert [t.name for t in project_tasks(district.project)] == ["Подготовка площадки", "Монтаж опор"]
    assert not kept.exists() and client.session[import_views.SESSION_KEY] == {}


def test_it_cleans_up_kept_uploads_after_half_an_hour(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    old = import_views.upload_dir() / "old.xer"
    old.write_text("x")
    new = import_views.upload_dir() / "new.xer"
    new.write_text("x")
    import os
    import time

    os.utime(old, (time.time() - 31 * 60, time.time() - 31 * 60))
    import_views.clean_uploads()
    assert not old.exists() and new.exists()


def test_it_offers_the_file_calendar_only_with_an_imported_file(client, district, national_day):
    client.force_login(district.users["hq"])
    html = client.get("/projects/ZD-001/schedule/").content.decode()
    assert '<option value="mon_sat"' in html and '<option value="file"' not in html
    response = client.post("/projects/ZD-001/schedule/mode/", {"mode": "file"}, follow=True)
    assert "请选择日历模式：法定工作日、周一至周五、周一至周六、连续施工" in response.content.decode()
    client.post("/projects/ZD-001/schedule/mode/", {"mode": "mon_sat"})
    assert ProjectSchedule.objects.get(project=national_day).mode == "mon_sat"
    schedule = project_schedule(national_day)
    # Mon 28 Sep 2026, A takes 4 days on a Monday–Saturday week without holidays: 28 Sep – 1 Oct.
    assert schedule.tasks[0].early_finish == datetime.date(2026, 10, 1)
    ProjectSchedule.objects.filter(project=national_day).update(file_data={"calendar": "1", "calendars": {}})
    html = client.get("/projects/ZD-001/schedule/").content.decode()
    assert '<option value="file"' in html


def test_it_matches_baseline_tasks_by_their_file_identity(district):
    user, project = district.users["office"], district.project
    indicator = project.indicators.get()
    first = [
        ImportedTask("1", "1", "征收拆迁", 5, [], key="101"),
        ImportedTask("2", "2", "管线迁改", 3, [Link("1")], key="102"),
        ImportedTask("3", "3", "道路施工", 10, [Link("2")], indicator, Decimal(10), key="103"),
    ]
    services.tasks_replace(user=user, project=project, tasks=first)
    baseline = services.baseline_approve(user=user, project=project)
    assert [row["key"] for row in baseline.snapshot["tasks"]] == ["101", "102", "103"]
    second = [
        ImportedTask("1", "1", "征收拆迁", 5, [], key="101"),
        ImportedTask("2", "2", "道路施工", 10, [Link("1")], key="103"),  # 管线迁改 deleted: renumbered
    ]
    services.tasks_replace(user=user, project=project, tasks=second)
    tasks = project_tasks(project)
    comparison = baseline_comparison(project_schedule(project, tasks), baseline, tasks)
    rows = {(r.code, r.status): r for r in comparison.rows}
    assert set(rows) == {("1", ""), ("2", ""), ("2", "已删除")}
    assert rows[("2", "")].name == "道路施工" and rows[("2", "")].slip == -3  # no longer waits for 管线迁改
    assert rows[("2", "已删除")].name == "管线迁改"
    # A snapshot from before keys matches by code.
    for row in baseline.snapshot["tasks"]:
        del row["key"]
    by_code = baseline_comparison(project_schedule(project, tasks), baseline, tasks)
    assert {(r.code, r.name, r.status) for r in by_code.rows} == {
        ("1", "征收拆迁", ""),
        ("2", "道路施工", ""),
        ("3", "道路施工", "已删除"),
    }
    assert Task.objects.get(source_key="103").code == "2"
