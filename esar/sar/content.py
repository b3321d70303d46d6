"""What a SAR holds, as a typed document: the draft's `content` and a revision's frozen copy.

    basic_data  as-of date, students per level taught, staff per type, national test results
    items       per standard item (keyed by the item's id): level reached, target, how, results,
                evidence (narrative)
    standards   per standard (keyed by the standard's id): the level of the standard as a whole,
                its strengths and its points to improve
    summary     strengths, points to improve, development plan, help needed

A draft may be incomplete; `checklist` says what is missing before it can be submitted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from esar.organizations.models import EducationLevel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from esar.sar.models import Sar

LONG_TEXT = 20_000
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=LONG_TEXT)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Count = Annotated[int, Field(ge=0, le=100_000)]
Rank = Annotated[int, Field(ge=1, le=10)]


class StaffType(StrEnum):
    """The staff counted in the basic data: the keys of `basic_data.staff`."""

    ADMINISTRATORS = "administrators"
    TEACHERS = "teachers"
    CAREGIVERS = "caregivers"
    SUPPORT = "support"


STAFF_TYPES: dict[str, StrOrPromise] = {
    StaffType.ADMINISTRATORS: _("Administrators"),
    StaffType.TEACHERS: _("Teachers"),
    StaffType.CAREGIVERS: _("Child caregivers"),
    StaffType.SUPPORT: _("Support staff"),
}


class MissingCode(StrEnum):
    """What a draft lacks before submission, for programs (the message says it in words)."""

    AS_OF = "basic_data.as_of"
    STUDENTS = "basic_data.students"
    STAFF = "basic_data.staff"
    ITEM = "item"
    STANDARD = "standard"
    SUMMARY = "summary"
    DOCUMENT = "document"


SUMMARY_FIELDS: dict[str, StrOrPromise] = {
    "strengths": _("Strengths"),
    "improvements": _("Points to improve"),
    "plan": _("Development plan"),
    "help_needed": _("Help needed"),
}
ITEM_TEXT_FIELDS: dict[str, StrOrPromise] = {
    "how": _("How it was done"),
    "results": _("Results"),
    "evidence": _("Evidence"),
}
STANDARD_TEXT_FIELDS: dict[str, StrOrPromise] = {
    "strengths": _("Strengths"),
    "improvements": _("Points to improve"),
}
REQUIRED_SUMMARY = ("strengths", "improvements", "plan")
REQUIRED_ITEM_TEXT = ("how", "results")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TestResult(_Strict):
    test: ShortText = Field(description="O-NET, NT, RT …")
    grade: ShortText = ""
    subject: ShortText = ""
    score: Annotated[float, Field(ge=0, le=100)] | None = None
    national_average: Annotated[float, Field(ge=0, le=100)] | None = None


class BasicData(_Strict):
    as_of: dt.date | None = Field(default=None, description="The date the counts are taken on.")
    students: dict[EducationLevel, Count] = Field(
        default_factory=dict, description="Per education level taught."
    )
    staff: dict[StaffType, Count] = Field(default_factory=dict, description="Per staff type.")
    tests: list[TestResult] = Field(default_factory=list, max_length=200)


class ItemEntry(_Strict):
    level: Rank | None = Field(
        default=None, description="Quality level reached (rank, 1 = lowest)."
    )
    target: Rank | None = Field(default=None, description="The school's target level (rank).")
    how: Text = ""
    results: Text = ""
    evidence: Text = ""


class StandardEntry(_Strict):
    level: Rank | None = Field(
        default=None, description="Quality level of the standard as a whole."
    )
    strengths: Text = ""
    improvements: Text = ""


class Summary(_Strict):
    strengths: Text = ""
    improvements: Text = ""
    plan: Text = ""
    help_needed: Text = ""


class Content(_Strict):
    basic_data: BasicData = Field(default_factory=BasicData)
    items: dict[str, ItemEntry] = Field(default_factory=dict)
    standards: dict[str, StandardEntry] = Field(default_factory=dict)
    summary: Summary = Field(default_factory=Summary)

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def parse(raw: dict[str, Any] | None) -> Content:
    return Content.model_validate(raw or {})


def content_sha256(raw: dict[str, Any]) -> str:
    """A hash of the content that does not depend on key order or spacing."""
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Missing:
    """One thing a draft lacks before it can be submitted.

    `code` says what for programs; `fields` names the lacking fields of an item, a standard or
    the summary (`level`, `target`, `how`, `results`; `level`, `strengths`, `improvements`;
    `strengths`, `improvements`, `plan`), `education_level` the level whose students are missing.
    """

    section: str  # basic_data, item, standard, summary, document
    message: str
    item_id: int | None = None
    standard_id: int | None = None
    code: MissingCode | None = None
    fields: tuple[str, ...] = ()
    education_level: str | None = None

    def as_json(self) -> dict[str, Any]:
        """As the API shows it (its MissingOut)."""
        return {
            "code": self.code,
            "message": self.message,
            "item_id": self.item_id,
            "standard_id": self.standard_id,
            "education_level": self.education_level,
            "fields": list(self.fields),
        }


@dataclass(frozen=True)
class ItemInfo:
    id: int
    number: str
    name: str
    standard_set_id: int
    education_level: str
    ranks: frozenset[int]


@dataclass(frozen=True)
class StandardInfo:
    id: int
    number: str
    name: str
    standard_set_id: int
    education_level: str
    ranks: frozenset[int]


def _ranks_of(set_ids: list[int]) -> dict[int, set[int]]:
    from esar.standards.models import QualityLevel

    ranks: dict[int, set[int]] = {}
    for set_id, rank in QualityLevel.objects.filter(standard_set__in=set_ids).values_list(
        "standard_set_id", "rank"
    ):
        ranks.setdefault(set_id, set()).add(rank)
    return ranks


def standards_of(sar: Sar) -> list[StandardInfo]:
    """The standards a SAR rates as a whole, in the report's order."""
    from esar.standards.models import Standard

    set_ids = [s.pk for s in sar.standard_sets.all()]
    ranks = _ranks_of(set_ids)
    standards = (
        Standard.objects.filter(standard_set__in=set_ids)
        .select_related("standard_set")
        .order_by("standard_set__education_level", "order")
    )
    return [
        StandardInfo(
            id=standard.pk,
            number=standard.number,
            name=standard.name,
            standard_set_id=standard.standard_set_id,
            education_level=standard.standard_set.education_level,
            ranks=frozenset(ranks.get(standard.standard_set_id, ())),
        )
        for standard in standards
    ]


