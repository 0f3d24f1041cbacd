"""Approved baselines (计划变更): a unit requests, the office approves or rejects; the lag follows the
approved plan; a unit's direct change of a baseline value is refused; the office's is recorded."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
import time_machine
from openpyxl import load_workbook

from tests.demo_copy import demo_district
from tests.progress.conftest import NOW, figures_of, submitted
from tests.projects.ledger.helpers import write_ledger
from tests.projects.ledger.test_import import ZD001
from tiaodu.briefings.services import briefing_generate
from tiaodu.core.actors import SYSTEM
from tiaodu.progress.overview.status import project_status
from tiaodu.projects import changes
from tiaodu.projects.ledger import ledger_import
from tiaodu.projects.models import Category, ChangeStatus, Indicator, IndicatorShare, Project, ProjectChange

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 27)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def lagging(district, frozen):
    """ZD-050 of the HQ and 北园街道: planned 1 Sep – 30 Nov 2026, 100 m² of which 30 done by 27 Nov."""
    p = Project.objects.create(
        code="ZD-050",
        name="堤口路拆迁",
        type="remediation",
        category=Category.objects.get(name="其他"),
        lead_unit=district.units["hq"],
        planned_start=D(2026, 9, 1),
        planned_finish=D(2026, 11, 30),
        deadline=D(2026, 12, 31),
        status="under_construction",
    )
    p.territorial_units.set([district.units["street"]])
    Indicator.objects.create(project=p, name="拆迁面积", unit_of_measure="m²", target=Decimal(100))
    submitted(district.users["hq"], p, TODAY, figures_of(p, 拆迁面积=30))
    return p


def _lag(project):
    row = project_status(user=SYSTEM, code=project.code, as_of=TODAY)
    return row.lag_days, row.level


def test_a_request_approved_by_the_office_moves_the_baseline_and_the_lag_follows(api, district, lagging):
    before = _lag(lagging)
    assert before[1] == "severe"

    response = api("street").post(
        "/api/v1/projects/ZD-050/changes/",
        {"planned_finish": "2027-06-30", "reason": "征收补偿方案调整，需延长拆迁周期"},
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["status"] == "pending" and body["status_display"] == "待审批"
    assert body["requesting_unit"]["name"] == "北园街道"
    assert body["lines"] == [
        {"field": "planned_finish", "label": "计划完工", "old": "2026-11-30", "new": "2027-06-30", "unit": ""}
    ]
    # Pending: nothing changed yet.
    assert _lag(lagging) == before
    assert Project.objects.get(code="ZD-050").planned_finish == D(2026, 11, 30)

    listed = api("office").get("/api/v1/project-changes/?status=pending").json()
    assert [c["id"] for c in listed["results"]] == [body["id"]]

    approved = api("office").post(
        f"/api/v1/project-changes/{body['id']}/approve/", {"note": "同意"}, format="json"
    )
    assert approved.status_code == 200, approved.content.decode()
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "刘主任"
    lagging.refresh_from_db()
    assert lagging.planned_finish == D(2027, 6, 30)
    after = _lag(lagging)
    assert after[0] < before[0] and after[1] != "severe"
    change = ProjectChange.objects.get(pk=body["id"])
    assert change.old_values == {"planned_finish": "2026-11-30"}
    # The project's change log says who moved the date.
    history = api("office").get("/api/v1/projects/ZD-050/changes/").json()
    assert [c["status"] for c in history] == ["approved"]


def test_a_target_is_requested_by_name_and_approved(api, district, lagging):
    response = api("hq").post(
        "/api/v1/projects/ZD-050/changes/",
        {"targets": [{"indicator": "拆迁面积", "target": "60"}], "reason": "规划红线收窄"},
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    change_id = response.json()["id"]
    assert response.json()["lines"][0]["label"] == "指标「拆迁面积」目标值"
    assert (
        api("office").post(f"/api/v1/project-changes/{change_id}/approve/", {}, format="json").status_code
        == 200
    )
    assert lagging.indicators.get().target == Decimal(60)
    line = api("hq").get(f"/api/v1/project-changes/{change_id}/").json()["lines"][0]
    assert (line["old"], line["new"]) == ("100", "60")


def test_the_office_rejects_with_a_note_and_nothing_changes(api, district, lagging):
    change_id = (
        api("street")
        .post(
            "/api/v1/projects/ZD-050/changes/",
            {"planned_start": "2026-10-01", "reason": "开工推迟"},
            format="json",
        )
        .json()["id"]
    )
    no_note = api("office").post(f"/api/v1/project-changes/{change_id}/reject/", {"note": ""}, format="json")
    assert no_note.status_code == 400 and "驳回" in no_note.json()["note"][0]
    rejected = api("office").post(
        f"/api/v1/project-changes/{change_id}/reject/", {"note": "理由不充分"}, format="json"
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert rejected.json()["decision_note"] == "理由不充分"
    lagging.refresh_from_db()
    assert lagging.planned_start == D(2026, 9, 1)
    again = api("office").post(f"/api/v1/project-changes/{change_id}/approve/", {}, format="json")
    assert again.status_code == 400 and "已驳回" in again.json()["status"][0]


def test_a_unit_may_not_decide_and_an_outsider_does_not_see(api, district, lagging):
    change_id = (
        api("street")
        .post("/api/v1/projects/ZD-050/changes/", {"deadline": "2027-03-31", "reason": "延期"}, format="json")
        .json()["id"]
    )
    refused = api("hq").post(f"/api/v1/project-changes/{change_id}/approve/", {}, format="json")
    assert refused.status_code == 403 and "领导小组办公室" in refused.json()["detail"]
    assert api("outsider").get(f"/api/v1/project-changes/{change_id}/").status_code == 404
    assert api("outsider").get("/api/v1/project-changes/").json()["results"] == []
    assert (
        api("dept")
        .post("/api/v1/projects/ZD-001/changes/", {"deadline": "2027-03-31", "reason": "延期"}, format="json")
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"planned_finish": "2027-01-31"}, "reason", "请填写变更理由"),
        ({"planned_finish": "2027-01-31", "reason": "长" * 2001}, "reason", "2000"),
        ({"reason": "无变化", "planned_finish": "2026-11-30"}, "non_field_errors", "请至少修改一项"),
        ({"reason": "提前", "planned_finish": "2026-08-01"}, "planned_finish", "不能早于计划开工"),
        ({"reason": "目标", "targets": [{"indicator": "拆迁面积", "target": "0"}]}, "targets", "须大于0"),
        (
            {"reason": "目标", "targets": [{"indicator": "绿化面积", "target": "5"}]},
            "targets",
            "没有指标「绿化面积」",
        ),
        ({"reason": "日期", "deadline": "明年"}, "deadline", "完成时限须为日期"),
    ],
)
def test_a_bad_request_names_the_field_in_chinese(api, district, lagging, body, field, words):
    response = api("street").post("/api/v1/projects/ZD-050/changes/", body, format="json")
    assert response.status_code == 400, response.content.decode()
    assert words in str(response.json()[field]), response.json()
    assert not ProjectChange.objects.exists()


def test_an_indicator_of_another_project_is_not_found(api, district, lagging):
    other = district.project.indicators.get()
    response = api("hq").post(
        "/api/v1/projects/ZD-050/changes/",
        {"reason": "目标", "targets": [{"indicator": other.pk, "target": "5"}]},
        format="json",
    )
    assert response.status_code == 400 and "没有指标" in str(response.json()["targets"])


def test_a_shared_target_may_not_be_requested(api, district, lagging):
    indicator = lagging.indicators.get()
    IndicatorShare.objects.create(indicator=indicator, unit=district.units["street"], target=Decimal(100))
    response = api("street").post(
        "/api/v1/projects/ZD-050/changes/",
        {"reason": "目标", "targets": [{"indicator": indicator.pk, "target": "80"}]},
        format="json",
    )
    assert response.status_code == 400
    message = str(response.json()["targets"])
    assert "拆迁面积" in message and "属地分解" in message


def test_a_unit_patch_of_a_baseline_date_is_refused_with_the_request_hint(api, district, lagging):
    response = api("street").patch("/api/v1/projects/ZD-050/", {"planned_start": "2026-10-01"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "计划开工属于批准的计划基线，请提交计划变更申请（POST /api/v1/projects/ZD-050/changes/）"
    )
    # The current value sent back is no change.
    same = api("street").patch(
        "/api/v1/projects/ZD-050/", {"planned_start": "2026-09-01", "description": "拆迁"}, format="json"
    )
    assert same.status_code == 200
    indicator = lagging.indicators.get()
    target = api("hq").patch(f"/api/v1/indicators/{indicator.pk}/", {"target": "50"}, format="json")
    assert target.status_code == 403 and "计划变更申请" in target.json()["detail"]
    assert (
        api("hq").patch(f"/api/v1/indicators/{indicator.pk}/", {"target": "100"}, format="json").status_code
        == 200
    )
    lagging.refresh_from_db()
    assert lagging.planned_start == D(2026, 9, 1) and lagging.indicators.get().target == Decimal(100)
    assert not ProjectChange.objects.exists()


def test_the_office_changes_directly_and_it_is_recorded_as_approved(api, district, lagging):
    response = api("office").patch(
        "/api/v1/projects/ZD-050/", {"planned_finish": "2027-01-31", "deadline": "2027-02-28"}, format="json"
    )
    assert response.status_code == 200
    change = ProjectChange.objects.get()
    assert (change.status, change.direct, change.reason) == (
        ChangeStatus.APPROVED,
        True,
        "领导小组办公室直接调整",
    )
    assert change.old_values == {"planned_finish": "2026-11-30", "deadline": "2026-12-31"}
    assert change.decided_by == district.users["office"]
    indicator = lagging.indicators.get()
    api("admin").patch(f"/api/v1/indicators/{indicator.pk}/", {"target": "90"}, format="json")
    latest = ProjectChange.objects.order_by("-id").first()
    assert latest.reason == "系统管理员直接调整" and latest.old_values == {
        "targets": {str(indicator.pk): "100"}
    }
    # Creating a project is not a change.
    api("office").post(
        "/api/v1/projects/",
        {
            "code": "ZD-101",
            "name": "堤口路改造",
            "type": "key_construction",
            "category": "道路",
            "lead_unit": "北园大街改造指挥部",
            "territorial_units": ["北园街道"],
            "planned_start": "2027-01-01",
        },
        format="json",
    )
    assert ProjectChange.objects.count() == 2


def test_the_street_request_form_is_read_only_for_units(client, district, lagging):
    client.force_login(district.users["street"])
    page = client.get("/projects/ZD-050/edit/").content.decode()
    assert "申请计划变更" in page and 'name="planned_finish"' not in page
    assert "2026年11月30日" in page
    client.force_login(district.users["office"])
    assert 'name="planned_finish"' in client.get("/projects/ZD-050/edit/").content.decode()


def test_the_briefing_lists_the_changes_approved_in_its_week_with_old_and_new_values(api, district, lagging):
    change_id = (
        api("street")
        .post(
            "/api/v1/projects/ZD-050/changes/",
            {
                "planned_finish": "2027-06-30",
                "targets": [{"indicator": "拆迁面积", "target": "80"}],
                "reason": "征收方案调整",
            },
            format="json",
        )
        .json()["id"]
    )
    api("office").post(f"/api/v1/project-changes/{change_id}/approve/", {}, format="json")
    # One approved ten days ago is outside the week; a pending one is not approved.
    old = changes.change_request(
        user=district.users["hq"],
        project=district.project,
        proposal=changes.Proposal(reason="早先的调整", deadline=D(2027, 9, 30)),
    )
    changes.change_approve(user=district.users["office"], change=old)
    ProjectChange.objects.filter(pk=old.pk).update(
        decided_at=datetime.datetime(2026, 11, 17, 10, tzinfo=NOW.tzinfo)
    )
    changes.change_request(
        user=district.users["hq"],
        project=district.project,
        proposal=changes.Proposal(reason="待批", deadline=D(2027, 10, 31)),
    )

    result = briefing_generate(as_of=TODAY, user=district.users["office"])

    document = docx.Document(io.BytesIO(result.docx.file.read()))
    headings = [p.text for p in document.paragraphs]
    assert "九、本期调整计划的项目" in headings
    table = next(t for t in document.tables if t.rows[0].cells[2].text == "调整内容")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "项目", "调整内容", "原值", "新值", "理由", "批准日期"]
    assert rows[1:] == [
        ["1", "ZD-050 堤口路拆迁", "计划完工", "2026.11.30", "2027.6.30", "征收方案调整", "2026.11.27"],
        ["2", "ZD-050 堤口路拆迁", "指标「拆迁面积」目标值", "100 m²", "80 m²", "征收方案调整", "2026.11.27"],
    ]
    sheet = load_workbook(io.BytesIO(result.xlsx.file.read()))["本期调整计划的项目"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["项目", "调整内容", "原值", "新值", "理由", "批准日期"]
    assert [v[:5] for v in values[1:]] == [
        ["ZD-050 堤口路拆迁", "计划完工", "2026.11.30", "2027.6.30", "征收方案调整"],
        ["ZD-050 堤口路拆迁", "指标「拆迁面积」目标值", "100 m²", "80 m²", "征收方案调整"],
    ]
    assert values[1][5].date() == TODAY


@pytest.mark.django_db
def test_the_demo_has_a_street_request_waiting_for_the_office():
    result = demo_district(today=D(2026, 11, 29))
    assert result.created["baseline_changes"] == 1
    change = ProjectChange.objects.select_related("project", "requesting_unit").get()
    assert change.status == ChangeStatus.PENDING and change.requesting_unit.type == "street"
    assert change.planned_finish > change.project.planned_finish
    assert "计划完工" in change.reason and change.requesting_unit in change.project.territorial_units.all()
    assert change.planned_start is None and change.deadline is None and change.targets == []


def test_the_indicator_form_keeps_the_target_for_units(client, district, lagging):
    indicator = lagging.indicators.get()
    url = f"/projects/ZD-050/indicators/{indicator.pk}/edit/"
    form = {"name": "拆迁面积", "unit_of_measure": "m²", "target": "50", "sort_order": "0"}
    client.force_login(district.users["street"])
    page = client.get(url).content.decode()
    assert "readonly" in page and "如需调整请申请计划变更" in page
    response = client.post(url, form)
    assert response.status_code == 200
    assert "目标值属于批准的计划基线，请提交计划变更申请" in response.content.decode()
    assert lagging.indicators.get().target == Decimal(100)
    client.post(url, {**form, "target": "100", "unit_of_measure": "平方米"})
    assert lagging.indicators.get().unit_of_measure == "平方米"
    client.force_login(district.users["office"])
    assert client.post(url, form).status_code == 302
    assert lagging.indicators.get().target == Decimal(50)
    assert ProjectChange.objects.get().reason == "领导小组办公室直接调整"


def test_a_ledger_import_by_the_office_is_recorded_as_a_direct_change(district, tmp_path):
    indicators = [{"项目编号": "ZD-001", "指标名称": "拆迁面积", "计量单位": "m²", "目标值": 125000}]
    path = write_ledger(
        tmp_path / "l.xlsx", projects=[dict(ZD001, 计划完工=D(2027, 9, 30))], indicators=indicators
    )
    assert ledger_import(user=district.users["office"], path_or_file=path).ok
    recorded = ProjectChange.objects.filter(
        project=district.project, direct=True, status=ChangeStatus.APPROVED
    )
    pk = str(district.project.indicators.get().pk)
    assert sorted((c.old_values for c in recorded), key=str) == sorted(
        [{"planned_finish": "2027-06-30"}, {"targets": {pk: "120000"}}], key=str
    )
