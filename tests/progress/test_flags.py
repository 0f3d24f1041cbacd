"""数据异常: each anomaly flag raised on submit on a hand-made report, and none on a clean one."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.progress.conftest import TZ
from tests.progress.flagkit import NEAR, codes, photo, report, verified

W1, W2, W3, W4 = (datetime.date(2026, 11, d) for d in (5, 12, 19, 26))


def at(day: datetime.date, hour=9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


@pytest.fixture
def placed(district):
    """ZD-001 with its point, so that photos can be far from it."""
    district.project.latitude, district.project.longitude = Decimal(str(NEAR[0])), Decimal(str(NEAR[1]))
    district.project.save(update_fields=["latitude", "longitude"])
    return district


def test_a_clean_report_has_no_flag(frozen, placed, media_root):
    hq = placed.users["hq"]
    first = report(
        hq,
        placed.project,
        W3,
        拆迁面积=10000,
        text="拆迁入户调查",
        photos=[photo("a.jpg", seed=1, taken=at(W3))],
    )
    verified(hq, first)
    r = report(
        hq, placed.project, W4, 拆迁面积=11500, text="签约30户", photos=[photo("b.jpg", seed=2, taken=at(W4))]
    )
    assert r.flags == [] and first.flags == []


def test_a_figure_below_the_last_accepted_one_is_flagged(frozen, placed):
    hq = placed.users["hq"]
    verified(hq, report(hq, placed.project, W3, 拆迁面积=1500))
    r = report(hq, placed.project, W4, 拆迁面积=(1200, "复核后核减"))
    assert r.flags == [
        {
            "code": "decrease",
            "message": "「拆迁面积」累计1,200m²低于上次审核通过的1,500m²（截至2026年11月19日）",
        }
    ]


def test_an_increment_far_above_the_plan_is_flagged(frozen, placed):
    hq = placed.users["hq"]
    verified(hq, report(hq, placed.project, W3, 拆迁面积=10000))
    # The linear plan grows about 1,800 m² a week; 10% of 120,000 m² is 12,000 m².
    r = report(hq, placed.project, W4, 拆迁面积=25000)
    assert codes(r) == ["jump"]
    assert r.flags[0]["message"].startswith(
        "「拆迁面积」较上次审核通过（截至2026年11月19日）增加15,000m²，同期计划增量"
    )
    assert "超过目标120,000m²的10%" in r.flags[0]["message"]


def test_a_large_increment_within_three_times_the_plan_is_not_flagged(frozen, placed):
    hq = placed.users["hq"]
    verified(hq, report(hq, placed.project, W1, 拆迁面积=10000))
    # Three weeks of plan (about 5,400 m²) × 3 > 13,000 m²: above 10% of the target but not a jump.
    r = report(hq, placed.project, W4, 拆迁面积=23000)
    assert codes(r) == []


def test_figures_unchanged_over_three_reports_while_the_plan_grew_are_flagged(frozen, placed):
    hq = placed.users["hq"]
    verified(hq, report(hq, placed.project, W2, 拆迁面积=5000, text="一"))
    verified(hq, report(hq, placed.project, W3, 拆迁面积=5000, text="二"))
    r = report(hq, placed.project, W4, 拆迁面积=5000, text="三")
    assert codes(r) == ["stalled"]
    assert (
        r.flags[0]["message"] == "连续3份周报（截至2026年11月12日起）各项指标累计数均未变化，同期计划已增长"
    )


def test_two_unchanged_reports_are_not_yet_stalled(frozen, placed):
    hq = placed.users["hq"]
    verified(hq, report(hq, placed.project, W3, 拆迁面积=5000, text="二"))
    assert codes(report(hq, placed.project, W4, 拆迁面积=5000, text="三")) == []


def test_the_same_progress_text_with_a_changed_figure_is_flagged(frozen, placed):
    hq = placed.users["hq"]
    verified(hq, report(hq, placed.project, W3, 拆迁面积=5000, text="完成入户调查 80 户"))
    r = report(hq, placed.project, W4, 拆迁面积=6000, text="完成入户调查\n80户 ")
    assert r.flags == [
        {
            "code": "copied_text",
            "message": "形象进度与上次审核通过的周报（截至2026年11月19日）完全相同，但「拆迁面积」已变化",
        }
    ]


def test_photos_without_time_old_and_far_are_flagged(frozen, placed, media_root):
    hq = placed.users["hq"]
    far = (NEAR[0] + 0.0207, NEAR[1])  # about 2.3 km north
    r = report(
        hq,
        placed.project,
        W4,
        拆迁面积=5000,
        photos=[
            photo("IMG_0010.jpg", seed=10, taken=None),
            photo("IMG_0011.jpg", seed=11, taken=at(W4 - datetime.timedelta(days=20))),
            photo("IMG_0012.jpg", seed=12, taken=at(W4), at=far),
            photo("IMG_0013.jpg", seed=13, taken=at(W4 - datetime.timedelta(days=14))),
        ],
    )
    assert r.flags == [
        {"code": "photo_no_time", "message": "照片「IMG_0010.jpg」没有拍摄时间（EXIF），无法确认是本期所拍"},
        {
            "code": "photo_old",
            "message": "照片「IMG_0011.jpg」拍摄于2026年11月6日，早于截至日期20天（超过14天）",
        },
        {"code": "photo_far", "message": "照片「IMG_0012.jpg」拍摄地点距项目2.3公里"},
    ]


def test_a_photo_of_an_earlier_report_is_flagged_even_re_encoded(frozen, placed, media_root):
    from tiaodu.progress.services import report_revise, report_submit

    hq, street = placed.users["hq"], placed.users["street"]
    first = report(hq, placed.project, W3, 拆迁面积=5000, photos=[photo("现场.jpg", seed=7, taken=at(W3))])
    assert codes(first) == []
    # A revision copies its photos: not a reuse.
    revised = report_submit(user=hq, report=report_revise(user=hq, report=first))
    assert codes(revised) == []
    again = report(hq, placed.project, W4, 拆迁面积=6000, photos=[photo("IMG_9.jpg", seed=7, taken=at(W4))])
    assert again.flags == [
        {
            "code": "photo_reused",
            "message": "照片「IMG_9.jpg」与ZD-001 北园大街改造指挥部截至2026年11月19日周报的照片相同",
        }
    ]
    other = report(hq, placed.project, W2, 拆迁面积=4000, photos=[photo("其他.jpg", seed=8, taken=at(W2))])
    assert codes(other) == []
    assert street is not None


def test_flags_never_block_submission_and_verifying_needs_a_note(frozen, placed, client):
    from tiaodu.progress.models import ReportStatus

    hq = placed.users["hq"]
    verified(hq, report(hq, placed.project, W3, 拆迁面积=1500))
    r = report(hq, placed.project, W4, 拆迁面积=(1200, "复核后核减"))
    assert r.status == ReportStatus.SUBMITTED and r.counted and codes(r) == ["decrease"]
    with pytest.raises(ValidationError) as refused:
        verified(hq, r, note="")
    assert "该周报有1项数据异常，请填写审核意见" in str(refused.value)
    client.force_login(placed.users["office"])
    page = client.get(f"/reports/{r.pk}/").content.decode()
    assert "数据异常 1 项" in page and "低于上次审核通过的1,500m²" in page and 'name="note"' in page
    response = client.post(f"/reports/{r.pk}/verify/", {"note": ""}, follow=True)
    assert "请填写审核意见" in response.content.decode()
    r.refresh_from_db()
    assert r.status == ReportStatus.SUBMITTED
    client.post(f"/reports/{r.pk}/verify/", {"note": "征收范围调整，已核实"})
    r.refresh_from_db()
    assert r.status == ReportStatus.VERIFIED and r.verify_note == "征收范围调整，已核实"


def test_a_territorial_share_is_judged_against_its_own_target_and_plan(frozen, reporters):
    from tiaodu.projects.models import IndicatorShare

    indicator = reporters.project.indicators.get(name="拆迁面积")
    IndicatorShare.objects.create(indicator=indicator, unit=reporters.units["street"], target=12000)
    IndicatorShare.objects.create(indicator=indicator, unit=reporters.units["hq"], target=108000)
    street, hq = reporters.users["street"], reporters.users["hq"]
    first = report(street, reporters.project, W3, 拆迁面积=1000)
    from tiaodu.progress.services import report_verify

    report_verify(user=hq, report=first, note="")
    # 2,000 m² in a week: above 10% of the street's 12,000 m² and 3× its share of the plan (~180 m² a week).
    r = report(street, reporters.project, W4, 拆迁面积=3000)
    assert codes(r) == ["jump"]
    assert "超过目标12,000m²的10%" in r.flags[0]["message"]
