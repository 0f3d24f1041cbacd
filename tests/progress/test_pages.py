"""The reporting pages and the dashboard: what users see and may do."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from tests.progress.conftest import exif_with_gps, figures_of, jpeg, submitted
from tiaodu.progress import services
from tiaodu.progress.models import Report, ReportStatus
from tiaodu.projects.models import Project, ProjectStatus

pytestmark = pytest.mark.django_db
D = datetime.date


def login(client, district, who):
    client.force_login(district.users[who])
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def qkey(project):
    return f"quantity_{project.indicators.get().pk}"


def test_it_shows_the_report_form_prefilled_with_last_weeks_figures(frozen, district, client):
    p = district.project
    submitted(
        district.users["hq"],
        p,
        D(2026, 11, 19),
        figures_of(p, 拆迁面积=30000),
        investment_done=1500,
        image_progress="北段完成",
    )
    response = login(client, district, "hq").get(f"/projects/{p.code}/reports/new/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'capture="environment"' in html and 'accept="image/*"' in html and "multiple" in html
    assert f'name="{qkey(p)}" value="30000"' in html
    assert 'name="investment_done" value="1500"' in html and "北段完成" in html
    assert 'name="as_of" value="2026-11-27"' in html
    assert "上次 30,000（截至2026年11月19日）" in text(response)
    assert "本周报送截止：2026年12月3日 17:00" in text(response)


def test_it_submits_a_report_with_a_photo_from_the_form(frozen, district, client):
    p = district.project
    login(client, district, "hq")
    response = client.post(
        f"/projects/{p.code}/reports/new/",
        {
            "as_of": "2026-11-26",
            qkey(p): "45,000",
            "investment_done": "2000",
            "image_progress": "北段路基完成",
            "problems": "南段两户未签约",
            "action": "submit",
            "photos": [SimpleUploadedFile("现场.jpg", jpeg(exif=exif_with_gps()), content_type="image/jpeg")],
        },
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    assert report.status == ReportStatus.SUBMITTED and report.figures.get().quantity == 45000
    page = client.get(response["Location"])
    body = text(page)
    assert "已提交" in body and "45,000 m²" in body and "南段两户未签约" in body
    assert "拍摄于 2026年11月25日 09:30" in body and "36.691667, 117.005" in body
    photo = report.photos.get()
    image = client.get(f"/reports/photos/{photo.pk}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert b"TestCam" not in b"".join(image.streaming_content)
    # The project left 未开工 with the first progress.
    assert Project.objects.get(pk=p.pk).status == ProjectStatus.UNDER_CONSTRUCTION


def test_it_shows_each_error_beside_its_field_and_keeps_what_was_typed(frozen, district, client):
    p = district.project
    response = login(client, district, "hq").post(
        f"/projects/{p.code}/reports/new/",
        {
            "as_of": "2026-12-30",
            qkey(p): "-5",
            "investment_done": "abc",
            "action": "submit",
        },
    )
    assert response.status_code == 400
    body = text(response)
    assert "截至日期不能晚于今天（2026年11月27日）" in body
    assert "「拆迁面积」累计完成量不能小于0" in body
    assert "累计完成投资(万元)须为数字（填写的是「abc」）" in body
    assert f'name="{qkey(p)}" value="-5"' in response.content.decode()
    assert not Report.objects.exists()


def test_it_asks_for_the_reason_of_a_decrease_on_the_form(frozen, district, client):
    p = district.project
    hq = district.users["hq"]
    office = district.users["office"]  # verifies the lead unit's own report
    services.report_verify(
        user=office, report=submitted(hq, p, D(2026, 11, 19), figures_of(p, 拆迁面积=1000))
    )
    login(client, district, "hq")
    response = client.post(
        f"/projects/{p.code}/reports/new/", {"as_of": "2026-11-26", qkey(p): "800", "action": "submit"}
    )
    assert response.status_code == 400
    assert "低于上次审核通过的1,000（截至2026年11月19日），请填写减少原因" in text(response)
    assert Report.objects.count() == 1  # nothing kept of the refused submission
    reason = f"reason_{p.indicators.get().pk}"
    response = client.post(
        f"/projects/{p.code}/reports/new/",
        {"as_of": "2026-11-26", qkey(p): "800", reason: "重复计量扣除", "action": "submit"},
    )
    assert response.status_code == 302
    assert "低于上次审核数" in text(client.get(response["Location"]))


def test_it_warns_about_a_figure_above_the_target(frozen, district, client):
    p = district.project
    login(client, district, "hq")
    response = client.post(
        f"/projects/{p.code}/reports/new/",
        {"as_of": "2026-11-26", qkey(p): "130000", "action": "submit"},
        follow=True,
    )
    assert "「拆迁面积」累计完成量130,000m²超过目标值120,000m²，请核实" in text(response)


def test_it_saves_a_draft_then_edits_and_submits_it(frozen, district, client):
    p = district.project
    login(client, district, "hq")
    response = client.post(
        f"/projects/{p.code}/reports/new/", {"as_of": "2026-11-26", qkey(p): "10", "action": "draft"}
    )
    report = Report.objects.get()
    assert response.status_code == 302 and report.status == ReportStatus.DRAFT
    page = client.get(f"/reports/{report.pk}/edit/")
    assert f'name="{qkey(p)}" value="10"' in page.content.decode()
    client.post(f"/reports/{report.pk}/edit/", {"as_of": "2026-11-26", qkey(p): "12", "action": "draft"})
    client.post(f"/reports/{report.pk}/submit/")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.figures.get().quantity == 12


def test_it_lets_the_lead_unit_verify_from_its_queue_and_return_with_a_reason(frozen, reporters, client):
    d = reporters
    p = d.project
    first = submitted(d.users["street"], p, D(2026, 11, 19), figures_of(p, 拆迁面积=100))
    second = submitted(d.users["street"], p, D(2026, 11, 26), figures_of(p, 拆迁面积=200))

    login(client, d, "street")
    assert client.get("/reports/verify/").content.decode().count("data-report=") == 0
    assert client.post(f"/reports/{first.pk}/verify/").status_code == 403

    login(client, d, "hq")
    queue = client.get("/reports/verify/")
    assert "待审核 2 份" in text(queue) and "北园街道" in text(queue)
    client.post(f"/reports/{first.pk}/verify/", {"next": "queue"})
    response = client.post(f"/reports/{second.pk}/return/", {"reason": ""}, follow=True)
    assert "请填写退回原因" in text(response)
    client.post(f"/reports/{second.pk}/return/", {"reason": "请补充现场照片"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ReportStatus.VERIFIED and second.status == ReportStatus.RETURNED
    assert "待审核 0 份" in text(client.get("/reports/verify/"))

    # The street office sees the reason, makes a new revision and resubmits.
    login(client, d, "street")
    page = text(client.get(f"/reports/{second.pk}/"))
    assert "已退回： 请补充现场照片" in page and "修改（生成新版本）" in page
    response = client.post(f"/reports/{second.pk}/revise/")
    third = Report.objects.get(previous=second)
    assert response["Location"] == f"/reports/{third.pk}/edit/"
    client.post(f"/reports/{third.pk}/edit/", {"as_of": "2026-11-26", qkey(p): "210", "action": "submit"})
    detail = text(client.get(f"/reports/{third.pk}/"))
    assert "第2版" in detail and "全部版本 2" in detail and "退回原因：请补充现场照片" in detail
    assert "上一版：200" in detail


def test_it_shows_a_street_office_only_its_projects_and_reports(frozen, reporters, client):
    d = reporters
    other_report = submitted(d.users["office"], d.other, D(2026, 11, 26))
    login(client, d, "street")
    assert client.get(f"/projects/{d.project.code}/reports/new/").status_code == 200
    assert client.get(f"/projects/{d.other.code}/reports/new/").status_code == 404
    assert client.get(f"/reports/{other_report.pk}/").status_code == 404
    mine = text(client.get("/reports/"))
    assert "北园大街道路拓宽及两侧整治" in mine and "小清河综合治理" not in mine
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 200
    assert "ZD-002" not in dashboard.content.decode()
    assert "本单位相关的1个重点建设项目中" in text(dashboard)
    assert client.get(f"/dashboard/curve/{d.other.code}/").status_code == 404

    login(client, d, "dept")  # supporting unit: may read, not report
    assert client.get(f"/projects/{d.project.code}/reports/").status_code == 200
    assert client.get(f"/projects/{d.project.code}/reports/new/").status_code == 403


def test_it_shows_the_dashboard_with_links_behind_every_number(frozen, district, client):
    Project.objects.filter(pk__in=[district.project.pk, district.other.pk]).update(
        status=ProjectStatus.UNDER_CONSTRUCTION
    )
    district.other.indicators.create(name="清淤量", unit_of_measure="m³", target=Decimal(1000))
    submitted(
        district.users["hq"], district.project, D(2026, 11, 26), figures_of(district.project, 拆迁面积=120000)
    )
    response = login(client, district, "leader").get("/dashboard/?as_of=2026-11-27")
    assert response.status_code == 200
    html = response.content.decode()
    body = text(response)
    assert "全区2个重点建设项目中，已竣工0项，在建2项，未开工0项，暂停0项，开工率100.0%。" in body
    assert "vendor/echarts/echarts.min.js" in html
    assert 'data-level="severe">1<' in html
    assert 'href="/dashboard/projects/?level=severe&amp;as_of=2026-11-27"' in html
    assert (
        'href="/dashboard/projects/?type=key_construction&amp;status=under_construction&amp;as_of=2026-11-27"'
        in html
    )
    assert "小清河综合治理指挥部、泺口街道" in body  # responsible units of the lagging project
    severe = client.get("/dashboard/projects/?level=severe&as_of=2026-11-27")
    assert "ZD-002" in severe.content.decode() and "ZD-001" not in severe.content.decode()
    under = client.get(
        "/dashboard/projects/?type=key_construction&status=under_construction&as_of=2026-11-27"
    )
    assert under.content.decode().count("data-code=") == 2
    missing = client.get("/dashboard/projects/?missing=1&as_of=2026-11-27")
    assert missing.content.decode().count("data-code=") == 1
    curve = client.get("/dashboard/curve/ZD-001/?as_of=2026-11-27").json()
    assert curve["code"] == "ZD-001" and curve["actual_pct"][curve["dates"].index("2026-11-27")] == 100


def test_it_refuses_a_bad_as_of_date_on_the_dashboard_without_failing(frozen, district, client):
    response = login(client, district, "leader").get("/dashboard/?as_of=2026-02-31", follow=True)
    assert response.status_code == 200 and "截至日期无效「2026-02-31」" in text(response)
    assert (
        login(client, district, "leader").get("/dashboard/projects/?as_of=x&unit=abc&level=zz").status_code
        == 200
    )


def test_it_imports_a_workbook_from_the_upload_page(frozen, district, client):
    login(client, district, "hq")
    template = client.get("/reports/import/template.xlsx")
    book = load_workbook(io.BytesIO(template.content))
    sheet = book["周报"]
    assert [c.value for c in sheet[1]] == [
        "项目编号",
        "截至日期",
        "指标名称",
        "累计完成量",
        "累计完成投资(万元)",
        "形象进度",
        "存在问题",
        "填报单位",
    ]
    assert [sheet.cell(2, 1).value, sheet.cell(2, 3).value] == ["ZD-001", "拆迁面积"]

    def upload(rows):
        wb = Workbook()
        ws = wb.active
        ws.title = "周报"
        ws.append([c.value for c in sheet[1]])
        for r in rows:
            ws.append(r)
        buf = io.BytesIO()
        wb.save(buf)
        return client.post(
            "/reports/import/", {"file": SimpleUploadedFile("周报.xlsx", buf.getvalue())}, follow=True
        )

    bad = upload([["ZD-001", D(2026, 11, 26), "拆迁面积", "多", None, None, None]])
    assert bad.status_code == 400
    assert "工作表「周报」第2行「累计完成量」：「拆迁面积」累计完成量须为数字（填写的是「多」）" in text(bad)
    good = upload([["ZD-001", D(2026, 11, 26), "拆迁面积", 5000, 100, "进场", None]])
    assert "导入完成：新报送周报 1 份" in text(good)
    assert Report.objects.get().status == ReportStatus.SUBMITTED
    junk = client.post("/reports/import/", {"file": SimpleUploadedFile("a.xlsx", b"junk")})
    assert junk.status_code == 400 and "不是Excel工作簿" in text(junk)


def test_it_lets_the_lead_unit_choose_the_reporting_units(frozen, district, client):
    p = district.project
    login(client, district, "street")
    assert client.get(f"/projects/{p.code}/reporting-units/").status_code == 403
    login(client, district, "hq")
    page = client.get(f"/projects/{p.code}/reporting-units/")
    assert "北园街道" in text(page)
    client.post(f"/projects/{p.code}/reporting-units/", {"units": [district.units["street"].pk]})
    assert "填报单位：北园大街改造指挥部（牵头）、北园街道" in text(
        client.get(f"/projects/{p.code}/reports/")
    )


def test_it_lets_only_the_office_change_the_cycle(frozen, district, client):
    assert login(client, district, "hq").get("/reports/settings/").status_code == 403
    login(client, district, "office")
    assert client.get("/reports/settings/").status_code == 200
    response = client.post(
        "/reports/settings/",
        {"deadline_weekday": 4, "deadline_time": "12:00", "lagging_after": 10, "severe_after": 5},
    )
    assert response.status_code == 200 and "严重滞后阈值不能小于滞后阈值" in text(response)
    client.post(
        "/reports/settings/",
        {
            "deadline_weekday": 4,
            "deadline_time": "12:00",
            "remind_enabled": "on",
            "remind_weekday": 3,
            "remind_time": "12:00",
            "lagging_after": 3,
            "severe_after": 10,
        },
    )
    from tiaodu.progress.selectors import reporting_cycle

    cycle = reporting_cycle()
    assert (cycle.deadline_weekday, cycle.deadline_time.hour, cycle.lagging_after) == (4, 12, 3)
    assert "每周五 12:00 前报送" in text(client.get("/dashboard/"))


def test_it_never_answers_a_users_mistake_with_a_server_error(frozen, district, client):
    login(client, district, "hq")
    p = district.project
    for url in (
        "/reports/999999/",
        "/reports/photos/999999/",
        "/projects/NOPE/reports/new/",
        "/dashboard/curve/NOPE/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/reports/999999/verify/").status_code == 404
    response = client.post(
        f"/projects/{p.code}/reports/new/", {"as_of": "not a date", qkey(p): "1e400", "action": "submit"}
    )
    assert response.status_code == 400
    assert "截至日期无效「not a date」" in text(response)
    assert Decimal(0) == sum(f.quantity for r in Report.objects.all() for f in r.figures.all())


WEIRD = [
    "",
    " ",
    "x" * 5000,
    "\x00",
    "北园\x00街道",
    "-1",
    "0",
    "1e999",
    "NaN",
    "２０２６-11-27",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "2026-11-27T10:00",
    "<script>alert(1)</script>",
    "2026-1-5",
]


def test_it_never_answers_500_to_weird_dates_and_filters(frozen, district, client):
    login(client, district, "leader")
    for value in WEIRD:
        for url in ("/api/v1/progress", "/dashboard/", "/dashboard/projects/", "/dashboard/curve/ZD-001/"):
            response = client.get(
                url,
                {
                    "as_of": value,
                    "level": value,
                    "unit": value,
                    "type": value,
                    "status": value,
                    "q": value,
                    "page": value,
                },
            )
            assert response.status_code < 500, (url, value, response.status_code)
    assert client.post("/api/v1/progress", {}).status_code == 405
    login(client, district, "hq")
    p = district.project
    for value in WEIRD:
        response = client.post(
            f"/projects/{p.code}/reports/new/",
            {"as_of": value, qkey(p): value, "investment_done": value, "action": "submit"},
        )
        assert response.status_code in (302, 400), (value, response.status_code)
