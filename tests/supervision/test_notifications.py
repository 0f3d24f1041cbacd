"""Notifications reach a real HTTP server on 127.0.0.1 (DingTalk with its signature, WeCom), failed
deliveries are retried with backoff and logged, and the inbox copy exists whatever happens."""

import base64
import datetime
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from tests.supervision.conftest import make_item

pytestmark = pytest.mark.usefixtures("no_project_warnings")
SECRET = "SEC0123456789abcdef"


class Robot:
    """A group robot: records every POST; answers with the scripted replies, then 200 {"errcode": 0}."""

    def __init__(self):
        self.requests: list[dict] = []
        self.replies: list[tuple[int, dict]] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                parsed = urllib.parse.urlparse(self.path)
                robot.requests.append(
                    {
                        "path": parsed.path,
                        "query": urllib.parse.parse_qs(parsed.query),
                        "content_type": self.headers.get("Content-Type"),
                        "json": json.loads(body.decode("utf-8")),
                    }
                )
                code, answer = (
                    robot.replies.pop(0) if robot.replies else (200, {"errcode": 0, "errmsg": "ok"})
                )
                data = json.dumps(answer).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/robot/send?access_token=abc"):
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the services hand over after the commit (sending through the job queue), as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def robot():
    r = Robot()
    yield r
    r.close()


def _expected_sign(timestamp: str) -> str:
    digest = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@pytest.mark.django_db
def test_it_posts_a_signed_dingtalk_message_for_the_assignee_units_robot(sup, robot, commit):
    from tiaodu.supervision.models import Delivery, WebhookEndpoint

    WebhookEndpoint.objects.create(
        name="北园街道工作群", unit=sup.units["street"], kind="dingtalk", url=robot.url(), secret=SECRET
    )
    WebhookEndpoint.objects.create(
        name="泺口街道工作群", unit=sup.units["street2"], kind="dingtalk", url=robot.url("/other")
    )
    with commit():
        item = make_item(sup, deadline=datetime.date(2026, 12, 31), title="拆除违建彩钢棚")
    assert len(robot.requests) == 1  # only the assignee's robot; sent after the commit through the job queue
    request = robot.requests[0]
    assert request["path"] == "/robot/send"
    assert request["content_type"].startswith("application/json")
    assert request["json"]["msgtype"] == "text"
    content = request["json"]["text"]["content"]
    assert content.startswith("【调度平台】新督办事项：拆除违建彩钢棚")
    assert f"/supervision/{item.pk}/" in content
    timestamp = request["query"]["timestamp"][0]
    assert abs(int(timestamp) / 1000 - timezone.now().timestamp()) < 60
    assert request["query"]["sign"][0] == _expected_sign(timestamp)
    assert request["query"]["access_token"] == ["abc"]
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.status == "sent" and delivery.attempts == 1
    assert delivery.log.get().ok


@pytest.mark.django_db
def test_it_posts_to_global_robots_from_the_settings_including_a_wecom_one(sup, robot, settings, commit):
    settings.NOTIFY_WEBHOOK_URLS = [
        robot.url("/cgi-bin/webhook/send?key=wecom"),
        f"{robot.url('/robot/send?access_token=global')}|{SECRET}",
    ]
    with commit():
        make_item(sup, deadline=datetime.date(2026, 12, 31))
    by_path = {r["path"]: r for r in robot.requests}
    assert set(by_path) == {"/cgi-bin/webhook/send", "/robot/send"}
    assert "sign" not in by_path["/cgi-bin/webhook/send"]["query"]
    signed = by_path["/robot/send"]["query"]
    assert signed["sign"][0] == _expected_sign(signed["timestamp"][0])
    assert by_path["/cgi-bin/webhook/send"]["json"] == by_path["/robot/send"]["json"]


