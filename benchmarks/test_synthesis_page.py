"""The synthesis page of an LAO with 40 institutions: server time and a query count that does
not grow with the institutions (compared with an LAO of 10). Printed, not asserted in time."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.test_synthesis_exports import _accepted_sars, _province, _registry, _year
from esar.accounts.roles import Role
from esar.accounts.services import create_account


def _officer(lao, name: str):
    return create_account(
        username=name,
        password=None,
        role=Role.LAO_OFFICER,
        organization=lao,
        first_name="Bench",
        email=f"{name}@example.org",
        validate=False,
    )


@pytest.mark.benchmark_only
def test_synthesis_page_of_an_lao_with_40_institutions(benchmark, db):
    year = _year()
    small_province, large_province = _province("97"), _province("98")
    (small,) = _registry(small_province, 1, 10)
    (large,) = _registry(large_province, 1, 40)
    _accepted_sars(year, [small_province, large_province])
    counts = {}
    clients = {}
    for lao, name in ((small, "bench.small"), (large, "bench.large")):
        client = Client()
        client.force_login(_officer(lao, name))
        url = reverse("synthesis:detail", args=[lao.pk, year.year])
        client.get(url)  # warm the session and the template cache
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200
        counts[name] = len(queries)
        clients[name] = (client, url)
    client, url = clients["bench.large"]
    benchmark(client.get, url)
    assert counts["bench.small"] == counts["bench.large"], counts
    print(
        f"\n[synthesis page, 40 institutions] {benchmark.stats.stats.mean * 1000:.1f} ms mean "
        f"server time; {counts['bench.large']} queries (10 institutions: "
        f"{counts['bench.small']})"
    )
