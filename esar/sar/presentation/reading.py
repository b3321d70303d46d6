"""A SAR shaped for reading: its standards with their items and quality-level names, the
reasons of a return sorted by part, the menu of its standards, its deadline and basic data.

Given a report the person already sees (fetched through `esar.sar.selectors`), these build what
the pages, the exports and the ONESQA reviewer's view show, in a fixed number of queries
whatever the size of the report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from esar.core.thaidate import format_date
from esar.organizations.models import EducationLevel
from esar.sar import compare as sar_compare
from esar.sar import content as sar_content
from esar.sar.content import StaffType
from esar.sar.models import ReturnReason, Revision, RevisionStatus, Sar, SarStatus
from esar.standards.models import QualityLevel, Standard, StandardItem

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
    chosen = Standard.objects.filter(standard_set__in=set_ids).select_related("standard_set")
    if only_standard is not None:
        chosen = chosen.filter(pk=only_standard)
    standards = list(chosen.order_by("standard_set__education_level", "order"))
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


# --- The menu of the standards ----------------------------------------------------------------


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


# --- Basic data ---------------------------------------------------------------------------------


def basic_rows(
    basic: sar_content.BasicData, levels_taught: list[tuple[str, str]]
) -> list[tuple[Any, str]]:
    """(label, value) of the basic data, for reading: every level taught and every staff type.

    `levels_taught` holds EducationLevel values (`drafts.levels_of`); the content's keys are the
    enums themselves.
    """
    from django.contrib.humanize.templatetags.humanize import intcomma

    def count(value: int | None) -> str:
        return "" if value is None else intcomma(value)

    rows: list[tuple[Any, str]] = [(_("Counts as of"), format_date(basic.as_of))]
    rows += [
        (
            _("Students: %(level)s") % {"level": label},
            count(basic.students.get(EducationLevel(level))),
        )
        for level, label in levels_taught
    ]
    rows += [
        (_("Staff: %(kind)s") % {"kind": label}, count(basic.staff.get(StaffType(kind))))
        for kind, label in sar_content.STAFF_TYPES.items()
    ]
    return rows
