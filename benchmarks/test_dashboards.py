"""Dashboards on the national seed: refresh of a year's progress rows, then the national dashboard
and the dashboard of the province with most LAOs, as DLA's administrator sees them.

The world: the national registry with one SAR per institution for 2569 (as `test_national.py`
seeds it), half of them accepted (every other SAR, reviewed by dla.admin) so that the
quality-level tallies are filled, then `progress.refresh_year` for 2569 and 2568 (the previous
year of the comparison). Figures are printed (run with -s); only the query counts are compared.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.db.models import Count, F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from esar.accounts.models import User
from esar.cycles.models import AcademicYear
from esar.monitoring import progress
from esar.monitoring.models import InstitutionProgress, LaoProgress
from esar.organizations.models import LocalAuthority


@pytest.fixture(scope="module")
def dashboard_rows(national_world, django_db_blocker) -> dict[str, float]:
    from esar.sar.models import Revision, RevisionStatus, Sar, SarStatus
    from esar.sar.scale import seed_submitted_sars

    with django_db_blocker.unblock():
        year = AcademicYear.objects.get(pk=2569)
        # Every institution without a SAR gets one (the small world's few SARs are kept).
        seed_submitted_sars(year)
        seeder = User.objects.get(username="dla.admin")
        half = (
            Sar.objects.filter(year=year, status=SarStatus.SUBMITTED)
            .annotate(odd=F("pk") % 2)
            .filter(odd=0)
        )
        Revision.objects.filter(pk__in=half.values("current_revision")).update(
            status=RevisionStatus.ACCEPTED, reviewed_at=timezone.now(), reviewed_by=seeder
        )
        half.update(status=SarStatus.ACCEPTED)
        started = time.perf_counter()
        progress.refresh_year(year)
        seconds = time.perf_counter() - started
        previous = AcademicYear.objects.filter(pk=2568).first()
        if previous is not None:
            progress.refresh_year(previous)
        return {
            "seconds": seconds,
            "institutions": InstitutionProgress.objects.filter(year=year).count(),
            "laos": LaoProgress.objects.filter(year=year).count(),
            "sars": Sar.objects.filter(year=year).count(),
            "accepted": Sar.objects.filter(year=year, status=SarStatus.ACCEPTED).count(),
        }


@pytest.fixture
def dla_admin_client(dashboard_rows, db) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="dla.admin"))
    return client


def _queries(client: Client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries), len(response.content)


def _measure(
    benchmark, client: Client, url: str, label: str, compare_url: str, *, same: bool = True
) -> None:
    client.get(url)  # warm up (session, templates)
    queries, size = _queries(client, url)
    small_queries, _size = _queries(client, compare_url)
    benchmark(client.get, url)
    print(
        f"\n[{label}] {url}: {benchmark.stats.stats.mean * 1000:.1f} ms mean server time, "
        f"{queries} SQL queries ({small_queries} for {compare_url}), {size // 1024} KiB"
    )
    if same:
        assert queries == small_queries


@pytest.mark.benchmark_only
def test_refresh_year_of_the_national_seed(benchmark, dashboard_rows):
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
    print(
        f"\n[progress.refresh_year 2569] {dashboard_rows['seconds']:.1f} s for "
        f"{dashboard_rows['institutions']:,} institution rows and {dashboard_rows['laos']:,} "
        f"LAO rows ({dashboard_rows['sars']:,} SARs, {dashboard_rows['accepted']:,} accepted)"
    )


@pytest.mark.benchmark_only
def test_national_dashboard(benchmark, dla_admin_client: Client):
    url = f"{reverse('monitoring:national')}?year=2569"
    # Printed beside 2568 (the small world's few reports): test_dashboards.py asserts equal
    # counts for 1 and 10 LAOs; here an empty level tally would skip the standards' names.
    _measure(benchmark, dla_admin_client, url, "national dashboard", f"{url[:-4]}2568", same=False)


@pytest.mark.benchmark_only
def test_dashboard_of_the_largest_province(benchmark, dla_admin_client: Client):
    by_size = LocalAuthority.objects.values("province").annotate(n=Count("id")).order_by("-n")
    largest, smallest = by_size.first(), by_size.last()
    url = f"{reverse('monitoring:province', args=[largest['province']])}?year=2569"
    small = f"{reverse('monitoring:province', args=[smallest['province']])}?year=2569"
    _measure(benchmark, dla_admin_client, url, f"province dashboard, {largest['n']} LAOs", small)
