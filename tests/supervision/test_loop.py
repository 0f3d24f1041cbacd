"""The closed loop: a supervision item made from a problem (or from a meeting decision about it) is linked
to it; when the 督查室 confirms the last open linked item closed, the problem is resolved with the item's
closing note, stops rising and leaves the briefing's section 六."""

import datetime
import io
import zoneinfo

import docx
import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.supervision.conftest import make_item

TZ8 = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2026, 6, 1)  # a Monday
DEADLINE = datetime.date(2026, 6, 30)


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, 0, tzinfo=TZ8), tick=False) as traveller:
        yield traveller


@pytest.fixture
def problem(sup, frozen):
    from tiaodu.supervision import services

    return services.problem_raise(
        user=sup.users["street"],
        project=sup.project,
        type="demolition",
        description="北园大街12号院2户拒绝搬迁\n补偿标准分歧较大",
    )


def _item(sup, problem, **extra):
    return make_item(
        sup, deadline=DEADLINE, on=DAY, problem=problem, title=extra.pop("title", "做通12号院2户工作")
    )


def _close(sup, item, result="2户已签约搬迁", confirm="经现场核实，已腾空"):
    from tiaodu.supervision import services

    services.item_request_close(user=sup.users["street"], item=item, text=result)
    return services.item_confirm_close(user=sup.users["supervisor"], item=item, text=confirm)


# --- the link -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_item_made_from_a_problem_is_linked_and_the_problem_says_so(sup, problem):
    item = make_item(sup, deadline=DEADLINE, on=DAY, problem=problem, title="做通12号院2户工作")
    assert item.problem == problem
    assert item.project == sup.project  # taken from the problem when the item names none
    event = problem.events.get(kind="item_assigned")
    assert event.get_kind_display() == "立为督办事项"
    assert (
        event.text
        == f"立为督办事项「做通12号院2户工作」（{item.number}），承办单位：北园街道，办结时限：2026年6月30日"
    )
    assert event.user == sup.users["supervisor"]


@pytest.mark.django_db
def test_an_item_cannot_be_made_for_a_resolved_problem_or_another_project(sup, problem):
    from tiaodu.supervision import services

    with pytest.raises(ValidationError) as exc:
        make_item(sup, deadline=DEADLINE, on=DAY, problem=problem, project=sup.other)
    assert exc.value.message_dict["problem"] == [
        "关联难题属于项目「北园大街道路拓宽及两侧整治」，与所属项目「小清河综合治理」不一致"
    ]
    services.problem_resolve(user=sup.users["street"], problem=problem, text="已协商一致")
    with pytest.raises(ValidationError) as exc:
        _item(sup, problem)
    assert exc.value.message_dict["problem"] == [
        "难题「北园大街12号院2户拒绝搬迁」已解决，不能再立为督办事项"
    ]


@pytest.mark.django_db
def test_a_decision_about_a_problem_gives_its_item_the_problem(sup, problem):
    from tiaodu.supervision import services

    meeting = services.meeting_create(user=sup.users["supervisor"], data={"date": DAY})
    decision = services.decision_add(
        user=sup.users["supervisor"], meeting=meeting, content="北园街道两周内做通2户工作", problem=problem
    )
    item = services.decision_to_item(
        user=sup.users["supervisor"],
        decision=decision,
        data={"assignee_units": [sup.units["street"]], "deadline": DEADLINE},
        on=DAY,
    )
    decision.refresh_from_db()
    assert (item.problem, item.meeting, item.source, item.project) == (
        problem,
        meeting,
        "meeting",
        sup.project,
    )
    assert decision.problem == problem and decision.item == item
    # A decision recorded without a problem takes the one its item names.
    other = services.decision_add(user=sup.users["supervisor"], meeting=meeting, content="再议")
    services.decision_to_item(
        user=sup.users["supervisor"],
        decision=other,
        data={"assignee_units": [sup.units["street"]], "deadline": DEADLINE, "problem": problem},
        on=DAY,
    )
    other.refresh_from_db()
    assert other.problem == problem and other.item.problem == problem


# --- the resolution -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_confirming_the_item_closed_resolves_the_problem_with_its_closing_note(sup, problem):
    from tiaodu.supervision.models import Notification

    item = _item(sup, problem)
    _close(sup, item)
    problem.refresh_from_db()
    note = f"督办事项「做通12号院2户工作」（{item.number}）经督查室确认办结。\n办理结果：2户已签约搬迁\n确认意见：经现场核实，已腾空"
    assert (problem.status, problem.resolution, problem.resolved_on) == ("resolved", note, DAY)
    resolved = problem.events.get(kind="resolved")
    assert (resolved.text, resolved.user, resolved.from_level) == (note, sup.users["supervisor"], 1)
    on_item = item.events.get(kind="problem_resolved")
    assert on_item.text == "关联难题「北园大街12号院2户拒绝搬迁」随本事项办结标记为已解决"
    assert [e.kind for e in item.events.order_by("at", "id")][-2:] == ["closed", "problem_resolved"]
    # The one who raised it hears, as when a problem is resolved by hand.
    assert Notification.objects.filter(
        recipient=sup.users["street"], title="难题已解决：北园大街12号院2户拒绝搬迁"
    ).exists()


