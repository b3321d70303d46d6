"""What changed between two revisions of a SAR, named for reading: the comparison of the
revision and review pages and of the API.

`esar.sar.compare` finds the changes in the content and the files; this gives them item numbers
and names, quality-level names and labels.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from esar.core.thaidate import format_date
from esar.sar import compare as sar_compare
from esar.sar import content as sar_content
from esar.sar.models import Attachment, AttachmentKind, Revision, Sar
from esar.sar.selectors import revision_evidence, revision_set_ids
from esar.sar.services.drafts import levels_of
from esar.standards.models import QualityLevel, Standard, StandardItem

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
    for item_change in comparison.items:
        item = items.get(int(item_change.item_id))
        if item is None:
            continue
        set_id = item.standard.standard_set_id
        item_views.append(
            ItemChangeView(
                item=item,
                standard=item.standard,
                level=_rank_view(item_change.level, _("Level reached"), level_names, set_id),
                target=_rank_view(item_change.target, _("Target"), level_names, set_id),
                texts=[
                    ChangeView(
                        sar_content.ITEM_TEXT_FIELDS[text.field],
                        text.old or "",
                        text.new or "",
                        sar_compare.text_diff(text.old, text.new),
                    )
                    for text in item_change.texts
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


# --- Two revisions ----------------------------------------------------------------------------


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
