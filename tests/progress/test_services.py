"""The report workflow, revisions, every input check, photos and who may do what."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.progress.conftest import draft, exif_with_gps, figures_of, jpeg, submitted
from tiaodu.core.errors import NotAllowed
from tiaodu.core.models import ChangeRecord
from tiaodu.progress import selectors, services, settings_services
from tiaodu.progress.models import Report, ReportFigure, ReportStatus
from tiaodu.projects.models import ProjectStatus

pytestmark = pytest.mark.django_db
D = datetime.date


TODAY = D(2026, 11, 27)


def actual(project, as_of=TODAY):
    return selectors.latest_figures(project, as_of=as_of).get(
        project.indicators.get().pk, (Decimal(0), None)
    )[0]


def messages(exc):
    return [m for ms in exc.value.message_dict.values() for m in ms]


# --- workflow ---------------------------------------------------------------------------------------


def test_it_saves_a_draft_that_does_not_count(frozen, district):
    p = district.project
    report = draft(district.users["hq"], p, D(2026, 11, 26), figures_of(p, 拆迁面积=30000))

    assert report.status == ReportStatus.DRAFT and report.revision == 1
    assert report.reporting_unit == district.units["hq"]
    assert actual(p) == 0


def test_it_submits_then_the_lead_unit_verifies(frozen, district):
    p = district.project
    hq = district.users["hq"]
    report = submitted(
        hq,
        p,
        D(2026, 11, 26),
        figures_of(p, 拆迁面积=30000),
        investment_done="1200.5",
        image_progress="完成北段拆迁",
        problems="南段两户未签约",
    )

    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == hq
    assert actual(p) == 30000
    with pytest.raises(NotAllowed) as denied:  # the lead unit's own report: the office verifies it
        services.report_verify(user=hq, report=report)
    assert str(denied.value) == "不能审核自己提交的周报，须由领导小组办公室的其他人员或系统管理员审核"
    office = district.users["office"]
    report = services.report_verify(user=office, report=report)
    assert report.status == ReportStatus.VERIFIED and report.verified_by == office and report.verified_at
    assert actual(p) == 30000
    assert report.investment_done == Decimal("1200.50") and report.problems == "南段两户未签约"


def test_it_lets_only_the_lead_unit_or_the_office_verify(frozen, reporters):
    d = reporters
    report = submitted(d.users["street"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=100))

    for who in ("street", "dept", "outsider", "leader", "supervisor"):
        with pytest.raises(NotAllowed):
            services.report_verify(user=d.users[who], report=report)
    with pytest.raises(NotAllowed):
        services.report_return(user=d.users["street"], report=report, reason="不对")
    assert services.report_verify(user=d.users["office"], report=report).status == ReportStatus.VERIFIED


def test_it_returns_with_a_reason_and_takes_a_resubmission(frozen, reporters):
    d = reporters
    p = d.project
    report = submitted(d.users["street"], p, D(2026, 11, 26), figures_of(p, 拆迁面积=5000))

    with pytest.raises(ValidationError) as exc:
        services.report_return(user=d.users["hq"], report=report, reason="  ")
    assert messages(exc) == ["请填写退回原因"]
    report = services.report_return(user=d.users["hq"], report=report, reason="数字与现场不符")
    assert report.status == ReportStatus.RETURNED and report.return_reason == "数字与现场不符"
    assert actual(p) == 0  # a returned report does not count
    with pytest.raises(ValidationError):
        services.report_verify(user=d.users["hq"], report=report)

    second = services.report_revise(user=d.users["street"], report=report)
    assert (second.revision, second.previous, second.status) == (2, report, ReportStatus.DRAFT)
    second = services.report_save_draft(
        user=d.users["street"],
        project=p,
        report=second,
        data=services.ReportInput(as_of=D(2026, 11, 26), figures=figures_of(p, 拆迁面积=4200)),
    )
    second = services.report_submit(user=d.users["street"], report=second)
    assert actual(p) == 4200
    assert services.report_verify(user=d.users["hq"], report=second).status == ReportStatus.VERIFIED
    assert [r.revision for r in selectors.report_thread(second)] == [2, 1]
    assert [r.status for r in selectors.report_thread(second)] == [
        ReportStatus.VERIFIED,
        ReportStatus.RETURNED,
    ]


def test_it_keeps_every_revision_and_counts_only_the_latest(frozen, district):
    p = district.project
    hq = district.users["hq"]
    first = services.report_verify(
        user=district.users["office"], report=submitted(hq, p, D(2026, 11, 26), figures_of(p, 拆迁面积=100))
    )

    second = services.report_revise(user=hq, report=first)
    assert services.report_revise(user=hq, report=first) == second  # one open draft per report
    assert actual(p) == 100  # the draft does not count yet
    services.report_save_draft(
        user=hq,
        project=p,
        report=second,
        data=services.ReportInput(as_of=D(2026, 11, 26), figures=figures_of(p, 拆迁面积=120)),
    )
    second = services.report_submit(user=hq, report=second)
    first.refresh_from_db()
    assert first.superseded and not first.counted and first.status == ReportStatus.VERIFIED
    assert actual(p) == 120
    assert ReportFigure.objects.filter(indicator__project=p, counted=True).count() == 1

    # The office returns the revision (the lead unit's own): the verified first version counts again.
    services.report_return(user=district.users["office"], report=second, reason="请附照片")
    first.refresh_from_db()
    assert first.counted and not first.superseded
    assert actual(p) == 100
    assert Report.objects.filter(thread=first.thread).count() == 2


def test_it_refuses_to_change_a_submitted_report_in_place(frozen, district):
    p = district.project
    hq = district.users["hq"]
    report = submitted(hq, p, D(2026, 11, 26), figures_of(p, 拆迁面积=100))

    with pytest.raises(ValidationError, match="生成新版本"):
        services.report_save_draft(
            user=hq,
            project=p,
            report=report,
            data=services.ReportInput(as_of=D(2026, 11, 26), figures=figures_of(p, 拆迁面积=1)),
        )
    with pytest.raises(ValidationError, match="不能再次提交"):
        services.report_submit(user=hq, report=report)
    with pytest.raises(ValidationError, match="只能删除草稿"):
        services.report_discard(user=hq, report=report)


def test_it_refuses_a_second_report_of_the_same_unit_and_date(frozen, district):
    p = district.project
    hq = district.users["hq"]
    submitted(hq, p, D(2026, 11, 26), figures_of(p, 拆迁面积=100))

    with pytest.raises(ValidationError) as exc:
        draft(hq, p, D(2026, 11, 26), figures_of(p, 拆迁面积=110))
    assert "北园大街改造指挥部截至2026年11月26日的周报已存在（已提交），请在原周报上修改" in messages(exc)


def test_it_moves_a_not_started_project_under_construction_on_the_first_progress(frozen, district):
    p = district.project
    hq = district.users["hq"]
    assert p.status == ProjectStatus.NOT_STARTED

    submitted(hq, p, D(2026, 11, 19), figures_of(p, 拆迁面积=0))
    p.refresh_from_db()
    assert p.status == ProjectStatus.NOT_STARTED  # nothing done yet

    submitted(hq, p, D(2026, 11, 26), figures_of(p, 拆迁面积=800))
    p.refresh_from_db()
    assert p.status == ProjectStatus.UNDER_CONSTRUCTION
    record = ChangeRecord.objects.filter(object_id=p.pk, source="report").get()
    assert record.changes == {"状态": ["未开工", "在建"]} and record.user == hq


def test_it_records_the_start_as_the_system_without_a_user(frozen, district):
    from tiaodu.core.actors import SYSTEM

    p = district.project
    submitted(SYSTEM, p, D(2026, 11, 26), figures_of(p, 拆迁面积=800))
    p.refresh_from_db()
    assert p.status == ProjectStatus.UNDER_CONSTRUCTION
    record = ChangeRecord.objects.filter(object_id=p.pk, source="report").get()
    assert record.user_name == "系统" and record.changes == {"状态": ["未开工", "在建"]}
    report = Report.objects.get()
    assert report.reporting_unit == district.units["hq"] and report.submitted_by is None


def test_it_flags_a_report_submitted_after_the_weekly_deadline(frozen, district):
    p = district.project
    hq = district.users["hq"]
    # As of Monday 23 November: due Thursday 26 November 17:00; it is Friday the 27th.
    assert submitted(hq, p, D(2026, 11, 23), figures_of(p, 拆迁面积=10)).late
    # As of Friday 27 November: due Thursday 3 December.
    assert not submitted(hq, p, D(2026, 11, 27), figures_of(p, 拆迁面积=20)).late


# --- checks -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "「拆迁面积」累计完成量不能小于0"),
        ("abc", "「拆迁面积」累计完成量须为数字（填写的是「abc」）"),
        ("NaN", "「拆迁面积」累计完成量须为数字"),
        ("1e30", "「拆迁面积」累计完成量数值过大"),
    ],
)
def test_it_refuses_a_quantity_that_is_not_a_number_at_least_zero(frozen, district, value, message):
    p = district.project
    with pytest.raises(ValidationError) as exc:
        draft(district.users["hq"], p, D(2026, 11, 26), figures_of(p, 拆迁面积=value))
    key = f"quantity_{p.indicators.get().pk}"
    assert exc.value.message_dict == {key: [message]}
    assert not Report.objects.exists()


def test_it_refuses_a_negative_or_malformed_investment(frozen, district):
    p = district.project
    with pytest.raises(ValidationError) as exc:
        draft(district.users["hq"], p, D(2026, 11, 26), figures_of(p, 拆迁面积=1), investment_done="-5")
    assert exc.value.message_dict == {"investment_done": ["累计完成投资(万元)不能小于0"]}
    with pytest.raises(ValidationError) as exc:
        draft(district.users["hq"], p, D(2026, 11, 26), figures_of(p, 拆迁面积=1), investment_done="一千")
    assert exc.value.message_dict == {"investment_done": ["累计完成投资(万元)须为数字（填写的是「一千」）"]}


def test_it_refuses_an_as_of_date_in_the_future(frozen, district):
    p = district.project
    with pytest.raises(ValidationError) as exc:
        draft(district.users["hq"], p, D(2026, 11, 28), figures_of(p, 拆迁面积=1))
    assert exc.value.message_dict == {"as_of": ["截至日期不能晚于今天（2026年11月27日）"]}
    with pytest.raises(ValidationError) as exc:
        draft(district.users["hq"], p, None, figures_of(p, 拆迁面积=1))
    assert exc.value.message_dict == {"as_of": ["请填写截至日期"]}


def test_it_needs_a_reason_for_a_figure_below_the_last_verified_one(frozen, district):
    p = district.project
    hq = district.users["hq"]
    office = district.users["office"]  # verifies the lead unit's own report
    services.report_verify(
        user=office, report=submitted(hq, p, D(2026, 11, 19), figures_of(p, 拆迁面积=1000))
    )

    report = draft(hq, p, D(2026, 11, 26), figures_of(p, 拆迁面积=900))  # a draft may wait for the reason
    with pytest.raises(ValidationError) as exc:
        services.report_submit(user=hq, report=report)
    ind = p.indicators.get().pk
    assert exc.value.message_dict == {
        f"reason_{ind}": [
            "「拆迁面积」累计完成量900低于上次审核通过的1,000（截至2026年11月19日），请填写减少原因"
        ]
    }
    services.report_save_draft(
        user=hq,
        project=p,
        report=report,
        data=services.ReportInput(
            as_of=D(2026, 11, 26), figures=figures_of(p, 拆迁面积=(900, "复核后扣除重复计量"))
        ),
    )
    report = services.report_submit(user=hq, report=report)
    figure = report.figures.get()
    assert figure.decreased and figure.decrease_reason == "复核后扣除重复计量"
    assert actual(p) == 900


def test_it_compares_with_verified_figures_only(frozen, district):
    p = district.project
    hq = district.users["hq"]
    submitted(hq, p, D(2026, 11, 19), figures_of(p, 拆迁面积=1000))  # submitted, not verified
    report = submitted(hq, p, D(2026, 11, 26), figures_of(p, 拆迁面积=900))
    assert not report.figures.get().decreased


def test_it_accepts_a_figure_above_the_target_with_a_warning(frozen, district):
    p = district.project
    report = submitted(district.users["hq"], p, D(2026, 11, 26), figures_of(p, 拆迁面积="130000"))

    assert report.warnings == ["「拆迁面积」累计完成量130,000m²超过目标值120,000m²，请核实"]
    assert report.figures.get().above_target
    assert actual(p) == 130000


def test_it_needs_at_least_one_figure_to_submit(frozen, district):
    p = district.project
    report = draft(district.users["hq"], p, D(2026, 11, 26), {}, image_progress="准备中")
    with pytest.raises(ValidationError) as exc:
        services.report_submit(user=district.users["hq"], report=report)
    assert messages(exc) == ["请至少填写一项指标的累计完成量"]


# --- who may report ---------------------------------------------------------------------------------


def test_it_lets_only_the_reporting_units_report(frozen, district):
    p = district.project
    street = district.users["street"]
    # The street office is a territorial unit but not (yet) a reporting unit.
    with pytest.raises(NotAllowed):
        draft(street, p, D(2026, 11, 26), figures_of(p, 拆迁面积=1))
    settings_services.reporting_units_set(
        user=district.users["hq"], project=p, units=[district.units["street"]]
    )
    assert [u.name for u in selectors.reporting_units(p)] == ["北园大街改造指挥部", "北园街道"]
    report = draft(street, p, D(2026, 11, 26), figures_of(p, 拆迁面积=1))
    assert report.reporting_unit == district.units["street"]
    for who in ("dept", "outsider", "leader", "supervisor"):
        with pytest.raises(NotAllowed):
            draft(district.users[who], p, D(2026, 11, 25), figures_of(p, 拆迁面积=1))
    # The street office may not report on a project of another street.
    with pytest.raises(NotAllowed):
        draft(street, district.other, D(2026, 11, 26))


def test_it_lets_only_territorial_units_be_added_by_the_lead_unit(frozen, district):
    p = district.project
    with pytest.raises(ValidationError, match="区建设局不是属地单位"):
        settings_services.reporting_units_set(
            user=district.users["hq"], project=p, units=[district.units["dept"]]
        )
    with pytest.raises(NotAllowed):
        settings_services.reporting_units_set(
            user=district.users["street"], project=p, units=[district.units["street"]]
        )
    settings_services.reporting_units_set(
        user=district.users["office"], project=p, units=[district.units["street"]]
    )
    record = ChangeRecord.objects.get(parent_id=p.pk, source="web")
    assert record.changes == {"填报单位": ["", "北园街道"]} and record.user == district.users["office"]


def test_it_shows_a_street_office_only_the_reports_of_its_projects(frozen, reporters):
    d = reporters
    hq_report = submitted(d.users["hq"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=10))
    hq_draft = draft(d.users["hq"], d.project, D(2026, 11, 25), figures_of(d.project, 拆迁面积=5))

    assert list(selectors.report_list(user=d.users["street"])) == [hq_report]  # not the HQ's draft
    assert list(selectors.report_list(user=d.users["outsider"])) == []
    assert set(selectors.report_list(user=d.users["hq"])) == {hq_report, hq_draft}
    assert set(selectors.report_list(user=d.users["leader"])) == {hq_report}
    assert [p.code for p in selectors.reportable_projects(user=d.users["street"])] == ["ZD-001"]
    assert list(selectors.reportable_projects(user=d.users["outsider"])) == []


def test_it_fills_the_verification_queue_of_the_lead_unit(frozen, reporters):
    d = reporters
    report = submitted(d.users["street"], d.project, D(2026, 11, 26), figures_of(d.project, 拆迁面积=10))

    assert list(selectors.verify_queue(user=d.users["hq"])) == [report]
    assert list(selectors.verify_queue(user=d.users["office"])) == [report]
    assert list(selectors.verify_queue(user=d.users["street"])) == []
    services.report_verify(user=d.users["hq"], report=report)
    assert list(selectors.verify_queue(user=d.users["hq"])) == []


# --- photos -----------------------------------------------------------------------------------------


def test_it_reads_exif_time_and_gps_and_stores_the_photo_without_metadata(frozen, district, media_root):
    p = district.project
    upload = SimpleUploadedFile("IMG_2041.JPG", jpeg(exif=exif_with_gps()), content_type="image/jpeg")
    report = services.report_save_draft(
        user=district.users["hq"],
        project=p,
        photos=[upload],
        data=services.ReportInput(as_of=D(2026, 11, 26), figures=figures_of(p, 拆迁面积=1)),
    )
    photo = report.photos.get()

    assert photo.original_name == "IMG_2041.JPG" and photo.content_type == "image/jpeg"
    assert (
        photo.taken_at.astimezone(datetime.timezone(datetime.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
        == "2026-11-25 09:30"
    )
    assert photo.latitude == Decimal("36.691667") and photo.longitude == Decimal("117.005000")
    assert "IMG_2041" not in photo.image.name and photo.image.name.startswith("reports/")
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG" and stored.size == (64, 48)
        assert not stored.getexif() and "exif" not in stored.info
    assert b"TestCam" not in (media_root / photo.image.name).read_bytes()


def test_it_refuses_a_photo_that_is_not_a_jpeg_or_png_by_content(frozen, district):
    p = district.project
    fake = SimpleUploadedFile("现场.jpg", b"%PDF-1.4\n%%EOF\n" * 10, content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.report_save_draft(
            user=district.users["hq"],
            project=p,
            photos=[fake],
            data=services.ReportInput(as_of=D(2026, 11, 26), figures=figures_of(p, 拆迁面积=1)),
        )
    assert exc.value.message_dict == {
        "photos": ["照片「现场.jpg」须为JPEG或PNG图片（按内容识别为：application/pdf）"]
    }
    assert not Report.objects.exists()


def test_it_refuses_a_photo_over_10_mb(frozen, district):
    p = district.project
    big = SimpleUploadedFile("big.jpg", jpeg() + b"\0" * (10 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="照片「big.jpg」过大（10.0 MB），不能超过 10 MB"):
        services.report_save_draft(
            user=district.users["hq"],
            project=p,
            photos=[big],
            data=services.ReportInput(as_of=D(2026, 11, 26), figures=figures_of(p, 拆迁面积=1)),
        )


def test_it_refuses_a_broken_image(frozen, district):
    p = district.project
    broken = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, content_type="image/png")
    with pytest.raises(ValidationError, match="照片「x.png」已损坏，无法读取"):
        services.report_save_draft(
            user=district.users["hq"],
            project=p,
            photos=[broken],
            data=services.ReportInput(as_of=D(2026, 11, 26), figures=figures_of(p, 拆迁面积=1)),
        )


def test_it_carries_the_photos_into_a_new_revision(frozen, district):
    p = district.project
    hq = district.users["hq"]
    upload = SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")
    report = services.report_save_draft(
        user=hq,
        project=p,
        photos=[upload],
        data=services.ReportInput(as_of=D(2026, 11, 26), figures=figures_of(p, 拆迁面积=1)),
    )
    report = services.report_submit(user=hq, report=report)
    second = services.report_revise(user=hq, report=report)
    assert [ph.image.name for ph in second.photos.all()] == [ph.image.name for ph in report.photos.all()]


def test_it_refuses_an_as_of_date_before_2000(frozen, district):
    p = district.project
    with pytest.raises(ValidationError) as exc:
        draft(district.users["hq"], p, D(1999, 12, 31), figures_of(p, 拆迁面积=1))
    assert exc.value.message_dict == {"as_of": ["截至日期须在2000年之后"]}


def test_it_starts_the_project_even_when_another_field_fails_its_checks(frozen, district):
    from tiaodu.projects.models import Project

    p = district.project
    Project.objects.filter(pk=p.pk).update(planned_finish=D(2020, 1, 1))  # before the planned start: invalid
    submitted(district.users["hq"], p, D(2026, 11, 26), figures_of(p, 拆迁面积=10))
    p.refresh_from_db()
    assert p.status == ProjectStatus.UNDER_CONSTRUCTION
    assert ChangeRecord.objects.get(object_id=p.pk, source="report").changes == {"状态": ["未开工", "在建"]}
