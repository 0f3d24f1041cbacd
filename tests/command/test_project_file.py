"""The project file (项目档案) at /projects/<code>/: each section with the figures of the shared functions,
per user; the refused status change re-shows it; the timeline's 「更多」."""

import datetime
import re

import pytest

from tests.command.conftest import AFTER_DAY, BEFORE_DAY, TODAY, remediation_project
from tests.support import login
from tiaodu.briefings.models import DocFormat, DocKind, Document
from tiaodu.investment.selectors import default_month, investment_status
from tiaodu.progress.models import ReportPhoto
from tiaodu.progress.overview import project_status
from tiaodu.progress.services import ReportInput, report_save_draft, report_submit, report_verify
from tiaodu.projects.models import ProjectStatusChange
from tiaodu.scheduling.calendar import periods_between
from tiaodu.scheduling.models import Dependency, Task
from tiaodu.scheduling.selectors import project_schedule
from tiaodu.supervision.models import ItemEvent, Level, Problem, ProblemEvent, ProblemType, SupervisionItem

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _section(response, element_id: str) -> str:
    html = response.content.decode()
    start = html.index(f'id="{element_id}"')
    end = html.find('<div class="card mt-3"', start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : end if end > 0 else None]))


@pytest.fixture
def busy(district, frozen):
    """ZD-001 with a verified report (lagging), a problem at 分管区领导, a red item, a document, a chain of
    scheduled tasks."""
    project = district.project
    indicator = project.indicators.get(name="拆迁面积")
    draft = report_save_draft(
        user=district.users["hq"],
        project=project,
        data=ReportInput(as_of=TODAY - datetime.timedelta(days=1), figures={indicator.pk: ("30000", "")}),
    )
    report_verify(
        user=district.users["office"], report=report_submit(user=district.users["hq"], report=draft)
    )
    problem = Problem.objects.create(
        project=project,
        type=ProblemType.LAND,
        title="沿线商铺补偿标准未谈妥",
        description="需分管区领导协调",
        owner_unit=district.units["hq"],
        level=Level.LEADER,
        level_entered_on=datetime.date(2026, 11, 20),
    )
    item = SupervisionItem.objects.create(
        title="西段管线迁改11月上旬完成",
        content="管线迁改",
        deadline=datetime.date(2026, 11, 6),
        project=project,
    )
    item.assignee_units.set([district.units["hq"]])
    ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.WARNING, level="red", on=TODAY)
    ProblemEvent.objects.create(
        problem=problem, kind=ProblemEvent.Kind.ESCALATED, to_level=Level.LEADER, on=TODAY
    )
    Document.objects.create(
        title="北园大街拓宽实施方案",
        kind=DocKind.UPLOAD,
        format=DocFormat.PNG,
        file="documents/plan.png",
        project=project,
    )
    previous = None
    for i, days in enumerate([120, 60, 8, 150], start=1):
        task = Task.objects.create(project=project, code=str(i), name=f"任务{i}", duration=days, sort_order=i)
        if previous is not None:
            Dependency.objects.create(predecessor=previous, successor=task)
        previous = task
    return district


def test_the_file_shows_each_section_with_the_shared_figures(busy, client):
    login(client, busy, "office")
    response = client.get("/projects/ZD-001/")
    assert response.status_code == 200
    text = _text(response)
    # status and the countdown to 完成时限 (31 August 2027)
    assert "在建" in text or "未开工" in text
    assert f"剩余{(datetime.date(2027, 8, 31) - TODAY).days}天" in text
    # lag with its driving indicator, plan against actual: progress.project_status
    p = project_status(user=busy.users["office"], code="ZD-001", as_of=TODAY)
    assert p.lag_text and p.lag_text in _section(response, "file-summary")
    assert p.level_label in _section(response, "file-summary")
    assert "30,000" in _section(response, "progress")
    # the S-curve, drawn server-side
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in response.content.decode()
    # the critical tasks finishing in this 旬 and the next: scheduling.project_schedule
    periods = periods_between(TODAY, TODAY + datetime.timedelta(days=25), "dekad")[:2]
    schedule = project_schedule(busy.project)
    due = [
        t
        for t in schedule.tasks
        if t.critical and datetime.date(2026, 11, 21) <= t.early_finish <= periods[1].end
    ]
    critical = _section(response, "critical-tasks")
    assert "2026年11月下旬、2026年12月上旬" in critical
    for t in schedule.tasks:
        assert (t.name in critical) == (t in due), t.name
    # the latest verified report, the open problem with its rung, the open item with its warning
    assert "2026年11月26日" in _section(response, "latest-report")
    problems = _section(response, "open-problems")
    assert "沿线商铺补偿标准未谈妥" in problems and "分管区领导" in problems
    items = _section(response, "open-items")
    assert "西段管线迁改11月上旬完成" in items and "红牌" in items
    # investment this year: investment_status of the dashboard's month
    year, month = default_month(TODAY)
    money = investment_status(user=busy.users["office"], year=year, month=month).projects
    assert [m for m in money if m.code == "ZD-001"]
    assert f"{year}年1-{month}月" in _section(response, "file-investment")
    assert "北园大街拓宽实施方案" in _section(response, "file-documents")
    assert "经度" in _section(response, "file-map") or "尚未标注位置" in _section(response, "file-map")
    # the timeline, newest first
    timeline = _section(response, "timeline")
    assert "截至11月26日的周报审核通过" in timeline
    assert "督办事项「西段管线迁改11月上旬完成」预警（红牌）" in timeline
    assert "难题「沿线商铺补偿标准未谈妥」提请上级协调（分管区领导）" in timeline
    assert "归档文件「北园大街拓宽实施方案」" in timeline
    # the project page's own sections are still there
    for element in ("status", "units", "indicators", "changes", "letter-items"):
        assert f'id="{element}"' in response.content.decode(), element
    assert "打印档案(PDF)" in text and "/projects/ZD-001/file.pdf" in response.content.decode()


