"""The pages: register coloured by warning and filterable, item page with timeline and the actions a user
may take, the problem board by ladder level, meetings with decisions turned into items, accountability,
the inbox and its unread count, and who sees what."""

import datetime
import re

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.supervision.conftest import jpeg, make_item

pytestmark = pytest.mark.usefixtures("no_project_warnings")
D = datetime.date
TZ8 = datetime.timezone(datetime.timedelta(hours=8))


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def items(sup):
    return {
        "red": make_item(sup, deadline=D(2026, 5, 20), on=D(2026, 5, 1), title="红牌事项", units=("street",)),
        "yellow": make_item(
            sup, deadline=D(2026, 6, 1), on=D(2026, 5, 1), title="黄牌事项", units=("street",)
        ),
        "none": make_item(sup, deadline=D(2026, 6, 30), on=D(2026, 5, 1), title="正常事项", units=("dept",)),
        "other": make_item(
            sup, deadline=D(2026, 6, 30), on=D(2026, 5, 1), title="泺口街道的事项", units=("street2",)
        ),
    }


@pytest.fixture
def june3():
    with time_machine.travel(datetime.datetime(2026, 6, 3, 9, 0, tzinfo=TZ8), tick=False):
        yield


@pytest.mark.django_db
def test_the_register_colours_rows_by_warning_and_filters(client, sup, items, june3):
    html = page(client, sup.users["supervisor"], "/supervision/")
    rows = dict(re.findall(r'data-warning="(\w+)">.*?>([^<]*事项)</a>', html, re.S))
    assert rows == {"red": "红牌事项", "yellow": "黄牌事项", "none": "泺口街道的事项"} or set(rows) == {
        "red",
        "yellow",
        "none",
    }
    assert 'class="td-row-red"' in html and 'class="td-row-yellow"' in html
    assert "红牌" in html and "黄牌" in html
    html = page(client, sup.users["supervisor"], f"/supervision/?unit={sup.units['dept'].pk}")
    assert "正常事项" in html and "红牌事项" not in html
    html = page(client, sup.users["supervisor"], "/supervision/?warning=red")
    assert "红牌事项" in html and "黄牌事项" not in html
    html = page(client, sup.users["supervisor"], "/supervision/?status=closed")
    assert "没有符合条件的督办事项" in html


@pytest.mark.django_db
def test_a_unit_sees_only_its_items_and_those_of_its_projects(client, sup, items):
    html = page(client, sup.users["street"], "/supervision/")
    assert "红牌事项" in html and "黄牌事项" in html
    assert "泺口街道的事项" not in html and "正常事项" not in html
    project_item = make_item(
        sup, deadline=D(2026, 12, 31), units=("dept",), title="ZD-001的事项", project=sup.project
    )
    html = page(client, sup.users["street"], "/supervision/")
    assert "ZD-001的事项" in html  # street is territorial unit of ZD-001
    client.force_login(sup.users["outsider"])
    assert client.get(f"/supervision/{project_item.pk}/").status_code == 404
    assert client.get(f"/supervision/{items['other'].pk}/").status_code == 200


@pytest.mark.django_db
def test_the_item_page_shows_the_timeline_and_the_right_actions(client, sup):
    from tiaodu.supervision import services

    item = services.item_create(
        user=sup.users["supervisor"],
        photos=[jpeg()],
        data={
            "title": "铁路沿线垃圾死角",
            "content": "堆积建筑垃圾约20立方米",
            "source": "inspection",
            "location": "堤口路与铁路交叉口",
            "deadline": D(2026, 12, 31),
            "assignee_units": [sup.units["street"]],
        },
    )
    html = page(client, sup.users["street"], f"/supervision/{item.pk}/")
    assert "报送办理进展" in html and "提交办结申请" in html and "确认办结" not in html
    assert "堤口路与铁路交叉口" in html and "/supervision/photos/" in html
    client.post(f"/supervision/{item.pk}/feedback/", {"text": "已调派2台挖掘机"})
    response = client.post(f"/supervision/{item.pk}/request-close/", {"text": "已清运完毕"})
    assert response.status_code == 400
    assert "巡查发现的事项申请办结须上传整改后的现场照片" in response.content.decode()
    response = client.post(
        f"/supervision/{item.pk}/request-close/", {"text": "已清运完毕", "photos": [jpeg("after.jpg")]}
    )
    assert response.status_code == 302
    html = page(client, sup.users["supervisor"], f"/supervision/{item.pk}/")
    assert "确认办结" in html and "退回" in html and "已调派2台挖掘机" in html
    client.force_login(sup.users["admin"])
    assert client.post(f"/supervision/{item.pk}/confirm-close/", {}).status_code == 403
    client.force_login(sup.users["supervisor"])
    assert client.post(f"/supervision/{item.pk}/confirm-close/", {"text": "核查属实"}).status_code == 302
    html = page(client, sup.users["street"], f"/supervision/{item.pk}/")
    assert "已办结" in html and "确认办结" in html and "核查属实" in html and "提交办结申请" not in html


