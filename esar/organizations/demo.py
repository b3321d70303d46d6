"""Demo data: a small believable world for trainers and `make run`, and a national-scale registry.

The provinces are real (loaded by migration); every local authority, institution and person here is
invented. Place names are built from common Thai place-name syllables so they read naturally without
naming a real municipality; people get common given names and made-up surnames.

Both builders are idempotent: rows are identified by deterministic codes and a re-run creates only
what is missing. The two worlds share one code space without overlapping: the small world uses
serials below `NATIONAL_SERIAL_START` (LAOs) and `NATIONAL_INSTITUTION_SERIAL_START`
(institutions); the national world uses the rest. Both give a province's PAO the same code
(1 + province + 0001), so the national world adopts the small world's PAOs instead of adding a
second PAO to a province.

Why one module past 400 lines: about half of it is the small world's invented rows, and the
national generator stays beside them because the two worlds share that one code space; the
seeding commands (and other apps' demo data) read both through this one module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from esar.accounts.models import User
from esar.accounts.roles import Role
from esar.accounts.services import create_account
from esar.core import audit
from esar.organizations.models import (
    Agency,
    Institution,
    InstitutionKind,
    LaoType,
    LaoTypeChange,
    LocalAuthority,
    Province,
    ProvincialOffice,
)
from esar.organizations.reference import BANGKOK_CODE

# One password for every demo account, printed by `manage.py demo_accounts`.
DEMO_PASSWORD = "esar-demo-2569"  # noqa: S105 - published on purpose, refused in production
DEMO_EMAIL_DOMAIN = "example.com"
SMALL_SOURCE = "demo"
NATIONAL_SOURCE = "demo-national"

# The first digit of an LAO code follows the type the LAO had when it was coded.
TYPE_DIGIT = {
    LaoType.PAO: "1",
    LaoType.CITY_MUNICIPALITY: "2",
    LaoType.TOWN_MUNICIPALITY: "3",
    LaoType.SUBDISTRICT_MUNICIPALITY: "5",
    LaoType.SAO: "6",
}
# The Ministry of Education affiliation prefix of institutions under DLA.
DLA_AFFILIATION = "30"

Progress = Callable[[str], None]
T = TypeVar("T")


# --- The small world --------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLao:
    code: str
    name_th: str
    name_en: str
    lao_type: LaoType
    district: str
    # An upgraded LAO keeps the code of its former type.
    upgraded_from: LaoType | None = None
    upgraded_on: date | None = None

    @property
    def province_code(self) -> str:
        return self.code[1:3]


@dataclass(frozen=True)
class DemoInstitution:
    code: str
    name_th: str
    name_en: str
    kind: InstitutionKind
    lao_code: str
    early_childhood: bool = False
    basic: bool = False
    vocational: bool = False
    has_onesqa_code: bool = True

    @property
    def onesqa_code(self) -> str:
        return onesqa_code_for(self.code) if self.has_onesqa_code else ""


DEMO_PROVINCES = ("50", "40", "90")

_PAO, _CITY, _TOWN = LaoType.PAO, LaoType.CITY_MUNICIPALITY, LaoType.TOWN_MUNICIPALITY
_SUBM, _SAO = LaoType.SUBDISTRICT_MUNICIPALITY, LaoType.SAO

DEMO_LAOS: tuple[DemoLao, ...] = (
    # Chiang Mai (50)
    DemoLao(
        "1500001",
        "องค์การบริหารส่วนจังหวัดเชียงใหม่",
        "Chiang Mai Provincial Administrative Organisation",
        _PAO,
        "",
    ),
    DemoLao("2500001", "เทศบาลนครดอยคำ", "Doi Kham City Municipality", _CITY, "ดอยคำ"),
    DemoLao(
        "5500001",
        "เทศบาลตำบลห้วยฟ้าคราม",
        "Huai Fa Khram Subdistrict Municipality",
        _SUBM,
        "เวียงฟ้า",
    ),
    DemoLao(
        "6500001",
        "องค์การบริหารส่วนตำบลป่าสักงาม",
        "Pa Sak Ngam Subdistrict Administrative Organisation",
        _SAO,
        "ดอยคำ",
    ),
    DemoLao(
        "6500002",
        "เทศบาลตำบลโป่งคำใส",
        "Pong Kham Sai Subdistrict Municipality",
        _SUBM,
        "เวียงฟ้า",
        upgraded_from=_SAO,
        upgraded_on=date(2023, 10, 1),
    ),
    # Khon Kaen (40)
    DemoLao("3400001", "เทศบาลเมืองหนองบัวทอง", "Nong Bua Thong Town Municipality", _TOWN, "บัวทอง"),
    DemoLao(
        "5400001",
        "เทศบาลตำบลโนนศิลาทอง",
        "Non Sila Thong Subdistrict Municipality",
        _SUBM,
        "บัวทอง",
    ),
    DemoLao(
        "6400001",
        "องค์การบริหารส่วนตำบลโคกสว่างใจ",
        "Khok Sawang Chai Subdistrict Administrative Organisation",
        _SAO,
        "โคกสว่างใจ",
    ),
    DemoLao(
        "6400002",
        "องค์การบริหารส่วนตำบลดอนแก้วดารา",
        "Don Kaeo Dara Subdistrict Administrative Organisation",
        _SAO,
        "โคกสว่างใจ",
    ),
    # Songkhla (90)
    DemoLao("3900001", "เทศบาลเมืองท่าสายลม", "Tha Sai Lom Town Municipality", _TOWN, "ท่าสายลม"),
    DemoLao(
        "5900001",
        "เทศบาลตำบลควนทรายงาม",
        "Khuan Sai Ngam Subdistrict Municipality",
        _SUBM,
        "ควนทรายงาม",
    ),
    DemoLao(
        "6900001",
        "องค์การบริหารส่วนตำบลบางหินขาว",
        "Bang Hin Khao Subdistrict Administrative Organisation",
        _SAO,
        "ท่าสายลม",
    ),
)

_SCHOOL, _COLLEGE, _CENTRE = (
    InstitutionKind.SCHOOL,
    InstitutionKind.COLLEGE,
    InstitutionKind.CHILD_CENTRE,
)


def _school(code: str, th: str, en: str, lao: str, *, early: bool = True) -> DemoInstitution:
    return DemoInstitution(code, th, en, _SCHOOL, lao, early_childhood=early, basic=True)


def _centre(code: str, th: str, en: str, lao: str, *, onesqa: bool = True) -> DemoInstitution:
    return DemoInstitution(code, th, en, _CENTRE, lao, early_childhood=True, has_onesqa_code=onesqa)


DEMO_INSTITUTIONS: tuple[DemoInstitution, ...] = (
    # Chiang Mai PAO: secondary schools and a college.
    _school("3050000001", "โรงเรียนดอยคำวิทยาคม", "Doi Kham Witthayakhom School", "1500001", early=False),
    _school("3050000002", "โรงเรียนเวียงฟ้าพิทยาคม", "Wiang Fa Phitthayakhom School", "1500001", early=False),
    DemoInstitution(
        "3050000003",
        "วิทยาลัยเทคโนโลยีดอยคำ",
        "Doi Kham College of Technology",
        _COLLEGE,
        "1500001",
        vocational=True,
    ),
    # Doi Kham city municipality.
    _school("3050000004", "โรงเรียนเทศบาลดอยคำวิทยา", "Doi Kham Witthaya Municipal School", "2500001"),
    _school("3050000005", "โรงเรียนเทศบาลบ้านสันต้นแก้ว", "Ban San Ton Kaeo Municipal School", "2500001"),
    _school("3050000006", "โรงเรียนเทศบาลดอยคำพัฒนา", "Doi Kham Phatthana Municipal School", "2500001", early=False),
    _centre("3050000007", "ศูนย์พัฒนาเด็กเล็กเทศบาลนครดอยคำ", "Doi Kham Municipal Child Development Centre", "2500001"),
    _centre("3050000008", "ศูนย์พัฒนาเด็กเล็กชุมชนสันต้นแก้ว", "San Ton Kaeo Community Child Development Centre", "2500001", onesqa=False),
    # Huai Fa Khram subdistrict municipality.
    _school("3050000009", "โรงเรียนเทศบาลห้วยฟ้าคราม", "Huai Fa Khram Municipal School", "5500001"),
    _centre("3050000010", "ศูนย์พัฒนาเด็กเล็กบ้านห้วยฟ้าคราม", "Ban Huai Fa Khram Child Development Centre", "5500001"),
    _centre("3050000011", "ศูนย์พัฒนาเด็กเล็กบ้านป่าเหมือดงาม", "Ban Pa Mueat Ngam Child Development Centre", "5500001"),
    # Pa Sak Ngam SAO.
    _centre("3050000012", "ศูนย์พัฒนาเด็กเล็กบ้านป่าสักงาม", "Ban Pa Sak Ngam Child Development Centre", "6500001"),
    _centre("3050000013", "ศูนย์พัฒนาเด็กเล็กบ้านดอยแสงแก้ว", "Ban Doi Saeng Kaeo Child Development Centre", "6500001", onesqa=False),
    # Pong Kham Sai, an SAO upgraded to a subdistrict municipality.
    _school("3050000014", "โรงเรียนบ้านโป่งคำใส", "Ban Pong Kham Sai School", "6500002"),
    _centre("3050000015", "ศูนย์พัฒนาเด็กเล็กบ้านโป่งคำใส", "Ban Pong Kham Sai Child Development Centre", "6500002"),
    _centre("3050000016", "ศูนย์พัฒนาเด็กเล็กบ้านทุ่งดอกเอื้อง", "Ban Thung Dok Ueang Child Development Centre", "6500002", onesqa=False),
    # Nong Bua Thong town municipality.
    _school("3040000001", "โรงเรียนเทศบาลหนองบัวทอง", "Nong Bua Thong Municipal School", "3400001"),
    _school("3040000002", "โรงเรียนเทศบาลบ้านโนนดอกคูณ", "Ban Non Dok Khun Municipal School", "3400001", early=False),
    _centre("3040000003", "ศูนย์พัฒนาเด็กเล็กเทศบาลเมืองหนองบัวทอง", "Nong Bua Thong Municipal Child Development Centre", "3400001"),
    _centre("3040000004", "ศูนย์พัฒนาเด็กเล็กชุมชนโนนดอกคูณ", "Non Dok Khun Community Child Development Centre", "3400001", onesqa=False),
    # Non Sila Thong subdistrict municipality.
    _school("3040000005", "โรงเรียนเทศบาลโนนศิลาทอง", "Non Sila Thong Municipal School", "5400001"),
    _centre("3040000006", "ศูนย์พัฒนาเด็กเล็กบ้านโนนศิลาทอง", "Ban Non Sila Thong Child Development Centre", "5400001"),
    _centre("3040000007", "ศูนย์พัฒนาเด็กเล็กบ้านหัวบึงเงิน", "Ban Hua Bueng Ngoen Child Development Centre", "5400001", onesqa=False),
    # Khok Sawang Chai SAO.
    _centre("3040000008", "ศูนย์พัฒนาเด็กเล็กบ้านโคกสว่างใจ", "Ban Khok Sawang Chai Child Development Centre", "6400001"),
    _centre("3040000009", "ศูนย์พัฒนาเด็กเล็กบ้านหนองแคนคำ", "Ban Nong Khaen Kham Child Development Centre", "6400001"),
    _centre("3040000010", "ศูนย์พัฒนาเด็กเล็กบ้านดอนปอแดง", "Ban Don Po Daeng Child Development Centre", "6400001", onesqa=False),
    # Don Kaeo Dara SAO.
    _school("3040000011", "โรงเรียนบ้านดอนแก้วดารา", "Ban Don Kaeo Dara School", "6400002"),
    _centre("3040000012", "ศูนย์พัฒนาเด็กเล็กบ้านดอนแก้วดารา", "Ban Don Kaeo Dara Child Development Centre", "6400002"),
    _centre("3040000013", "ศูนย์พัฒนาเด็กเล็กบ้านโนนหินลาดงาม", "Ban Non Hin Lat Ngam Child Development Centre", "6400002", onesqa=False),
    # Tha Sai Lom town municipality.
    _school("3090000001", "โรงเรียนเทศบาลท่าสายลม", "Tha Sai Lom Municipal School", "3900001"),
    _school("3090000002", "โรงเรียนเทศบาลบ้านหัวเลนทอง", "Ban Hua Len Thong Municipal School", "3900001"),
    _centre("3090000003", "ศูนย์พัฒนาเด็กเล็กเทศบาลเมืองท่าสายลม", "Tha Sai Lom Municipal Child Development Centre", "3900001"),
    _centre("3090000004", "ศูนย์พัฒนาเด็กเล็กชุมชนแหลมทรายทอง", "Laem Sai Thong Community Child Development Centre", "3900001"),
    # Khuan Sai Ngam subdistrict municipality.
    _school("3090000005", "โรงเรียนเทศบาลควนทรายงาม", "Khuan Sai Ngam Municipal School", "5900001"),
    _centre("3090000006", "ศูนย์พัฒนาเด็กเล็กบ้านควนทรายงาม", "Ban Khuan Sai Ngam Child Development Centre", "5900001"),
    _centre("3090000007", "ศูนย์พัฒนาเด็กเล็กบ้านทุ่งเสม็ดงาม", "Ban Thung Samet Ngam Child Development Centre", "5900001", onesqa=False),
    # Bang Hin Khao SAO.
    _centre("3090000008", "ศูนย์พัฒนาเด็กเล็กบ้านบางหินขาว", "Ban Bang Hin Khao Child Development Centre", "6900001"),
    _centre("3090000009", "ศูนย์พัฒนาเด็กเล็กบ้านคลองลมเย็น", "Ban Khlong Lom Yen Child Development Centre", "6900001"),
    _centre("3090000010", "ศูนย์พัฒนาเด็กเล็กบ้านปลายคลองใส", "Ban Plai Khlong Sai Child Development Centre", "6900001", onesqa=False),
    _centre("3090000011", "ศูนย์พัฒนาเด็กเล็กบ้านท่าหินดำงาม", "Ban Tha Hin Dam Ngam Child Development Centre", "6900001", onesqa=False),
)  # fmt: skip

# Common given names and surnames made up from the invented places: nobody real.
_GIVEN_NAMES = (
    "อรวรรณ", "กิตติพงษ์", "สุภาพร", "ธนากร", "วราภรณ์", "ประเสริฐ", "จันทร์เพ็ญ", "สมศักดิ์",
    "พิมพ์ชนก", "ณัฐวุฒิ", "กัลยา", "อนุชา", "รัตนา", "วีระพงษ์", "ศิริพร", "ชาญวิทย์", "นงลักษณ์",
    "ปิยะพงษ์", "มาลัย", "สุรชัย", "ดวงใจ", "เอกชัย", "ปวีณา", "ธีรวัฒน์", "ลำดวน", "บุญมี",
    "กาญจนา", "ไพโรจน์", "อัญชลี", "ทวีศักดิ์", "เพ็ญศรี",
)  # fmt: skip
_SURNAMES = (
    "คำแสงทิพย์", "ศรีหนองบัวทอง", "ดวงดาวดอยคำ", "บุญสายลมเย็น", "ทองโคกสว่าง", "แก้วฟ้าคราม",
    "พรหมโนนศิลา", "สุขท่าสายลม", "ชัยควนทรายงาม", "วงศ์บางหินขาว", "อินทร์ป่าสักงาม",
    "จันทร์ดอนแก้ว", "รุ่งโป่งคำใส", "มณีห้วยฟ้า", "เพชรทุ่งเอื้อง", "ศักดิ์หัวบึงเงิน",
    "นาคคลองลมเย็น", "สิทธิ์แหลมทรายทอง", "ธรรมเวียงฟ้า", "บุญญาโนนดอกคูณ",
)  # fmt: skip


@dataclass(frozen=True)
class DemoAccount:
    """One demo persona: a username, a role and the key of the organisation it belongs to."""

    username: str
    role: Role
    organization_key: str  # agency code, province code, LAO code or institution code
    group: str  # national / province / lao / school, for listing


NATIONAL_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("dla.admin", Role.DLA_ADMIN, "DLA", "national"),
    DemoAccount("dla.analyst", Role.DLA_ANALYST, "DLA", "national"),
    DemoAccount("onesqa.reviewer", Role.ONESQA_REVIEWER, "ONESQA", "national"),
    DemoAccount("helpdesk", Role.HELPDESK, "ONESQA", "national"),
)


def demo_accounts() -> list[DemoAccount]:
    """Every demo persona, in listing order: national, province, LAO, school."""
    return [
        *NATIONAL_ACCOUNTS,
        *(
            DemoAccount(f"prov{code}", Role.PROVINCE_SUPERVISOR, code, "province")
            for code in DEMO_PROVINCES
        ),
        *(DemoAccount(f"lao{lao.code}", Role.LAO_OFFICER, lao.code, "lao") for lao in DEMO_LAOS),
        *(
            DemoAccount(f"school{inst.code}", Role.SCHOOL_OFFICER, inst.code, "school")
            for inst in DEMO_INSTITUTIONS
        ),
    ]


def demo_usernames() -> list[str]:
    return [account.username for account in demo_accounts()]


def person_name(index: int) -> tuple[str, str]:
    """A fictional (given name, surname) pair, the same for the same index."""
    given = _GIVEN_NAMES[index % len(_GIVEN_NAMES)]
    surname = _SURNAMES[(index * 7 + index // len(_GIVEN_NAMES)) % len(_SURNAMES)]
    return given, surname


def onesqa_code_for(moe_code: str) -> str:
    """The demo ONESQA code: province and serial of the MOE code (8 digits, unique with it)."""
    return moe_code[2:]


@dataclass
class SeedResult:
    created: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def _initial_type_changes(
    lao: LocalAuthority,
    *,
    upgraded_from: LaoType | None,
    upgraded_on: date | None,
    source: str,
    now: Any,
) -> list[LaoTypeChange]:
    if upgraded_from is None:
        return [LaoTypeChange(lao=lao, to_type=lao.lao_type, source=source, recorded_at=now)]
    return [
        LaoTypeChange(lao=lao, to_type=upgraded_from, source=source, recorded_at=now),
        LaoTypeChange(
            lao=lao,
            from_type=upgraded_from,
            to_type=lao.lao_type,
            effective_date=upgraded_on,
            source=source,
            recorded_at=now,
        ),
    ]


def _demo_organizations() -> dict[str, dict[str, Any]]:
    return {
        "national": Agency.objects.in_bulk(["DLA", "ONESQA"]),
        "province": ProvincialOffice.objects.in_bulk(list(DEMO_PROVINCES)),
        "lao": LocalAuthority.objects.in_bulk([lao.code for lao in DEMO_LAOS], field_name="code"),
        "school": Institution.objects.in_bulk(
            [inst.code for inst in DEMO_INSTITUTIONS], field_name="code"
        ),
    }


@transaction.atomic
def seed_small_world(
    *,
    actor: User | None = None,  # None: the seed, recorded without an actor
) -> SeedResult:
    """Create what is missing of the small demo world: 3 provinces' LAOs, institutions, accounts."""
    provinces = Province.objects.in_bulk(list(DEMO_PROVINCES))
    missing = sorted(set(DEMO_PROVINCES) - set(provinces))
    if missing:
        raise RuntimeError(f"Provinces {missing} are missing: run `manage.py migrate` first.")
    now = timezone.now()
    result = SeedResult(created={"laos": 0, "institutions": 0, "type_changes": 0, "accounts": 0})

    laos = LocalAuthority.objects.in_bulk([lao.code for lao in DEMO_LAOS], field_name="code")
    changes: list[LaoTypeChange] = []
    for spec in DEMO_LAOS:
        if spec.code in laos:
            continue
        lao = LocalAuthority.objects.create(
            code=spec.code,
            name_th=spec.name_th,
            name_en=spec.name_en,
            lao_type=spec.lao_type,
            province=provinces[spec.province_code],
            district=spec.district,
            created_at=now,
            updated_at=now,
        )
        laos[spec.code] = lao
        changes += _initial_type_changes(
            lao,
            upgraded_from=spec.upgraded_from,
            upgraded_on=spec.upgraded_on,
            source=SMALL_SOURCE,
            now=now,
        )
        result.created["laos"] += 1
    LaoTypeChange.objects.bulk_create(changes)
    result.created["type_changes"] = len(changes)

    existing = set(
        Institution.objects.filter(code__in=[i.code for i in DEMO_INSTITUTIONS]).values_list(
            "code", flat=True
        )
    )
    new_institutions = [
        Institution(
            code=spec.code,
            onesqa_code=spec.onesqa_code,
            name_th=spec.name_th,
            name_en=spec.name_en,
            kind=spec.kind,
            lao=laos[spec.lao_code],
            teaches_early_childhood=spec.early_childhood,
            teaches_basic=spec.basic,
            teaches_vocational=spec.vocational,
            district=laos[spec.lao_code].district,
            created_at=now,
            updated_at=now,
        )
        for spec in DEMO_INSTITUTIONS
        if spec.code not in existing
    ]
    Institution.objects.bulk_create(new_institutions)
    result.created["institutions"] = len(new_institutions)

    accounts = demo_accounts()
    taken = set(
        User.objects.filter(username__in=[a.username for a in accounts]).values_list(
            "username", flat=True
        )
    )
    to_create = [(index, a) for index, a in enumerate(accounts) if a.username not in taken]
    if to_create:
        organizations = _demo_organizations()
        # Argon2 is deliberately slow: hash the shared password once for all accounts.
        password_hash = make_password(DEMO_PASSWORD)
        for index, account in to_create:
            given, surname = person_name(index)
            create_account(
                username=account.username,
                password=None,
                password_hash=password_hash,
                role=account.role,
                organization=organizations[account.group][account.organization_key],
                first_name=given,
                last_name=surname,
                email=f"{account.username}@{DEMO_EMAIL_DOMAIN}",
                actor=actor,
            )
    result.created["accounts"] = len(to_create)

    result.totals = {
        "provinces": len(DEMO_PROVINCES),
        "laos": len(DEMO_LAOS),
        "institutions": len(DEMO_INSTITUTIONS),
        "accounts": len(accounts),
    }
    if result.changed:
        audit.record(
            action="demo.seeded",
            actor=actor,
            data={"scale": "small", "created": result.created, "totals": result.totals},
        )
    return result


