"""The meeting, live (调度会现场): the walk-through shows each agenda project with the dashboard's figures;
a decision recorded on a project screen becomes an item (errors beside the field); who may do what."""

import datetime
import re
import zoneinfo
from html import unescape

import pytest
import time_machine

from tiaodu.progress.overview import project_status
from tiaodu.supervision.models import Decision, Level, Notification, Problem, ProblemType, SupervisionItem

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=TZ)
ON = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def meeting(district, frozen):
    from tiaodu.progress.services import ReportInput, report_save_draft, report_submit
    from tiaodu.supervision import services

    indicator = district.project.indicators.get(name="拆迁面积")
    draft = report_save_draft(
        user=district.users["hq"],
        project=district.project,
        data=ReportInput(as_of=ON - datetime.timedelta(days=1), figures={indicator.pk: ("30000", "")}),
    )
    report_submit(user=district.users["hq"], report=draft)
    Problem.objects.create(
        project=district.other,
        type=ProblemType.FUNDING,
        title="征收补偿资金缺口",
        description="资金缺口约3200万元",
        owner_unit=district.units["hq2"],
        level=Level.LEADER,
        level_entered_on=datetime.date(2026, 11, 20),
    )
    overdue = SupervisionItem.objects.create(
        title="全区工地扬尘治理检查", content="检查", deadline=datetime.date(2026, 11, 6)
    )
    overdue.assignee_units.set([district.units["dept"]])
    return services.meeting_create(
        user=district.users["supervisor"],
        data={"date": ON, "chair": district.people["leader"], "location": "区政府三楼会议室"},
    )


def _text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def _post(client, meeting, n=1, **fields):
    data = {"n": n}
    data.update({f"live-{k}": v for k, v in fields.items()})
    return client.post(f"/meetings/{meeting.pk}/live/decisions/", data, HTTP_HX_REQUEST="true")


def test_it_walks_each_agenda_project_with_the_dashboards_figures(district, meeting, client):
    client.force_login(district.users["supervisor"])
    codes = [r["code"] for r in meeting.agenda["lagging"]] + [
        r["code"]
        for r in meeting.agenda["missing"]
        if r["code"] not in {x["code"] for x in meeting.agenda["lagging"]}
    ]
    assert codes, "the district's agenda lists projects"
    page = client.get(f"/meetings/{meeting.pk}/")
    assert f'href="/meetings/{meeting.pk}/live/"' in page.content.decode() and "进入会议现场" in _text(page)
    total = None
    for n, code in enumerate(codes, start=1):
        response = client.get(f"/meetings/{meeting.pk}/live/?n={n}")
        assert response.status_code == 200
        html = response.content.decode()
        text = _text(response)
        assert 'class="td-sidebar' not in html  # its own template, no admin chrome
        total = int(re.search(r"共(\d+)项", text).group(1))
        assert f"第{n}项/共{total}项" in text
        figures = project_status(user=district.users["supervisor"], code=code, as_of=ON)
        assert figures.name in text and code in text
        assert figures.status_label in text and figures.level_label in text
        lead = district.project.lead_unit.name if code == "ZD-001" else district.other.lead_unit.name
        assert lead in text
        if figures.lag_text:
            assert figures.lag_text in text
        for pct in (figures.planned_pct, figures.actual_pct):
            assert (f"{pct:.1f}%" if pct is not None else "—") in text
    # After the projects: the problem of a listed project is on its screen, the overdue item on its own.
    tail = [
        _text(client.get(f"/meetings/{meeting.pk}/live/?n={n}")) for n in range(len(codes) + 1, total + 1)
    ]
    assert any("全区工地扬尘治理检查" in t and "超期督办事项" in t for t in tail)
    assert "生成会议纪要" in tail[-1]
    # Out of range steps land on the first and last screens.
    assert "第1项" in _text(client.get(f"/meetings/{meeting.pk}/live/?n=-4"))
    assert f"第{total}项" in _text(client.get(f"/meetings/{meeting.pk}/live/?n=999"))


def test_a_project_screen_shows_its_open_problems_and_items(district, meeting, client):
    client.force_login(district.users["supervisor"])
    item = SupervisionItem.objects.create(
        title="北园大街管线迁改", content="x", deadline=datetime.date(2026, 12, 20), project=district.project
    )
    item.assignee_units.set([district.units["hq"]])
    n = [r["code"] for r in meeting.agenda["lagging"]].index("ZD-001") + 1
    text = _text(client.get(f"/meetings/{meeting.pk}/live/?n={n}"))
    assert "北园大街管线迁改" in text and "办理中的督办事项" in text and "待解决难题" in text


