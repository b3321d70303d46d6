"""Named personas in two provinces, built through the real services, for every test.

Chiang Mai (50): the city municipality "Nakhon Doi Kham" with a school, and an SAO "Ban Pa Sak"
with a child development centre. Khon Kaen (40): one town municipality with its school.
Each place has its officers; the Khon Kaen ones and the other Chiang Mai LAO must see nothing of
the Doi Kham school.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db.models import Model

from esar.accounts.models import User
from esar.accounts.roles import Role
from esar.accounts.services import create_account
from esar.organizations.models import (
    Agency,
    Institution,
    InstitutionKind,
    LaoType,
    LocalAuthority,
    Province,
    ProvincialOffice,
)

PASSWORD = "persona-pass-2569"


@cache
def _password_hash() -> str:
    # Hash once per test session: argon2 is deliberately slow.
    return make_password(PASSWORD)


@dataclass
class World:
    chiang_mai: Province
    khon_kaen: Province
    cm_city: LocalAuthority
    cm_sao: LocalAuthority
    kk_town: LocalAuthority
    cm_school: Institution
    cm_centre: Institution
    kk_school: Institution
    dla_admin: User
    dla_analyst: User
    onesqa_reviewer: User
    helpdesk: User
    cm_supervisor: User
    kk_supervisor: User
    cm_city_officer: User
    cm_sao_officer: User
    kk_town_officer: User
    cm_school_officer: User
    kk_school_officer: User
    nobody: User

    def all_users(self) -> dict[str, User]:
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


def _lao(code: str, name: str, lao_type: LaoType, province: Province) -> LocalAuthority:
    return LocalAuthority.objects.create(
        code=code, name_th=name, lao_type=lao_type, province=province
    )


def _account(username: str, role: Role, organization: Model, first: str, last: str) -> User:
    return create_account(
        username=username,
        password=None,
        password_hash=_password_hash(),
        role=role,
        organization=organization,
        first_name=first,
        last_name=last,
        email=f"{username}@example.com",
    )


def build_world() -> World:
    chiang_mai = Province.objects.get(code="50")
    khon_kaen = Province.objects.get(code="40")
    dla = Agency.objects.get(code="DLA")
    onesqa = Agency.objects.get(code="ONESQA")
    cm_city = _lao("2500101", "เทศบาลนครดอยคำ", LaoType.CITY_MUNICIPALITY, chiang_mai)
    cm_sao = _lao("6500102", "องค์การบริหารส่วนตำบลบ้านป่าสัก", LaoType.SAO, chiang_mai)
    kk_town = _lao("3400101", "เทศบาลเมืองหนองแวงใหญ่", LaoType.TOWN_MUNICIPALITY, khon_kaen)
    cm_school = Institution.objects.create(
        code="3050000001",
        onesqa_code="50000001",
        name_th="โรงเรียนเทศบาลดอยคำวิทยา",
        kind=InstitutionKind.SCHOOL,
        lao=cm_city,
        teaches_early_childhood=True,
        teaches_basic=True,
    )
    cm_centre = Institution.objects.create(
        code="3050000002",
        name_th="ศูนย์พัฒนาเด็กเล็กบ้านป่าสัก",
        kind=InstitutionKind.CHILD_CENTRE,
        lao=cm_sao,
        teaches_early_childhood=True,
    )
    kk_school = Institution.objects.create(
        code="3040000001",
        onesqa_code="40000001",
        name_th="โรงเรียนเทศบาลหนองแวงใหญ่",
        kind=InstitutionKind.SCHOOL,
        lao=kk_town,
        teaches_basic=True,
    )
    cm_office = ProvincialOffice.objects.get(province=chiang_mai)
    kk_office = ProvincialOffice.objects.get(province=khon_kaen)
    return World(
        chiang_mai=chiang_mai,
        khon_kaen=khon_kaen,
        cm_city=cm_city,
        cm_sao=cm_sao,
        kk_town=kk_town,
        cm_school=cm_school,
        cm_centre=cm_centre,
        kk_school=kk_school,
        dla_admin=_account("dla.admin", Role.DLA_ADMIN, dla, "Anong", "Admin"),
        dla_analyst=_account("dla.analyst", Role.DLA_ANALYST, dla, "Boonmee", "Analyst"),
        onesqa_reviewer=_account(
            "onesqa.reviewer", Role.ONESQA_REVIEWER, onesqa, "Chanida", "Reviewer"
        ),
        helpdesk=_account("helpdesk", Role.HELPDESK, onesqa, "Duangjai", "Helpdesk"),
        cm_supervisor=_account(
            "cm.supervisor", Role.PROVINCE_SUPERVISOR, cm_office, "Ekachai", "Supervisor"
        ),
        kk_supervisor=_account(
            "kk.supervisor", Role.PROVINCE_SUPERVISOR, kk_office, "Fah", "Supervisor"
        ),
        cm_city_officer=_account("cm.city", Role.LAO_OFFICER, cm_city, "Ganya", "Officer"),
        cm_sao_officer=_account("cm.sao", Role.LAO_OFFICER, cm_sao, "Hathai", "Officer"),
        kk_town_officer=_account("kk.town", Role.LAO_OFFICER, kk_town, "Itsara", "Officer"),
        cm_school_officer=_account(
            "cm.school", Role.SCHOOL_OFFICER, cm_school, "Jintana", "Teacher"
        ),
        kk_school_officer=_account(
            "kk.school", Role.SCHOOL_OFFICER, kk_school, "Kittipong", "Teacher"
        ),
        nobody=User.objects.create_user(username="nobody", password=None),
    )
