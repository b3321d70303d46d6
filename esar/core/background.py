"""The embedded mode's background runner: long work leaves the request without a broker.

Without CELERY_BROKER_URL (`make run`, SQLite) a job is handed, once its row is committed, to
one worker thread of the web process. The request returns at once and the job page shows the
job queued, running with its progress, then finished, as with a broker. One thread runs the jobs
one after the other: SQLite takes one writer at a time. Tests run tasks eagerly instead
(ESAR_JOBS_IN_BACKGROUND is off there) unless a test turns the runner on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None


def enabled() -> bool:
    """Whether long work goes to the in-process runner (the embedded default, not with a broker)."""
    return bool(getattr(settings, "ESAR_JOBS_IN_BACKGROUND", False))


def _runner() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="esar-jobs")
        return _executor


def _run(function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    close_old_connections()
    try:
        function(*args)
    except Exception:
        # The job's own body records its failure on the job; this only keeps the thread alive.
        logger.exception("background work %r failed", getattr(function, "name", function))
    finally:
        # The thread's connections must not outlive the work (SQLite: release the file).
        connections.close_all()


def submit(function: Callable[..., Any], *args: Any) -> Future[None]:
    """Run `function(*args)` on the runner thread, now (the caller has committed what it needs)."""
    return _runner().submit(_run, function, args)


def enqueue(task: Any, *args: Any) -> None:
    """Start a Celery task once the caller's transaction commits.

    With a broker a worker runs it; in the embedded mode the runner thread does; in tests
    (runner off, no broker) it runs eagerly at commit, as before.
    """
    if enabled():
        transaction.on_commit(lambda: submit(task, *args))
    else:
        transaction.on_commit(lambda: task.delay(*args))


def wait_until_idle(timeout: float | None = None) -> None:
    """Return once everything submitted before this call has run (the runner keeps the order)."""
    _runner().submit(lambda: None).result(timeout=timeout)