def test_a_decision_recorded_on_the_spot_becomes_an_item(district, meeting, client):
    client.force_login(district.users["supervisor"])
    n = [r["code"] for r in meeting.agenda["lagging"]].index("ZD-001") + 1
    response = _post(
        client,
        meeting,
        n=n,
        content="北园大街西段拆迁12月15日前全部完成",
        assignee_units=[district.units["hq"].pk, district.units["street"].pk],
        responsible_person=district.people["hq"].pk,
        deadline="2026-12-15",
    )
    assert response.status_code == 200
    decision = Decision.objects.get(meeting=meeting)
    item = decision.item
    assert item is not None and item.meeting == meeting and item.project == district.project
    assert set(item.assignee_units.all()) == {district.units["hq"], district.units["street"]}
    assert item.responsible_person == district.people["hq"]
    assert item.deadline == datetime.date(2026, 12, 15)
    text = _text(response)
    assert "北园大街西段拆迁12月15日前全部完成" in text
    assert "北园大街改造指挥部、北园街道" in text and "2026年12月15日" in text and "赵指挥" in text
    assert Notification.objects.filter(recipient=district.users["street"], kind="item_assigned").exists()
    # The page shows it too, on that screen only.
    assert "北园大街西段拆迁12月15日前全部完成" in _text(client.get(f"/meetings/{meeting.pk}/live/?n={n}"))


def test_bad_input_gets_its_error_beside_the_field(district, meeting, client):
    client.force_login(district.users["supervisor"])
    response = _post(client, meeting, content="决定", deadline="2026-12-15")
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps it in
    assert re.search(r'id="field-live-assignee_units".*?请至少选择一个责任单位', html, re.S)
    response = _post(
        client, meeting, content="决定", assignee_units=[district.units["hq"].pk], deadline="2026-11-01"
    )
    assert re.search(
        r'id="field-live-deadline".*?办结时限不能早于交办日期（2026年11月27日）',
        response.content.decode(),
        re.S,
    )
    response = _post(
        client,
        meeting,
        content="决定",
        assignee_units=[district.units["hq"].pk],
        responsible_person=district.people["street"].pk,
        deadline="2026-12-01",
    )
    assert re.search(
        r'id="field-live-responsible_person".*?不属于所选承办单位', response.content.decode(), re.S
    )
    assert not Decision.objects.filter(meeting=meeting).exists()
    # Without htmx: the whole page with the error, status 400.
    response = client.post(
        f"/meetings/{meeting.pk}/live/decisions/", {"n": 1, "live-content": "", "live-deadline": "x"}
    )
    assert response.status_code == 400 and "请填写决定事项" in response.content.decode()


def test_a_decision_without_htmx_redirects_back_to_its_screen(district, meeting, client):
    client.force_login(district.users["supervisor"])
    response = client.post(
        f"/meetings/{meeting.pk}/live/decisions/",
        {
            "n": 1,
            "live-content": "加快进度",
            "live-assignee_units": [district.units["hq"].pk],
            "live-deadline": "2026-12-31",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?n=1#decisions")
    assert Decision.objects.get(meeting=meeting).item.deadline == datetime.date(2026, 12, 31)


def test_only_managers_record_viewers_walk_read_only(district, meeting, client):
    # An HQ whose unit was assigned an item from the meeting sees it (read-only).
    item = SupervisionItem.objects.create(
        title="会议事项", content="x", deadline=datetime.date(2026, 12, 20), meeting=meeting
    )
    item.assignee_units.set([district.units["hq"]])
    for key in ("leader", "hq"):
        client.force_login(district.users[key])
        response = client.get(f"/meetings/{meeting.pk}/live/?n=1")
        assert response.status_code == 200, key
        assert "live-decision-form" not in response.content.decode()
        assert (
            _post(
                client, meeting, content="x", assignee_units=[district.units["hq"].pk], deadline="2026-12-20"
            ).status_code
            == 403
        )
    # A street office that neither attended nor was assigned anything does not see the meeting at all.
    client.force_login(district.users["outsider"])
    assert client.get(f"/meetings/{meeting.pk}/live/").status_code == 404
    assert _post(client, meeting, content="x").status_code == 404
    for key in ("supervisor", "office", "admin"):
        client.force_login(district.users[key])
        assert "live-decision-form" in client.get(f"/meetings/{meeting.pk}/live/?n=1").content.decode(), key
    client.logout()
    assert client.get(f"/meetings/{meeting.pk}/live/").status_code == 302
    assert not Decision.objects.exists()
