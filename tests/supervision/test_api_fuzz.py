"""Malformed input to every supervision endpoint and action: a 4xx, never a 500."""

import json

import pytest
from rest_framework.test import APIClient

from tests.supervision.conftest import make_item

pytestmark = pytest.mark.usefixtures("no_project_warnings")

WEIRD = [
    None,
    "",
    " ",
    "x" * 5000,
    "\x00",
    "北园\x00街道",
    -1,
    0,
    2**63,
    10**30,
    1.5,
    1e308,
    True,
    [],
    [None],
    [1, "a", None, {}],
    {},
    {"a": [1]},
    "NaN",
    "2026-02-30",
    "２０２６",
    "ZD-001",
    "北园街道",
    "<script>",
]
RAW = [b"{", b"null", b"1", b"[]", b"\xff\xfe\x00", b'{"text": "\\ud800"}', b"[" * 5000 + b"]" * 5000]


@pytest.fixture
def targets(sup):
    from tiaodu.supervision import services

    item = make_item(sup, deadline=__import__("datetime").date(2026, 12, 31))
    problem = services.problem_raise(user=sup.users["hq"], project=sup.project, type="land", description="x")
    meeting = services.meeting_create(user=sup.users["supervisor"], data={"date": item.deadline})
    return [
        (
            "/api/v1/supervision-items/",
            {
                "title": "t",
                "content": "c",
                "assignee_unit": "北园街道",
                "deadline": "2026-12-31",
                "source": "other",
                "project": "ZD-001",
                "responsible_person": None,
                "meeting": meeting.pk,
                "location": "",
            },
        ),
        (f"/api/v1/supervision-items/{item.pk}/feedback/", {"text": "进展"}),
        (f"/api/v1/supervision-items/{item.pk}/send-back/", {"reason": "理由"}),
        (
            "/api/v1/problems/",
            {"project": "ZD-001", "type": "land", "description": "d", "owner_unit": "区建设局"},
        ),
        ("/api/v1/problems/from-report/", {"report": 1, "type": "other"}),
        (f"/api/v1/problems/{problem.pk}/escalate/", {"text": "已做工作"}),
        ("/api/v1/meetings/", {"date": "2026-06-01", "chair": None, "attendees": [], "title": ""}),
        (
            f"/api/v1/meetings/{meeting.pk}/decisions/",
            {"content": "决定", "item": {"assignee_unit": "北园街道", "deadline": "2026-12-31"}},
        ),
        (
            "/api/v1/accountability-records/",
            {
                "measure": "interview",
                "unit": "北园街道",
                "reason": "r",
                "decision_date": "2026-06-01",
                "decided_by": "督查室",
                "items": [item.pk],
                "problems": [problem.pk],
            },
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["supervisor", "street"])
def test_it_never_answers_500_to_a_weird_field_value(sup, targets, key):
    client = APIClient()
    client.force_authenticate(sup.users[key])
    for url, valid in targets:
        for field in [*valid, "unknown"]:
            for value in WEIRD:
                response = client.post(
                    url, json.dumps({**valid, field: value}), content_type="application/json"
                )
                assert response.status_code < 500, (url, field, value, response.content[:300])
        for raw in RAW:
            response = client.generic("POST", url, raw, content_type="application/json")
            assert response.status_code == 400 or (key == "street" and response.status_code in (403, 404)), (
                url,
                raw[:20],
                response.status_code,
            )
        response = client.generic(
            "POST", url, b"--x\r\nbroken", content_type="multipart/form-data; boundary=x"
        )
        assert response.status_code < 500


@pytest.mark.django_db
def test_it_never_answers_500_to_weird_urls_and_queries(sup, targets):
    client = APIClient()
    client.force_authenticate(sup.users["supervisor"])
    for query in (
        "?page=abc",
        "?warning=purple",
        "?unit=abc",
        "?unit=999999",
        "?status=x",
        "?meeting=abc",
        "?project=%00",
        "?q=%00",
        "?unread=maybe",
        "?level=9",
    ):
        for url in (
            "/api/v1/supervision-items/",
            "/api/v1/problems/",
            "/api/v1/notifications/",
            "/api/v1/accountability-records/",
        ):
            assert client.get(url + query).status_code < 500, (url, query)
    for url in (
        "/api/v1/supervision-items/abc/",
        "/api/v1/problems/99999999999999999999/",
        "/api/v1/meetings/0/decisions/",
        "/api/v1/supervision-items/1/confirm-close/x",
    ):
        assert client.get(url).status_code < 500
        assert client.post(url, {}, format="json").status_code < 500
