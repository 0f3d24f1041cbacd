"""`GET /healthz`: is this instance able to serve — database, job queue, disk. For load balancers and
monitoring: no sign-in, no session, nothing about the data; 200 when every check passes, else 503."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from huey.contrib.djhuey import HUEY


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        result = {"ok": True, **check()}
    except Exception as exc:  # any failure of the dependency is the answer, not an error of this page
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _queue() -> dict:
    return {"pending": HUEY.pending_count()}


def _disk() -> dict:
    free_mb = min(
        shutil.disk_usage(Path(p)).free for p in (settings.MEDIA_ROOT, settings.VAR_DIR) if Path(p).exists()
    ) // (1024 * 1024)
    if free_mb < settings.HEALTH_MIN_FREE_MB:
        raise OSError("low disk space")
    return {"free_mb": free_mb}


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _timed(_database), "queue": _timed(_queue), "disk": _timed(_disk)}
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503)
