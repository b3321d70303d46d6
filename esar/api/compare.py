"""What changed between two revisions of a SAR, through the API: the revision page's comparison.

The same reads as the page (`esar.sar.presentation.changes.compare_revisions`, over
`esar.sar.compare`) and the same scoping as GET /sars/{id}/revisions/{n}: a SAR outside the
caller's part of the hierarchy, or a revision it does not have, is 404.
"""

from __future__ import annotations

from typing import Any, Literal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from esar.accounts.types import AuthenticatedRequest
from esar.api.errors import field_errors_body
from esar.api.schemas import ErrorOut, ValidationErrorOut
from esar.sar import compare as sar_compare
from esar.sar import selectors
from esar.sar.presentation import changes

router = Router(tags=["sar"])


class SegmentOut(Schema):
    op: Literal["equal", "delete", "insert"]
    text: str


class RankChangeOut(Schema):
    old: int | None = Field(..., description="Rank in the earlier revision (1 = lowest).")
    new: int | None
    old_name: str = Field(..., description="The quality level's name, as the page shows it.")
    new_name: str


class TextChangeOut(Schema):
    field: str
    label: str
    old: str
    new: str
    segments: list[SegmentOut] = Field(
        ..., description="The earlier text turned into the later one: kept, deleted, inserted."
    )


class BasicChangeOut(Schema):
    field: str = Field(..., description="as_of, students.<level>, staff.<kind> or tests.")
    label: str
    old: Any
    new: Any
    old_text: str = Field(..., description="The earlier value as the page shows it.")
    new_text: str


class ItemChangeOut(Schema):
    item_id: int
    number: str
    name_th: str
    standard_id: int
    standard_number: str
    level: RankChangeOut | None
    target: RankChangeOut | None
    texts: list[TextChangeOut]


class StandardChangeOut(Schema):
    standard_id: int
    number: str
    name_th: str
    level: RankChangeOut | None = Field(..., description="The standard as a whole.")
    texts: list[TextChangeOut]


class FileChangeOut(Schema):
    id: int | None
    kind: str = Field(..., description="document or evidence")
    name: str
    size: int | None
    sha256: str
    url: str | None


class ComparisonOut(Schema):
    old: int = Field(..., description="The earlier revision's number.")
    new: int = Field(..., description="The later revision's number.")
    is_empty: bool
    basic_data: list[BasicChangeOut]
    items: list[ItemChangeOut]
    standards: list[StandardChangeOut]
    summary: list[TextChangeOut]
    files_added: list[FileChangeOut] = Field(..., description="In the later revision only.")
    files_removed: list[FileChangeOut] = Field(..., description="In the earlier revision only.")


def _rank(raw: sar_compare.Change | None, shown: changes.ChangeView | None) -> Any:
    if raw is None or shown is None:
        return None
    return {"old": raw.old, "new": raw.new, "old_name": shown.old, "new_name": shown.new}


def _texts(raw: tuple[sar_compare.Change, ...] | list[sar_compare.Change], shown: list) -> list:
    return [
        {
            "field": change.field,
            "label": str(view.label),
            "old": view.old,
            "new": view.new,
            "segments": [{"op": s.op, "text": s.text} for s in view.segments],
        }
        for change, view in zip(raw, shown, strict=True)
    ]


def _file(ref: sar_compare.FileRef) -> dict[str, Any]:
    return {
        "id": ref.pk,
        "kind": ref.kind,
        "name": ref.name,
        "size": ref.size,
        "sha256": ref.sha256,
        "url": reverse("api:sar_file", kwargs={"attachment_id": ref.pk}) if ref.pk else None,
    }


def comparison_body(view: changes.ComparisonView, old: int, new: int) -> dict[str, Any]:
    """The page's comparison as the API's answer: its keys and raw values beside its names."""
    raw = view.comparison
    items = []
    for shown in view.items:
        change = raw.item(shown.item.pk)
        assert change is not None  # noqa: S101 (the page's view is made from these changes)
        items.append(
            {
                "item_id": shown.item.pk,
                "number": shown.item.number,
                "name_th": shown.item.name_th,
                "standard_id": shown.standard.pk,
                "standard_number": shown.standard.number,
                "level": _rank(change.level, shown.level),
                "target": _rank(change.target, shown.target),
                "texts": _texts(change.texts, shown.texts),
            }
        )
    standards = []
    for shown_standard in view.standards:
        change = raw.standard(shown_standard.standard.pk)
        assert change is not None  # noqa: S101
        standards.append(
            {
                "standard_id": shown_standard.standard.pk,
                "number": shown_standard.standard.number,
                "name_th": shown_standard.standard.name_th,
                "level": _rank(change.level, shown_standard.level),
                "texts": _texts(change.texts, shown_standard.texts),
            }
        )
    return {
        "old": old,
        "new": new,
        "is_empty": view.is_empty,
        "basic_data": [
            {
                "field": change.field,
                "label": str(shown.label),
                "old": change.old,
                "new": change.new,
                "old_text": shown.old,
                "new_text": shown.new,
            }
            for change, shown in zip(raw.basic_data, view.basic_data, strict=True)
        ],
        "items": items,
        "standards": standards,
        "summary": _texts(raw.summary, view.summary),
        "files_added": [_file(ref) for ref in raw.files_added],
        "files_removed": [_file(ref) for ref in raw.files_removed],
    }


@router.get(
    "/sars/{sar_id}/revisions/{number}/compare",
    response={200: ComparisonOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="What changed between this revision and another (the revision page's comparison)",
    description=(
        "Changes from the earlier of the two revisions to the later, whichever is in the path: "
        "basic data, items (level reached, target, texts), the standards as a whole, the "
        "summary, and files added or removed (the same file is the same kind and SHA-256). Texts "
        "come with their differences as segments. Comparing a revision with itself is 422."
    ),
)
def revision_compare(
    request: AuthenticatedRequest,
    sar_id: int,
    number: int,
    other: int = Query(..., alias="with", ge=1, description="The other revision's number."),
) -> Any:
    sar = selectors.sar_for(request.user, sar_id)
    shown = selectors.revision_for(sar, number)
    compared = selectors.revision_for(sar, other)
    if compared.number == shown.number:
        return Status(
            422,
            field_errors_body(
                {"with": [_("Choose another revision to compare with.")]}, location="query"
            ),
        )
    old, new = sorted((shown.number, compared.number))
    return comparison_body(changes.compare_revisions(sar, shown, compared), old, new)
