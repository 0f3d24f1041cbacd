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