def items_of(sar: Sar) -> list[ItemInfo]:
    """The items a SAR reports on, in order: each standard set of the SAR, each standard."""
    from esar.standards.models import StandardItem

    set_ids = [s.pk for s in sar.standard_sets.all()]
    ranks = _ranks_of(set_ids)
    items = (
        StandardItem.objects.filter(standard__standard_set__in=set_ids)
        .select_related("standard__standard_set")
        .order_by("standard__standard_set__education_level", "standard__order", "order")
    )
    return [
        ItemInfo(
            id=item.pk,
            number=item.number,
            name=item.name,
            standard_set_id=item.standard.standard_set_id,
            education_level=item.standard.standard_set.education_level,
            ranks=frozenset(ranks.get(item.standard.standard_set_id, ())),
        )
        for item in items
    ]


def check_references(
    content: Content, items: list[ItemInfo], standards: list[StandardInfo]
) -> list[str]:
    """Errors for items or standards that are not the SAR's, or ranks that their set lacks."""
    known = {str(item.id): item for item in items}
    errors: list[str] = []
    known_standards = {str(standard.id): standard for standard in standards}
    for key, standard_entry in content.standards.items():
        standard = known_standards.get(key)
        if standard is None:
            errors.append(
                str(_("Standard %(standard)s is not part of this report.") % {"standard": key})
            )
        elif standard_entry.level is not None and standard_entry.level not in standard.ranks:
            errors.append(
                str(
                    _("Standard %(number)s: there is no quality level %(rank)s.")
                    % {"number": standard.number, "rank": standard_entry.level}
                )
            )
    for key, entry in content.items.items():
        item = known.get(key)
        if item is None:
            errors.append(
                str(_("Item %(item)s is not part of this report's standards.") % {"item": key})
            )
            continue
        for rank in (entry.level, entry.target):
            if rank is not None and rank not in item.ranks:
                errors.append(
                    str(
                        _("Item %(number)s: there is no quality level %(rank)s.")
                        % {"number": item.number, "rank": rank}
                    )
                )
    return errors


