"""/healthz answers monitoring without a sign-in; LOG_FORMAT=json writes one JSON object per line."""

import json
import logging

import pytest

from tiaodu.core.logs import JsonFormatter


@pytest.mark.django_db
def test_it_reports_database_queue_and_disk_healthy_without_a_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "queue", "disk"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["disk"]["free_mb"] > 0
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_it_answers_503_naming_the_failing_check_when_the_disk_is_nearly_full(client, settings):
    settings.HEALTH_MIN_FREE_MB = 10**12  # more than any disk has
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["disk"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_it_writes_one_json_object_per_log_line_with_extra_fields_and_the_exception():
    logger = logging.getLogger("tiaodu.test")
    try:
        raise ValueError("坏数据")
    except ValueError:
        record = logger.makeRecord(
            "tiaodu.test",
            logging.ERROR,
            __file__,
            1,
            "导入失败 %s",
            ("台账.xlsx",),
            exc_info=True,
            extra={"user": "office", "rows": 3},
        )
        import sys

        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "导入失败 台账.xlsx"
    assert entry["level"] == "ERROR" and entry["user"] == "office" and entry["rows"] == 3
    assert "ValueError: 坏数据" in entry["exception"]


def _redis_up() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_the_job_queue_on_redis_is_installed_and_checked_with_a_time_out():
    """HUEY_REDIS_URL (the documented set-up at scale) works out of the box: the redis client is installed
    and the queue's connection gets time-outs, so /healthz cannot hang on a Redis that stops answering."""
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from huey.contrib.djhuey import HUEY\n"
        "kw = HUEY.storage.pool.connection_kwargs\n"
        "print(type(HUEY).__name__, kw['socket_timeout'], kw['socket_connect_timeout'])\n"
        "print(Client(HTTP_HOST='127.0.0.1').get('/healthz').json()['checks']['queue']['ok'])\n"
    )
    env = {
        **os.environ,
        "HUEY_REDIS_URL": "redis://127.0.0.1:6379/15",
        "DJANGO_SETTINGS_MODULE": "tiaodu.settings",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["RedisHuey", "5.0", "2.0", "True"]
