"""Reads of SARs for the pages, always scoped to the person asking (outside their part → 404).

Besides fetching, this module shapes a report for reading: its standards with their items,
quality-level names, the reasons of a return and the changes since an earlier revision, in a
fixed number of queries whatever the size of the report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from esar.accounts.permissions import Perm, has_perm
from esar.accounts.scoping import Level, get_visible_or_404, scope_for, visible
from esar.core.thaidate import format_date
from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution
from esar.sar import compare as sar_compare
from esar.sar import content as sar_content
from esar.sar.models import (
    Attachment,
    AttachmentKind,
    ReturnReason,
    Revision,
    RevisionStatus,
    Sar,
    SarStatus,
)
from esar.sar.services import levels_of
from esar.standards.models import QualityLevel, Standard, StandardItem

# --- Fetching --------------------------------------------------------------------------------


def can_view(user: Any) -> bool:
    return has_perm(user, Perm.SAR_VIEW)


def _require_view(user: Any) -> None:
    if not can_view(user):
        raise Http404


def sars_for(user: Any) -> QuerySet[Sar]:
    if not can_view(user):
        return Sar.objects.none()
    return visible(
        user,
        Sar.objects.select_related(
            "institution__lao__province", "year", "current_revision", "document"
        ),
    )


def sar_for(user: Any, pk: int) -> Sar:
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


def attachment_for(user: Any, pk: int) -> Attachment:
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


def own_institution(user: Any) -> Institution | None:
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


def school_years(user: Any, institution: Institution) -> list[YearRow]:
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
    returned: list[Sar]
    accepted_by_year: list[dict[str, int]]
    not_sent: list[NotSent]


def review_queue(user: Any) -> Queue:
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


# --- Reasons of a return -----------------------------------------------------------------------


@dataclass
class Reasons:
    """The reasons of one returned revision, sorted by the part of the report they concern."""

    revision: Revision | None = None
    general: list[ReturnReason] = field(default_factory=list)
    basic_data: list[ReturnReason] = field(default_factory=list)
    summary: list[ReturnReason] = field(default_factory=list)
    document: list[ReturnReason] = field(default_factory=list)
    evidence: list[ReturnReason] = field(default_factory=list)
    by_item: dict[int, list[ReturnReason]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.revision is not None

    @property
    def files(self) -> list[ReturnReason]:
        return self.document + self.evidence

    @property
    def count(self) -> int:
        return (
            len(self.general)
            + len(self.basic_data)
            + len(self.summary)
            + len(self.files)
            + sum(len(r) for r in self.by_item.values())
        )


def reasons_of(revision: Revision | None) -> Reasons:
    if revision is None or revision.status != RevisionStatus.RETURNED:
        return Reasons()
    grouped = Reasons(revision=revision)
    by_item: dict[int, list[ReturnReason]] = defaultdict(list)
    for reason in revision.reasons.select_related("item").order_by("pk"):
        if reason.section == "item" and reason.item_id is not None:
            by_item[reason.item_id].append(reason)
        elif reason.section in ("basic_data", "summary", "document", "evidence"):
            getattr(grouped, reason.section).append(reason)
        else:
            grouped.general.append(reason)
    grouped.by_item = dict(by_item)
    return grouped


def open_reasons(sar: Sar) -> Reasons:
    """The reasons the school still has to answer: those of its returned latest revision."""
    if sar.status != SarStatus.RETURNED:
        return Reasons()
    return reasons_of(sar.current_revision)


# --- A report, shaped for reading --------------------------------------------------------------


@dataclass
class ItemView:
    item: StandardItem
    entry: sar_content.ItemEntry
    level: QualityLevel | None
    target: QualityLevel | None
    reasons: list[ReturnReason]
    change: sar_compare.ItemChange | None = None
    new_group: bool = False

    @property
    def complete(self) -> bool:
        entry = self.entry
        return bool(
            entry.level is not None
            and entry.target is not None
            and all(getattr(entry, name) for name in sar_content.REQUIRED_ITEM_TEXT)
        )

    @property
    def filled(self) -> bool:
        entry = self.entry
        return bool(
            entry.level is not None
            or entry.target is not None
            or any(getattr(entry, name) for name in sar_content.ITEM_TEXT_FIELDS)
        )

    def texts(self) -> list[tuple[str, Any, str]]:
        """(field, label, text) of the narrative of the item."""
        return [
            (name, label, getattr(self.entry, name))
            for name, label in sar_content.ITEM_TEXT_FIELDS.items()
        ]


@dataclass
class StandardView:
    standard: Standard
    levels: list[QualityLevel]
    items: list[ItemView]
    entry: sar_content.StandardEntry = field(default_factory=sar_content.StandardEntry)
    level: QualityLevel | None = None
    change: sar_compare.ItemChange | None = None

    @property
    def whole_complete(self) -> bool:
        """The standard as a whole has its level, strengths and points to improve."""
        return self.entry.level is not None and all(
            getattr(self.entry, name) for name in sar_content.STANDARD_TEXT_FIELDS
        )

    def whole_texts(self) -> list[tuple[str, Any, str]]:
        return [
            (name, label, getattr(self.entry, name))
            for name, label in sar_content.STANDARD_TEXT_FIELDS.items()
        ]

    @property
    def complete_count(self) -> int:
        return sum(1 for item in self.items if item.complete)

    @property
    def reason_count(self) -> int:
        return sum(len(item.reasons) for item in self.items)

    @property
    def change_count(self) -> int:
        return sum(1 for item in self.items if item.change)

    @property
    def is_complete(self) -> bool:
        return self.complete_count == len(self.items) and self.whole_complete


def standards_of(
    set_ids: Any,
    content: sar_content.Content,
    *,
    reasons: Reasons | None = None,
    comparison: sar_compare.Comparison | None = None,
    only_standard: int | None = None,
) -> list[StandardView]:
    """The standards of the given sets with each item's entry, in the report's order.

    Three queries (standards, items, quality levels) whatever the number of items.
    """
    standards = Standard.objects.filter(standard_set__in=set_ids).select_related("standard_set")
    if only_standard is not None:
        standards = standards.filter(pk=only_standard)
    standards = list(standards.order_by("standard_set__education_level", "order"))
    levels: dict[int, list[QualityLevel]] = defaultdict(list)
    for level in QualityLevel.objects.filter(
        standard_set__in=[s.standard_set_id for s in standards]
    ).order_by("rank"):
        levels[level.standard_set_id].append(level)
    items: dict[int, list[StandardItem]] = defaultdict(list)
    for item in StandardItem.objects.filter(standard__in=standards).order_by("standard", "order"):
        items[item.standard_id].append(item)
    by_item = reasons.by_item if reasons else {}
    views = []
    for standard in standards:
        ranks = {level.rank: level for level in levels[standard.standard_set_id]}
        rows = []
        group = None
        for item in items[standard.pk]:
            entry = content.items.get(str(item.pk)) or sar_content.ItemEntry()
            rows.append(
                ItemView(
                    item=item,
                    entry=entry,
                    level=ranks.get(entry.level) if entry.level is not None else None,
                    target=ranks.get(entry.target) if entry.target is not None else None,
                    reasons=by_item.get(item.pk, []),
                    change=comparison.item(item.pk) if comparison else None,
                    new_group=bool(item.group_th) and item.group_th != group,
                )
            )
            group = item.group_th
        whole = content.standards.get(str(standard.pk)) or sar_content.StandardEntry()
        views.append(
            StandardView(
                standard,
                levels[standard.standard_set_id],
                rows,
                entry=whole,
                level=ranks.get(whole.level) if whole.level is not None else None,
                change=comparison.standard(standard.pk) if comparison else None,
            )
        )
    return views


def standard_of(sar: Sar, standard_pk: int) -> Standard:
    """One standard of the SAR's sets (another set's standard is a 404 like a missing one)."""
    try:
        return Standard.objects.select_related("standard_set").get(
            pk=standard_pk, standard_set__sars=sar
        )
    except (Standard.DoesNotExist, OverflowError) as exc:
        raise Http404 from exc


def _standards_in_order(sar: Sar) -> list[Standard]:
    return list(
        Standard.objects.filter(standard_set__sars=sar)
        .select_related("standard_set")
        .order_by("standard_set__education_level", "order")
    )


@dataclass
class MenuGroup:
    standard_set: Any
    standards: list[Standard]


def standards_menu(sar: Sar) -> list[MenuGroup]:
    """The SAR's standards grouped by set (one set per education level), for the page menu."""
    groups: list[MenuGroup] = []
    for standard in _standards_in_order(sar):
        if not groups or groups[-1].standard_set.pk != standard.standard_set_id:
            groups.append(MenuGroup(standard.standard_set, []))
        groups[-1].standards.append(standard)
    return groups


