"""Reads of deliveries, scoped to the person asking (outside their part of the hierarchy → 404).

The LAO, its province and DLA see the deliveries of their part (Perm.DELIVERY_VIEW); ONESQA sees
every delivery that reached e-SAR (Perm.ONESQA_INBOX), and through a delivery only what it holds:
never a draft, never a revision that was not delivered. The reads of e-SAR accounts and their
bulk issuances are in `esar.delivery.account_selectors`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from esar.accounts.models import User
from esar.accounts.permissions import Perm, has_perm
from esar.accounts.scoping import get_visible_or_404, visible
from esar.accounts.types import RequestUser
from esar.assessments.selectors import target_group_filter
from esar.cycles.models import AcademicYear
from esar.delivery import accounts, services
from esar.delivery.models import (
    AssessmentNote,
    DeliveredRevision,
    DeliveredSynthesis,
    Delivery,
    DeliveryStatus,
    EsarAccount,
)
from esar.organizations.models import Institution, LocalAuthority
from esar.sar.models import Revision, Sar, SarStatus
from esar.standards.models import Standard
from esar.synthesis.models import Synthesis, SynthesisVersion


class DeliveryCountFields(TypedDict):
    """What `deliveries_for` annotates: the SARs a delivery holds, its synthesis version's number."""

    sar_count: int
    synthesis_number: int | None


if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import WithAnnotations

    DeliveryWithCounts: TypeAlias = WithAnnotations[Delivery, DeliveryCountFields]


def can_view(user: RequestUser) -> bool:
    return has_perm(user, Perm.DELIVERY_VIEW) or has_perm(user, Perm.ONESQA_INBOX)


def is_onesqa(user: RequestUser) -> bool:
    return has_perm(user, Perm.ONESQA_INBOX)


def _404_unless(condition: bool) -> None:
    if not condition:
        raise Http404


def deliveries_for(user: User) -> QuerySet[DeliveryWithCounts]:
    """Deliveries the user may see, with what a list shows, in a fixed number of queries."""
    if not can_view(user):
        # Empty: no row to carry the annotations.
        return cast("QuerySet[DeliveryWithCounts]", Delivery.objects.none())
    deliveries = Delivery.objects.all()
    if not has_perm(user, Perm.DELIVERY_VIEW):
        # ONESQA: only what reached e-SAR.
        deliveries = deliveries.filter(status=DeliveryStatus.DELIVERED)
    synthesis_number = DeliveredSynthesis.objects.filter(delivery=OuterRef("pk")).values(
        "synthesis_version__number"
    )[:1]
    return (
        visible(user, deliveries)
        .select_related("lao__province", "year", "account__user", "acknowledged_by")
        .annotate(
            sar_count=Count("revisions", distinct=True),
            synthesis_number=Subquery(synthesis_number),
        )
    )


def delivery_for(user: User, pk: int) -> Delivery:
    _404_unless(can_view(user))
    try:
        return get_visible_or_404(user, deliveries_for(user), pk=pk)
    except OverflowError as exc:  # SQLite, for an id beyond 64 bits
        raise Http404 from exc


def filter_deliveries(
    deliveries: QuerySet[Delivery],
    *,
    year: AcademicYear | None = None,
    province: str | None = None,
    lao: str | None = None,
    target_group: bool | None = None,
) -> QuerySet[Delivery]:
    """The filters of the inbox, the delivery list and the API, defined once.

    `target_group` needs a year (a target group belongs to one): deliveries holding at least one
    SAR of an institution in (or, with False, out of) that year's target group.
    """
    if year is not None:
        deliveries = deliveries.filter(year=year)
    if province:
        deliveries = deliveries.filter(lao__province_id=province)
    if lao:
        deliveries = deliveries.filter(lao__code=lao)
    if target_group is not None:
        if year is None:
            return deliveries.none()
        condition = target_group_filter(year, "revision__sar__institution")
        held = DeliveredRevision.objects.filter(delivery=OuterRef("pk")).filter(
            condition if target_group else ~condition
        )
        deliveries = deliveries.filter(Exists(held))
    return deliveries


