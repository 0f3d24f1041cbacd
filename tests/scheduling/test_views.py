"""The schedule pages and the calendar pages, as each user sees them."""

import json

import pytest
from django.core.management import call_command

from tests.scheduling.conftest import write_plan
from tiaodu.scheduling.models import Baseline, CalendarYear, PeriodPlanOverride, Task

pytestmark = pytest.mark.django_db


def page(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:500]
    return response.content.decode() if status == 200 else response


def test_it_shows_the_schedule_with_critical_path_and_float(client, district, national_day):
    html = page(client, district.users["dept"], "/projects/ZD-001/schedule/")
    assert "最小总时差" in html and "2 个工作日" in html and "可按期完成" in html
    assert 'id="critical-path"' in html and ">A<" in html
    assert "frappe-gantt.umd.js" in html and 'id="gantt-data"' in html
    assert "新增任务" not in html  # a supporting unit reads only


def test_it_hides_the_schedule_from_outsiders(client, district, national_day):
    page(client, district.users["outsider"], "/projects/ZD-001/schedule/", status=404)
    page(client, district.users["outsider"], "/projects/ZD-001/schedule/plan/", status=404)
    page(client, district.users["outsider"], "/projects/ZD-001/schedule/baseline/", status=404)


def test_it_marks_negative_float_in_red(client, district, national_day):
    national_day.deadline = national_day.deadline.replace(day=13)
    national_day.save()
    html = page(client, district.users["hq"], "/projects/ZD-001/schedule/")
    assert "按现有工期无法按期完成" in html and "-1 个工作日" in html
    assert 'class="text-end td-num td-float text-danger fw-bold">-1<' in html
    data = json.loads(html.split('<script id="gantt-data" type="application/json">')[1].split("</script>")[0])
    assert data["tasks"][0]["custom_class"] == "td-negative"
    assert data["tasks"][-1]["id"] == "deadline" and data["deadline"] == "2026-10-13"
    assert "2026-10-01" in data["holidays"] and "2026-10-10" in data["workdays"]


def test_it_shows_why_a_schedule_cannot_be_computed(client, district):
    district.project.planned_start = None
    district.project.save()
    html = page(client, district.users["hq"], "/projects/ZD-001/schedule/")
    assert "项目未填写计划开工日期" in html


def test_it_edits_a_task_through_the_form(client, district, national_day):
    client.force_login(district.users["hq"])
    b = Task.objects.get(code="B")
    response = client.post(
        f"/projects/ZD-001/schedule/tasks/{b.pk}/edit/",
        {
            "code": "B",
            "name": "道路施工",
            "duration": "4",
            "predecessors": "A FS+2",
            "indicator": "",
            "quantity": "",
        },
    )
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.duration == 4 and b.indicator is None
    response = client.post(
        f"/projects/ZD-001/schedule/tasks/{b.pk}/edit/",
        {
            "code": "B",
            "name": "道路施工",
            "duration": "4",
            "predecessors": "M",
            "indicator": "",
            "quantity": "",
        },
    )
    assert response.status_code == 200 and "任务之间存在循环依赖：B → M → B" in response.content.decode()
    response = client.post(
        "/projects/ZD-001/schedule/tasks/new/",
        {"code": "", "name": "", "duration": "-1", "predecessors": "", "indicator": "", "quantity": ""},
    )
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()


def test_it_forbids_editing_to_readers(client, district, national_day):
    b = Task.objects.get(code="B")
    page(client, district.users["dept"], f"/projects/ZD-001/schedule/tasks/{b.pk}/edit/", status=403)
    response = client.post(f"/projects/ZD-001/schedule/tasks/{b.pk}/delete/")
    assert response.status_code == 403
    assert client.post("/projects/ZD-001/schedule/baseline/approve/").status_code == 403
    assert client.get("/projects/ZD-001/schedule/import/").status_code == 403


def test_it_deletes_a_task(client, district, national_day):
    client.force_login(district.users["street"])
    c = Task.objects.get(code="C")
    assert client.post(f"/projects/ZD-001/schedule/tasks/{c.pk}/delete/").status_code == 302
    assert not Task.objects.filter(code="C").exists()


def test_it_imports_through_the_page_and_shows_errors(client, district, tmp_path):
    client.force_login(district.users["hq"])
    bad = write_plan(tmp_path / "bad.xlsx", [["1", "拆迁", 5, "", "", None], ["2", "施工", 5, "9", "", None]])
    with open(bad, "rb") as fh:
        response = client.post("/projects/ZD-001/schedule/import/", {"file": fh})
    assert response.status_code == 400
    assert "工作表「计划」第3行「紧前任务」：未知任务「9」" in response.content.decode()
    good = write_plan(
        tmp_path / "good.xlsx", [["1", "拆迁", 5, "", "", None], ["2", "施工", 5, "1", "", None]]
    )
    with open(good, "rb") as fh:
        response = client.post("/projects/ZD-001/schedule/import/", {"file": fh}, follow=True)
    assert "已从「good.xlsx」导入 2 项任务" in response.content.decode()


