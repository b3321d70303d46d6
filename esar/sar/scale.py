"""Scale data: one submitted SAR per institution for a year, written in bulk.

For benchmarks and load tests only (`seed_demo --scale national --sars YEAR`): the rows are what
`services.submit` would have written — a revision with its ratings, standard sets and document —
but made with a few bulk inserts per thousand institutions instead of dozens of queries per
report. Every report points to one small stored PDF. Institutions that already have a SAR for the
year are left alone, so running it again adds nothing.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from esar.accounts.models import User
from esar.cycles.models import AcademicYear
from esar.organizations.models import EducationLevel, Institution
from esar.sar.content import content_sha256
from esar.sar.demo import blank_pdf
from esar.sar.models import (
    Attachment,
    AttachmentKind,
    Revision,
    RevisionRating,
    RevisionStandardRating,
    RevisionStandardSet,
    Sar,
    SarStandardSet,
    SarStatus,
)
from esar.standards.models import QualityLevel, Standard, StandardItem, StandardSet

CHUNK = 1000
SEED_USERNAME = "scale.seeder"


def _rank(code: str, item_id: int) -> int:
    """A deterministic level 2–5, most often 4 (what real reports look like)."""
    value = zlib.crc32(f"{code}:{item_id}".encode()) % 10
    return (2, 3, 3, 4, 4, 4, 4, 5, 5, 5)[value]


def seed_submitted_sars(
    year: AcademicYear, *, progress: Callable[[int, int], None] | None = None
) -> int:
    """Create a submitted SAR (revision 1) for every active institution without one for `year`."""
    seeder, _created = User.objects.get_or_create(
        username=SEED_USERNAME, defaults={"first_name": "Scale", "last_name": "Seeder"}
    )
    sets = {
        level: StandardSet.objects.in_force(level, year.year) for level in EducationLevel.values
    }
    items_of_set: dict[int, list[int]] = {}
    for item_id, set_id in StandardItem.objects.values_list("pk", "standard__standard_set_id"):
        items_of_set.setdefault(set_id, []).append(item_id)
    standards_of_set: dict[int, list[int]] = {}
    for standard_id, set_id in Standard.objects.values_list("pk", "standard_set_id"):
        standards_of_set.setdefault(set_id, []).append(standard_id)
    levels = {(level.standard_set_id, level.rank): level.pk for level in QualityLevel.objects.all()}
    data = blank_pdf()
    sha = hashlib.sha256(data).hexdigest()
    name = f"sar/scale/{sha}.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))

    pending = (
        Institution.objects.filter(is_active=True)
        .exclude(sars__year=year)
        .values_list("pk", "code", "teaches_early_childhood", "teaches_basic", "teaches_vocational")
        .order_by("pk")
    )
    total = pending.count()
    done = 0
    now = timezone.now()
    rows = list(pending)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        with transaction.atomic():
            _seed_chunk(
                chunk,
                year,
                sets,
                items_of_set,
                standards_of_set,
                levels,
                seeder,
                name,
                sha,
                len(data),
                now,
            )
        done += len(chunk)
        if progress:
            progress(done, total)
    return done


def _seed_chunk(
    chunk: list[tuple[Any, ...]],
    year: AcademicYear,
    sets: dict[str, StandardSet | None],
    items_of_set: dict[int, list[int]],
    standards_of_set: dict[int, list[int]],
    levels: dict[tuple[int, int], int],
    seeder: User,
    file_name: str,
    sha: str,
    size: int,
    now: Any,
) -> None:
    plans: list[tuple[int, str, list[StandardSet]]] = []
    for pk, code, early, basic, vocational in chunk:
        taught = [
            standard_set
            for level, flag in (
                (EducationLevel.EARLY_CHILDHOOD, early),
                (EducationLevel.BASIC, basic),
                (EducationLevel.VOCATIONAL, vocational),
            )
            if flag and (standard_set := sets.get(level)) is not None
        ]
        plans.append((pk, code, taught))

    contents: list[dict[str, Any]] = []
    for _pk, code, plan_sets in plans:
        items = {
            str(item_id): {
                "level": _rank(code, item_id),
                "target": 3,
                "how": "ดำเนินโครงการตามแผนปฏิบัติการประจำปี",
                "results": "บรรลุค่าเป้าหมายที่กำหนด",
                "evidence": "",
            }
            for standard_set in plan_sets
            for item_id in items_of_set.get(standard_set.pk, [])
        }
        contents.append(
            {
                "basic_data": {"as_of": None, "students": {}, "staff": {}, "tests": []},
                "items": items,
                "standards": {
                    str(standard_id): {
                        "level": _rank(code, standard_id),
                        "strengths": "ผู้เรียนมีสุขภาวะที่ดี",
                        "improvements": "การใช้เทคโนโลยีในการเรียนรู้",
                    }
                    for standard_set in plan_sets
                    for standard_id in standards_of_set.get(standard_set.pk, [])
                },
                "summary": {
                    "strengths": "ครูและบุคลากรมีความตั้งใจ",
                    "improvements": "ทักษะการอ่านของผู้เรียน",
                    "plan": "โครงการส่งเสริมการอ่าน",
                    "help_needed": "",
                },
            }
        )

    sars = Sar.objects.bulk_create(
        [
            Sar(institution_id=pk, year=year, status=SarStatus.DRAFT, content=content, version=2)
            for (pk, _code, _sets), content in zip(plans, contents, strict=True)
        ]
    )
    SarStandardSet.objects.bulk_create(
        [
            SarStandardSet(sar=sar, standard_set=standard_set)
            for sar, (_pk, _code, plan_sets) in zip(sars, plans, strict=True)
            for standard_set in plan_sets
        ]
    )
    documents = Attachment.objects.bulk_create(
        [
            Attachment(
                sar=sar,
                kind=AttachmentKind.DOCUMENT,
                file=file_name,
                original_name="SAR.pdf",
                size=size,
                sha256=sha,
                page_count=1,
                uploaded_by=seeder,
                uploaded_at=now,
            )
            for sar in sars
        ]
    )
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                sar=sar,
                number=1,
                content=content,
                content_sha256=content_sha256(
                    {"content": content, "document": sha, "evidence": []}
                ),
                document=document,
                submitted_at=now,
                submitted_by=seeder,
                is_late=year.is_late("sar_submission", now),
            )
            for sar, document, content in zip(sars, documents, contents, strict=True)
        ]
    )
    RevisionStandardSet.objects.bulk_create(
        [
            RevisionStandardSet(revision=revision, standard_set=standard_set)
            for revision, (_pk, _code, plan_sets) in zip(revisions, plans, strict=True)
            for standard_set in plan_sets
        ]
    )
    set_of_item = {
        item_id: set_id for set_id, item_ids in items_of_set.items() for item_id in item_ids
    }
    RevisionRating.objects.bulk_create(
        [
            RevisionRating(
                revision=revision,
                item_id=int(key),
                level_id=levels[(set_of_item[int(key)], entry["level"])],
                target_id=levels[(set_of_item[int(key)], entry["target"])],
            )
            for revision, content in zip(revisions, contents, strict=True)
            for key, entry in content["items"].items()
        ],
        batch_size=5000,
    )
    set_of_standard = {
        standard_id: set_id
        for set_id, standard_ids in standards_of_set.items()
        for standard_id in standard_ids
    }
    RevisionStandardRating.objects.bulk_create(
        [
            RevisionStandardRating(
                revision=revision,
                standard_id=int(key),
                level_id=levels[(set_of_standard[int(key)], entry["level"])],
            )
            for revision, content in zip(revisions, contents, strict=True)
            for key, entry in content["standards"].items()
        ],
        batch_size=5000,
    )
    for sar, document, revision in zip(sars, documents, revisions, strict=True):
        sar.status = SarStatus.SUBMITTED
        sar.document = document
        sar.current_revision = revision
        sar.updated_at = now
    Sar.objects.bulk_update(sars, ["status", "document", "current_revision", "updated_at"])
