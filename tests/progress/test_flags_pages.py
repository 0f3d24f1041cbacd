"""数据异常 on the pages: thresholds set on the cycle settings page, the dashboard's count and the list."""

import datetime

from tests.progress.flagkit import codes, photo, report
from tests.progress.test_flags import W4, at

SETTINGS = {
    "deadline_weekday": 3,
    "deadline_time": "17:00",
    "remind_enabled": "on",
    "remind_weekday": 2,
    "remind_time": "17:00",
    "lagging_after": 5,
    "severe_after": 15,
    "jump_factor": "3",
    "jump_min_pct": "10",
    "stalled_reports": 3,
    "photo_max_age_days": 14,
    "photo_max_distance_m": 1000,
    "photo_hash_distance": 6,
}


def test_thresholds_changed_on_the_settings_page_take_effect(frozen, district, client, media_root):
    client.force_login(district.users["office"])
    page = client.get("/reports/settings/").content.decode()
    assert "数据异常阈值" in page and "照片时效（天）" in page
    refused = client.post("/reports/settings/", {**SETTINGS, "photo_hash_distance": 7})
    assert refused.status_code == 200 and "确保该值小于或等于6" in refused.content.decode()
    client.post("/reports/settings/", {**SETTINGS, "photo_max_age_days": 30})
    hq = district.users["hq"]
    old = photo("IMG_0020.jpg", seed=20, taken=at(W4 - datetime.timedelta(days=20)), at=None)
    assert codes(report(hq, district.project, W4, 拆迁面积=100, photos=[old])) == []
    client.post("/reports/settings/", {**SETTINGS, "photo_max_age_days": 10})
    older = photo("IMG_0021.jpg", seed=21, taken=at(W4 - datetime.timedelta(days=19)), at=None)
    r = report(hq, district.project, W4 - datetime.timedelta(days=7), 拆迁面积=50, photos=[older])
    assert r.flags == [
        {
            "code": "photo_old",
            "message": "照片「IMG_0021.jpg」拍摄于2026年11月7日，早于截至日期12天（超过10天）",
        }
    ]


def test_the_dashboard_counts_flagged_reports_and_lists_them_for_who_may_read_them(frozen, district, client):
    hq = district.users["hq"]
    clean = report(hq, district.project, W4 - datetime.timedelta(days=7), 拆迁面积=1000)
    from tests.progress.flagkit import verified

    verified(hq, clean)
    flagged = report(hq, district.project, W4, 拆迁面积=(800, "核减"))
    assert codes(flagged) == ["decrease"]
    client.force_login(district.users["leader"])
    dashboard = client.get("/dashboard/").content.decode()
    assert "数据异常 <span data-flagged>1</span> 份" in dashboard and "/reports/?flagged=1" in dashboard
    listing = client.get("/reports/?flagged=1").content.decode()
    assert f'href="/reports/{flagged.pk}/"' in listing and f'href="/reports/{clean.pk}/"' not in listing
    assert "数据异常 1" in listing and "仅显示有数据异常的周报" in listing
    client.force_login(district.users["outsider"])
    assert "<span data-flagged>0</span>" in client.get("/dashboard/").content.decode()
    assert f'href="/reports/{flagged.pk}/"' not in client.get("/reports/?flagged=1").content.decode()