# --- The national world -----------------------------------------------------------------------

# DLA's counts of June 2020 (domain.md): one PAO per province besides Bangkok, then these.
NATIONAL_TYPE_COUNTS: dict[LaoType, int] = {
    LaoType.CITY_MUNICIPALITY: 30,
    LaoType.TOWN_MUNICIPALITY: 190,
    LaoType.SUBDISTRICT_MUNICIPALITY: 2242,
    LaoType.SAO: 5312,
}
NATIONAL_LAOS = 76 + sum(NATIONAL_TYPE_COUNTS.values())  # 7,850
NATIONAL_INSTITUTIONS = 20_000
BATCH_SIZE = 2_000
# Serials at or above these belong to the national world; the small world stays below.
NATIONAL_SERIAL_START = 100
NATIONAL_INSTITUTION_SERIAL_START = 100_000
PAO_SERIAL = 1
# Every fifth subdistrict municipality was an SAO and kept its SAO code when upgraded.
UPGRADED_EVERY = 5

# More LAOs in the large rural regions; the rest is a fixed per-province jitter.
_REGION_WEIGHT = {
    "northeast": 1.6,
    "north": 1.1,
    "south": 0.9,
    "west": 0.9,
    "central": 0.8,
    "east": 0.8,
}
# How many institutions an LAO of each type runs, relative to the others.
_INSTITUTIONS_PER_TYPE = {
    LaoType.PAO: 6.0,
    LaoType.CITY_MUNICIPALITY: 12.0,
    LaoType.TOWN_MUNICIPALITY: 6.0,
    LaoType.SUBDISTRICT_MUNICIPALITY: 2.5,
    LaoType.SAO: 2.3,
}

