"""Demo deliveries, made through the real services (idempotent).

DLA issues every demo LAO its e-SAR account; each LAO delivered its 2568 SARs and synthesis before
the deadline, and ONESQA acknowledged every other delivery. The e-SAR accounts get the published
demo password (a real issuance shows a random one-time password to DLA instead).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.test.utils import override_settings
from django.utils import timezone

from esar.accounts.models import OneTimePassword, User
from esar.cycles.models import AcademicYear
from esar.delivery import accounts as esar_accounts
from esar.delivery import services
from esar.delivery.models import Delivery
from esar.organizations import demo as registry_demo
from esar.organizations.models import LocalAuthority
from esar.synthesis.models import SynthesisStatus

PAST_YEAR = 2568


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ESAR_DELIVERY_CHANNEL="builtin",
)
def seed_demo_deliveries() -> int:
    """Issue the missing demo e-SAR accounts and deliveries; return how many deliveries."""
    year = AcademicYear.objects.filter(pk=PAST_YEAR).first()
    dla = User.objects.filter(username="dla.admin").first()
    onesqa = User.objects.filter(username="onesqa.reviewer").first()
    if year is None or dla is None or onesqa is None:
        return 0
    demo_hash = make_password(registry_demo.DEMO_PASSWORD)
    laos = LocalAuthority.objects.filter(
        code__in=[lao.code for lao in registry_demo.DEMO_LAOS]
    ).order_by("code")
    created = 0
    for index, lao in enumerate(laos):
        account = esar_accounts.active_account(lao)
        if account is None:
            account = esar_accounts.issue_account(lao=lao, actor=dla).account
            User.objects.filter(pk=account.user_id).update(password=demo_hash)
            # The demo password is the officer's own: no one-time password is pending.
            OneTimePassword.objects.filter(user_id=account.user_id).update(
                replaced_at=timezone.now()
            )
        if Delivery.objects.filter(lao=lao, year=year).exists():
            continue
        if not lao.syntheses.filter(year=year, status=SynthesisStatus.COMPLETE).exists():
            continue
        delivery = services.deliver(lao=lao, year=year, actor=account.user)
        if delivery is None:
            continue
        created += 1
        # Delivered before that year's deadline, as most LAOs do.
        sent = timezone.make_aware(
            dt.datetime.combine(year.delivery_due - dt.timedelta(days=5 + index), dt.time(11, 0))
        )
        Delivery.objects.filter(pk=delivery.pk).update(created_at=sent, delivered_at=sent)
        if index % 2 == 0:
            services.acknowledge(delivery=delivery, actor=onesqa)
            Delivery.objects.filter(pk=delivery.pk).update(
                acknowledged_at=sent + dt.timedelta(days=4)
            )
    return created