@pytest.mark.django_db
def test_an_item_sent_back_leaves_the_problem_open(sup, problem):
    from tiaodu.supervision import services

    item = _item(sup, problem)
    services.item_request_close(user=sup.users["street"], item=item, text="已签约")
    services.item_send_back(user=sup.users["supervisor"], item=item, reason="尚未腾空")
    problem.refresh_from_db()
    assert problem.status == "open" and not problem.resolution
    assert list(problem.events.values_list("kind", flat=True)) == ["raised", "item_assigned"]


@pytest.mark.django_db
def test_the_problem_is_resolved_when_the_last_of_its_items_closes(sup, problem):
    first = _item(sup, problem, title="做通12号院2户工作")
    second = _item(sup, problem, title="落实补偿资金")
    _close(sup, first, result="2户已签约", confirm="")
    problem.refresh_from_db()
    assert problem.status == "open"
    waiting = problem.events.get(kind="feedback")
    assert waiting.text == (
        f"督办事项「做通12号院2户工作」（{first.number}）经督查室确认办结。\n办理结果：2户已签约\n"
        "尚有1项关联督办事项在办理中，全部办结后难题随之解决。"
    )
    assert not first.events.filter(kind="problem_resolved").exists()
    _close(sup, second, result="资金已拨付", confirm="")
    problem.refresh_from_db()
    assert problem.status == "resolved"
    assert (
        problem.resolution
        == f"督办事项「落实补偿资金」（{second.number}）经督查室确认办结。\n办理结果：资金已拨付"
    )
    assert problem.events.filter(kind="resolved").count() == 1
    assert second.events.filter(kind="problem_resolved").count() == 1


@pytest.mark.django_db
def test_a_problem_resolved_by_hand_is_not_resolved_again_when_its_item_closes(sup, problem):
    from tiaodu.supervision import services

    item = _item(sup, problem)
    services.problem_resolve(user=sup.users["street"], problem=problem, text="双方已协商一致")
    _close(sup, item)
    problem.refresh_from_db()
    assert (problem.status, problem.resolution) == ("resolved", "双方已协商一致")
    assert problem.events.filter(kind="resolved").count() == 1
    assert not item.events.filter(kind="problem_resolved").exists()
    assert item.status == "closed"


@pytest.mark.django_db
def test_a_problem_resolved_by_its_item_no_longer_rises(sup, problem, frozen, no_project_warnings):
    from tiaodu.supervision import services
    from tiaodu.supervision.models import Problem

    other = services.problem_raise(
        user=sup.users["street"], project=sup.project, type="funding", description="征收资金缺口"
    )
    _close(sup, _item(sup, problem))
    later = datetime.datetime(2026, 7, 20, 10, 0, tzinfo=TZ8)  # weeks past every ladder limit
    frozen.move_to(later)
    services.sweep(now=later, deliver=False)
    problem.refresh_from_db()
    assert (problem.level, problem.status) == (1, "resolved")
    assert not problem.events.filter(kind="auto_escalated").exists()
    assert Problem.objects.get(pk=other.pk).level > 1  # the unlinked open one rose as before


