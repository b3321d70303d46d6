"""Issuing e-SAR accounts to every LAO of the country, with every province's letters and list.

The national registry (7,850 LAOs) is seeded once per session (see conftest.py). The issuance
runs as it does in deployment: the page's service queues the job on the Redis broker, and a real
Celery worker (`celery -A config worker --concurrency 2`, prefork, on the session's test
database) takes the job, which fans out one task per province. The figure is the wall time from `issuance.start` to the job's end, for
accounts, one-time passwords, audit events, the PDF letters and the Excel lists of every province.

Use a Redis database of your own (ESAR_TEST_REDIS_URL): the worker takes whatever is queued there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.core.files.storage import default_storage
from django.db import connection
from pypdf import PdfReader

from config.celery import app
from esar.accounts.models import OneTimePassword, User
from esar.core.models import AuditEvent, Job
from esar.delivery import issuance
from esar.delivery.models import EsarAccount, IssuanceBatch
from esar.organizations.models import LocalAuthority

REDIS_URL = os.environ.get("ESAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WORKER_PROCESSES = 2
TARGET_SECONDS = 60


@pytest.fixture
def worker(django_db_setup, settings, tmp_path) -> Iterator[Path]:
    """`celery worker --concurrency 2` on the session's test database, as deployed."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"no Redis broker at {REDIS_URL}: start Redis or set ESAR_TEST_REDIS_URL")
    assert app.conf.broker_url == REDIS_URL
    redis.Redis.from_url(REDIS_URL).flushdb()
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "CELERY_BROKER_URL": REDIS_URL,
        "ESAR_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                str(WORKER_PROCESSES),
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while b" ready." not in log.read_bytes():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        app.conf.task_always_eager = False
        yield log
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        errors = [line for line in log.read_text().splitlines() if "ERROR" in line]
        if errors:
            print("\n".join(errors[:20]))


@pytest.mark.benchmark_only
def test_issuing_every_lao_of_the_country_with_the_letters(
    national_world, django_db_blocker, worker, benchmark
):
    with django_db_blocker.unblock():
        dla = User.objects.get(username="dla.admin")
        active = LocalAuthority.objects.filter(is_active=True).count()
        before = EsarAccount.objects.filter(revoked_at__isnull=True).count()
        outcome: dict[str, IssuanceBatch] = {}

        def issue() -> None:
            # Committed at once, so the job is queued on the broker right away.
            batch = issuance.start(actor=dla, province=None)
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                job = Job.objects.get(pk=batch.job_id)
                if job.is_finished:
                    break
                time.sleep(0.2)
            outcome["batch"] = IssuanceBatch.objects.get(pk=batch.pk)

        cpu = time.process_time()
        benchmark.pedantic(issue, rounds=1, iterations=1)
        seconds = benchmark.stats.stats.max

        batch = outcome["batch"]
        job = Job.objects.get(pk=batch.job_id)
        assert job.status == Job.Status.SUCCEEDED, job.errors
        assert job.percent == 100
        parts = list(batch.provinces.all())
        pages = sum(
            len(PdfReader(default_storage.open(part.pdf_path, "rb")).pages) for part in parts
        )
        pdf_bytes = sum(part.pdf_size for part in parts)
        accounts = EsarAccount.objects.filter(revoked_at__isnull=True).count()
        # Every active LAO has exactly one account; every new one has its letter and password.
        assert accounts == active
        assert batch.issued_count == active - before == pages
        assert OneTimePassword.objects.filter(user__esar_accounts__batch=batch).count() == pages
        assert (
            AuditEvent.objects.filter(action="esar_account.issued", data__batch=batch.pk).count()
            == pages
        )
        # What the provinces' tasks spent, summed over both worker processes.
        spent = re.findall(r"accounts in ([\d.]+) s, documents in ([\d.]+) s", worker.read_text())
        accounts_seconds = sum(float(a) for a, _d in spent)
        documents_seconds = sum(float(d) for _a, d in spent)
        print(
            f"\n[e-SAR issuance, whole country] province tasks spent {accounts_seconds:.1f} s "
            f"on accounts and {documents_seconds:.1f} s on documents (summed over processes)"
        )
        print(
            f"[e-SAR issuance, whole country] {seconds:.1f} s for {batch.issued_count:,} accounts "
            f"({before:,} LAOs already had one), {len(parts)} provinces, {pages:,} PDF pages "
            f"({pdf_bytes / 1024 / 1024:.1f} MiB) and {len(parts)} Excel lists; Celery worker "
            f"with {WORKER_PROCESSES} processes on {os.cpu_count()} CPUs "
            f"(this process: {time.process_time() - cpu:.1f} s CPU); "
            f"load average now {os.getloadavg()[0]:.1f}"
        )
        # A figure, not a test (see README): the machine is shared, its load is printed.
        verdict = "met" if seconds < TARGET_SECONDS else "NOT met"
        print(f"[e-SAR issuance, whole country] target < {TARGET_SECONDS} s: {verdict}")