# --- One delivery --------------------------------------------------------------------------------


@dataclass
class DeliveredSar:
    delivered: DeliveredRevision
    revision: Revision
    institution: Institution
    in_target_group: bool | None = None


def delivered_sars(delivery: Delivery) -> list[DeliveredSar]:
    rows = (
        DeliveredRevision.objects.filter(delivery=delivery)
        .select_related("revision__sar__institution", "revision__reviewed_by")
        .order_by("revision__sar__institution__code")
    )
    return [DeliveredSar(row, row.revision, row.revision.sar.institution) for row in rows]


def delivered_synthesis(delivery: Delivery) -> SynthesisVersion | None:
    row = (
        DeliveredSynthesis.objects.filter(delivery=delivery)
        .select_related("synthesis_version__synthesis__lao", "synthesis_version__completed_by")
        .first()
    )
    return row.synthesis_version if row else None


def delivered_revision_for(user: User, delivery: Delivery, revision_pk: int) -> DeliveredRevision:
    """A revision the delivery holds (anything else, a draft included, is a 404)."""
    try:
        return DeliveredRevision.objects.select_related(
            "revision__sar__institution__lao",
            "revision__sar__year",
            "revision__document",
            "revision__submitted_by",
            "revision__reviewed_by",
        ).get(delivery=delivery, revision_id=revision_pk)
    except (DeliveredRevision.DoesNotExist, OverflowError) as exc:
        raise Http404 from exc


def notes_for(user: User, delivered: DeliveredRevision) -> list[AssessmentNote] | None:
    """ONESQA's notes on a delivered SAR; None for everyone else (they never see them)."""
    if not is_onesqa(user):
        return None
    return list(
        visible(user, AssessmentNote.objects.filter(delivered_revision=delivered))
        .select_related("author")
        .order_by("created_at", "pk")
    )


def issues_for_reading(version: SynthesisVersion) -> list[dict[str, Any]]:
    """The frozen issues with the numbers of their standards and names of their institutions."""
    issues = version.issues if isinstance(version.issues, list) else []
    standard_ids = {sid for issue in issues for sid in issue.get("standards", [])}
    institution_ids = {iid for issue in issues for iid in issue.get("institutions", [])}
    standards = Standard.objects.select_related("standard_set").in_bulk(standard_ids)
    institutions = Institution.objects.in_bulk(institution_ids)
    return [
        {
            "text": issue.get("text", ""),
            "standards": [
                f"{standards[sid].standard_set.get_education_level_display()} {standards[sid].number}"
                for sid in issue.get("standards", [])
                if sid in standards
            ],
            "institutions": [
                institutions[iid].name
                for iid in issue.get("institutions", [])
                if iid in institutions
            ],
        }
        for issue in issues
    ]


def manifest_entry(delivery: Delivery, attachment_pk: int) -> dict[str, Any]:
    """The manifest's entry of a stored file: only files the delivery holds can be downloaded."""
    for entry in delivery.manifest.get("files", []):
        if entry.get("attachment_id") == attachment_pk:
            return entry
    raise Http404


def delivered_file_for(user: User, attachment_pk: int) -> tuple[Delivery, str]:
    """For ONESQA: a delivery that reached e-SAR holding the stored file, and the file's path."""
    _404_unless(is_onesqa(user))
    holding = (
        DeliveredRevision.objects.filter(delivery__in=deliveries_for(user).values("pk"))
        .filter(Q(revision__document_id=attachment_pk) | Q(revision__evidence=attachment_pk))
        .select_related("delivery")
        .order_by("delivery_id")
        .first()
    )
    if holding is None:
        raise Http404
    delivery = holding.delivery
    return delivery, manifest_entry(delivery, attachment_pk)["path"]