# Place-name syllables (Thai, romanised): 24 × 20 × 15 = 7,200 names.
_FIRST = (
    ("หนอง", "Nong"), ("ดอน", "Don"), ("โคก", "Khok"), ("ท่า", "Tha"), ("บ่อ", "Bo"),
    ("ห้วย", "Huai"), ("ทุ่ง", "Thung"), ("วัง", "Wang"), ("บึง", "Bueng"), ("ดอย", "Doi"),
    ("เวียง", "Wiang"), ("ป่า", "Pa"), ("โนน", "Non"), ("นา", "Na"), ("ควน", "Khuan"),
    ("คลอง", "Khlong"), ("บาง", "Bang"), ("แหลม", "Laem"), ("เขา", "Khao"), ("สระ", "Sa"),
    ("ลำ", "Lam"), ("โพน", "Phon"), ("หาด", "Hat"), ("เนิน", "Noen"),
)  # fmt: skip
_MIDDLE = (
    ("บัว", "Bua"), ("แก้ว", "Kaeo"), ("ทราย", "Sai"), ("หิน", "Hin"), ("ไผ่", "Phai"),
    ("ยาง", "Yang"), ("ตะเคียน", "Takhian"), ("สัก", "Sak"), ("มะขาม", "Makham"),
    ("ขนุน", "Khanun"), ("จันทร์", "Chan"), ("เงิน", "Ngoen"), ("ฟ้า", "Fa"), ("ลม", "Lom"),
    ("เมฆ", "Mek"), ("ดาว", "Dao"), ("ข่า", "Kha"), ("กระทิง", "Krathing"), ("เต่า", "Tao"),
    ("นกยูง", "Nok Yung"),
)  # fmt: skip
_LAST = (
    ("ทอง", "Thong"), ("งาม", "Ngam"), ("ใส", "Sai"), ("คำ", "Kham"), ("เย็น", "Yen"),
    ("หอม", "Hom"), ("พัฒนา", "Phatthana"), ("สว่าง", "Sawang"), ("ศรี", "Si"), ("ดี", "Di"),
    ("เจริญ", "Charoen"), ("สามัคคี", "Samakkhi"), ("รุ่งเรือง", "Rung Rueang"),
    ("สายลม", "Sai Lom"), ("ทิพย์", "Thip"),
)  # fmt: skip
_PLACES = len(_FIRST) * len(_MIDDLE) * len(_LAST)

