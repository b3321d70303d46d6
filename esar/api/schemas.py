"""Typed input and output of the API; the OpenAPI document is generated from these."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from esar.accounts.roles import Role
from esar.organizations.models import (
    EducationLevel,
    Institution,
    InstitutionKind,
    LaoType,
    LaoTypeChange,
    LocalAuthority,
    Province,
)


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    location: str = Field(..., description="query, path or body")
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


# --- Tokens and the caller ------------------------------------------------------------------


class TokenIn(Schema):
    # No NUL: the database refuses it, and no username or password contains one.
    username: str = Field(..., min_length=1, max_length=150, pattern=r"^[^\x00]+$")
    password: str = Field(..., min_length=1, max_length=4096, pattern=r"^[^\x00]+$")
    totp: str | None = Field(
        None,
        pattern=r"^[0-9]{6}$",
        description=(
            "The six-digit code of the account's authenticator app. Required when DLA requires a "
            "second factor and the account is a DLA administrator, DLA analyst or province "
            "supervisor (the app is set up at the first web log-in); ignored otherwise."
        ),
    )
    device: str | None = Field(
        None,
        max_length=100,
        pattern=r"^[A-Za-z0-9_-]+$",
        description=(
            "The `device` key an earlier token answer gave this script for this account. With "
            "it, wrong passwords sent by others from the same address (an office NAT) do not "
            "lock the script out: its own failures are counted apart."
        ),
    )


class TokenOut(Schema):
    token: str = Field(..., description="Send as 'Authorization: Bearer <token>'. Shown once.")
    expires_at: datetime
    username: str
    role: Role | None
    organization_code: str
    device: str = Field(
        ...,
        description=(
            "This script's device key for the account: keep it (like a password) and send it as "
            "`device` with the next token request."
        ),
    )


class OrganizationOut(Schema):
    type: Literal["agency", "province_office", "lao", "institution"]
    code: str
    name_th: str
    name_en: str


class MeOut(Schema):
    username: str
    display_name: str
    email: str
    role: Role | None
    role_label: str
    organization: OrganizationOut | None
    token_expires_at: datetime


# --- Registry -------------------------------------------------------------------------------


class ProvinceOut(Schema):
    code: str
    name_th: str
    name_en: str
    region: Province.Region
    region_label: str

    @staticmethod
    def resolve_region_label(obj: Province) -> str:
        return str(obj.get_region_display())


class ProvinceDetailOut(ProvinceOut):
    lao_count: int = Field(..., description="LAOs of the province that the caller may see.")
    institution_count: int = Field(
        ..., description="Institutions of the province that the caller may see."
    )


class LaoOut(Schema):
    code: str
    name_th: str
    name_en: str
    lao_type: LaoType
    lao_type_label: str
    province_code: str
    district: str
    is_active: bool

    @staticmethod
    def resolve_lao_type_label(obj: LocalAuthority) -> str:
        return str(obj.get_lao_type_display())

    @staticmethod
    def resolve_province_code(obj: LocalAuthority) -> str:
        return obj.province_id


class LaoTypeChangeOut(Schema):
    from_type: LaoType | None
    from_type_label: str
    to_type: LaoType
    to_type_label: str
    effective_date: date | None
    recorded_at: datetime
    source: str

    @staticmethod
    def resolve_from_type(obj: LaoTypeChange) -> str | None:
        return obj.from_type or None

    @staticmethod
    def resolve_from_type_label(obj: LaoTypeChange) -> str:
        return str(obj.get_from_type_display()) if obj.from_type else ""

    @staticmethod
    def resolve_to_type_label(obj: LaoTypeChange) -> str:
        return str(obj.get_to_type_display())


class LaoDetailOut(LaoOut):
    institution_count: int = Field(..., description="Institutions of the LAO the caller may see.")
    type_changes: list[LaoTypeChangeOut] = Field(..., description="Newest first.")


class InstitutionOut(Schema):
    code: str = Field(..., description="The 10-digit Ministry of Education code.")
    onesqa_code: str
    name_th: str
    name_en: str
    kind: InstitutionKind
    kind_label: str
    lao_code: str
    province_code: str
    levels: list[EducationLevel] = Field(..., description="The levels taught.")
    district: str
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj: Institution) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_lao_code(obj: Institution) -> str:
        return obj.lao.code

    @staticmethod
    def resolve_province_code(obj: Institution) -> str:
        return obj.lao.province_id


# --- Query parameters: the same names as the page filters -------------------------------------


class ProvinceFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Code or part of a name.")
    region: Province.Region | None = None


class LaoFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Code or part of a name.")
    province: str | None = Field(None, max_length=2, description="Province code.")
    lao_type: LaoType | None = None
    active: bool | None = None


class InstitutionFilters(Schema):
    q: str | None = Field(
        None, max_length=200, description="MOE code, ONESQA code or part of a name."
    )
    province: str | None = Field(None, max_length=2, description="Province code.")
    lao: str | None = Field(None, max_length=7, description="LAO code.")
    kind: InstitutionKind | None = None
    level: EducationLevel | None = Field(None, description="A level taught.")
    active: bool | None = None
    target_group: bool | None = Field(
        None,
        description=(
            "true: only institutions in the target group for external assessment of `year` "
            "(never assessed by ONESQA, or last assessed at least the year's number of years "
            "before semester 1 opened); false: only those outside it."
        ),
    )
    year: int | None = Field(
        None,
        ge=2500,
        le=2700,
        description="Academic year (B.E.) of `target_group`; by default the current year.",
    )


def file_answer(description: str, *content_types: str) -> dict[str, Any]:
    """`openapi_extra` of an operation whose 200 is a file download, in any of these types."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            "200": {
                "description": description,
                "content": dict.fromkeys(content_types, binary),
            }
        }
    }
