"""Reading and checking a registry file: LAO tables and institution tables, in any sheets.

Every row is checked into a compact record before anything is written; then what needs every row
at once: an institution's LAO in the file or the registry, an ONESQA code held by one institution.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from esar.core.tabular import (
    Cells,
    FileReader,
    Layout,
    Progress,
    RowError,
    Table,
    chunks,
    header_lookup,
    is_blank,
    layout_of,
    match_key,
    parse_date,
    text,
)
from esar.organizations.importing.columns import (
    COLUMNS,
    DUPLICATE_CODE,
    DUPLICATE_CODE_SHEET,
    DUPLICATE_ONESQA,
    DUPLICATE_ONESQA_SHEET,
    FILE_NO_TABLE,
    HEADER_UNKNOWN,
    LAO_NOT_FOUND,
    ONESQA_TAKEN,
    WORDING,
    RowKind,
)
from esar.organizations.importing.values import (
    parse_institution_code,
    parse_kind,
    parse_lao_code,
    parse_lao_code_shape,
    parse_lao_type,
    parse_levels,
    parse_onesqa_code,
    parse_province,
    province_lookup,
)
from esar.organizations.models import Institution, LocalAuthority, Province

_HEADERS = {kind: header_lookup(columns) for kind, columns in COLUMNS.items()}
_NAME = text(255)


@dataclass(slots=True)
class LaoRow:
    sheet: str
    row: int
    code: str
    name_th: str
    province: str
    lao_type: str
    # None: the file has no such column, so the stored value stays as it is.
    name_en: str | None = None
    district: str | None = None
    effective_date: dt.date | None = None


@dataclass(slots=True)
class InstitutionRow:
    sheet: str
    row: int
    code: str
    name_th: str
    kind: str
    lao_code: str
    levels: frozenset[str]
    onesqa_code: str | None = None
    name_en: str | None = None
    district: str | None = None


def classify_header(header: Sequence[object]) -> RowKind | None:
    """The kind of table a header announces, by the columns only one kind has."""
    scores = dict.fromkeys(RowKind, 0)
    for cell in header:
        key = match_key(cell)
        owners = [kind for kind in RowKind if key and key in _HEADERS[kind]]
        if len(owners) == 1:
            scores[owners[0]] += 1
    best = max(scores.values())
    winners = [kind for kind, score in scores.items() if score == best]
    return winners[0] if best and len(winners) == 1 else None


class RegistryReader(FileReader):
    """A registry file read and checked: its rows, ready to write, or its errors."""

    wording = WORDING
    header_unknown = HEADER_UNKNOWN
    no_table = FILE_NO_TABLE

    def __init__(self, *, progress: Progress | None = None) -> None:
        super().__init__(progress=progress)
        self.laos: list[LaoRow] = []
        self.institutions: list[InstitutionRow] = []
        # Institutions of the file whose current ONESQA code passes to another row of the file.
        self.onesqa_released: set[str] = set()
        provinces = list(Province.objects.values_list("code", "name_th", "name_en"))
        self.province_codes = frozenset(code for code, _th, _en in provinces)
        self.provinces = province_lookup(provinces)
        self.lao_rows: dict[str, tuple[str, int]] = {}
        self.institution_rows: dict[str, tuple[str, int]] = {}
        self.onesqa_rows: dict[str, tuple[str, str, int, str]] = {}
        self.onesqa_of: dict[str, str] = {}
        self.lao_refs: dict[str, list[tuple[str, int, str]]] = defaultdict(list)

    def knows_any(self, header: Sequence[object]) -> bool:
        return any(match_key(cell) in _HEADERS[kind] for cell in header for kind in RowKind)

    def layout(self, table: Table) -> Layout | None:
        kind = classify_header(table.header)
        if kind is None:
            self.errors.add(RowError(HEADER_UNKNOWN, row=1, sheet=table.sheet))
            return None
        return layout_of(
            kind, COLUMNS[kind], _HEADERS[kind], table.header, table.sheet, self.errors
        )

    def order(self, layouts: list[tuple[Table, Layout]]) -> list[tuple[Table, Layout]]:
        # LAOs first, so that institutions may name LAOs created by the same file.
        return sorted(layouts, key=lambda item: item[1].kind is not RowKind.LAO)

    def read_row(self, cells: Cells) -> None:
        if cells.layout.kind is RowKind.LAO:
            self.read_lao(cells)
        else:
            self.read_institution(cells)

    def after_rows(self, *, header_errors: bool) -> None:
        if not header_errors:
            # With an unreadable LAO sheet every institution would miss its LAO: one error is enough.
            self.check_lao_references()
        self.check_onesqa_codes()

    def duplicate(
        self, cells: Cells, name: str, value: str, first: tuple[str, int], kind: str
    ) -> None:
        sheet, row = first
        if sheet == cells.sheet:
            msgid = DUPLICATE_CODE if kind == "code" else DUPLICATE_ONESQA
            cells.fail(name, msgid, value=value, other=row)
        else:
            msgid = DUPLICATE_CODE_SHEET if kind == "code" else DUPLICATE_ONESQA_SHEET
            cells.fail(name, msgid, value=value, other=row, sheet=sheet)

    def read_lao(self, cells: Cells) -> None:
        code = cells.get("code", lambda v: parse_lao_code(v, self.province_codes), required=True)
        name_th = cells.get("name_th", _NAME, required=True)
        province = cells.get("province", lambda v: parse_province(v, self.provinces), required=True)
        lao_type = cells.get("lao_type", parse_lao_type, required=True)
        name_en = cells.optional_text("name_en", limit=255)
        district = cells.optional_text("district", limit=100)
        effective_date = cells.get("type_effective_date", parse_date)
        if code is not None:
            first = self.lao_rows.setdefault(code, (cells.sheet, cells.row))
            if first != (cells.sheet, cells.row):
                self.duplicate(cells, "code", code, first, "code")
        if (
            cells.ok
            and code is not None
            and name_th is not None
            and province is not None
            and lao_type is not None
        ):
            self.laos.append(
                LaoRow(
                    cells.sheet,
                    cells.row,
                    code,
                    name_th,
                    province,
                    lao_type,
                    name_en=name_en,
                    district=district,
                    effective_date=effective_date,
                )
            )

    def read_institution(self, cells: Cells) -> None:
        code = cells.get("code", parse_institution_code, required=True)
        onesqa_code = cells.get("onesqa_code", parse_onesqa_code)
        if (
            onesqa_code is None
            and cells.present("onesqa_code")
            and is_blank(cells.raw("onesqa_code"))
        ):
            onesqa_code = ""
        name_th = cells.get("name_th", _NAME, required=True)
        kind = cells.get("kind", parse_kind, required=True)
        lao_code = cells.get("lao_code", parse_lao_code_shape, required=True)
        levels = cells.get("levels", parse_levels, required=True)
        name_en = cells.optional_text("name_en", limit=255)
        district = cells.optional_text("district", limit=100)
        if code is not None:
            first = self.institution_rows.setdefault(code, (cells.sheet, cells.row))
            if first != (cells.sheet, cells.row):
                self.duplicate(cells, "code", code, first, "code")
            if onesqa_code is not None:
                self.onesqa_of[code] = onesqa_code
        if onesqa_code and code is not None:
            column = cells.layout.names["onesqa_code"]
            claim = self.onesqa_rows.setdefault(onesqa_code, (code, cells.sheet, cells.row, column))
            if claim[0] != code:
                self.duplicate(cells, "onesqa_code", onesqa_code, (claim[1], claim[2]), "onesqa")
        if lao_code is not None and lao_code not in self.lao_rows:
            self.lao_refs[lao_code].append((cells.sheet, cells.row, cells.layout.names["lao_code"]))
        if (
            cells.ok
            and code is not None
            and name_th is not None
            and kind is not None
            and lao_code is not None
            and levels is not None
        ):
            self.institutions.append(
                InstitutionRow(
                    cells.sheet,
                    cells.row,
                    code,
                    name_th,
                    kind,
                    lao_code,
                    levels,
                    onesqa_code=onesqa_code,
                    name_en=name_en,
                    district=district,
                )
            )

    def check_lao_references(self) -> None:
        """Institutions whose LAO is in neither the file nor the database."""
        for chunk in chunks(list(self.lao_refs)):
            known = set(
                LocalAuthority.objects.filter(code__in=chunk).values_list("code", flat=True)
            )
            for code in chunk:
                if code in known:
                    continue
                for sheet, row, column in self.lao_refs[code]:
                    self.errors.add(RowError(LAO_NOT_FOUND, {"value": code}, row, column, sheet))

    def check_onesqa_codes(self) -> None:
        """An ONESQA code claimed in the file but held by another institution that keeps it."""
        for chunk in chunks(list(self.onesqa_rows)):
            holders = Institution.objects.filter(onesqa_code__in=chunk).values_list(
                "onesqa_code", "code", "name_th"
            )
            for onesqa_code, holder, holder_name in holders:
                claimant, sheet, row, column = self.onesqa_rows[onesqa_code]
                if holder == claimant:
                    continue
                if holder in self.onesqa_of and self.onesqa_of[holder] != onesqa_code:
                    self.onesqa_released.add(holder)
                    continue
                self.errors.add(
                    RowError(
                        ONESQA_TAKEN,
                        {"value": onesqa_code, "other": f"{holder} {holder_name}"},
                        row,
                        column,
                        sheet,
                    )
                )
