"""Webhooks never reach this machine or the internal network unless allowed, and never follow redirects."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError

from tiaodu.core.outbound import OutboundRefused, check_url
from tiaodu.supervision import delivery
from tiaodu.supervision.services import webhooks


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/robot",
        "http://localhost/robot",
        "http://[::1]/robot",
        "http://10.1.2.3/robot",
        "http://172.16.0.5/robot",
        "http://192.168.1.10/robot",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/robot",
        "http://0.0.0.0/robot",
        "http://[fe80::1]/robot",
    ],
)
def test_it_refuses_internal_addresses_by_default(url):
    with pytest.raises(OutboundRefused, match="不允许向内部网络地址发送"):
        check_url(url, resolve=False)


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "file:///etc/passwd", "http:///nohost", "gopher://1.1.1.1"]
)
def test_it_refuses_what_is_not_an_http_address(url):
    with pytest.raises(OutboundRefused, match="http:// 或 https://"):
        check_url(url, resolve=False)


def test_it_lets_a_public_address_and_the_allowed_internal_ones_through():
    check_url("https://8.8.8.8/robot/send", resolve=False)
    check_url("http://127.0.0.1:9000/robot", allow=["127.0.0.1"], resolve=False)
    check_url("http://10.20.30.40/robot", allow=["10.20.0.0/16"], resolve=False)
    check_url("http://localhost/robot", allow=["localhost"], resolve=False)
    with pytest.raises(OutboundRefused):
        check_url("http://10.21.30.40/robot", allow=["10.20.0.0/16"], resolve=False)


@pytest.mark.django_db
def test_it_refuses_to_save_a_robot_on_this_machine_unless_allowed(district, settings):
    settings.NOTIFY_WEBHOOK_ALLOW = []
    data = {"name": "内网群", "kind": "wecom", "url": "http://127.0.0.1:9/cgi-bin/webhook/send?key=k"}
    with pytest.raises(ValidationError) as exc:
        webhooks.webhook_create(user=district.users["office"], data=data)
    assert "不允许向内部网络地址发送" in exc.value.message_dict["url"][0]
    settings.NOTIFY_WEBHOOK_ALLOW = ["127.0.0.1"]
    assert webhooks.webhook_create(user=district.users["office"], data=data).pk


@pytest.fixture
def server():
    """A real server on 127.0.0.1: /redirect answers 302 to /target; every request is recorded."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server API
            seen.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path.startswith("/redirect"):
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.1:{self.server.server_port}/target")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b'{"errcode": 0}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", seen
    httpd.shutdown()
    httpd.server_close()


def test_it_does_not_send_to_this_machine_by_default(server, settings):
    base, seen = server
    settings.NOTIFY_WEBHOOK_ALLOW = []
    with pytest.raises(delivery.DeliveryError, match="不允许向内部网络地址发送"):
        delivery.post_webhook(f"{base}/robot", "测试")
    assert seen == []


def test_it_does_not_follow_a_redirect(server, settings):
    base, seen = server
    settings.NOTIFY_WEBHOOK_ALLOW = ["127.0.0.1"]
    assert delivery.post_webhook(f"{base}/robot", "测试") == "HTTP 200"
    with pytest.raises(delivery.DeliveryError, match="HTTP 302"):
        delivery.post_webhook(f"{base}/redirect", "测试")
    assert seen == ["/robot", "/redirect"]
