"""The daily reminder job for the whole country, on a day that reminds everyone (target < 2 min).

The national seed has no accounts: the fixture adds, in bulk, one school officer per institution,
one LAO officer per LAO and one supervisor per provincial office (unusable passwords, e-mail
addresses), and makes every deadline of 2569 fall on one day, so that on that day every school
owes its SAR and every LAO its synthesis and delivery. The progress rows are built with
`refresh_year`. One run of `send_reminders` is timed, with the e-mails sent through the locmem
backend (the on-commit e-mail tasks are run in-process inside the measured block). All of it
happens inside the test's transaction and is rolled back.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core import mail

from esar.accounts.models import Membership, User
from esar.accounts.roles import Role
from esar.core.models import Notice
from esar.cycles.models import AcademicYear
from esar.monitoring import progress
from esar.monitoring.models import ReminderDigest
from esar.monitoring.reminders.digests import send_reminders
from esar.organizations.models import Institution, LocalAuthority, ProvincialOffice

BATCH = 5000
DEADLINE = dt.date(2027, 3, 31)


def _accounts(prefix: str, role: Role, field: str, keys: list) -> int:
    """One user (unusable password) and membership per organisation key, in bulk."""
    users = User.objects.bulk_create(
        [
            User(
                username=f"{prefix}{key}",
                password=f"{UNUSABLE_PASSWORD_PREFIX}bench",
                email=f"{prefix}{key}@example.org",
            )
            for key in keys
        ],
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, role=role, **{f"{field}_id": key})
            for user, key in zip(users, keys, strict=True)
        ],
        batch_size=BATCH,
    )
    return len(users)


@pytest.fixture
def national_accounts(national_world, db, settings) -> dict[str, float]:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    started = time.perf_counter()
    institutions = list(
        Institution.objects.filter(is_active=True, members__isnull=True).values_list(
            "pk", flat=True
        )
    )
    laos = list(
        LocalAuthority.objects.filter(is_active=True)
        .exclude(members__role=Role.LAO_OFFICER)
        .values_list("pk", flat=True)
    )
    offices = list(
        ProvincialOffice.objects.exclude(members__role=Role.PROVINCE_SUPERVISOR).values_list(
            "pk", flat=True
        )
    )
    made = {
        "school officers": _accounts("rem-s", Role.SCHOOL_OFFICER, "institution", institutions),
        "LAO officers": _accounts("rem-l", Role.LAO_OFFICER, "lao", laos),
        "supervisors": _accounts("rem-p", Role.PROVINCE_SUPERVISOR, "province_office", offices),
    }
    accounts_seconds = time.perf_counter() - started
    # Every deadline of 2569 on one day (the year's rule allows equal dates).
    AcademicYear.objects.filter(pk=2569).update(
        sar_due=DEADLINE, review_due=DEADLINE, synthesis_due=DEADLINE, delivery_due=DEADLINE
    )
    started = time.perf_counter()
    for year in AcademicYear.objects.filter(is_open=True):
        progress.refresh_year(year)
    refresh_seconds = time.perf_counter() - started
    print(
        f"\n[reminder world] accounts {made} in {accounts_seconds:.1f} s; "
        f"progress rows of the open years in {refresh_seconds:.1f} s"
    )
    return {"accounts": accounts_seconds, "refresh": refresh_seconds}


@pytest.mark.benchmark_only
def test_daily_reminders_for_the_whole_country(
    benchmark, national_accounts, django_capture_on_commit_callbacks
):
    outcome: dict = {}

    def run() -> None:
        started = time.perf_counter()
        with django_capture_on_commit_callbacks(execute=True):
            outcome["result"] = send_reminders(day=DEADLINE)
            # The e-mail tasks queued at each batch's commit run when this block ends.
            outcome["digests"] = time.perf_counter() - started

    benchmark.pedantic(run, rounds=1, iterations=1)
    result = outcome["result"]
    seconds = benchmark.stats.stats.max
    digests = ReminderDigest.objects.filter(day=DEADLINE).count()
    print(
        f"\n[send_reminders {DEADLINE}] {result.reminded:,} people reminded and "
        f"{result.supervisors_reminded} supervisors told, {len(mail.outbox):,} e-mails, "
        f"{Notice.objects.filter(recipient__username__startswith='rem-').count():,} notices, "
        f"in {seconds:.1f} s ({outcome['digests']:.1f} s for the digests and notices, the "
        f"rest e-mailing them); by hop {result.counts}"
    )
    assert digests == result.reminded + result.supervisors_reminded
    # Run again the same day: nobody twice.
    again = send_reminders(day=DEADLINE)
    assert again.reminded == 0 and again.supervisors_reminded == 0
