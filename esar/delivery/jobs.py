"""How delivery's services start background work, without importing the tasks that call them.

The Celery tasks (`esar.delivery.tasks`) are thin wrappers of the services; the services start
them by their names, looked up in Celery's registry (`DeliveryConfig.ready` imports the tasks in
every process, a worker's autodiscovery too), so the imports inside the app go one way only.
Where the work runs is decided here: with a broker on the workers; without one (the embedded
default) on `esar.core.background`'s runner thread; in tests eagerly, at commit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from celery import current_app, group
from django.db import transaction

from esar.core import background

SEND_DELIVERY = "delivery.send"
ISSUE_ACCOUNTS = "delivery.issue_accounts"
ISSUE_PROVINCE_ACCOUNTS = "delivery.issue_province_accounts"


def _task(name: str) -> Any:
    return current_app.tasks[name]


def send_delivery(delivery_id: int) -> None:
    """Send a queued delivery once the caller's transaction commits (retried by the task)."""
    task = _task(SEND_DELIVERY)
    transaction.on_commit(lambda: task.delay(delivery_id))


def issue_accounts(job_id: int) -> None:
    """Run a bulk issuance's job once the caller's transaction commits."""
    background.enqueue(_task(ISSUE_ACCOUNTS), job_id)


def issue_provinces(
    work: Sequence[tuple[int, str, int]], run_here: Callable[[int, str, int], None]
) -> None:
    """Issue the provinces of a bulk issuance, each `(batch id, province code, weight)`.

    With a broker and more than one province, one task per province (a group): every worker
    process takes provinces and the job's own task ends at once. Otherwise `run_here` issues them
    in turn, in this thread: a worker's, or in the embedded default the runner thread of
    `esar.core.background`, which runs every job in turn (SQLite takes one writer at a time).
    """
    if len(work) > 1 and not current_app.conf.task_always_eager:
        group(_task(ISSUE_PROVINCE_ACCOUNTS).s(*item) for item in work).apply_async()
        return
    for item in work:
        run_here(*item)
