"""Bulk issuance of e-SAR accounts: every active LAO of a province, or of the country, at once.

DLA starts a batch (`start`); a background job then issues, province by province
(`issue_province`), an account to each active LAO that has no active one: the user esar<code>
(created, or reused when it is already that LAO's), its membership, the `EsarAccount`, a
one-time password (`OneTimePassword`, expiring when the policy says) and an audit event each,
all with bulk inserts, and writes the province's letters (PDF) and list (Excel) in the same
transaction. The passwords exist in clear only in the issuing process's memory and in those
files. An LAO that has an active account is left alone: running a batch again issues nothing
new, and re-issuing one LAO (its officer changed) stays `accounts.issue_account`. The accounts
are made by `accounts.issue_in_bulk`, the files by `esar.delivery.distribution`.

Concurrency: a province is issued under row locks on its active LAOs (SELECT … FOR UPDATE,
in primary-key order), the same lock `accounts.issue_account` takes on one LAO. A second batch
covering the same province waits for the first to commit, then finds the accounts and skips
them; the partial unique constraint `esar_account_one_active_per_lao` stays as the last guard
(a violation rolls the province back rather than being ignored).

Speed: with a broker, the national job fans out one Celery task per province (a group), so
every worker process takes provinces; without one (the embedded default) the job runs on
`esar.core.background`'s runner thread and issues the provinces one after the other
(`esar.delivery.jobs.issue_provinces`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Least
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from esar.accounts import onetime
from esar.accounts.models import User
from esar.core import audit, jobs
from esar.core.models import Job
from esar.core.notices import notify
from esar.delivery import distribution
from esar.delivery import jobs as delivery_jobs
from esar.delivery.accounts import issue_in_bulk, require_issuer
from esar.delivery.models import EsarAccount, IssuanceBatch, IssuanceProvince
from esar.helpdesk.services import current_contact
from esar.organizations.models import LocalAuthority, Province

logger = logging.getLogger(__name__)

ISSUANCE_JOB_KIND = "esar_accounts_issuance"
ISSUANCE_FAILED = gettext_noop(
    "The issuance stopped on an unexpected error in at least one province; nothing was issued "
    "there. Start it again: it issues only what is missing."
)


# --- What a batch would do ------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceCount:
    code: str
    name: str
    active: int  # active LAOs
    with_account: int  # of which with an active e-SAR account

    @property
    def to_issue(self) -> int:
        return self.active - self.with_account


def province_counts(province: Province | None = None) -> list[ProvinceCount]:
    """Per province (one GROUP BY): active LAOs and how many have an active account."""
    laos = LocalAuthority.objects.filter(is_active=True)
    if province is not None:
        laos = laos.filter(province=province)
    rows = (
        laos.values("province_id", "province__name_th")
        .annotate(
            active=Count("pk", distinct=True),
            with_account=Count(
                "esar_accounts__lao_id",
                filter=Q(esar_accounts__revoked_at__isnull=True),
                distinct=True,
            ),
        )
        .order_by("province_id")
    )
    return [
        ProvinceCount(
            code=row["province_id"],
            name=row["province__name_th"],
            active=row["active"],
            with_account=row["with_account"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Plan:
    province: Province | None
    provinces: list[ProvinceCount]

    @property
    def active(self) -> int:
        return sum(row.active for row in self.provinces)

    @property
    def to_issue(self) -> int:
        return sum(row.to_issue for row in self.provinces)

    @property
    def with_account(self) -> int:
        return sum(row.with_account for row in self.provinces)


def plan(*, actor: User, province: Province | None = None) -> Plan:
    """How many LAOs a batch for `province` (None: the whole country) would give an account."""
    require_issuer(actor)
    return Plan(province=province, provinces=province_counts(province))


# --- Starting a batch -----------------------------------------------------------------------


def _scope_label(province: Province | None) -> str:
    # Stored with the job and shown as its file name: in the starter's language.
    if province is None:
        return _("e-SAR accounts, the whole country")
    return _("e-SAR accounts, province %(name)s") % {"name": province.name}


def start(*, actor: User, province: Province | None = None, ip: str | None = None) -> IssuanceBatch:
    """Queue a batch for a province or the country; the same batch again while one is under way."""
    require_issuer(actor)
    scope = IssuanceBatch.Scope.NATIONAL if province is None else IssuanceBatch.Scope.PROVINCE
    now = timezone.now()
    with transaction.atomic():
        under_way = (
            IssuanceBatch.objects.select_for_update()
            .filter(
                scope=scope,
                province=province,
                finished_at__isnull=True,
                job__status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
            )
            .first()
        )
        if under_way is not None:
            return under_way
        job = jobs.create_job(
            kind=ISSUANCE_JOB_KIND,
            user=actor,
            input_name=_scope_label(province),
            params={"province": province.code if province is not None else ""},
        )
        batch = IssuanceBatch.objects.create(
            scope=scope,
            province=province,
            started_by=actor,
            job=job,
            created_at=now,
            expires_at=onetime.expiry_from(now),
        )
        audit.record(
            action="esar_account.issuance_started",
            actor=actor,
            obj=batch,
            data={"scope": scope, "province": province.code if province is not None else None},
            ip_address=ip,
        )
        # Without a broker the embedded runner thread runs it, once the batch is committed.
        delivery_jobs.issue_accounts(job.pk)
    return batch


# --- Running a batch ------------------------------------------------------------------------


def run(job_id: int) -> None:
    """The job's body: list the provinces with LAOs to issue, then issue them (fanned out)."""
    batch = IssuanceBatch.objects.select_related("province").get(job_id=job_id)
    counts = province_counts(batch.province)
    todo = sorted(
        (row for row in counts if row.to_issue > 0),
        key=lambda row: (-row.to_issue, row.code),  # the largest first: workers finish together
    )
    # Provinces with nothing to issue are not visited: their LAOs are counted as skipped here.
    IssuanceBatch.objects.filter(pk=batch.pk).update(
        provinces_total=len(todo),
        skipped_count=sum(row.with_account for row in counts if row.to_issue == 0),
    )
    jobs.set_progress(
        job_id,
        done=0,
        total=2 * sum(row.to_issue for row in todo),
        stage=_("Issuing the accounts and writing the letters"),
    )
    if not todo:
        _finish(batch.pk)
        return
    delivery_jobs.issue_provinces(
        [(batch.pk, row.code, row.to_issue) for row in todo], issue_province_safely
    )


