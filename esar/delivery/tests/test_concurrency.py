"""Two clicks at the same moment make one delivery (real transactions, two connections)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from esar.delivery import accounts as esar_accounts
from esar.delivery import issuance, services
from esar.delivery.models import DeliveredRevision, Delivery, EsarAccount, IssuanceBatch
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
    actor = esar_accounts.issue_account(lao=world.cm_city, actor=world.dla_admin).account.user
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


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite lets one writer in at a time by itself"
)
def test_two_issuances_of_a_province_at_once_give_each_lao_one_account(transactional_world):
    world = transactional_world
    now = timezone.now()
    batches = [
        IssuanceBatch.objects.create(
            scope=IssuanceBatch.Scope.PROVINCE,
            province=world.chiang_mai,
            started_by=world.dla_admin,
            expires_at=now + timezone.timedelta(days=14),
            provinces_total=1,
        )
        for _ in range(2)
    ]
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def run(target) -> None:
        try:
            start.wait(timeout=10)
            target()
        except BaseException as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(lambda b=batch: issuance.issue_province(b.pk, "50"),))
        for batch in batches
    ]
    # Meanwhile DLA issues one of the province's LAOs by hand.
    threads.append(
        threading.Thread(
            target=run,
            args=(lambda: esar_accounts.issue_account(lao=world.cm_sao, actor=world.dla_admin),),
        )
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    active = EsarAccount.objects.filter(revoked_at__isnull=True)
    assert sorted(active.values_list("lao__code", flat=True)) == ["2500101", "6500102"]
    issued = sorted(IssuanceBatch.objects.values_list("issued_count", flat=True))
    # The first batch issued what was missing (both LAOs, or one if DLA's single issue came
    # first; a single issue after it re-issues that LAO); the second batch found it all done.
    assert issued[0] == 0 and issued[1] in (1, 2)