# --- the API --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_shows_and_takes_the_problem_of_an_item(sup, problem, api):
    import json

    from tiaodu.supervision.models import SupervisionItem

    plain = make_item(sup, deadline=DEADLINE, on=DAY)
    client = api("supervisor")
    assert client.get(f"/api/v1/supervision-items/{plain.pk}/").json()["problem"] is None
    created = client.post(
        "/api/v1/supervision-items/",
        {
            "title": "做通12号院2户工作",
            "content": "两周内",
            "source": "instruction",
            "assignee_unit": "北园街道",
            "deadline": "2026-06-30",
            "problem": problem.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["problem"] == problem.pk and body["project"]["code"] == "ZD-001"
    item = SupervisionItem.objects.get(pk=body["id"])
    listed = {row["id"]: row["problem"] for row in client.get("/api/v1/supervision-items/").json()["results"]}
    assert listed == {plain.pk: None, item.pk: problem.pk}
    assert client.get(f"/api/v1/problems/{problem.pk}/").json()["items"] == [item.pk]
    bad = client.post(
        "/api/v1/supervision-items/",
        {
            "title": "x",
            "content": "x",
            "assignee_unit": "北园街道",
            "deadline": "2026-06-30",
            "problem": 999999,
        },
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["problem"] == ["难题「999999」不存在或您无权查看"]
    client.post(f"/api/v1/supervision-items/{item.pk}/request-close/", {"text": "已签约"}, format="json")
    street = api("street")
    assert (
        street.post(
            f"/api/v1/supervision-items/{item.pk}/request-close/", {"text": "已签约"}, format="json"
        ).status_code
        == 200
    )
    closed = client.post(
        f"/api/v1/supervision-items/{item.pk}/confirm-close/", {"text": "属实"}, format="json"
    )
    assert closed.status_code == 200
    assert "problem_resolved" in [e["kind"] for e in closed.json()["timeline"]]
    assert client.get(f"/api/v1/problems/{problem.pk}/").json()["status"] == "resolved"
    schema = json.loads(client.get("/api/schema/?format=json").content)
    field = schema["components"]["schemas"]["Item"]["properties"]["problem"]
    assert (
        field["type"] == "integer"
        and field["nullable"] is True
        and "关联难题" in field.get("title", "") + field.get("description", "")
    )


# --- the whole loop through the pages -------------------------------------------------------------


def _briefing_text(as_of) -> str:
    """The generated Word briefing's text in reading order (paragraphs and table rows)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from tiaodu.briefings.services import briefing_generate
    from tiaodu.core.actors import SYSTEM

    result = briefing_generate(as_of=as_of, user=SYSTEM)
    document = docx.Document(io.BytesIO(result.docx.file.read()))
    lines = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            lines.append(Paragraph(child, document).text)
        elif child.tag.endswith("}tbl"):
            lines.extend(" | ".join(c.text for c in row.cells) for row in Table(child, document).rows)
    return "\n".join(lines)


def _section_six(text: str) -> str:
    start = text.index("七、需区级领导协调解决的问题")
    rest = text[start + 1 :]
    end = min((rest.index(m) for m in ("八、", "九、") if m in rest), default=len(rest))
    return text[start : start + 1 + end]


@pytest.mark.django_db
def test_the_loop_problem_decision_item_feedback_confirmation_resolved_and_gone_from_the_briefing(
    client, sup, frozen, no_project_warnings
):
    from tiaodu.supervision.models import Decision, Meeting, Problem, SupervisionItem

    def as_user(key):
        client.force_login(sup.users[key])
        return client

    # A problem raised by the street, taken up the ladder to 分管区领导.
    as_user("street").post(
        "/problems/new/",
        {
            "project": sup.project.pk,
            "type": "demolition",
            "description": "北园大街12号院2户拒绝搬迁，补偿标准分歧较大",
        },
    )
    problem = Problem.objects.get()
    as_user("street").post(f"/problems/{problem.pk}/escalate/", {"escalate-text": "已入户协商3次"})
    as_user("hq").post(f"/problems/{problem.pk}/escalate/", {"escalate-text": "指挥部协调未果"})
    problem.refresh_from_db()
    assert problem.level == 3
    assert "北园大街12号院2户拒绝搬迁" in _section_six(_briefing_text(DAY))

    # The meeting decides about it, and the decision becomes an item.
    supervisor = as_user("supervisor")
    supervisor.post("/meetings/new/", {"date": DAY.isoformat()})
    meeting = Meeting.objects.get()
    page = supervisor.get(f"/meetings/{meeting.pk}/?problem={problem.pk}").content.decode()
    assert f'<option value="{problem.pk}" selected>' in page  # 作出决定 from the agenda names the problem
    response = supervisor.post(
        f"/meetings/{meeting.pk}/decisions/",
        {
            "new-content": "北园街道两周内做通12号院2户工作，区建设局配合",
            "new-problem": problem.pk,
            "new-make_item": "on",
            "new-title": "做通12号院2户工作",
            "new-assignee_units": [sup.units["street"].pk],
            "new-deadline": "2026-06-15",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    item = SupervisionItem.objects.get()
    assert decision.problem == problem and decision.item == item and item.problem == problem
    meeting_page = supervisor.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "关于难题" in meeting_page and problem.title in meeting_page

    # The item and the problem show each other.
    item_page = supervisor.get(f"/supervision/{item.pk}/").content.decode()
    assert "关联难题" in item_page and f"/problems/{problem.pk}/" in item_page
    problem_page = supervisor.get(f"/problems/{problem.pk}/").content.decode()
    assert f"/supervision/{item.pk}/" in problem_page and "立为督办事项" in problem_page

    # Feedback, the close request, the 督查室's confirmation.
    street = as_user("street")
    assert street.post(f"/supervision/{item.pk}/feedback/", {"text": "已入户2次"}).status_code == 302
    assert street.post(f"/supervision/{item.pk}/request-close/", {"text": "2户已签约搬迁"}).status_code == 302
    problem.refresh_from_db()
    assert problem.status == "open"
    assert (
        as_user("supervisor")
        .post(f"/supervision/{item.pk}/confirm-close/", {"text": "经核实属实"})
        .status_code
        == 302
    )

    problem.refresh_from_db()
    assert problem.status == "resolved"
    assert "办理结果：2户已签约搬迁" in problem.resolution and "确认意见：经核实属实" in problem.resolution
    problem_page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "已解决" in problem_page and "办理结果：2户已签约搬迁" in problem_page
    item_page = client.get(f"/supervision/{item.pk}/").content.decode()
    assert "关联难题已解决" in item_page

    # Gone from the next briefing's section 六.
    frozen.move_to(datetime.datetime(2026, 6, 8, 10, 0, tzinfo=TZ8))
    six = _section_six(_briefing_text(datetime.date(2026, 6, 8)))
    assert "北园大街12号院2户拒绝搬迁" not in six
    assert "目前没有上报至分管区领导及以上层级的问题。" in six
