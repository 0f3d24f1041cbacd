"""Sane reports: none before the planned start, none on a finished project; last week's 形象进度 is confirmed."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.progress.conftest import draft, figures_of, submitted
from tests.progress.test_import import workbook
from tests.progress.test_pages import login, qkey, text
from tiaodu.progress.importer import reports_import
from tiaodu.progress.models import Report, ReportStatus
from tiaodu.projects.models import Project, ProjectStatus

pytestmark = pytest.mark.django_db
D = datetime.date
EARLY = "截至日期2026年2月20日早于项目计划开工日期（2026年3月1日），开工前不填报周报"


def finish(project, status=ProjectStatus.COMPLETED):
    Project.objects.filter(pk=project.pk).update(status=status)
    project.refresh_from_db()
    return project


# --- before the planned start -------------------------------------------------------------------


def test_the_service_refuses_a_report_dated_before_the_planned_start(frozen, district):
    p = district.project
    with pytest.raises(ValidationError) as caught:
        draft(district.users["hq"], p, D(2026, 2, 20), figures_of(p, 拆迁面积=10))
    assert caught.value.message_dict == {"as_of": [EARLY]}
    # On the planned start itself, it is accepted.
    assert draft(district.users["hq"], p, D(2026, 3, 1), figures_of(p, 拆迁面积=10)).pk


def test_the_form_refuses_a_report_dated_before_the_planned_start(frozen, district, client):
    p = district.project
    response = login(client, district, "hq").post(
        f"/projects/{p.code}/reports/new/", {"as_of": "2026-02-20", qkey(p): "10", "action": "submit"}
    )
    assert response.status_code == 400
    assert EARLY in text(response)
    assert not Report.objects.exists()


def test_the_import_refuses_a_row_dated_before_the_planned_start_naming_the_row(frozen, district, tmp_path):
    path = workbook(
        tmp_path / "w.xlsx",
        [
            ["ZD-001", D(2026, 11, 26), "拆迁面积", 30000, None, None, None],
            ["ZD-001", D(2026, 2, 20), "拆迁面积", 10, None, None, None],
        ],
    )
    result = reports_import(user=district.users["hq"], path_or_file=path)
    assert not result.ok
    assert [str(e) for e in result.errors] == [f"工作表「周报」第3行「截至日期」：{EARLY}"]
    assert not Report.objects.exists()  # all or nothing


# --- a finished project -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status,label", [(ProjectStatus.COMPLETED, "已竣工"), (ProjectStatus.ACCEPTED, "已验收")]
)
def test_the_service_refuses_a_report_on_a_finished_project(frozen, district, status, label):
    p = district.project
    old = draft(district.users["hq"], p, D(2026, 11, 20), figures_of(p, 拆迁面积=10))
    finish(p, status)
    message = f"项目「北园大街道路拓宽及两侧整治」{label}，不再填报周报"
    with pytest.raises(ValidationError) as caught:
        draft(district.users["hq"], p, D(2026, 11, 26), figures_of(p, 拆迁面积=10))
    assert caught.value.messages == [message]
    # A draft left from before cannot be submitted either.
    from tiaodu.progress.services import report_submit

    with pytest.raises(ValidationError) as caught:
        report_submit(user=district.users["hq"], report=old)
    assert caught.value.messages == [message]


def test_the_form_of_a_finished_project_sends_the_user_back_with_the_reason(frozen, district, client):
    p = finish(district.project)
    login(client, district, "hq")
    for response in (
        client.get(f"/projects/{p.code}/reports/new/"),
        client.post(
            f"/projects/{p.code}/reports/new/", {"as_of": "2026-11-26", qkey(p): "10", "action": "submit"}
        ),
    ):
        assert response.status_code == 302 and response["Location"] == f"/projects/{p.code}/reports/"
    page = client.get(f"/projects/{p.code}/reports/")
    assert "项目「北园大街道路拓宽及两侧整治」已竣工，不再填报周报" in text(page)
    assert not Report.objects.exists()


def test_a_submitted_report_of_a_finished_project_cannot_be_revised(frozen, district, client):
    p = district.project
    report = submitted(district.users["hq"], p, D(2026, 11, 20), figures_of(p, 拆迁面积=10))
    finish(p)
    response = login(client, district, "hq").post(f"/reports/{report.pk}/revise/", follow=True)
    assert "项目「北园大街道路拓宽及两侧整治」已竣工，不再填报周报" in text(response)
    assert Report.objects.count() == 1


def test_the_import_refuses_a_finished_project_naming_the_row(frozen, district, tmp_path):
    finish(district.project)
    path = workbook(tmp_path / "w.xlsx", [["ZD-001", D(2026, 11, 26), "拆迁面积", 30000, None, None, None]])
    result = reports_import(user=district.users["hq"], path_or_file=path)
    assert [str(e) for e in result.errors] == [
        "工作表「周报」第2行：项目「北园大街道路拓宽及两侧整治」已竣工，不再填报周报"
    ]


# --- last week's 形象进度 ------------------------------------------------------------------------------

SAME = "形象进度与上周（截至2026年11月19日）相同：请改为本周的形象进度，或勾选“确认沿用上周形象进度”"


@pytest.fixture
def last_week(district):
    p = district.project
    return submitted(
        district.users["hq"], p, D(2026, 11, 19), figures_of(p, 拆迁面积=100), image_progress="北段拆迁完成"
    )


def form_data(p, **extra):
    return {
        "as_of": "2026-11-26",
        qkey(p): "200",
        "image_progress": "北段拆迁完成",
        "action": "submit",
        **extra,
    }


def test_the_form_marks_last_weeks_image_progress_as_carried_over(frozen, district, client, last_week):
    response = login(client, district, "hq").get(f"/projects/{district.project.code}/reports/new/")
    body = text(response)
    assert "上周形象进度（请修改或确认）" in body
    assert "下面的形象进度沿用自上周周报（截至2026年11月19日）" in body
    assert "确认沿用上周形象进度（本周无变化）" in body
    html = response.content.decode()
    assert 'id="td-carried"' in html and 'id="td-carried" hidden' not in html
    assert "北段拆迁完成</textarea>" in html


def test_submitting_last_weeks_image_progress_unchanged_needs_the_confirmation(
    frozen, district, client, last_week
):
    p = district.project
    login(client, district, "hq")
    refused = client.post(f"/projects/{p.code}/reports/new/", form_data(p))
    assert refused.status_code == 400 and SAME in text(refused)
    assert Report.objects.count() == 1

    confirmed = client.post(f"/projects/{p.code}/reports/new/", form_data(p, confirm_image_progress="on"))
    assert confirmed.status_code == 302
    report = Report.objects.get(as_of=D(2026, 11, 26))
    assert report.status == ReportStatus.SUBMITTED and report.image_progress == "北段拆迁完成"


def test_an_edited_image_progress_or_a_draft_needs_no_confirmation(frozen, district, client, last_week):
    p = district.project
    login(client, district, "hq")
    saved = client.post(f"/projects/{p.code}/reports/new/", form_data(p, action="draft"))
    assert saved.status_code == 302  # a draft may keep last week's text for now
    report = Report.objects.get(as_of=D(2026, 11, 26))
    # 提交 on the report's page: the text is still last week's, so it goes back to the form.
    page = client.post(f"/reports/{report.pk}/submit/", follow=True)
    assert SAME in text(page) and "修改草稿" in text(page)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT

    edited = client.post(f"/reports/{report.pk}/edit/", form_data(p, image_progress="南段路基完成200米"))
    assert edited.status_code == 302
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_the_import_takes_the_text_as_written(frozen, district, tmp_path, last_week):
    """Decision: an imported row's 形象进度 is typed into the file on purpose; no confirmation is asked."""
    path = workbook(
        tmp_path / "w.xlsx", [["ZD-001", D(2026, 11, 26), "拆迁面积", 300, None, "北段拆迁完成", None]]
    )
    result = reports_import(user=district.users["hq"], path_or_file=path)
    assert result.ok and result.created == 1