_LAO_NAMES = {
    LaoType.CITY_MUNICIPALITY: ("เทศบาลนคร{}", "{} City Municipality"),
    LaoType.TOWN_MUNICIPALITY: ("เทศบาลเมือง{}", "{} Town Municipality"),
    LaoType.SUBDISTRICT_MUNICIPALITY: ("เทศบาลตำบล{}", "{} Subdistrict Municipality"),
    LaoType.SAO: ("องค์การบริหารส่วนตำบล{}", "{} Subdistrict Administrative Organisation"),
}
_PAO_NAME = ("องค์การบริหารส่วนจังหวัด{}", "{} Provincial Administrative Organisation")


def place_name(province_index: int, k: int) -> tuple[str, str]:
    """The k-th invented place name of a province (Thai, English); distinct for k < 7,200."""
    # 7919 is prime and does not divide 7,200, so k -> index is one-to-one within a province.
    index = (province_index * 1009 + k * 7919) % _PLACES
    first, rest = divmod(index, len(_MIDDLE) * len(_LAST))
    middle, last = divmod(rest, len(_LAST))
    parts = (_FIRST[first], _MIDDLE[middle], _LAST[last])
    return "".join(p[0] for p in parts), " ".join(p[1] for p in parts)


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder), summing exactly."""
    if total <= 0 or not weights:
        return [0] * len(weights)
    weight_sum = float(sum(weights))
    quotas = [total * w / weight_sum for w in weights]
    shares = [int(q) for q in quotas]
    left = total - sum(shares)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in by_remainder[:left]:
        shares[i] += 1
    return shares


def province_weight(code: str, region: str) -> float:
    jitter = 0.6 + ((int(code) * 7919) % 97) / 97 * 0.9
    return _REGION_WEIGHT.get(region, 1.0) * jitter


@dataclass(frozen=True)
class ProvinceRow:
    code: str
    name_th: str
    name_en: str
    region: str


@dataclass(frozen=True)
class LaoPlan:
    code: str
    name_th: str
    name_en: str
    lao_type: LaoType
    province_code: str
    province_index: int
    upgraded_on: date | None = None  # set when an SAO became this subdistrict municipality


@dataclass(frozen=True)
class InstitutionPlan:
    code: str
    onesqa_code: str
    name_th: str
    name_en: str
    kind: InstitutionKind
    lao_code: str
    early_childhood: bool
    basic: bool
    vocational: bool


def plan_national_laos(provinces: Sequence[ProvinceRow], total: int) -> list[LaoPlan]:
    """`total` LAOs over the provinces: a PAO in each, then the national type mix, by weight."""
    provinces = sorted((p for p in provinces if p.code != BANGKOK_CODE), key=lambda p: p.code)
    pao_count = min(total, len(provinces))
    type_counts = dict(
        zip(
            NATIONAL_TYPE_COUNTS,
            apportion(total - pao_count, list(NATIONAL_TYPE_COUNTS.values())),
            strict=True,
        )
    )
    weights = [province_weight(p.code, p.region) for p in provinces]
    per_province = {t: apportion(n, weights) for t, n in type_counts.items()}
    plans: list[LaoPlan] = []
    for pi, province in enumerate(provinces):
        if pi < pao_count:
            plans.append(
                LaoPlan(
                    code=f"{TYPE_DIGIT[LaoType.PAO]}{province.code}{PAO_SERIAL:04d}",
                    name_th=_PAO_NAME[0].format(province.name_th),
                    name_en=_PAO_NAME[1].format(province.name_en),
                    lao_type=LaoType.PAO,
                    province_code=province.code,
                    province_index=pi,
                )
            )
        next_serial: dict[str, int] = defaultdict(lambda: NATIONAL_SERIAL_START)
        k = 0
        for lao_type in NATIONAL_TYPE_COUNTS:
            for j in range(per_province[lao_type][pi]):
                upgraded = lao_type is LaoType.SUBDISTRICT_MUNICIPALITY and (
                    j % UPGRADED_EVERY == UPGRADED_EVERY - 1
                )
                digit = TYPE_DIGIT[LaoType.SAO] if upgraded else TYPE_DIGIT[lao_type]
                serial = next_serial[digit]
                if serial > 9999:
                    raise ValueError(
                        f"Too many LAOs of one code prefix in province {province.code}."
                    )
                next_serial[digit] += 1
                place_th, place_en = place_name(pi, k)
                k += 1
                th, en = _LAO_NAMES[lao_type]
                plans.append(
                    LaoPlan(
                        code=f"{digit}{province.code}{serial:04d}",
                        name_th=th.format(place_th),
                        name_en=en.format(place_en),
                        lao_type=lao_type,
                        province_code=province.code,
                        province_index=pi,
                        upgraded_on=date(2012 + j % 12, 10, 1) if upgraded else None,
                    )
                )
    return plans


def _institution_shape(
    lao: LaoPlan, lao_index: int, i: int
) -> tuple[InstitutionKind, bool, bool, bool]:
    """(kind, early childhood, basic, vocational) of an LAO's i-th institution."""
    t = lao.lao_type
    if t is LaoType.PAO:
        # PAOs run secondary schools; one in four also runs a college.
        if i == 0 and lao.province_index % 4 == 0:
            return InstitutionKind.COLLEGE, False, False, True
        return InstitutionKind.SCHOOL, False, True, False
    school = (
        (t is LaoType.CITY_MUNICIPALITY and i % 2 == 0)
        or (t is LaoType.TOWN_MUNICIPALITY and i % 3 == 0)
        or (t is LaoType.SUBDISTRICT_MUNICIPALITY and i == 0 and lao_index % 3 == 0)
        or (t is LaoType.SAO and i == 0 and lao_index % 10 == 0)
    )
    if school:
        return InstitutionKind.SCHOOL, i % 4 == 0 or t is LaoType.SAO, True, False
    return InstitutionKind.CHILD_CENTRE, True, False, False