@pytest.mark.django_db
def test_a_failing_endpoint_is_retried_with_backoff_and_then_succeeds(sup, robot, commit):
    from tiaodu.supervision import services
    from tiaodu.supervision.delivery import BACKOFF_MINUTES
    from tiaodu.supervision.models import Delivery, Notification, WebhookEndpoint

    WebhookEndpoint.objects.create(name="全局群", kind="wecom", url=robot.url("/cgi-bin/webhook/send?key=k"))
    robot.replies = [(500, {"error": "boom"}), (200, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    with commit():
        item = make_item(sup, deadline=datetime.date(2026, 12, 31))
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.last_error == "HTTP 500"
    # The inbox copy is there although the robot failed.
    assert Notification.objects.filter(recipient=sup.users["street"], title__contains=item.title).exists()
    first_retry = delivery.next_attempt_at
    assert (first_retry - delivery.log.get().at) == datetime.timedelta(minutes=BACKOFF_MINUTES[0])

    # Before the retry time the sweep leaves it alone; at the retry time it tries again.
    summary = services.sweep(now=first_retry - datetime.timedelta(seconds=30))
    assert summary.notifications_failed == 0 and len(robot.requests) == 1
    summary = services.sweep(now=first_retry)
    delivery.refresh_from_db()
    assert summary.notifications_failed == 1  # HTTP 200 but errcode 93000 is a failure too
    assert delivery.attempts == 2 and delivery.status == "pending"
    assert "errcode=93000" in delivery.last_error
    summary = services.sweep(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert summary.notifications_sent >= 1 and summary.notifications_failed == 0
    assert delivery.status == "sent" and delivery.attempts == 3
    assert [a.ok for a in delivery.log.all()] == [False, False, True]
    assert len(robot.requests) == 3
    assert {r["json"]["text"]["content"] for r in robot.requests} == {delivery.content}
    # Nothing left to send: the same moment again sends nothing.
    assert services.sweep(now=delivery.next_attempt_at).notifications_sent == 0


@pytest.mark.django_db
def test_it_gives_up_after_the_last_attempt_and_keeps_the_log(sup, robot, commit):
    from tiaodu.supervision import delivery as sender
    from tiaodu.supervision.models import Delivery, WebhookEndpoint

    WebhookEndpoint.objects.create(name="全局群", kind="wecom", url=robot.url("/dead"))
    robot.replies = [(500, {})] * sender.MAX_ATTEMPTS
    with commit():
        make_item(sup, deadline=datetime.date(2026, 12, 31))
    d = Delivery.objects.get(channel="webhook")
    while d.status == "pending":
        sender.send_due(now=d.next_attempt_at)
        d.refresh_from_db()
    assert d.status == "failed" and d.attempts == sender.MAX_ATTEMPTS
    assert d.log.count() == sender.MAX_ATTEMPTS


@pytest.mark.django_db
def test_an_unreachable_robot_is_a_logged_failure_not_an_error(sup, commit):
    from tiaodu.supervision.models import Delivery, Notification, WebhookEndpoint

    WebhookEndpoint.objects.create(
        name="全局群", kind="dingtalk", url="http://127.0.0.1:9/robot/send?access_token=x"
    )
    with commit():
        make_item(sup, deadline=datetime.date(2026, 12, 31))
    d = Delivery.objects.get(channel="webhook")
    assert d.status == "pending" and d.last_error.startswith("连接失败")
    assert Notification.objects.filter(recipient=sup.users["street"]).exists()


@pytest.mark.django_db
def test_it_emails_the_people_concerned(sup, commit):
    with commit():
        make_item(
            sup,
            deadline=datetime.date(2026, 12, 31),
            title="整治铁路沿线垃圾",
            responsible_person=sup.people["street"],
        )
    assert [m.to for m in mail.outbox] == [["street@tiaodu.example"]]
    assert mail.outbox[0].subject == "新督办事项：整治铁路沿线垃圾"
    assert "办结时限：2026年12月31日" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_sweep_with_many_events_sends_one_digest_per_person_and_robot(sup, robot):
    from tiaodu.supervision import services
    from tiaodu.supervision.models import Notification, WebhookEndpoint

    WebhookEndpoint.objects.create(
        name="北园街道工作群", unit=sup.units["street"], kind="wecom", url=robot.url("/s")
    )
    for i in range(12):
        make_item(sup, deadline=datetime.date(2026, 4, 30), on=datetime.date(2026, 4, 1), title=f"事项{i}")
    robot.requests.clear()
    mail.outbox.clear()
    Notification.objects.all().delete()
    services.sweep(now=timezone.make_aware(datetime.datetime(2026, 5, 1, 7, 0)))
    inbox = Notification.objects.filter(recipient=sup.users["street"])
    assert inbox.count() == 1
    assert inbox.get().title == "督查督办提醒：共12条"
    assert len([m for m in mail.outbox if m.to == ["street@tiaodu.example"]]) == 1
    assert len(robot.requests) == 1
    assert "共12条" in robot.requests[0]["json"]["text"]["content"]
