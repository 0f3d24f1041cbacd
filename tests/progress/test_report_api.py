"""The weekly report write API (/api/v1/reports/): a draft, a photo, submit, verify, return; bad input is a
400 in Chinese naming the field or the indicator; what a user may not do is a 403, what they may not see
a 404."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.progress.conftest import exif_with_gps, figures_of, jpeg, submitted
from tiaodu.progress.models import Report, ReportStatus

D = datetime.date
URL = "/api/v1/reports/"


def _create(client, **overrides):
    body = {
        "project": "ZD-001",
        "as_of": "2026-11-26",
        "items": [{"indicator": "拆迁面积", "cumulative": 1200}],
        "investment_done": "350.5",
        "image_progress": "北段拆迁完成",
        "problems": "南段两户未签约",
        **overrides,
    }
    return client.post(URL, body, format="json")


def test_a_street_reports_and_the_lead_unit_verifies_through_the_api(frozen, reporters, api, media_root):
    d = reporters
    street, hq = api("street"), api("hq")

    response = _create(street)
    assert response.status_code == 201, response.json()
    body = response.json()
    pk = body["id"]
    assert body["status"] == "draft" and body["unit"] == {"id": d.units["street"].pk, "name": "北园街道"}
    assert (
        body["items"][0]["indicator"]["name"] == "拆迁面积" and body["items"][0]["cumulative"] == "1200.000"
    )
    assert body["investment_done"] == "350.50" and body["created_by"]["name"] == "钱主任"

    # A real JPEG taken on site, with its EXIF time and position.
    photo = SimpleUploadedFile("现场.jpg", jpeg(exif=exif_with_gps()), content_type="image/jpeg")
    response = street.post(f"{URL}{pk}/photos/", {"photo": photo}, format="multipart")
    assert response.status_code == 201, response.json()
    [shown] = response.json()["photos"]
    assert shown["taken_at"].startswith("2026-11-25T09:30") and shown["latitude"] == "36.691667"
    assert street.get(shown["url"]).status_code == 200

    response = street.patch(f"{URL}{pk}/", {"problems": "南段一户未签约"}, format="json")
    assert response.status_code == 200 and response.json()["problems"] == "南段一户未签约"
    assert response.json()["items"][0]["cumulative"] == "1200.000"  # items not given: kept

    response = street.post(f"{URL}{pk}/submit/", format="json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert response.json()["submitted_by"]["name"] == "钱主任"

    response = street.post(f"{URL}{pk}/verify/", {"note": "自己审"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("不能审核自己提交的周报")

    response = hq.post(f"{URL}{pk}/verify/", {"note": "与现场照片一致"}, format="json")
    assert response.status_code == 200, response.json()
    body = hq.get(f"{URL}{pk}/").json()
    assert (body["status"], body["verified_by"]["name"], body["verify_note"]) == (
        "verified",
        "赵指挥",
        "与现场照片一致",
    )
    assert body["verified_at"] and body["submitted_at"] and body["flags"] == []


def test_the_office_returns_the_lead_units_report_with_a_reason(frozen, district, api):
    d = district
    report = submitted(d.users["hq"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=100))

    response = api("hq").post(f"{URL}{report.pk}/return/", {"reason": "请核实"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "不能退回自己提交的周报，须由领导小组办公室的其他人员或系统管理员退回"
    response = api("office").post(f"{URL}{report.pk}/return/", {"reason": "  "}, format="json")
    assert response.status_code == 400 and response.json() == {"reason": ["请填写退回原因"]}
    response = api("office").post(
        f"{URL}{report.pk}/return/", {"reason": "拆迁面积与台账不符"}, format="json"
    )
    assert response.status_code == 200
    assert (
        response.json()["status"] == "returned" and response.json()["return_reason"] == "拆迁面积与台账不符"
    )


def test_a_flagged_report_needs_a_note(frozen, district, api):
    d = district
    report = submitted(d.users["hq"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=100))
    Report.objects.filter(pk=report.pk).update(flags=[{"code": "jump", "message": "本周增量异常偏大"}])

    response = api("office").post(f"{URL}{report.pk}/verify/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"note": ["该周报有1项数据异常，请填写审核意见（核实情况）后再审核通过"]}
    assert api("office").get(f"{URL}{report.pk}/").json()["flags"] == [
        {"code": "jump", "message": "本周增量异常偏大"}
    ]
    response = api("office").post(f"{URL}{report.pk}/verify/", {"note": "已电话核实"}, format="json")
    assert response.status_code == 200 and response.json()["verify_note"] == "已电话核实"


def test_bad_input_is_a_400_in_chinese_naming_the_field(frozen, reporters, api):
    street = api("street")

    response = _create(street, items=[{"indicator": "绿化面积", "cumulative": 5}])
    assert response.status_code == 400
    assert response.json() == {"items": ["第1项：项目「北园大街道路拓宽及两侧整治」没有指标「绿化面积」"]}
    response = _create(street, items=[{"indicator": "拆迁面积", "cumulative": "-5"}])
    assert response.status_code == 400 and response.json() == {"items": ["「拆迁面积」累计完成量不能小于0"]}
    response = _create(street, items=[{"indicator": "拆迁面积", "cumulative": "很多"}])
    assert response.json() == {"items": ["「拆迁面积」累计完成量须为数字（填写的是「很多」）"]}
    response = _create(street, as_of="2026-12-31")
    assert response.status_code == 400 and response.json() == {
        "as_of": ["截至日期不能晚于今天（2026年11月27日）"]
    }
    response = _create(street, project="ZD-404")
    assert response.status_code == 400 and response.json() == {
        "project": ["项目「ZD-404」不存在或您无权查看"]
    }
    response = _create(street, investment_done="abc")
    assert response.json() == {"investment_done": ["累计完成投资(万元)须为数字（填写的是「abc」）"]}
    response = _create(street, unit=reporters.units["hq"].pk)
    assert response.status_code == 403
    assert response.json()["detail"] == "只能以本单位名义填报周报，不能代北园大街改造指挥部填报"
    assert not Report.objects.exists()

    pk = _create(street).json()["id"]
    response = street.post(f"{URL}{pk}/photos/", {"photo": SimpleUploadedFile("a.jpg", b"not an image")})
    assert response.status_code == 400 and list(response.json()) == ["photo"]
    assert "照片「a.jpg」" in response.json()["photo"][0]
    assert _create(street).json() == {
        "as_of": ["北园街道截至2026年11月26日的周报已存在（草稿），请在原周报上修改"]
    }


def test_it_answers_403_and_404_as_the_pages_do(frozen, reporters, api):
    d = reporters
    draft = _create(api("street")).json()["id"]
    report = submitted(d.users["hq"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=100))

    assert api("hq").get(f"{URL}{draft}/").status_code == 404  # another unit's draft
    assert api("outsider").get(f"{URL}{report.pk}/").status_code == 404
    assert api("leader").get(f"{URL}{report.pk}/").status_code == 200
    assert api("leader").post(f"{URL}{report.pk}/verify/", {}, format="json").status_code == 403
    assert api("supervisor").post(URL, {}, format="json").status_code == 403
    assert api(None).get(URL).status_code == 401
    assert api("outsider").post(f"{URL}{report.pk}/verify/", {}, format="json").status_code == 404
    response = api("hq").patch(f"{URL}{report.pk}/", {"problems": "改"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": ["已提交的周报不能直接修改，请生成新版本后修改"]}

    listed = api("hq").get(URL, {"project": "ZD-001", "status": ReportStatus.SUBMITTED}).json()
    assert [r["id"] for r in listed["results"]] == [report.pk]
    assert api("outsider").get(URL, {"project": "ZD-001"}).json()["results"] == []
    assert api("hq").get(URL, {"status": "lost"}).status_code == 400