def _institution_name(
    kind: InstitutionKind, lao: LaoPlan, place: tuple[str, str]
) -> tuple[str, str]:
    th, en = place
    if kind is InstitutionKind.COLLEGE:
        return f"วิทยาลัยเทคโนโลยี{th}", f"{en} College of Technology"
    if kind is InstitutionKind.CHILD_CENTRE:
        return f"ศูนย์พัฒนาเด็กเล็กบ้าน{th}", f"Ban {en} Child Development Centre"
    if lao.lao_type is LaoType.PAO:
        return f"โรงเรียน{th}วิทยาคม", f"{en} Witthayakhom School"
    if lao.lao_type is LaoType.SAO:
        return f"โรงเรียนบ้าน{th}", f"Ban {en} School"
    return f"โรงเรียนเทศบาล{th}", f"{en} Municipal School"


def plan_national_institutions(laos: Sequence[LaoPlan], total: int) -> list[InstitutionPlan]:
    """`total` institutions spread over `laos` by what each type of LAO typically runs."""
    counts = apportion(total, [_INSTITUTIONS_PER_TYPE[lao.lao_type] for lao in laos])
    laos_per_province: dict[str, int] = defaultdict(int)
    for lao in laos:
        laos_per_province[lao.province_code] += 1
    in_province: dict[str, int] = defaultdict(int)
    plans: list[InstitutionPlan] = []
    for lao_index, (lao, count) in enumerate(zip(laos, counts, strict=True)):
        for i in range(count):
            serial = NATIONAL_INSTITUTION_SERIAL_START + in_province[lao.province_code]
            if serial > 999_999:
                raise ValueError(f"Too many institutions in province {lao.province_code}.")
            # Institution places follow the LAO places of the province, so names rarely repeat.
            place = place_name(
                lao.province_index,
                laos_per_province[lao.province_code] + in_province[lao.province_code],
            )
            in_province[lao.province_code] += 1
            kind, early, basic, vocational = _institution_shape(lao, lao_index, i)
            code = f"{DLA_AFFILIATION}{lao.province_code}{serial:06d}"
            # Some child centres have never been registered with ONESQA.
            has_onesqa = kind is not InstitutionKind.CHILD_CENTRE or serial % 3 != 0
            name_th, name_en = _institution_name(kind, lao, place)
            plans.append(
                InstitutionPlan(
                    code=code,
                    onesqa_code=onesqa_code_for(code) if has_onesqa else "",
                    name_th=name_th,
                    name_en=name_en,
                    kind=kind,
                    lao_code=lao.code,
                    early_childhood=early,
                    basic=basic,
                    vocational=vocational,
                )
            )
    return plans