def earlier_versions(delivered: DeliveredRevision) -> list[DeliveredRevision]:
    """Other delivered revisions of the same SAR (a superseded one, a newer one)."""
    return list(
        DeliveredRevision.objects.filter(revision__sar_id=delivered.revision.sar_id)
        .exclude(pk=delivered.pk)
        .select_related("delivery", "revision")
        .order_by("-revision__number")
    )


# --- The LAO's delivery page ---------------------------------------------------------------------


@dataclass
class InstitutionRow:
    institution: Institution
    sar: Sar | None
    accepted: Revision | None
    delivered: DeliveredRevision | None
    # Revisions of the same SAR delivered before and since superseded by a newer one.
    superseded: list[DeliveredRevision] = field(default_factory=list)

    @property
    def waiting(self) -> bool:
        return self.accepted is not None and self.delivered is None


@dataclass
class LaoDeliveries:
    lao: LocalAuthority
    year: AcademicYear
    rows: list[InstitutionRow]
    synthesis: Synthesis | None
    synthesis_version: SynthesisVersion | None
    synthesis_deliveries: list[DeliveredSynthesis]
    deliveries: list[DeliveryWithCounts]
    pending: services.Pending
    account: EsarAccount | None
    can_deliver: bool
    synthesis_out_of_date: bool = False

    @property
    def synthesis_delivered(self) -> DeliveredSynthesis | None:
        version = self.synthesis_version
        if version is None:
            return None
        return next(
            (d for d in self.synthesis_deliveries if d.synthesis_version_id == version.pk), None
        )


def lao_for(user: User, code: str) -> LocalAuthority:
    _404_unless(has_perm(user, Perm.DELIVERY_VIEW))
    return get_visible_or_404(user, LocalAuthority.objects.select_related("province"), code=code)


def lao_deliveries(user: User, lao: LocalAuthority, year: AcademicYear) -> LaoDeliveries:
    """Each institution's accepted revision and where it was delivered; the synthesis; receipts."""
    institutions = list(
        visible(user, Institution.objects.filter(lao=lao, is_active=True)).order_by(
            "name_th", "code"
        )
    )
    sars = {
        sar.institution_id: sar
        for sar in Sar.objects.filter(institution__in=institutions, year=year).select_related(
            "current_revision"
        )
    }
    delivered_by_sar: dict[int, list[DeliveredRevision]] = defaultdict(list)
    for row in (
        DeliveredRevision.objects.filter(revision__sar__in=list(sars.values()))
        .select_related("delivery__acknowledged_by", "revision")
        .order_by("-revision__number")
    ):
        delivered_by_sar[row.revision.sar_id].append(row)
    rows = []
    for institution in institutions:
        sar = sars.get(institution.pk)
        accepted = (
            sar.current_revision if sar is not None and sar.status == SarStatus.ACCEPTED else None
        )
        delivered = None
        superseded = []
        for row in delivered_by_sar.get(sar.pk, []) if sar is not None else []:
            if accepted is not None and row.revision_id == accepted.pk:
                delivered = row
            else:
                superseded.append(row)
        rows.append(InstitutionRow(institution, sar, accepted, delivered, superseded))
    synthesis = Synthesis.objects.filter(lao=lao, year=year).first()
    deliveries = list(
        deliveries_for(user).filter(lao=lao, year=year).order_by("-created_at", "-pk")
    )
    out_of_date = False
    if synthesis is not None:
        from esar.synthesis.services import is_out_of_date

        out_of_date = is_out_of_date(synthesis)
    return LaoDeliveries(
        lao=lao,
        year=year,
        rows=rows,
        synthesis=synthesis,
        synthesis_version=services.completed_version(synthesis),
        synthesis_deliveries=list(
            DeliveredSynthesis.objects.filter(synthesis_version__synthesis=synthesis)
            .select_related("delivery__acknowledged_by", "synthesis_version")
            .order_by("-synthesis_version__number")
        )
        if synthesis is not None
        else [],
        deliveries=deliveries,
        pending=services.pending(lao, year),
        account=accounts.active_account(lao),
        can_deliver=services.can_deliver(user, lao),
        synthesis_out_of_date=out_of_date,
    )
