"""National-scale figures: seeding time and the registry lists as a DLA administrator sees them.

Figures are printed (run with -s), not asserted: they are measurements to compare over time.
The seed benchmark comes first in this module so that it measures a seed into an empty registry.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esar.accounts.models import User
from esar.organizations.models import Institution, LocalAuthority


@pytest.mark.benchmark_only
def test_seed_national_wall_time(
    benchmark, seed_national: Callable[[], tuple[float, str]], django_db_blocker
):
    outcome: dict[str, str] = {}

    def seed() -> None:
        outcome["output"] = seed_national()[1]

    benchmark.pedantic(seed, rounds=1, iterations=1)

    seconds = benchmark.stats.stats.max
    note = (
        " (already seeded: this timed a no-op re-run)"
        if "created now: 0 LAOs" in outcome["output"]
        else ""
    )
    with django_db_blocker.unblock():
        laos, institutions = LocalAuthority.objects.count(), Institution.objects.count()
    print(
        f"\n[seed_demo --scale national] {seconds:.1f} s for {laos:,} LAOs and "
        f"{institutions:,} institutions on {connection.vendor}{note}"
    )


def _measure_page(benchmark, client: Client, url: str, label: str) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Read now: every request resets the connection's query log.
    query_count = len(queries.captured_queries)
    assert response.status_code == 200, response.status_code
    benchmark(client.get, url)
    print(
        f"\n[{label}] {url}: {benchmark.stats.stats.mean * 1000:.1f} ms mean server time, "
        f"{query_count} SQL queries, {len(response.content) // 1024} KiB"
    )


@pytest.fixture
def dla_admin_client(national_world, db) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="dla.admin"))
    return client


@pytest.mark.benchmark_only
def test_lao_list_of_the_largest_province(benchmark, dla_admin_client: Client):
    largest = (
        LocalAuthority.objects.values("province")
        .annotate(n=Count("id"))
        .order_by("-n", "province")
        .first()
    )
    url = f"{reverse('organizations:lao_list')}?province={largest['province']}"
    _measure_page(benchmark, dla_admin_client, url, f"LAO list, {largest['n']} LAOs")


@pytest.mark.benchmark_only
def test_institution_list_of_the_whole_country(benchmark, dla_admin_client: Client):
    url = reverse("organizations:institution_list")
    _measure_page(
        benchmark,
        dla_admin_client,
        url,
        f"institution list, {Institution.objects.count():,} institutions",
    )


@pytest.fixture(scope="module")
def national_sars(national_world, django_db_blocker) -> dict[str, float]:
    """One submitted SAR per institution for 2569, seeded once (timed)."""
    from esar.cycles.models import AcademicYear
    from esar.sar.scale import seed_submitted_sars

    with django_db_blocker.unblock():
        started = time.perf_counter()
        created = seed_submitted_sars(AcademicYear.objects.get(pk=2569))
        return {"seconds": time.perf_counter() - started, "created": created}


@pytest.mark.benchmark_only
def test_national_seed_of_one_submitted_sar_per_institution(
    benchmark, national_sars, django_db_blocker
):
    from esar.sar.models import Revision, RevisionRating

    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
    with django_db_blocker.unblock():
        revisions, ratings = Revision.objects.count(), RevisionRating.objects.count()
    print(
        f"\n[seed SARs 2569] {national_sars['created']:,} submitted SARs in "
        f"{national_sars['seconds']:.1f} s ({revisions:,} revisions, {ratings:,} ratings in all)"
    )


@pytest.mark.benchmark_only
def test_sar_list_of_the_largest_province(benchmark, national_sars, dla_admin_client: Client):
    largest = (
        LocalAuthority.objects.values("province")
        .annotate(n=Count("institutions"))
        .order_by("-n", "province")
        .first()
    )
    url = f"{reverse('sar:list')}?year=2569&province={largest['province']}"
    _measure_page(benchmark, dla_admin_client, url, f"SAR list, {largest['n']} institutions")


@pytest.mark.benchmark_only
def test_sar_list_of_the_whole_country(benchmark, national_sars, dla_admin_client: Client):
    url = f"{reverse('sar:list')}?year=2569"
    _measure_page(benchmark, dla_admin_client, url, "SAR list, whole country")