@pytest.mark.django_db
def test_the_item_form_assigns_and_names_errors(client, sup):
    client.force_login(sup.users["supervisor"])
    response = client.post(
        "/supervision/new/",
        {"title": "", "source": "inspection", "content": "x", "deadline": "2026-12-31", "location": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "请修改标红的内容" in html
    response = client.post(
        "/supervision/new/",
        {
            "title": "拆除违建",
            "source": "instruction",
            "content": "按王区长批示",
            "deadline": "2026-12-31",
            "assignee_units": [sup.units["street"].pk],
        },
    )
    assert response.status_code == 302
    client.force_login(sup.users["street"])
    assert client.get("/supervision/new/").status_code == 403


@pytest.mark.django_db
def test_the_problem_board_puts_problems_in_their_ladder_column(client, sup):
    from tiaodu.supervision import services
    from tiaodu.supervision.models import Problem

    low = services.problem_raise(
        user=sup.users["street"], project=sup.project, type="funding", description="资金缺口500万"
    )
    high = services.problem_raise(
        user=sup.users["hq"], project=sup.project, type="land", description="用地指标不足"
    )
    Problem.objects.filter(pk=high.pk).update(level=4)
    html = page(client, sup.users["leader"], "/problems/")
    columns = re.findall(r'data-level="(\d)">(.*?)</section>', html, re.S)
    content = {level: body for level, body in columns}
    assert "资金缺口500万" in content["1"] and "用地指标不足" in content["4"]
    assert "区主要领导" in html and "市级" in html
    html = page(client, sup.users["street"], f"/problems/{low.pk}/")
    assert "提请牵头指挥部协调" in html and "标记为已解决" in html
    response = client.post(f"/problems/{low.pk}/escalate/", {"escalate-text": ""})
    assert response.status_code == 400 and "请说明在本层级已做的工作" in response.content.decode()
    response = client.post(f"/problems/{low.pk}/escalate/", {"escalate-text": "已向区财政局申请"})
    assert response.status_code == 302
    html = page(client, sup.users["dept"], f"/problems/{low.pk}/")  # supporting unit: sees, cannot handle
    assert "已向区财政局申请" in html and "标记为已解决" not in html
    client.force_login(sup.users["outsider"])
    assert client.get(f"/problems/{low.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_meeting_decision_becomes_an_item_in_one_step(client, sup, june3):
    from tiaodu.supervision import services

    meeting = services.meeting_create(user=sup.users["supervisor"], data={"date": D(2026, 6, 4)})
    html = page(client, sup.users["supervisor"], f"/meetings/{meeting.pk}/")
    assert "议程（平台生成）" in html and "滞后项目" in html and "超期督办事项" in html
    response = client.post(
        f"/meetings/{meeting.pk}/decisions/",
        {
            "new-content": "区建设局6月底前完成管线迁改",
            "new-make_item": "on",
            "new-assignee_units": [sup.units["dept"].pk],
            "new-deadline": "2026-05-30",
        },
    )
    assert response.status_code == 400
    assert "办结时限不能早于交办日期（2026年6月3日）" in response.content.decode()
    response = client.post(
        f"/meetings/{meeting.pk}/decisions/",
        {
            "new-content": "区建设局6月底前完成管线迁改",
            "new-make_item": "on",
            "new-assignee_units": [sup.units["dept"].pk],
            "new-deadline": "2026-06-30",
        },
    )
    assert response.status_code == 302
    html = page(client, sup.users["supervisor"], f"/meetings/{meeting.pk}/")
    assert "督办事项" in html and "区建设局6月底前完成管线迁改" in html
    decision = meeting.decisions.get()
    assert decision.item.source == "meeting" and decision.item.meeting == meeting
    # A decision recorded without an item can be turned into one later, from its row.
    client.post(f"/meetings/{meeting.pk}/decisions/", {"new-content": "泺口街道加快清表"})
    later = meeting.decisions.get(item__isnull=True)
    response = client.post(
        f"/meetings/decisions/{later.pk}/item/",
        {f"d{later.pk}-assignee_units": [sup.units["street2"].pk], f"d{later.pk}-deadline": "2026-07-15"},
    )
    later.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/supervision/{later.item.pk}/"
    html = page(client, sup.users["outsider"], "/inbox/")
    assert "新督办事项：泺口街道加快清表" in html


@pytest.mark.django_db
def test_the_inbox_counts_unread_and_opening_marks_read(client, sup):
    from tiaodu.supervision.context_processors import inbox_unread

    item = make_item(sup, deadline=D(2026, 12, 31), title="整治少年路")
    request = RequestFactory().get("/")
    request.user = sup.users["street"]
    assert inbox_unread(request) == {"inbox_unread": 1}
    html = render_to_string("supervision/_inbox_badge.html", inbox_unread(request))
    assert 'id="td-inbox-unread">1<' in html
    html = page(client, sup.users["street"], "/inbox/")
    assert "1 条未读" in html and "新督办事项：整治少年路" in html
    note = sup.users["street"].notifications.get()
    response = client.post(f"/inbox/{note.pk}/open/")
    assert response["Location"] == f"/supervision/{item.pk}/"
    assert inbox_unread(request) == {"inbox_unread": 0}
    client.force_login(sup.users["outsider"])
    assert client.post(f"/inbox/{note.pk}/open/").status_code == 404


@pytest.mark.django_db
def test_accountability_register_and_the_unit_page_include(client, sup, items):
    from tiaodu.supervision import selectors

    client.force_login(sup.users["supervisor"])
    response = client.post(
        "/accountability/new/",
        {
            "measure": "criticism",
            "unit": sup.units["street"].pk,
            "reason": "督办事项超期亮红牌",
            "items": [items["red"].pk],
            "decision_date": "2026-06-20",
            "decided_by": "区委督查室",
        },
    )
    assert response.status_code == 302
    html = page(client, sup.users["street"], "/accountability/")
    assert "通报批评" in html and "督办事项超期亮红牌" in html and "红牌事项" in html
    assert "暂无问责记录" in page(client, sup.users["outsider"], "/accountability/")
    client.force_login(sup.users["leader"])
    assert client.get("/accountability/new/").status_code == 403
    records = selectors.unit_accountability(user=sup.users["leader"], unit=sup.units["street"])
    html = render_to_string(
        "supervision/_unit_accountability.html",
        {"unit": sup.units["street"], "accountability_records": records},
    )
    assert "通报批评" in html and "2026年6月20日" in html


@pytest.mark.django_db
def test_the_settings_page_is_for_managers_and_the_supervision_office(client, sup):
    client.force_login(sup.users["street"])
    assert client.get("/supervision/settings/").status_code == 403
    html = page(client, sup.users["supervisor"], "/supervision/settings/")
    assert "责任单位办理时限" in html and "群机器人" in html
    response = client.post(
        "/supervision/settings/",
        {
            "limit_unit": 3,
            "limit_hq": 5,
            "limit_leader": 5,
            "limit_principal": 10,
            "red_after_days": 5,
            "reminder_days": 2,
        },
    )
    assert response.status_code == 302
    from tiaodu.supervision.models import SupervisionConfig

    assert SupervisionConfig.current().limits()[1] == 3
    response = client.post(
        "/supervision/settings/",
        {
            "limit_unit": 0,
            "limit_hq": 5,
            "limit_leader": 5,
            "limit_principal": 10,
            "red_after_days": 5,
            "reminder_days": 2,
        },
    )
    assert response.status_code == 400
