"""Writing a checked registry file: LAOs (with their type history), then institutions.

Rows are compared with the database by code, a chunk at a time, and created or updated in bulk;
every created or changed row gets an audit event naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone

from esar.core.models import AuditEvent
from esar.core.tabular import (
    AUDIT_SOURCE,
    Counts,
    FileImportResult,
    apply_values,
    bulk_save,
    chunks,
    import_event,
)
from esar.organizations.importing.checking import InstitutionRow, LaoRow
from esar.organizations.importing.columns import (
    LABEL_INSTITUTIONS,
    LABEL_LAOS,
    LABEL_TYPE_CHANGES,
    REGISTRY_CHANGED,
)
from esar.organizations.models import (
    EducationLevel,
    Institution,
    LaoTypeChange,
    LocalAuthority,
)

if TYPE_CHECKING:
    from esar.accounts.models import User

LAO_FIELDS = ["name_th", "name_en", "lao_type", "province_id", "district", "updated_at"]
INSTITUTION_FIELDS = [
    "name_th",
    "name_en",
    "onesqa_code",
    "kind",
    "lao_id",
    "teaches_early_childhood",
    "teaches_basic",
    "teaches_vocational",
    "district",
    "updated_at",
]


@dataclass
class ImportResult(FileImportResult):
    audit_action = "registry.imported"
    changed_msgid = REGISTRY_CHANGED

    laos: Counts = field(default_factory=Counts)
    institutions: Counts = field(default_factory=Counts)
    type_changes: int = 0

    def counted(self) -> list[tuple[str, str, Counts]]:
        return [
            ("laos", LABEL_LAOS, self.laos),
            ("institutions", LABEL_INSTITUTIONS, self.institutions),
        ]

    def extra_facts(self) -> list[tuple[str, int]]:
        return [(LABEL_TYPE_CHANGES, self.type_changes)]

    def audit_data(self) -> dict[str, Any]:
        return {
            "laos": self.laos.as_dict(),
            "institutions": self.institutions.as_dict(),
            "type_changes": self.type_changes,
        }

    def forget_writes(self) -> None:
        self.laos, self.institutions, self.type_changes = Counts(), Counts(), 0


def _stored(missing: list[Any]) -> Any:
    return type(missing[0]).objects.filter(code__in=[o.code for o in missing]).only("code")


# How rows created in bulk find their ids where the database does not return them.
_BY_CODE: dict[str, Any] = {"key": attrgetter("code"), "stored": _stored}


class Writer:
    def __init__(
        self,
        *,
        actor: User | None,  # None: an import from the command line
        filename: str,
        result: ImportResult,
    ) -> None:
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.filename = filename
        self.result = result
        self.now = timezone.now()

    def event(
        self, action: str, obj: Any, changes: dict[str, list[Any]] | None = None
    ) -> AuditEvent:
        return import_event(action, obj, actor=self.actor, filename=self.filename, changes=changes)

    def type_change(self, lao: LocalAuthority, from_type: str, row: LaoRow) -> LaoTypeChange:
        return LaoTypeChange(
            lao=lao,
            from_type=from_type,
            to_type=row.lao_type,
            effective_date=row.effective_date,
            recorded_at=self.now,
            recorded_by=self.actor,
            source=AUDIT_SOURCE,
        )

    def write_laos(self, rows: list[LaoRow]) -> None:
        counts = self.result.laos
        for chunk in chunks(rows):
            existing = LocalAuthority.objects.in_bulk([r.code for r in chunk], field_name="code")
            new: list[tuple[LocalAuthority, LaoRow]] = []
            changed: list[LocalAuthority] = []
            history: list[LaoTypeChange] = []
            events: list[AuditEvent] = []
            for row in chunk:
                values: dict[str, Any] = {
                    "name_th": row.name_th,
                    "lao_type": row.lao_type,
                    "province_id": row.province,
                }
                if row.name_en is not None:
                    values["name_en"] = row.name_en
                if row.district is not None:
                    values["district"] = row.district
                lao = existing.get(row.code)
                if lao is None:
                    lao = LocalAuthority(code=row.code, created_at=self.now, updated_at=self.now)
                    apply_values(lao, values)
                    new.append((lao, row))
                    continue
                old_type = lao.lao_type
                changes = apply_values(lao, values)
                if not changes:
                    counts.unchanged += 1
                    continue
                if "lao_type" in changes:
                    history.append(self.type_change(lao, old_type, row))
                lao.updated_at = self.now
                changed.append(lao)
                events.append(self.event("lao.updated", lao, changes))
            created = [lao for lao, _row in new]
            bulk_save(LocalAuthority, created, changed, LAO_FIELDS, **_BY_CODE)
            for lao, row in new:
                history.append(self.type_change(lao, "", row))
                events.append(self.event("lao.created", lao))
            LaoTypeChange.objects.bulk_create(history)
            AuditEvent.objects.bulk_create(events)
            counts.add(created=len(new), updated=len(changed))
            self.result.type_changes += sum(1 for h in history if h.from_type)

    def release_onesqa_codes(self, codes: set[str]) -> dict[str, str]:
        """Clear codes that move between institutions, so that no moment holds one code twice."""
        released: dict[str, str] = {}
        for chunk in chunks(sorted(codes)):
            released.update(
                Institution.objects.filter(code__in=chunk).values_list("code", "onesqa_code")
            )
            Institution.objects.filter(code__in=chunk).update(onesqa_code="")
        return released

    def write_institutions(self, rows: list[InstitutionRow], released: dict[str, str]) -> None:
        counts = self.result.institutions
        for chunk in chunks(rows):
            lao_ids = dict(
                LocalAuthority.objects.filter(code__in={r.lao_code for r in chunk}).values_list(
                    "code", "pk"
                )
            )
            existing = {
                inst.code: inst
                for inst in Institution.objects.filter(code__in=[r.code for r in chunk]).annotate(
                    current_lao_code=F("lao__code")
                )
            }
            new: list[Institution] = []
            changed: list[Institution] = []
            events: list[AuditEvent] = []
            for row in chunk:
                values: dict[str, Any] = {
                    "name_th": row.name_th,
                    "kind": row.kind,
                    "lao_id": lao_ids[row.lao_code],
                    "teaches_early_childhood": EducationLevel.EARLY_CHILDHOOD in row.levels,
                    "teaches_basic": EducationLevel.BASIC in row.levels,
                    "teaches_vocational": EducationLevel.VOCATIONAL in row.levels,
                }
                for name in ("onesqa_code", "name_en", "district"):
                    if getattr(row, name) is not None:
                        values[name] = getattr(row, name)
                inst = existing.get(row.code)
                if inst is None:
                    created = Institution(code=row.code, created_at=self.now, updated_at=self.now)
                    apply_values(created, values)
                    new.append(created)
                    continue
                if row.code in released:
                    inst.onesqa_code = released[row.code]
                changes = apply_values(inst, values)
                if not changes:
                    counts.unchanged += 1
                    continue
                if "lao_id" in changes:
                    changes["lao"] = [inst.current_lao_code, row.lao_code]
                    del changes["lao_id"]
                inst.updated_at = self.now
                changed.append(inst)
                events.append(self.event("institution.updated", inst, changes))
            bulk_save(Institution, new, changed, INSTITUTION_FIELDS, **_BY_CODE)
            events.extend(self.event("institution.created", inst) for inst in new)
            AuditEvent.objects.bulk_create(events)
            counts.add(created=len(new), updated=len(changed))