def neighbours(sar: Sar, standard: Standard) -> tuple[Standard | None, Standard | None]:
    ordered = _standards_in_order(sar)
    index = next(i for i, s in enumerate(ordered) if s.pk == standard.pk)
    previous = ordered[index - 1] if index > 0 else None
    following = ordered[index + 1] if index + 1 < len(ordered) else None
    return previous, following


def item_standards(sar: Sar) -> dict[int, int]:
    """item id → standard id, for links from the checklist to the page of the item."""
    return dict(
        StandardItem.objects.filter(standard__standard_set__sars=sar).values_list(
            "pk", "standard_id"
        )
    )


def sar_set_ids(sar: Sar) -> QuerySet:
    return sar.standard_sets.values("pk")


def revision_set_ids(revision: Revision) -> QuerySet:
    return revision.standard_sets.values("pk")


# --- Files -----------------------------------------------------------------------------------


def draft_files(sar: Sar) -> tuple[Attachment | None, list[Attachment]]:
    return sar.document, list(sar.evidence.order_by("uploaded_at", "pk"))


def revision_evidence(revision: Revision) -> list[Attachment]:
    return list(revision.evidence.order_by("uploaded_at", "pk"))


def file_refs(document: Attachment | None, evidence: list[Attachment]) -> list[sar_compare.FileRef]:
    files = [document] if document is not None else []
    return [
        sar_compare.FileRef(
            kind=AttachmentKind.DOCUMENT.value if f is document else AttachmentKind.EVIDENCE.value,
            sha256=f.sha256,
            name=f.original_name,
            size=f.size,
            pk=f.pk,
        )
        for f in [*files, *evidence]
    ]