def test_whoever_sees_the_project_sees_its_file_and_no_one_else(busy, client):
    for who, code in [("leader", 200), ("supervisor", 200), ("hq", 200), ("street", 200), ("outsider", 404)]:
        login(client, busy, who)
        assert client.get("/projects/ZD-001/").status_code == code, who
        assert client.get("/projects/ZD-001/file.pdf").status_code == code, who
    client.logout()
    assert client.get("/projects/ZD-001/").status_code == 302


def test_the_street_sees_only_its_own_documents_and_items(busy, client):
    Document.objects.create(
        title="仅办公室可见的内部文件",
        kind=DocKind.UPLOAD,
        format=DocFormat.PNG,
        file="documents/x.png",
        project=busy.project,
        unit=busy.units["office"],
    )
    login(client, busy, "office")
    office_view = _section(client.get("/projects/ZD-001/"), "file-documents")
    login(client, busy, "dept")
    dept = client.get("/projects/ZD-001/")
    from tiaodu.briefings.selectors import document_list

    visible = set(
        document_list(user=busy.users["dept"]).filter(project=busy.project).values_list("title", flat=True)
    )
    for title in ("北园大街拓宽实施方案", "仅办公室可见的内部文件"):
        assert (title in _section(dept, "file-documents")) == (title in visible)
        assert title in office_view


def test_a_refused_status_change_shows_the_file_again(busy, client):
    login(client, busy, "office")
    response = client.post("/projects/ZD-001/status/", {"status": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="timeline"' in html and 'id="scurve"' in html and "invalid-feedback" in html


def test_the_timeline_is_capped_with_more(busy, client):
    for i in range(40):
        ProjectStatusChange.objects.create(
            project=busy.project,
            status="under_construction",
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
        )
    login(client, busy, "office")
    response = client.get("/projects/ZD-001/")
    assert response.content.decode().count('class="badge text-bg-light border td-tl-kind"') == 30
    assert 'id="td-timeline-more"' in response.content.decode()
    everything = client.get("/projects/ZD-001/?timeline=all")
    assert everything.content.decode().count("td-tl-kind") > 45
    assert 'id="td-timeline-more"' not in everything.content.decode()
    # newest first
    days = re.findall(r'td-tl-day">([^<]+)<', response.content.decode())
    assert days[0].startswith("2026年11月")


def test_a_remediation_project_shows_its_before_and_after(district, frozen, client):
    project = remediation_project(district)
    login(client, district, "street")
    response = client.get(f"/projects/{project.code}/")
    assert response.status_code == 200
    section = _section(response, "before-after")
    assert "地点1" in section and "地点2" not in section  # the far photo stands alone
    assert "2026年10月9日" in section and "2026年11月20日" in section
    before = ReportPhoto.objects.get(original_name="前.jpg")
    after = ReportPhoto.objects.get(original_name="后.jpg")
    html = response.content.decode()
    html = html[html.index('id="before-after"') :]
    assert html.index(f"/reports/photos/{before.pk}/") < html.index(f"/reports/photos/{after.pk}/")
    assert client.get(f"/reports/photos/{after.pk}/").status_code == 200
    assert BEFORE_DAY < AFTER_DAY
    # not on a key-construction project
    assert 'id="before-after"' not in client.get("/projects/ZD-001/").content.decode()


def test_the_file_counts_down_an_overdue_project(district, frozen, client):
    district.project.deadline = datetime.date(2026, 11, 20)
    district.project.save(update_fields=["deadline"])
    login(client, district, "office")
    assert "已超期7天" in _text(client.get("/projects/ZD-001/"))
