"""Reads of SARs for the pages and the API, always scoped to the person asking (outside their
part → 404): the reports, revisions and files a person may see, the school's years and the LAO's
review queue.

How a report is shaped for reading (its standards with their items, the reasons of a return,
the changes since an earlier revision) is in `esar.sar.presentation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from esar.accounts.permissions import Perm, has_perm
from esar.accounts.scoping import Level, get_visible_or_404, scope_for, visible
from esar.accounts.types import RequestUser, User
from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution
from esar.sar.models import Attachment, Revision, RevisionStatus, Sar, SarStatus
from esar.standards.models import Standard


class ReasonCountFields(TypedDict):
    """What `review_queue` annotates on a returned SAR: the reasons of its current revision."""

    reason_count: int


class AcceptedInYear(TypedDict):
    """A row of `Queue.accepted_by_year`: an academic year and its accepted SARs."""

    year: int
    n: int


if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import WithAnnotations

    SarWithReasonCount: TypeAlias = WithAnnotations[Sar, ReasonCountFields]

# --- Fetching --------------------------------------------------------------------------------


def can_view(user: RequestUser) -> bool:
    return has_perm(user, Perm.SAR_VIEW)


def _require_view(user: RequestUser) -> None:
    if not can_view(user):
        raise Http404


def sars_for(user: User) -> QuerySet[Sar]:
    if not can_view(user):
        return Sar.objects.none()
    return visible(
        user,
        Sar.objects.select_related(
            "institution__lao__province", "year", "current_revision", "document"
        ),
    )


def sar_for(user: User, pk: int) -> Sar:
    _require_view(user)
    try:
        return get_visible_or_404(
            user,
            Sar.objects.select_related(
                "institution__lao__province",
                "year",
                "document",
                "current_revision__submitted_by",
                "current_revision__reviewed_by",
                "updated_by",
            ),
            pk=pk,
        )
    except OverflowError as exc:  # SQLite, for an id beyond 64 bits
        raise Http404 from exc


def attachment_for(user: User, pk: int) -> Attachment:
    _require_view(user)
    try:
        return get_visible_or_404(user, Attachment.objects.all(), pk=pk)
    except OverflowError as exc:
        raise Http404 from exc


def revision_for(sar: Sar, number: int) -> Revision:
    """A revision of a SAR the person can already see."""
    try:
        return sar.revisions.select_related("document", "submitted_by", "reviewed_by").get(
            number=number
        )
    except (Revision.DoesNotExist, OverflowError) as exc:
        raise Http404 from exc


def revisions_of(sar: Sar) -> list[Revision]:
    return list(
        sar.revisions.select_related("submitted_by", "reviewed_by")
        .annotate(reason_count=Count("reasons"))
        .order_by("-number")
    )


def own_institution(user: User) -> Institution | None:
    """The institution a school officer writes for (None for every other role)."""
    scope = scope_for(user)
    if scope.level is not Level.INSTITUTION or not can_view(user):
        return None
    return visible(user, Institution.objects.select_related("lao")).first()


def has_earlier_sar(sar: Sar) -> bool:
    return Sar.objects.filter(
        institution_id=sar.institution_id, year__year__lt=sar.year_id
    ).exists()


# --- The school's own reports ----------------------------------------------------------------


@dataclass
class YearRow:
    year: AcademicYear
    sar: Sar | None


def school_years(user: User, institution: Institution) -> list[YearRow]:
    """Every open year and every year the institution has a report of, newest first."""
    sars = {
        sar.year_id: sar
        for sar in visible(user, Sar.objects.filter(institution=institution)).select_related(
            "current_revision"
        )
    }
    years = AcademicYear.objects.filter(Q(is_open=True) | Q(pk__in=list(sars))).order_by("-year")
    return [YearRow(year, sars.get(year.year)) for year in years]


# --- The LAO's review queue --------------------------------------------------------------------


@dataclass
class NotSent:
    year: AcademicYear
    institutions: list[tuple[Institution, Sar | None]]


@dataclass
class Queue:
    waiting: list[Sar]
    returned: list[SarWithReasonCount]
    accepted_by_year: list[AcceptedInYear]
    not_sent: list[NotSent]


def review_queue(user: User) -> Queue:
    sars = sars_for(user)
    waiting = list(
        sars.filter(status=SarStatus.SUBMITTED).order_by(
            "current_revision__submitted_at", "institution__name_th"
        )
    )
    returned = list(
        sars.filter(status=SarStatus.RETURNED)
        .annotate(reason_count=Count("current_revision__reasons"))
        .order_by("current_revision__reviewed_at", "institution__name_th")
    )
    accepted = list(
        sars.filter(status=SarStatus.ACCEPTED)
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    open_years = list(AcademicYear.objects.filter(is_open=True).order_by("-year"))
    institutions = list(
        visible(user, Institution.objects.filter(is_active=True)).order_by("name_th", "code")
    )
    drafts: dict[tuple[int, int], Sar] = {}
    sent: set[tuple[int, int]] = set()
    for sar in Sar.objects.filter(
        institution__in=[i.pk for i in institutions], year__in=[y.year for y in open_years]
    ).only("pk", "institution_id", "year_id", "status"):
        key = (sar.institution_id, sar.year_id)
        if sar.status == SarStatus.DRAFT:
            drafts[key] = sar
        else:
            sent.add(key)
    not_sent = [
        NotSent(
            year,
            [
                (institution, drafts.get((institution.pk, year.year)))
                for institution in institutions
                if (institution.pk, year.year) not in sent
            ],
        )
        for year in open_years
    ]
    return Queue(waiting, returned, accepted, [row for row in not_sent if row.institutions])


# --- The standards and files of a report ------------------------------------------------------


def standard_of(sar: Sar, standard_pk: int) -> Standard:
    """One standard of the SAR's sets (another set's standard is a 404 like a missing one)."""
    try:
        return Standard.objects.select_related("standard_set").get(
            pk=standard_pk, standard_set__sars=sar
        )
    except (Standard.DoesNotExist, OverflowError) as exc:
        raise Http404 from exc


def sar_set_ids(sar: Sar) -> QuerySet:
    return sar.standard_sets.values("pk")


def revision_set_ids(revision: Revision) -> QuerySet:
    return revision.standard_sets.values("pk")


def draft_files(sar: Sar) -> tuple[Attachment | None, list[Attachment]]:
    return sar.document, list(sar.evidence.order_by("uploaded_at", "pk"))


def revision_evidence(revision: Revision) -> list[Attachment]:
    return list(revision.evidence.order_by("uploaded_at", "pk"))


def previous_returned(revision: Revision) -> Revision | None:
    """The revision before this one, when it was returned: what the school was asked to change."""
    return (
        Revision.objects.filter(
            sar_id=revision.sar_id, number__lt=revision.number, status=RevisionStatus.RETURNED
        )
        .select_related("document", "reviewed_by", "submitted_by")
        .order_by("-number")
        .first()
    )