def revision_comparison(old: Revision, new: Revision) -> sar_compare.Comparison:
    return sar_compare.compare(
        old.content,
        new.content,
        file_refs(old.document, revision_evidence(old)),
        file_refs(new.document, revision_evidence(new)),
    )


def compare_revisions(sar: Sar, one: Revision, other: Revision) -> ComparisonView:
    """What changed from the earlier of two revisions of `sar` to the later, named for reading:
    the comparison of the revision and review pages and of the API."""
    old, new = sorted((one, other), key=lambda revision: revision.number)
    return present_comparison(
        revision_comparison(old, new),
        revision_set_ids(new),
        levels_taught=dict(levels_of(sar)),
        old_label=_("Revision %(number)s") % {"number": old.number},
        new_label=_("Revision %(number)s") % {"number": new.number},
    )


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


# --- Deadlines -------------------------------------------------------------------------------


@dataclass
class Timeliness:
    due: dt.date
    late: bool  # sent after the due day (the latest revision)
    overdue: bool  # not sent yet and the due day has passed


def timeliness(sar: Sar) -> Timeliness:
    today = timezone.localdate()
    revision = sar.current_revision
    return Timeliness(
        due=sar.year.sar_due,
        late=bool(revision and revision.is_late),
        overdue=sar.status == SarStatus.DRAFT and today > sar.year.sar_due,
    )


# --- Changes, shaped for reading ---------------------------------------------------------------


@dataclass
class ChangeView:
    label: Any
    old: str
    new: str
    segments: list[sar_compare.Segment] = field(default_factory=list)


@dataclass
class ItemChangeView:
    item: StandardItem
    standard: Standard
    level: ChangeView | None
    target: ChangeView | None
    texts: list[ChangeView]


@dataclass
class StandardChangeView:
    standard: Standard
    level: ChangeView | None
    texts: list[ChangeView]


@dataclass
class ComparisonView:
    old_label: Any
    new_label: Any
    comparison: sar_compare.Comparison
    basic_data: list[ChangeView]
    items: list[ItemChangeView]
    summary: list[ChangeView]
    standards: list[StandardChangeView] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.comparison.is_empty


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def _tests_text(tests: list[dict[str, Any]]) -> str:
    parts = []
    for test in tests:
        words = [test.get("test"), test.get("grade"), test.get("subject")]
        scores = [test.get("score"), test.get("national_average")]
        text = " ".join(str(w) for w in words if w)
        if any(s is not None for s in scores):
            text += " " + " / ".join(_shown(s) or "-" for s in scores)
        parts.append(text)
    return "; ".join(parts)


