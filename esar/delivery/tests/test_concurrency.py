"""Two clicks at the same moment make one delivery (real transactions, two connections)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from esar.delivery import services
from esar.delivery.models import DeliveredRevision, Delivery
from esar.delivery.tests.conftest import complete_synthesis, send_and_accept
from esar.testing.years import make_year


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite lets one writer in at a time by itself"
)
def test_a_double_click_makes_one_delivery(transactional_world):
    world = transactional_world
    year = make_year(2569)
    send_and_accept(world, year)
    complete_synthesis(world, year)
    actor = services.issue_account(lao=world.cm_city, actor=world.dla_admin).account.user
    start = threading.Barrier(2)
    results: list[object] = []
    errors: list[BaseException] = []

    def click() -> None:
        try:
            start.wait(timeout=10)
            results.append(services.deliver(lao=world.cm_city, year=year, actor=actor))
        except BaseException as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(result is None for result in results) == [False, True]
    assert Delivery.objects.count() == 1
    assert DeliveredRevision.objects.count() == 1