def _chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _say(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


def seed_national(
    *,
    laos: int = NATIONAL_LAOS,
    institutions: int = NATIONAL_INSTITUTIONS,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    actor: User | None = None,  # None: the seed, recorded without an actor
) -> SeedResult:
    """Create what is missing of a national-scale registry: LAOs, their type history, institutions.

    A few queries per batch, none per row. Creates no accounts.
    """
    if laos < 0 or institutions < 0 or batch_size < 1:
        raise ValueError("Counts must not be negative and the batch size must be positive.")
    if institutions and not laos:
        raise ValueError("Institutions need at least one LAO.")
    provinces = [
        ProvinceRow(*row)
        for row in Province.objects.order_by("code").values_list(
            "code", "name_th", "name_en", "region"
        )
    ]
    if len(provinces) < 2:
        raise RuntimeError("The provinces are missing: run `manage.py migrate` first.")
    lao_plans = plan_national_laos(provinces, laos)
    institution_plans = plan_national_institutions(lao_plans, institutions)
    now = timezone.now()
    result = SeedResult(created={"laos": 0, "type_changes": 0, "institutions": 0})

    existing = set(LocalAuthority.objects.values_list("code", flat=True))
    new_laos = [plan for plan in lao_plans if plan.code not in existing]
    _say(progress, f"LAOs: {len(lao_plans) - len(new_laos):,} of {len(lao_plans):,} already exist")
    for batch in _chunks(new_laos, batch_size):
        with transaction.atomic():
            rows = LocalAuthority.objects.bulk_create(
                [
                    LocalAuthority(
                        code=plan.code,
                        name_th=plan.name_th,
                        name_en=plan.name_en,
                        lao_type=plan.lao_type,
                        province_id=plan.province_code,
                        created_at=now,
                        updated_at=now,
                    )
                    for plan in batch
                ],
                batch_size=batch_size,
            )
            if not connection.features.can_return_rows_from_bulk_insert:
                ids = dict(
                    LocalAuthority.objects.filter(code__in=[r.code for r in rows]).values_list(
                        "code", "id"
                    )
                )
                for row in rows:
                    row.pk = ids[row.code]
            changes = [
                change
                for row, plan in zip(rows, batch, strict=True)
                for change in _initial_type_changes(
                    row,
                    upgraded_from=LaoType.SAO if plan.upgraded_on else None,
                    upgraded_on=plan.upgraded_on,
                    source=NATIONAL_SOURCE,
                    now=now,
                )
            ]
            LaoTypeChange.objects.bulk_create(changes, batch_size=batch_size)
        result.created["laos"] += len(rows)
        result.created["type_changes"] += len(changes)
        _say(progress, f"LAOs: created {result.created['laos']:,} of {len(new_laos):,}")

    lao_ids = dict(LocalAuthority.objects.values_list("code", "id"))
    existing = set(Institution.objects.values_list("code", flat=True))
    new_institutions = [plan for plan in institution_plans if plan.code not in existing]
    _say(
        progress,
        f"Institutions: {len(institution_plans) - len(new_institutions):,} of "
        f"{len(institution_plans):,} already exist",
    )
    before = Institution.objects.count()
    done = 0
    for institution_batch in _chunks(new_institutions, batch_size):
        # ignore_conflicts: an ONESQA code taken by registry data must not stop the seed.
        Institution.objects.bulk_create(
            [
                Institution(
                    code=plan.code,
                    onesqa_code=plan.onesqa_code,
                    name_th=plan.name_th,
                    name_en=plan.name_en,
                    kind=plan.kind,
                    lao_id=lao_ids[plan.lao_code],
                    teaches_early_childhood=plan.early_childhood,
                    teaches_basic=plan.basic,
                    teaches_vocational=plan.vocational,
                    created_at=now,
                    updated_at=now,
                )
                for plan in institution_batch
            ],
            batch_size=batch_size,
            ignore_conflicts=True,
        )
        done += len(institution_batch)
        _say(progress, f"Institutions: created {done:,} of {len(new_institutions):,}")
    result.created["institutions"] = Institution.objects.count() - before

    result.totals = {
        "provinces": len({plan.province_code for plan in lao_plans}),
        "laos": len(lao_plans),
        "institutions": len(institution_plans),
    }
    if result.changed:
        audit.record(
            action="demo.seeded",
            actor=actor,
            data={"scale": "national", "created": result.created, "totals": result.totals},
        )
    return result