def _rank_view(
    change: sar_compare.Change | None,
    label: Any,
    names: dict[tuple[int, int], str],
    set_id: int,
) -> ChangeView | None:
    if change is None:
        return None
    return ChangeView(
        label,
        names.get((set_id, change.old), _shown(change.old)),
        names.get((set_id, change.new), _shown(change.new)),
    )


def present_comparison(
    comparison: sar_compare.Comparison,
    set_ids: Any,
    *,
    levels_taught: dict[str, str],
    old_label: Any,
    new_label: Any,
) -> ComparisonView:
    """Names for what `compare` found: item numbers and names, quality-level names, labels."""
    basic: list[ChangeView] = []
    for change in comparison.basic_data:
        part, _dot, key = change.field.partition(".")
        if part == "as_of":
            label = _("Counts as of")
            old = format_date(dt.date.fromisoformat(change.old)) if change.old else ""
            new = format_date(dt.date.fromisoformat(change.new)) if change.new else ""
        elif part == "students":
            label = _("Students: %(level)s") % {"level": levels_taught.get(key, key)}
            old, new = _shown(change.old), _shown(change.new)
        elif part == "staff":
            kind = sar_content.STAFF_TYPES.get(key, key)
            label = _("Staff: %(kind)s") % {"kind": kind}
            old, new = _shown(change.old), _shown(change.new)
        else:
            label = _("National test results")
            old, new = _tests_text(change.old), _tests_text(change.new)
        basic.append(ChangeView(label, old, new))

    ids = [int(change.item_id) for change in comparison.items]
    items = {
        item.pk: item
        for item in StandardItem.objects.filter(pk__in=ids).select_related("standard__standard_set")
    }
    level_names = {
        (level.standard_set_id, level.rank): level.name
        for level in QualityLevel.objects.filter(standard_set__in=set_ids)
    }
    item_views = []
    for change in comparison.items:
        item = items.get(int(change.item_id))
        if item is None:
            continue
        set_id = item.standard.standard_set_id
        item_views.append(
            ItemChangeView(
                item=item,
                standard=item.standard,
                level=_rank_view(change.level, _("Level reached"), level_names, set_id),
                target=_rank_view(change.target, _("Target"), level_names, set_id),
                texts=[
                    ChangeView(
                        sar_content.ITEM_TEXT_FIELDS[text.field],
                        text.old or "",
                        text.new or "",
                        sar_compare.text_diff(text.old, text.new),
                    )
                    for text in change.texts
                ],
            )
        )
    summary = [
        ChangeView(
            sar_content.SUMMARY_FIELDS[change.field],
            change.old or "",
            change.new or "",
            sar_compare.text_diff(change.old, change.new),
        )
        for change in comparison.summary
    ]
    standards = {
        standard.pk: standard
        for standard in Standard.objects.filter(
            pk__in=[int(change.item_id) for change in comparison.standards]
        ).select_related("standard_set")
    }
    standard_views = [
        StandardChangeView(
            standard=standards[int(change.item_id)],
            level=_rank_view(
                change.level,
                _("Level of the standard as a whole"),
                level_names,
                standards[int(change.item_id)].standard_set_id,
            ),
            texts=[
                ChangeView(
                    sar_content.STANDARD_TEXT_FIELDS[text.field],
                    text.old or "",
                    text.new or "",
                    sar_compare.text_diff(text.old, text.new),
                )
                for text in change.texts
            ],
        )
        for change in comparison.standards
        if int(change.item_id) in standards
    ]
    return ComparisonView(
        old_label, new_label, comparison, basic, item_views, summary, standard_views
    )


def basic_rows(basic: sar_content.BasicData, levels_taught: list[tuple[str, str]]) -> list:
    """(label, value) of the basic data, for reading: every level taught and every staff type."""
    from django.contrib.humanize.templatetags.humanize import intcomma

    def count(value: int | None) -> str:
        return "" if value is None else intcomma(value)

    rows: list[tuple[Any, str]] = [(_("Counts as of"), format_date(basic.as_of))]
    rows += [
        (_("Students: %(level)s") % {"level": label}, count(basic.students.get(level)))
        for level, label in levels_taught
    ]
    rows += [
        (_("Staff: %(kind)s") % {"kind": label}, count(basic.staff.get(kind)))
        for kind, label in sar_content.STAFF_TYPES.items()
    ]
    return rows