def checklist(
    content: Content,
    *,
    items: list[ItemInfo],
    standards: list[StandardInfo],
    levels_taught: list[tuple[str, str]],
    has_document: bool,
) -> list[Missing]:
    """Everything that must be filled in before submission, in the order of the report."""
    missing: list[Missing] = []
    basic = content.basic_data
    if basic.as_of is None:
        missing.append(
            Missing(
                "basic_data",
                str(_("Basic data: the date the counts are taken on.")),
                code=MissingCode.AS_OF,
            )
        )
    for level, label in levels_taught:
        if level not in basic.students:
            missing.append(
                Missing(
                    "basic_data",
                    str(_("Basic data: the number of students in %(level)s.") % {"level": label}),
                    code=MissingCode.STUDENTS,
                    education_level=level,
                )
            )
    if not any(basic.staff.get(kind) for kind in StaffType):  # the keys of STAFF_TYPES
        missing.append(
            Missing(
                "basic_data",
                str(_("Basic data: the number of teachers and staff.")),
                code=MissingCode.STAFF,
            )
        )
    for item in items:
        entry = content.items.get(str(item.id))
        lacks: list[str] = []
        fields: list[str] = []
        if entry is None or entry.level is None:
            lacks.append(str(_("the level reached")))
            fields.append("level")
        if entry is None or entry.target is None:
            lacks.append(str(_("the target")))
            fields.append("target")
        for field in REQUIRED_ITEM_TEXT:
            if entry is None or not getattr(entry, field):
                lacks.append(str(ITEM_TEXT_FIELDS[field]).lower())
                fields.append(field)
        if lacks:
            missing.append(
                Missing(
                    "item",
                    str(
                        _("Item %(number)s %(name)s: %(missing)s.")
                        % {"number": item.number, "name": item.name, "missing": ", ".join(lacks)}
                    ),
                    item_id=item.id,
                    code=MissingCode.ITEM,
                    fields=tuple(fields),
                )
            )
    for standard in standards:
        standard_entry = content.standards.get(str(standard.id))
        lacks = []
        fields = []
        if standard_entry is None or standard_entry.level is None:
            lacks.append(str(_("the level of the standard")))
            fields.append("level")
        for field, field_label in STANDARD_TEXT_FIELDS.items():
            if standard_entry is None or not getattr(standard_entry, field):
                lacks.append(str(field_label).lower())
                fields.append(field)
        if lacks:
            missing.append(
                Missing(
                    "standard",
                    str(
                        _("Standard %(number)s as a whole: %(missing)s.")
                        % {"number": standard.number, "missing": ", ".join(lacks)}
                    ),
                    standard_id=standard.id,
                    code=MissingCode.STANDARD,
                    fields=tuple(fields),
                )
            )
    for field in REQUIRED_SUMMARY:
        if not getattr(content.summary, field):
            missing.append(
                Missing(
                    "summary",
                    str(_("Summary: %(part)s.") % {"part": SUMMARY_FIELDS[field]}),
                    code=MissingCode.SUMMARY,
                    fields=(field,),
                )
            )
    if not has_document:
        missing.append(
            Missing(
                "document",
                str(_("The full SAR document as a PDF file.")),
                code=MissingCode.DOCUMENT,
            )
        )
    return missing
