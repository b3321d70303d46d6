"""Benchmarks run only when asked for (`make bench`), on one national-scale database per session.

The national registry is seeded once, outside any test transaction, into the session's test
database; every benchmark reads it, and pytest-django drops the database at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from io import StringIO

import pytest
from django.core.management import call_command

SKIP_REASON = (
    "benchmark: run with `make bench` "
    "(pytest benchmarks -p no:xdist -m benchmark_only --benchmark-only -s)"
)
# Measured first, into an empty registry: pytest-django would otherwise run the tests that use
# the `db` fixture (and seed through `national_world`) before it.
RUN_FIRST = frozenset({"test_seed_national_wall_time"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip benchmarks in the ordinary test run unless they were asked for; seed first."""
    items.sort(key=lambda item: getattr(item, "originalname", item.name) not in RUN_FIRST)
    asked = config.getoption("benchmark_only", default=False) or "benchmark_only" in (
        config.getoption("markexpr", default="") or ""
    )
    if asked:
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if item.get_closest_marker("benchmark_only"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker) -> Iterator[None]:
    """The test database, always: pytest-django creates it only when a collected test asks for
    `db`, and a benchmark run filtered to the seed or the uploads asks for none."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="session")
def seed_national(django_db_setup, django_db_blocker) -> Callable[[], tuple[float, str]]:
    """Run `seed_demo --scale national` in the session database; returns (seconds, output)."""

    def run() -> tuple[float, str]:
        out = StringIO()
        with django_db_blocker.unblock():
            started = time.perf_counter()
            call_command("seed_demo", "--scale", "national", stdout=out)
            return time.perf_counter() - started, out.getvalue()

    return run


@pytest.fixture(scope="session")
def national_world(
    django_db_setup, django_db_blocker, seed_national: Callable[[], tuple[float, str]]
) -> Iterator[None]:
    """The small world's personas plus the national registry (a no-op if already seeded)."""
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=StringIO())
    seconds, output = seed_national()
    if "created now: 0 LAOs" not in output:
        print(f"\n[national world seeded by fixture in {seconds:.1f} s]")
    yield