def issue_province_safely(batch_id: int, province_code: str, weight: int) -> None:
    """`issue_province`, and on an unexpected error the job fails while the others go on."""
    try:
        issue_province(batch_id, province_code, weight)
    except Exception:
        logger.exception("e-SAR issuance %s failed for province %s", batch_id, province_code)
        job_id = IssuanceBatch.objects.filter(pk=batch_id).values_list("job_id", flat=True).first()
        if job_id:
            jobs.finish_job(
                job_id,
                errors=[{"msgid": ISSUANCE_FAILED, "params": {}, "message": ISSUANCE_FAILED}],
            )
        with transaction.atomic():
            _, created = IssuanceProvince.objects.get_or_create(
                batch_id=batch_id, province_id=province_code, defaults={"failed": True}
            )
            if created:
                _tally(batch_id, issued=0, skipped=0)


def issue_province(batch_id: int, province_code: str, weight: int = 0) -> IssuanceProvince | None:
    """Issue the accounts of one province of a batch and write its documents, in one transaction.

    Returns None when the province was already done in this batch (a task delivered twice).
    """
    batch = IssuanceBatch.objects.select_related("started_by").get(pk=batch_id)
    saved: list[str] = []
    try:
        with transaction.atomic():
            if IssuanceProvince.objects.filter(
                batch_id=batch_id, province_id=province_code
            ).exists():
                return None
            province = Province.objects.get(pk=province_code)
            laos = list(
                LocalAuthority.objects.select_for_update()
                .filter(province_id=province_code, is_active=True)
                .order_by("pk")
            )
            with_account = set(
                EsarAccount.objects.filter(
                    lao__province_id=province_code, revoked_at__isnull=True
                ).values_list("lao_id", flat=True)
            )
            todo = [lao for lao in laos if lao.pk not in with_account]
            started = time.perf_counter()
            letters, conflicts = issue_in_bulk(todo, batch=batch)
            issued_in = time.perf_counter() - started
            part = IssuanceProvince(
                batch=batch,
                province=province,
                issued=len(letters),
                skipped=len(laos) - len(todo),
                conflicts=conflicts,
            )
            if letters:
                distribution.write_documents(part, letters, current_contact(), saved)
            logger.info(
                "e-SAR issuance %s, province %s: %s accounts in %.2f s, documents in %.2f s",
                batch_id,
                province_code,
                part.issued,
                issued_in,
                time.perf_counter() - started - issued_in,
            )
            part.save()
            last = _tally(batch_id, issued=part.issued, skipped=part.skipped)
    except Exception:
        for path in saved:  # the transaction is gone: so must its files be
            default_storage.delete(path)
        raise
    if batch.job_id:
        Job.objects.filter(pk=batch.job_id, status=Job.Status.RUNNING).update(
            progress_done=Least(F("progress_done") + 2 * weight, F("progress_total")),
            stage=_("%(province)s: %(count)s accounts and letters")
            % {"province": province.name_th, "count": part.issued},
        )
    if last:
        _finish(batch_id)
    return part