def test_it_downloads_the_plan_as_an_import_template(client, district, national_day, tmp_path):
    client.force_login(district.users["dept"])
    response = client.get("/projects/ZD-001/schedule/template.xlsx")
    assert response.status_code == 200
    path = tmp_path / "t.xlsx"
    path.write_bytes(response.content)
    from tiaodu.scheduling.importers import read_xlsx

    tasks = read_xlsx(path, project=national_day).tasks  # the download reads back as an import
    assert [t.code for t in tasks] == ["A", "B", "C", "M"]


def test_it_shows_and_overrides_the_period_plan(client, district, national_day):
    html = page(client, district.users["hq"], "/projects/ZD-001/schedule/plan/?kind=dekad")
    assert "2026年10月上旬" in html and "拆迁面积（m²）" in html and "保存调整" not in html
    client.force_login(district.users["hq"])
    assert client.post("/projects/ZD-001/schedule/plan/", {}).status_code == 403
    indicator = national_day.indicators.get()
    client.force_login(district.users["office"])
    response = client.post(
        "/projects/ZD-001/schedule/plan/",
        {"indicator": indicator.pk, "period": "2026-10-1", "value": "350", "note": "按承诺"},
    )
    assert response.status_code == 302
    override = PeriodPlanOverride.objects.get()
    html = page(client, district.users["office"], "/projects/ZD-001/schedule/plan/?kind=dekad")
    assert "td-overridden" in html and "按承诺" in html
    response = client.post(
        f"/projects/ZD-001/schedule/plan/overrides/{override.pk}/clear/", {"kind": "dekad"}
    )
    assert response.status_code == 302 and not PeriodPlanOverride.objects.exists()


def test_it_approves_a_baseline_from_the_page(client, district, national_day):
    client.force_login(district.users["office"])
    response = client.post("/projects/ZD-001/schedule/baseline/approve/", {"note": "同意"}, follow=True)
    html = response.content.decode()
    assert "已审定，保存为基准计划第1版" in html and 'id="finish-slip"' in html
    assert Baseline.objects.get().approved_by == district.users["office"]


def test_it_lists_entered_and_missing_years(client, district):
    html = page(client, district.users["street"], "/calendar/")
    assert 'data-year="2026"' in html and 'data-year="2027"' in html
    assert "未录入" in html and "录入年度安排" not in html
    html = page(client, district.users["street"], "/calendar/2026/")
    assert "2026-10-10" in html and "调休上班" in html
    page(client, district.users["street"], "/calendar/enter/?year=2027", status=403)


def test_it_enters_a_year_from_the_form(client, district):
    client.force_login(district.users["office"])
    html = client.get("/calendar/enter/?year=2026").content.decode()
    assert "2026-10-10 国庆节 上班" in html  # re-entering shows the current arrangement
    response = client.post("/calendar/enter/", {"year": "2027", "notice": "", "text": "2月17日 春节 上班"})
    assert response.status_code == 400 and "第1行：2027-02-17是周三" in response.content.decode()
    response = client.post(
        "/calendar/enter/", {"year": "2027", "notice": "通知", "text": "2027-01-01 元旦 放假"}
    )
    assert (
        response.status_code == 302
        and CalendarYear.objects.get(year=2027).entered_by == district.users["office"]
    )


def test_it_prints_the_schedule_on_the_command_line(district, national_day, client, capsys):
    call_command("schedule", "ZD-001", "--json")
    printed = json.loads(capsys.readouterr().out)
    client.force_login(district.users["leader"])
    assert printed == client.get("/api/v1/projects/ZD-001/schedule").json()
    call_command("schedule", "ZD-001")
    out = capsys.readouterr().out
    assert "关键路径 A → B → M" in out and "最小总时差 2 个工作日（可按期完成）" in out


def test_it_shows_scheduling_data_read_only_in_the_admin(client, district, national_day):
    admin_user = district.users["admin"]
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    year = CalendarYear.objects.get(year=2026)
    for url in (
        "/admin/scheduling/calendaryear/",
        f"/admin/scheduling/calendaryear/{year.pk}/change/",
        "/admin/scheduling/task/",
        f"/admin/scheduling/task/{Task.objects.get(code='B').pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "国庆节" in client.get(f"/admin/scheduling/calendaryear/{year.pk}/change/").content.decode()
