"""What changed between two versions of a SAR: ratings, texts, counts and files.

Pure functions over two content dicts (as stored in `Sar.content` / `Revision.content`) and two
lists of files, so that the review page, the revision page and their tests share one definition.
Names (items, quality levels) are the caller's business: changes carry keys and ranks.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from esar.sar.content import (
    ITEM_TEXT_FIELDS,
    STANDARD_TEXT_FIELDS,
    SUMMARY_FIELDS,
    ItemEntry,
    StandardEntry,
    parse,
)

# A whitespace run or a run of anything else: Thai is written without spaces between words but
# with spaces between phrases, so this compares phrase by phrase (and stays fast on long texts).
_TOKENS = re.compile(r"\s+|\S+")
# Texts longer than this are compared as a whole: a reviewer reads them side by side anyway.
DIFF_LIMIT = 20_000
# An item missing from a version reads as an empty one: no rating, empty texts.
_EMPTY_ITEM = ItemEntry().model_dump()
_EMPTY_STANDARD = StandardEntry().model_dump()


@dataclass(frozen=True)
class Change:
    """One value that differs; `field` is a dotted path such as `students.basic` or `how`."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ItemChange:
    item_id: str
    level: Change | None = None
    target: Change | None = None
    texts: tuple[Change, ...] = ()


@dataclass(frozen=True)
class FileRef:
    kind: str  # "document" or "evidence"
    sha256: str
    name: str = ""
    size: int | None = None
    pk: int | None = None


@dataclass
class Comparison:
    basic_data: list[Change] = field(default_factory=list)
    items: list[ItemChange] = field(default_factory=list)
    # The standards as a whole: `item_id` holds the standard's id, `target` is never set.
    standards: list[ItemChange] = field(default_factory=list)
    summary: list[Change] = field(default_factory=list)
    files_added: list[FileRef] = field(default_factory=list)
    files_removed: list[FileRef] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.basic_data
            or self.items
            or self.standards
            or self.summary
            or self.files_added
            or self.files_removed
        )

    def item(self, item_id: int | str) -> ItemChange | None:
        key = str(item_id)
        return next((change for change in self.items if change.item_id == key), None)

    def standard(self, standard_id: int | str) -> ItemChange | None:
        key = str(standard_id)
        return next((change for change in self.standards if change.item_id == key), None)


def _changes(old: dict[str, Any], new: dict[str, Any], keys: list[str], prefix: str = "") -> list:
    return [
        Change(f"{prefix}{key}", old.get(key), new.get(key))
        for key in keys
        if old.get(key) != new.get(key)
    ]


def _ordered_keys(*dicts: dict[str, Any], first: tuple[str, ...] = ()) -> list[str]:
    seen = [key for key in first if any(key in d for d in dicts)]
    for d in dicts:
        seen.extend(key for key in d if key not in seen)
    return seen


def compare_basic_data(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    if old.get("as_of") != new.get("as_of"):
        changes.append(Change("as_of", old.get("as_of"), new.get("as_of")))
    for part in ("students", "staff"):
        before, after = old.get(part) or {}, new.get(part) or {}
        changes += _changes(before, after, _ordered_keys(before, after), prefix=f"{part}.")
    if (old.get("tests") or []) != (new.get("tests") or []):
        changes.append(Change("tests", old.get("tests") or [], new.get("tests") or []))
    return changes


def compare_items(old: dict[str, Any], new: dict[str, Any]) -> list[ItemChange]:
    """One entry per item whose rating or texts differ, in the order of the newer content."""
    changes: list[ItemChange] = []
    for key in _ordered_keys(new, old):
        before = {**_EMPTY_ITEM, **(old.get(key) or {})}
        after = {**_EMPTY_ITEM, **(new.get(key) or {})}
        level = Change("level", before.get("level"), after.get("level"))
        target = Change("target", before.get("target"), after.get("target"))
        texts = tuple(_changes(before, after, list(ITEM_TEXT_FIELDS)))
        item = ItemChange(
            item_id=str(key),
            level=level if level.old != level.new else None,
            target=target if target.old != target.new else None,
            texts=texts,
        )
        if item.level or item.target or item.texts:
            changes.append(item)
    return changes


def compare_standards(old: dict[str, Any], new: dict[str, Any]) -> list[ItemChange]:
    """One entry per standard whose level, strengths or points to improve differ."""
    changes: list[ItemChange] = []
    for key in _ordered_keys(new, old):
        before = {**_EMPTY_STANDARD, **(old.get(key) or {})}
        after = {**_EMPTY_STANDARD, **(new.get(key) or {})}
        level = Change("level", before.get("level"), after.get("level"))
        texts = tuple(_changes(before, after, list(STANDARD_TEXT_FIELDS)))
        if level.old != level.new or texts:
            changes.append(
                ItemChange(
                    item_id=str(key), level=level if level.old != level.new else None, texts=texts
                )
            )
    return changes


def compare_files(old: list[FileRef], new: list[FileRef]) -> tuple[list[FileRef], list[FileRef]]:
    """(added, removed), a file being the same when its kind and SHA-256 are."""
    old_keys = {(f.kind, f.sha256) for f in old}
    new_keys = {(f.kind, f.sha256) for f in new}
    added = [f for f in new if (f.kind, f.sha256) not in old_keys]
    removed = [f for f in old if (f.kind, f.sha256) not in new_keys]
    return added, removed


def compare(
    old_content: dict[str, Any] | None,
    new_content: dict[str, Any] | None,
    old_files: list[FileRef] | None = None,
    new_files: list[FileRef] | None = None,
) -> Comparison:
    """Everything that differs from `old_content` to `new_content` (both normalised first)."""
    old = parse(old_content).as_json()
    new = parse(new_content).as_json()
    added, removed = compare_files(old_files or [], new_files or [])
    return Comparison(
        basic_data=compare_basic_data(old["basic_data"], new["basic_data"]),
        items=compare_items(old["items"], new["items"]),
        standards=compare_standards(old["standards"], new["standards"]),
        summary=_changes(old["summary"], new["summary"], list(SUMMARY_FIELDS)),
        files_added=added,
        files_removed=removed,
    )


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "delete" or "insert"
    text: str


def text_diff(old: str | None, new: str | None) -> list[Segment]:
    """The old text turned into the new one as kept, deleted and inserted pieces."""
    old, new = old or "", new or ""
    if old == new:
        return [Segment("equal", new)] if new else []
    if len(old) + len(new) > DIFF_LIMIT:
        return [s for s in (Segment("delete", old), Segment("insert", new)) if s.text]
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return segments
