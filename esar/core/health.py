"""/healthz: is this instance able to serve? For load balancers and monitoring; no login.

Checks the database (SELECT 1), the file storage (write, read back, delete) and, when one is
configured, the Celery broker. 200 when every configured check passes, 503 otherwise. Errors are
reported by exception class only: messages can carry hosts or credentials.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2
_PROBE = b"e-SAR health probe"

Check = dict[str, Any]


def check_database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    if row is None or row[0] != 1:
        return {"status": "error", "error": "unexpected answer to SELECT 1"}
    return {"status": "ok", "vendor": connection.vendor}


def check_storage() -> Check:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(_PROBE))
    try:
        with default_storage.open(name, "rb") as stored:
            content = stored.read()
    finally:
        default_storage.delete(name)
    if content != _PROBE:
        return {"status": "error", "error": "the file read back differs from the file written"}
    return {"status": "ok"}


def check_broker() -> Check:
    url = settings.CELERY_BROKER_URL
    if not url:
        return {"status": "not configured", "mode": "in-process"}
    from kombu import Connection

    with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS
        )
        return {"status": "ok", "transport": conn.transport_cls}


def _run(name: str, check: Callable[[], Check]) -> Check:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:
        logger.warning("Health check %s failed", name, exc_info=True)
        result = {"status": "error", "error": type(exc).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_database,
    "storage": check_storage,
    "broker": check_broker,
}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {name: _run(name, check) for name, check in CHECKS.items()}
    healthy = all(result["status"] != "error" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