def _tally(batch_id: int, *, issued: int, skipped: int) -> bool:
    """Count one province done; True for the last one (which finishes the batch)."""
    with transaction.atomic():
        batch = IssuanceBatch.objects.select_for_update().get(pk=batch_id)
        IssuanceBatch.objects.filter(pk=batch_id).update(
            provinces_done=F("provinces_done") + 1,
            issued_count=F("issued_count") + issued,
            skipped_count=F("skipped_count") + skipped,
        )
        return batch.provinces_done + 1 >= batch.provinces_total


def _finish(batch_id: int) -> None:
    """Close the batch: its audit event, the job's result, a notice to whoever started it."""
    with transaction.atomic():
        batch = (
            IssuanceBatch.objects.select_for_update(of=("self",))
            .select_related("started_by", "province")
            .get(pk=batch_id)
        )
        if batch.finished_at is not None:
            return
        batch.finished_at = timezone.now()
        batch.save(update_fields=["finished_at"])
        parts = list(batch.provinces.all())
        conflicts = [conflict for part in parts for conflict in part.conflicts]
        failed = [part.province_id for part in parts if part.failed]
        audit.record(
            action="esar_account.batch_issued",
            actor=batch.started_by,
            obj=batch,
            data={
                "scope": batch.scope,
                "province": batch.province_id,
                "issued": batch.issued_count,
                "skipped": batch.skipped_count,
                "provinces": [part.province_id for part in parts if part.issued],
                "conflicts": conflicts,
                "failed_provinces": failed,
            },
        )
        url = reverse("delivery:issuance_batch", args=[batch.pk])
        if batch.job_id:
            jobs.finish_job(
                batch.job_id,
                result={
                    "batch": batch.pk,
                    "url": url,
                    "note": gettext_noop(
                        "The letters and lists are on the issuance's page. Delete them there "
                        "once they are handed over: they hold the passwords in clear."
                    ),
                    "facts": [
                        {"label": gettext_noop("Accounts issued"), "value": batch.issued_count},
                        {
                            "label": gettext_noop("LAOs that already had an account"),
                            "value": batch.skipped_count,
                        },
                        {
                            "label": gettext_noop("Usernames taken by another account"),
                            "value": len(conflicts),
                        },
                        {"label": gettext_noop("Issuance"), "value": f"#{batch.pk}"},
                    ],
                },
            )
        notify(
            users=[batch.started_by],
            title=_("e-SAR accounts issued: %(count)s") % {"count": batch.issued_count},
            body=_("The letters and lists to hand over are ready."),
            url=url,
        )


def fail_unexpectedly(job_id: int) -> None:
    """The job itself (not one province) stopped: it fails, and the batch is closed."""
    jobs.finish_job(
        job_id, errors=[{"msgid": ISSUANCE_FAILED, "params": {}, "message": ISSUANCE_FAILED}]
    )
    IssuanceBatch.objects.filter(job_id=job_id, finished_at__isnull=True).update(
        finished_at=timezone.now()
    )
